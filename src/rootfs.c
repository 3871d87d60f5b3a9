/* The container's root: made a mount of its own, masked and read-only paths
 * inside it, then pivot_root into it (or move and chroot, where the host
 * root cannot be pivoted, as on an initramfs). */
#include "container.h"
#include "error.h"
#include "log.h"
#include "resolve.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* The init's descriptors are close-on-exec and it execs soon: those it is
 * done with are left to the exec, not closed a system call at a time. */

int rootfs_prepare(struct ctx *c)
{
	char fp[32];
	int fd;

	/* Nothing mounted from here on may reach the host's mount table. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return fail(errno, "make / a slave mount");
	/* The rootfs itself must not be a symlink: the bundle could point it
	 * anywhere on the host. */
	fd = openat(AT_FDCWD, c->rootfs, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno == ELOOP ? ELOOP : errno, "root.path %s", c->rootfs);
	fd_path(fd, fp, sizeof(fp));
	/* pivot_root needs the new root to be a mount point. */
	if (mount(fp, fp, NULL, MS_BIND | MS_REC, NULL) < 0) {
		close(fd);
		return fail(errno, "bind mount the rootfs %s", c->rootfs);
	}
	c->rootfd = openat(AT_FDCWD, c->rootfs, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (c->rootfd < 0)
		return fail(errno, "open the rootfs %s", c->rootfs);
	return 0;
}

/* A masked file is covered with /dev/null, a masked directory with an empty
 * read-only tmpfs; binding a file onto a directory fails with ENOTDIR,
 * which tells the two apart without a stat. */
static int mask_path(struct ctx *c, const char *path)
{
	char fp[32];
	int fd = resolve_in_root(c->rootfd, path), r = 0;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fail(-fd, "maskedPaths: %s", path);
	fd_path(fd, fp, sizeof(fp));
	if (mount("/dev/null", fp, NULL, MS_BIND, NULL) < 0) {
		if (errno != ENOTDIR || mount("tmpfs", fp, "tmpfs", MS_RDONLY, "size=0") < 0)
			r = fail(errno, "maskedPaths: mask %s", path);
	}
	return r;
}

static int readonly_path(struct ctx *c, const char *path)
{
	struct rl_mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	char fp[32];
	int fd = resolve_in_root(c->rootfd, path), r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fail(-fd, "readonlyPaths: %s", path);
	fd_path(fd, fp, sizeof(fp));
	r = mount(fp, fp, NULL, MS_BIND | MS_REC, NULL);
	if (r < 0)
		return fail(errno, "readonlyPaths: bind %s", path);
	fd = resolve_in_root(c->rootfd, path);
	if (fd < 0)
		return fail(-fd, "readonlyPaths: %s", path);
	/* mount_setattr changes only the read-only bit, over the whole
	 * subtree; a remount must restate the flags the mount has. */
	r = sys_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr);
	if (r == -ENOSYS) {
		struct statvfs sv;
		unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;

		fd_path(fd, fp, sizeof(fp));
		if (fstatvfs(fd, &sv) == 0) {
			flags |= sv.f_flag & ST_NOSUID ? MS_NOSUID : 0;
			flags |= sv.f_flag & ST_NODEV ? MS_NODEV : 0;
			flags |= sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0;
		}
		r = mount(NULL, fp, NULL, flags, NULL) < 0 ? -errno : 0;
	}
	if (r < 0)
		return fail(-r, "readonlyPaths: make %s read-only", path);
	return 0;
}

int rootfs_paths(struct ctx *c)
{
	const struct linux_cfg *l = &c->spec->linux;
	unsigned i;
	int r;

	for (i = 0; i < l->masked_paths.n; i++) {
		if ((r = mask_path(c, l->masked_paths.v[i])))
			return r;
	}
	for (i = 0; i < l->readonly_paths.n; i++) {
		if ((r = readonly_path(c, l->readonly_paths.v[i])))
			return r;
	}
	return 0;
}

/* What --no-pivot does, and what an initramfs root needs: pivot_root
 * refuses a root that is not a mount in its own right. */
static int move_root(struct ctx *c)
{
	if (fchdir(c->rootfd) < 0)
		return fail(errno, "enter the rootfs %s", c->rootfs);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return fail(errno, "move the rootfs %s to /", c->rootfs);
	if (chroot(".") < 0)
		return fail(errno, "chroot into %s", c->rootfs);
	if (chdir("/") < 0)
		return fail(errno, "chdir / in the rootfs");
	return 0;
}

int rootfs_pivot(struct ctx *c)
{
	int r;

	if (c->o->no_pivot)
		return move_root(c);
	if (fchdir(c->rootfd) < 0)
		return fail(errno, "enter the rootfs %s", c->rootfs);
	/* pivot_root(".", ".") stacks the old root under the new one, where
	 * it is detached at once: no directory for it is needed. */
	r = sys_pivot_root(".", ".");
	if (r == -EINVAL) {
		log_debug("pivot_root: EINVAL, moving the rootfs instead (initramfs root?)");
		return move_root(c);
	}
	if (r < 0)
		return fail(-r, "pivot_root into %s", c->rootfs);
	if (umount2(".", MNT_DETACH) < 0)
		return fail(errno, "detach the old root");
	if (chdir("/") < 0)
		return fail(errno, "chdir / in the rootfs");
	return 0;
}

int rootfs_finish(struct ctx *c)
{
	const struct spec *s = c->spec;

	if (s->root_readonly) {
		struct rl_mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		int r = sys_mount_setattr(AT_FDCWD, "/", 0, &attr);

		if (r == -ENOSYS)
			r = mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0 ? -errno : 0;
		if (r < 0)
			return fail(-r, "make the root read-only");
	}
	if (s->linux.rootfs_propagation &&
	    mount(NULL, "/", NULL, s->linux.rootfs_propagation, NULL) < 0)
		return fail(errno, "set the propagation of the root");
	return 0;
}
