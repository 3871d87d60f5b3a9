/* Device nodes (config-linux.md, "Devices" and "Default Devices") and the
 * /dev symlinks of runtime-linux.md. */
#include "container.h"
#include "error.h"
#include "format.h"
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The init's descriptors are close-on-exec and it execs soon: those it is
 * done with are left to the exec, not closed a system call at a time. */

static const struct device_cfg default_devices[] = {
	{ "/dev/null", 'c', 1, 3, true, 0666, false, 0, false, 0 },
	{ "/dev/zero", 'c', 1, 5, true, 0666, false, 0, false, 0 },
	{ "/dev/full", 'c', 1, 7, true, 0666, false, 0, false, 0 },
	{ "/dev/random", 'c', 1, 8, true, 0666, false, 0, false, 0 },
	{ "/dev/urandom", 'c', 1, 9, true, 0666, false, 0, false, 0 },
	{ "/dev/tty", 'c', 5, 0, true, 0666, false, 0, false, 0 },
};

static mode_t type_bits(char type)
{
	switch (type) {
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	default:
		return S_IFCHR;
	}
}

/* A node already there must be the device asked for. */
static int check_existing(int dirfd, const char *name, const struct device_cfg *d)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(errno, "device %s", d->path);
	if ((st.st_mode & S_IFMT) != type_bits(d->type) ||
	    (d->type != 'p' && st.st_rdev != makedev((unsigned)d->major, (unsigned)d->minor)))
		return fail(EEXIST, "device %s: a different file is already there", d->path);
	return 0;
}

/* In a user namespace mknod is refused: bind the host's node instead. */
static int bind_host_node(int dirfd, const char *name, const struct device_cfg *d)
{
	char fp[32];
	int fd = openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = 0;

	if (fd < 0 && errno != EEXIST)
		return fail(errno, "device %s: create a mount point", d->path);
	if (fd >= 0)
		close(fd);
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "device %s", d->path);
	if (mount(d->path, fd_path(fd, fp, sizeof(fp)), NULL, MS_BIND, NULL) < 0)
		r = fail(errno, "device %s: bind the host's node", d->path);
	close(fd);
	return r;
}

static int make_node(struct ctx *c, int dirfd, const char *name, const struct device_cfg *d)
{
	mode_t mode = type_bits(d->type) | (d->has_mode ? d->mode : 0666);
	dev_t dev = d->type == 'p' ? 0 : makedev((unsigned)d->major, (unsigned)d->minor);

	if (c->userns && d->type != 'p')
		return bind_host_node(dirfd, name, d);
	if (mknodat(dirfd, name, mode, dev) < 0) {
		if (errno == EEXIST)
			return check_existing(dirfd, name, d);
		return fail(errno, "device %s: mknod", d->path);
	}
	if ((d->has_uid && d->uid) || (d->has_gid && d->gid)) {
		if (fchownat(dirfd, name, d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0,
			     AT_SYMLINK_NOFOLLOW) < 0)
			return fail(errno, "device %s: chown", d->path);
	}
	return 0;
}

/* Creates d in the rootfs; dev_fd is the rootfs's /dev when the device
 * lives right in it, which saves resolving it again. */
static int create_device(struct ctx *c, const struct device_cfg *d, int dev_fd)
{
	char parent[PATH_MAX];
	const char *name = strrchr(d->path, '/');
	int pfd, r;

	if (!name || !name[1])
		return fail(0, "device %s: not a file path", d->path);
	if (dev_fd >= 0 && name - d->path == 4 && !strncmp(d->path, "/dev", 4))
		return make_node(c, dev_fd, name + 1, d);
	fmt(parent, sizeof(parent), "%.*s", (int)(name - d->path), d->path);
	pfd = resolve_create(c->rootfd, parent[0] ? parent : "/", 0755, false);
	if (pfd < 0)
		return fail(-pfd, "device %s: create its directory", d->path);
	r = make_node(c, pfd, name + 1, d);
	return r;
}

static bool mounts_type(const struct spec *s, const char *type, const char *dest)
{
	unsigned i;

	for (i = 0; i < s->nmounts; i++) {
		const struct mount_cfg *m = &s->mounts[i];

		if (m->type && !strcmp(m->type, type) && (!dest || !strcmp(m->destination, dest)))
			return true;
	}
	return false;
}

/* The links of runtime-linux.md, made when their targets will exist. */
static int dev_links(struct ctx *c, int dev_fd)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
	};
	unsigned i;

	if (mounts_type(c->spec, "proc", NULL)) {
		for (i = 0; i < 4; i++) {
			if (symlinkat(links[i][0], dev_fd, links[i][1]) < 0 && errno != EEXIST)
				return fail(errno, "link /dev/%s", links[i][1]);
		}
	}
	if (mounts_type(c->spec, "devpts", "/dev/pts") && symlinkat("pts/ptmx", dev_fd, "ptmx") < 0 &&
	    errno != EEXIST)
		return fail(errno, "link /dev/ptmx");
	return 0;
}

int devices_create(struct ctx *c)
{
	const struct linux_cfg *l = &c->spec->linux;
	int dev_fd = resolve_create(c->rootfd, "/dev", 0755, false);
	unsigned i;
	int r = 0;

	if (dev_fd < 0)
		return fail(-dev_fd, "create /dev in the rootfs");
	for (i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]) && !r; i++)
		r = create_device(c, &default_devices[i], dev_fd);
	for (i = 0; i < l->ndevices && !r; i++)
		r = create_device(c, &l->devices[i], dev_fd);
	if (!r)
		r = dev_links(c, dev_fd);
	return r;
}
