/* Namespaces: made by clone when they are new, joined by path with setns.
 *
 * The common case, nothing joined but plain namespaces, is one clone with
 * every flag.  Joining a user, pid or time namespace, or giving a new time
 * namespace its offsets, needs the order the kernel imposes: the init-to-be
 * joins and unshares first, then forks the real init, which is then the
 * first process of the new pid and time namespaces. */
#include "container.h"
#include "error.h"
#include "format.h"
#include "log.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static const int ns_clone_flag[NS_TYPES] = {
	[NS_PID] = CLONE_NEWPID,
	[NS_NET] = CLONE_NEWNET,
	[NS_MNT] = CLONE_NEWNS,
	[NS_IPC] = CLONE_NEWIPC,
	[NS_UTS] = CLONE_NEWUTS,
	[NS_USER] = CLONE_NEWUSER,
	[NS_CGROUP] = CLONE_NEWCGROUP,
	[NS_TIME] = CLONE_NEWTIME,
};

static bool ns_new(const struct ctx *c, enum ns_type t)
{
	return c->spec->linux.ns[t].set && !c->spec->linux.ns[t].path;
}

static bool ns_joined(const struct ctx *c, enum ns_type t)
{
	return c->spec->linux.ns[t].set && c->spec->linux.ns[t].path;
}

/* Whether the init needs the two-step start described above. */
bool ns_two_step(const struct ctx *c)
{
	return ns_joined(c, NS_USER) || ns_joined(c, NS_PID) || c->spec->linux.ns[NS_TIME].set;
}

int ns_prepare(struct ctx *c)
{
	unsigned t;

	c->clone_flags = 0;
	c->userns = c->spec->linux.ns[NS_USER].set;
	c->pidns = c->spec->linux.ns[NS_PID].set;
	for (t = 0; t < NS_TYPES; t++) {
		/* The cgroup namespace waits until the init is in its cgroup,
		 * so that the cgroup becomes the namespace's root. */
		if (t == NS_CGROUP || t == NS_TIME || !ns_new(c, t))
			continue;
		/* In two steps, only the user namespace comes with the clone;
		 * the rest is unshared after the joins. */
		if (ns_two_step(c) && t != NS_USER)
			continue;
		c->clone_flags |= (unsigned long)ns_clone_flag[t];
	}
	return 0;
}

/* With cgroup_fd, clone3 puts the init straight into its v2 cgroup
 * (CLONE_INTO_CGROUP, 5.7), so that it never runs outside it, and *placed
 * says so; on an older kernel plain clone(2) serves, and the cgroup is
 * entered by writing its pid. */
pid_t ns_clone(struct ctx *c, int cgroup_fd, bool *placed)
{
	struct rl_clone_args args = {
		.flags = c->clone_flags | RL_CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgroup_fd,
	};
	pid_t pid;

	*placed = false;
	if (cgroup_fd >= 0) {
		pid = sys_clone3(&args);
		/* ENOSYS before 5.3, E2BIG before 5.7 (the cgroup field). */
		if (pid != -ENOSYS && pid != -E2BIG) {
			*placed = pid >= 0;
			return pid;
		}
	}
	return sys_clone(c->clone_flags);
}

static int join_one(const struct ctx *c, enum ns_type t)
{
	const char *path = c->spec->linux.ns[t].path;
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return fail(errno, "open the %s namespace %s", ns_type_names[t], path);
	r = sys_setns(fd, ns_clone_flag[t]);
	close(fd);
	if (r == -EINVAL)
		return fail(EINVAL, "join %s: not a %s namespace", path, ns_type_names[t]);
	if (r < 0)
		return fail(-r, "join the %s namespace %s", ns_type_names[t], path);
	return 0;
}

/* With user set, joins the user namespace alone; otherwise all the others.
 * The user namespace goes first, so that what is made after it belongs to
 * it. */
int ns_join_paths(struct ctx *c, bool user)
{
	unsigned t;
	int r;

	for (t = 0; t < NS_TYPES; t++) {
		if (!ns_joined(c, t) || (t == NS_USER) != user)
			continue;
		r = join_one(c, t);
		if (r)
			return r;
	}
	return 0;
}

