/* AppArmor profiles and SELinux labels: written to /proc/self/attr just
 * before exec, so that the kernel applies them at the exec.  The file is
 * checked to be on procfs first: a rootfs may plant its own /proc. */
#include "container.h"
#include "error.h"
#include "format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define PROC_SUPER_MAGIC 0x9fa0

static int write_attr(const char *path, const char *text, const char *what)
{
	struct statfs sf;
	size_t len = strlen(text);
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		r = fail(EXDEV, "%s: %s is not on procfs", what, path);
	else if (write(fd, text, len) != (ssize_t)len)
		r = fail(errno, "%s: write \"%s\" to %s", what, text, path);
	close(fd);
	return r;
}

#if CONFIG_APPARMOR
int lsm_apparmor(const char *profile)
{
	char text[512];
	int r;

	if (!profile || !profile[0])
		return 0;
	if (access("/sys/module/apparmor/parameters/enabled", F_OK) < 0)
		return fail(ENOTSUP, "process.apparmorProfile: AppArmor is not enabled on this host");
	fmt(text, sizeof(text), "exec %s", profile);
	/* Linux 5.8 moved the file; older kernels have the shared one. */
	r = write_attr("/proc/self/attr/apparmor/exec", text, "process.apparmorProfile");
	if (r == -ENOENT)
		r = write_attr("/proc/self/attr/exec", text, "process.apparmorProfile");
	if (r < 0 && !error_set())
		return fail(-r, "process.apparmorProfile: set %s", profile);
	return r;
}
#endif

#if CONFIG_SELINUX
int lsm_selinux(const char *label)
{
	int r;

	if (!label || !label[0])
		return 0;
	if (access("/sys/fs/selinux/enforce", F_OK) < 0)
		return fail(ENOTSUP, "process.selinuxLabel: SELinux is not enabled on this host");
	r = write_attr("/proc/self/attr/exec", label, "process.selinuxLabel");
	if (r < 0 && !error_set())
		return fail(-r, "process.selinuxLabel: set %s", label);
	return r;
}
#endif
