/* The "cgroup" mount inside the container, shaped like the host's layout as
 * runc shapes it: on v2 one cgroup2 mount; on v1 and hybrid hosts a tmpfs
 * with one directory per hierarchy.  With a cgroup namespace each directory
 * is a fresh cgroup mount whose root is the container's cgroup; without one
 * it is a bind of the container's cgroup directory from the host. */
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
#include <unistd.h>

/* The init's descriptors are close-on-exec and it execs soon: those it is
 * done with are left to the exec, not closed a system call at a time. */

#define ATTR_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

static uint64_t mount_attrs(unsigned long flags)
{
	uint64_t a = 0;

	if (flags & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (flags & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (flags & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (flags & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	return a;
}

static bool cgroup_ns(const struct ctx *c)
{
	return c->spec->linux.ns[NS_CGROUP].set;
}

static int host_dir(const struct cg_hier *h, char *out, size_t cap)
{
	int n = fmt(out, cap, "%s%s%s%s", CONFIG_CGROUP_ROOT, h->dir[0] ? "/" : "", h->dir, h->path);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* One hierarchy at target (a path through the tmpfs's descriptor). */
static int mount_hier(const struct ctx *c, const struct cg_hier *h, const char *target,
		      unsigned long flags)
{
	char src[CG_PATH_MAX + 128];

	if (cgroup_ns(c)) {
		if (h->v2)
			return mount("cgroup2", target, "cgroup2", flags, NULL) < 0 ? -errno : 0;
		return mount("cgroup", target, "cgroup", flags, h->controllers) < 0 ? -errno : 0;
	}
	if (host_dir(h, src, sizeof(src)) < 0)
		return -ENAMETOOLONG;
	return mount(src, target, NULL, MS_BIND | MS_REC, NULL) < 0 ? -errno : 0;
}

/* Without mount_setattr each bind is remounted on its own. */
static int readonly_fallback(const struct ctx *c, int tfd, unsigned long flags)
{
	char fp[32], target[64 + 32];
	unsigned i;

	fd_path(tfd, fp, sizeof(fp));
	for (i = 0; i < c->cg.n && !cgroup_ns(c); i++) {
		fmt(target, sizeof(target), "%s/%s", fp, c->cg.h[i].dir);
		if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_REC | (flags & ATTR_FLAGS), NULL) < 0)
			return fail(errno, "remount the cgroup %s read-only", c->cg.h[i].dir);
	}
	/* A bind remount changes this mount only, as mount_setattr does; a
	 * plain one would make the tmpfs itself read-only. */
	if (mount(NULL, fp, NULL, MS_BIND | MS_REMOUNT | (flags & ATTR_FLAGS), NULL) < 0)
		return fail(errno, "remount the cgroup tmpfs read-only");
	return 0;
}

static int link_controllers(int tfd, const char *dir, const char *dest)
{
	char names[64], *name, *save = NULL;

	fmt(names, sizeof(names), "%s", dir);
	for (name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if (symlinkat(dir, tfd, name) < 0 && errno != EEXIST)
			return fail(errno, "link %s/%s", dest, name);
	}
	return 0;
}

static int mount_v1_tree(struct ctx *c, const struct mount_cfg *m, int destfd)
{
	/* The hierarchies must be mounted in a writable tmpfs; the options
	 * are applied to the whole tree at the end. */
	unsigned long hflags = cgroup_ns(c) ? m->flags & ~MS_RDONLY : 0;
	char fp[32], target[96];
	struct rl_mount_attr attr = { .attr_set = mount_attrs(m->flags) };
	unsigned i;
	int tfd, r = 0;

	fd_path(destfd, fp, sizeof(fp));
	if (mount("tmpfs", fp, "tmpfs", m->flags & ~MS_RDONLY, "mode=755") < 0)
		return fail(errno, "mount a tmpfs on %s", m->destination);
	tfd = resolve_in_root(c->rootfd, m->destination);
	if (tfd < 0)
		return fail(-tfd, "find the tmpfs on %s", m->destination);
	fd_path(tfd, fp, sizeof(fp));
	for (i = 0; i < c->cg.n && !r; i++) {
		const struct cg_hier *h = &c->cg.h[i];
		int e;

		if (mkdirat(tfd, h->dir, 0755) < 0 && errno != EEXIST) {
			r = fail(errno, "create %s/%s", m->destination, h->dir);
			break;
		}
		fmt(target, sizeof(target), "%s/%s", fp, h->dir);
		e = mount_hier(c, h, target, hflags);
		if (e < 0)
			r = fail(-e, "mount the %s cgroup on %s/%s", h->dir, m->destination, h->dir);
		/* "cpu,cpuacct" is also reached as "cpu" and "cpuacct". */
		if (!r && strchr(h->dir, ','))
			r = link_controllers(tfd, h->dir, m->destination);
	}
	if (!r && attr.attr_set) {
		int e = sys_mount_setattr(tfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr);

		if (e == -ENOSYS)
			r = readonly_fallback(c, tfd, m->flags);
		else if (e < 0)
			r = fail(-e, "apply the options of %s", m->destination);
	}
	return r;
}

int mount_cgroup(struct ctx *c, const struct mount_cfg *m, int destfd)
{
	char fp[32], src[CG_PATH_MAX + 128];
	int r;

	if (!c->has_cgroup)
		return fail(0, "mount %s: a cgroup mount needs cgroup support (CONFIG_CGROUP_V1 or CONFIG_CGROUP_V2)",
			    m->destination);
	if (!(c->cg.n == 1 && c->cg.h[0].v2 && !c->cg.h[0].dir[0]))
		return mount_v1_tree(c, m, destfd);
	fd_path(destfd, fp, sizeof(fp));
	if (cgroup_ns(c)) {
		if (mount("cgroup2", fp, "cgroup2", m->flags, NULL) < 0)
			return fail(errno, "mount cgroup2 on %s", m->destination);
		return 0;
	}
	if (host_dir(&c->cg.h[0], src, sizeof(src)) < 0)
		return fail(ENAMETOOLONG, "cgroup path %s", c->cg.h[0].path);
	if (mount(src, fp, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fail(errno, "bind the container's cgroup %s on %s", src, m->destination);
	if (!(m->flags & ATTR_FLAGS))
		return 0;
	r = resolve_in_root(c->rootfd, m->destination);
	if (r < 0)
		return fail(-r, "find the cgroup mount on %s", m->destination);
	fd_path(r, fp, sizeof(fp));
	if (mount(NULL, fp, NULL, MS_BIND | MS_REMOUNT | (m->flags & ATTR_FLAGS), NULL) < 0) {
		return fail(errno, "remount the cgroup on %s with its options", m->destination);
	}
	return 0;
}