#if CONFIG_TIME_NAMESPACE
static int write_time_offsets(const struct ctx *c)
{
	static const char *const clocks[TIME_CLOCKS] = { "boottime", "monotonic" };
	const struct time_offset *o = c->spec->linux.time_offsets;
	char text[128];
	size_t n = 0;
	unsigned i;
	int fd;

	for (i = 0; i < TIME_CLOCKS; i++) {
		if (o[i].set)
			n += (size_t)fmt(text + n, sizeof(text) - n, "%s %lld %u\n", clocks[i],
					      (long long)o[i].secs, o[i].nanosecs);
	}
	if (!n)
		return 0;
	fd = openat(AT_FDCWD, "/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "open /proc/self/timens_offsets");
	if (write(fd, text, n) != (ssize_t)n) {
		int e = errno;

		close(fd);
		return fail(e, "write the time namespace offsets");
	}
	close(fd);
	return 0;
}
#endif

/* The first step: join, unshare, then fork the init.  Returns the new
 * init's pid in the parent (which then reports it and exits), 0 in the
 * init. */
pid_t ns_second_step(struct ctx *c)
{
	int flags = 0, r;
	unsigned t;
	pid_t pid;

	r = ns_join_paths(c, false);
	if (r)
		return r;
	for (t = 0; t < NS_TYPES; t++) {
		if (t != NS_USER && t != NS_CGROUP && ns_new(c, t))
			flags |= ns_clone_flag[t];
	}
	if (flags && (r = sys_unshare(flags)) < 0)
		return fail(-r, "create the container's namespaces");
#if CONFIG_TIME_NAMESPACE
	if (ns_new(c, NS_TIME) && (r = write_time_offsets(c)))
		return r;
#endif
	pid = fork();
	if (pid < 0)
		return fail(errno, "fork the container's init");
	return pid;
}

#if CONFIG_USER_NAMESPACE
static int write_map(pid_t pid, const char *file, const struct idmap *m, unsigned n)
{
	char path[64], text[CONFIG_MAX_ID_MAPPINGS * 36];
	size_t len = 0;
	unsigned i;
	int fd;

	for (i = 0; i < n; i++)
		len += (size_t)fmt(text + len, sizeof(text) - len, "%u %u %u\n", m[i].container_id,
					m[i].host_id, m[i].size);
	fmt(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "open %s", path);
	/* The kernel takes a map in one write only. */
	if (write(fd, text, len) != (ssize_t)len) {
		int e = errno;

		close(fd);
		return fail(e, "write %s", path);
	}
	close(fd);
	return 0;
}

/* Written from the runtime, which has the rights in the parent namespace. */
int ns_write_idmaps(struct ctx *c)
{
	const struct linux_cfg *l = &c->spec->linux;
	int r;

	if (!ns_new(c, NS_USER))
		return 0;
	/* Without CAP_SETGID in the parent namespace the kernel wants
	 * setgroups denied before a gid map. */
	if (geteuid() != 0) {
		char path[64];
		int fd;

		fmt(path, sizeof(path), "/proc/%d/setgroups", (int)c->pid);
		fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "deny", 4) != 4)
			r = fail(errno, "write %s", path);
		else
			r = 0;
		if (fd >= 0)
			close(fd);
		if (r)
			return r;
	}
	r = write_map(c->pid, "uid_map", l->uid_mappings, l->nuid_mappings);
	if (r)
		return r;
	return write_map(c->pid, "gid_map", l->gid_mappings, l->ngid_mappings);
}
#else
int ns_write_idmaps(struct ctx *c)
{
	return 0;
}
#endif

/* Root of the user namespace, once its maps are written: the host's root
 * is nobody in it, and every inode it made would fail with EOVERFLOW.
 * The capabilities stay, since the new ids are the namespace's root. */
int ns_become_root(const struct ctx *c)
{
	int r;

	if (!c->userns)
		return 0;
	if ((r = sys_setresgid(0)) < 0 || (r = sys_setresuid(0)) < 0)
		return fail(-r, "become root in the user namespace");
	return 0;
}

int ns_enter_cgroup_ns(struct ctx *c)
{
	int r;

	if (!ns_new(c, NS_CGROUP))
		return 0;
	r = sys_unshare(CLONE_NEWCGROUP);
	if (r < 0)
		return fail(-r, "create the cgroup namespace");
	return 0;
}
