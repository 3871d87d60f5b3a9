/* linux.sysctl: only the kernel parameters a namespace of the container
 * owns; any other key would change the host. */
#include "container.h"
#include "error.h"
#include "format.h"
#include "spec_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define PROC_SUPER_MAGIC 0x9fa0

static const char *const ipc_keys[] = {
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
	"kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

/* The namespace a key belongs to, or -1 when no namespace owns it. */
static int owner(const char *key)
{
	unsigned i;

	for (i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++) {
		if (!strcmp(key, ipc_keys[i]))
			return NS_IPC;
	}
	if (!strncmp(key, "fs.mqueue.", 10))
		return NS_IPC;
	if (!strncmp(key, "net.", 4))
		return NS_NET;
	if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname"))
		return NS_UTS;
	return -1;
}

int sysctl_check(const struct spec *s)
{
	unsigned i;

	for (i = 0; i < s->linux.nsysctl; i++) {
		const char *key = s->linux.sysctl[i].key;
		int ns = owner(key);

		if (strstr(key, "..") || strchr(key, '/'))
			return fail(0, "linux.sysctl.%s: not a sysctl name", key);
		if (ns < 0)
			return fail(0, "linux.sysctl.%s: not a namespaced sysctl; it would change the host", key);
		if (!s->linux.ns[ns].set)
			return fail(0, "linux.sysctl.%s: needs the container's own %s namespace", key,
				    ns_type_names[ns]);
	}
	return 0;
}

/* Runs after pivot_root: /proc/sys is the container's, checked to be procfs
 * before anything is written through it. */
int sysctl_apply(const struct ctx *c)
{
	const struct linux_cfg *l = &c->spec->linux;
	char path[PATH_MAX];
	struct statfs sf;
	unsigned i;

	for (i = 0; i < l->nsysctl; i++) {
		const char *value = l->sysctl[i].value;
		size_t len = strlen(value);
		char *p;
		int fd;

		fmt(path, sizeof(path), "/proc/sys/%s", l->sysctl[i].key);
		for (p = path + 10; *p; p++) {
			if (*p == '.')
				*p = '/';
		}
		fd = openat(AT_FDCWD, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return fail(errno, "linux.sysctl: open %s", path);
		if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC) {
			close(fd);
			return fail(EXDEV, "linux.sysctl: %s is not on procfs", path);
		}
		if (write(fd, value, len) != (ssize_t)len) {
			int e = errno;

			close(fd);
			return fail(e, "linux.sysctl: write \"%s\" to %s", value, path);
		}
		close(fd);
	}
	return 0;
}
