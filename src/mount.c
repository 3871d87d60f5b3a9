/* The mounts of config.json, in their order, inside the rootfs before
 * pivot_root.  Every destination is resolved inside the rootfs (resolve.c)
 * and mounted onto through its descriptor. */
#include "container.h"
#include "error.h"
#include "format.h"
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

/* The flags a bind mount takes only through a remount. */
#define REMOUNT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | \
		       MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW)

static int bind_source(const struct ctx *c, const struct mount_cfg *m, char *out, size_t cap)
{
	int n;

	if (!m->source || !m->source[0])
		return fail(0, "mount %s: a bind mount needs a source", m->destination);
	if (m->source[0] == '/')
		n = fmt(out, cap, "%s", m->source);
	else
		n = fmt(out, cap, "%s/%s", c->bundle, m->source);
	if (n < 0 || (size_t)n >= cap)
		return fail(ENAMETOOLONG, "mount source %s", m->source);
	return 0;
}

/* A user namespace cannot clear the nosuid, nodev or noexec a mount came
 * with: keep them, or the remount is refused. */
static unsigned long locked_flags(const struct ctx *c, int fd)
{
	struct statvfs sv;
	unsigned long flags = 0;

	if (!c->userns || fstatvfs(fd, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	return flags;
}

/* After a mount, the descriptor still names the directory under it; the
 * settings that follow apply to the new mount, found by resolving again. */
static int settle(struct ctx *c, const struct mount_cfg *m, bool bind)
{
	char fp[32];
	int fd, r = 0;

	if (!(bind && (m->flags & REMOUNT_FLAGS)) && !m->propagation && !m->attr_set && !m->attr_clr)
		return 0;
	fd = resolve_in_root(c->rootfd, m->destination);
	if (fd < 0)
		return fail(-fd, "mount %s: find the new mount", m->destination);
	fd_path(fd, fp, sizeof(fp));
	if (bind && (m->flags & REMOUNT_FLAGS)) {
		unsigned long flags = MS_BIND | MS_REMOUNT | (m->flags & REMOUNT_FLAGS) | locked_flags(c, fd);

		if (mount(NULL, fp, NULL, flags, NULL) < 0)
			r = fail(errno, "remount %s with its options", m->destination);
	}
	if (!r && m->propagation && mount(NULL, fp, NULL, m->propagation, NULL) < 0)
		r = fail(errno, "set the propagation of %s", m->destination);
	if (!r && (m->attr_set || m->attr_clr)) {
		struct rl_mount_attr attr = { .attr_set = m->attr_set, .attr_clr = m->attr_clr };
		int e = sys_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr);

		if (e == -ENOSYS)
			r = fail(ENOSYS, "mount %s: recursive mount options need Linux 5.12 (mount_setattr)",
				 m->destination);
		else if (e < 0)
			r = fail(-e, "mount %s: apply the recursive options", m->destination);
	}
	return r;
}

#if CONFIG_SELINUX
/* linux.mountLabel: the SELinux context of every mount that takes one. */
static const char *with_label(const struct ctx *c, const struct mount_cfg *m)
{
	static char data[4096];
	const char *label = c->spec->linux.mount_label;

	if (!label || !label[0])
		return m->data;
	fmt(data, sizeof(data), "%s%scontext=\"%s\"", m->data ? m->data : "", m->data ? "," : "", label);
	return data;
}
#endif

static int mount_one(struct ctx *c, const struct mount_cfg *m)
{
	const char *data = m->data;
	bool bind = m->kind & MNT_BIND;
	char src[PATH_MAX], fp[32];
	struct stat st;
	int fd, r = 0;

	if (m->kind & (MNT_TMPCOPYUP | MNT_IDMAP))
		return mount_special(c, m);
	if (bind) {
		r = bind_source(c, m, src, sizeof(src));
		if (r)
			return r;
		if (stat(src, &st) < 0)
			return fail(errno, "mount %s: source %s", m->destination, src);
	}
	fd = resolve_create(c->rootfd, m->destination, 0755, bind && !S_ISDIR(st.st_mode));
	if (fd < 0)
		return fail(-fd, "mount %s: create the mount point in the rootfs", m->destination);
	if (m->kind & MNT_CGROUP) {
		r = mount_cgroup(c, m, fd);
		return r;
	}
	fd_path(fd, fp, sizeof(fp));
#if CONFIG_SELINUX
	if (!bind)
		data = with_label(c, m);
#endif
	if (bind) {
		if (mount(src, fp, NULL, MS_BIND | (m->kind & MNT_REC ? MS_REC : 0), NULL) < 0)
			r = fail(errno, "bind mount %s on %s", src, m->destination);
	} else if (mount(m->source && m->source[0] ? m->source : "none", fp, m->type, m->flags, data) < 0) {
		r = fail(errno, "mount %s (%s) on %s%s%s", m->source ? m->source : "none",
			 m->type ? m->type : "no type", m->destination, data ? " with " : "", data ? data : "");
	}
	if (r)
		return r;
	return settle(c, m, bind);
}

int mounts_apply(struct ctx *c)
{
	unsigned i;
	int r;

	for (i = 0; i < c->spec->nmounts; i++) {
		r = mount_one(c, &c->spec->mounts[i]);
		if (r) {
			error_prefix("mounts[%u]: ", i);
			return r;
		}
	}
	return 0;
}
