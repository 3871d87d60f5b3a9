/* The container process: its limits, identity, working directory and the
 * program to run (config.md, "Process"). */
#include "container.h"
#include "error.h"
#include "format.h"
#include "log.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern const int rlimit_resources[RLIMIT_TYPES];

#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SETPERM 5

/* A keyring of its own, so that the container does not see the host's
 * session keys (runc does the same unless --no-new-keyring). */
static int join_keyring(const struct ctx *c)
{
	char name[300];
	long key;

	if (c->o->no_new_keyring)
		return 0;
	fmt(name, sizeof(name), "_ses.%s", c->o->id);
	key = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0);
	if (key < 0) {
		/* Kernels without keys, or a user namespace over quota: no
		 * keyring to hide then. */
		if (errno == ENOSYS || errno == EDQUOT || errno == EACCES)
			return 0;
		return fail(errno, "create a session keyring");
	}
	/* Possessor all, user view/read/write/search/link/setattr. */
	if (syscall(SYS_keyctl, KEYCTL_SETPERM, key, 0x3f1f0000, 0, 0) < 0)
		return fail(errno, "set the permissions of the session keyring");
	return 0;
}

static int set_rlimits(const struct process_cfg *p)
{
	unsigned i;

	for (i = 0; i < RLIMIT_TYPES; i++) {
		struct rlimit rl;

		if (!p->rlimits[i].set)
			continue;
		rl.rlim_cur = (rlim_t)p->rlimits[i].soft;
		rl.rlim_max = (rlim_t)p->rlimits[i].hard;
		if (setrlimit(rlimit_resources[i], &rl) < 0)
			return fail(errno, "process.rlimits: set %s to %llu/%llu%s", rlimit_names[i],
				    (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
				    errno == EPERM ? " (raising a hard limit needs CAP_SYS_RESOURCE)" : "");
	}
	return 0;
}

static int set_oom_score_adj(const struct process_cfg *p)
{
	char num[16];
	int fd, n;

	if (!p->has_oom_score_adj)
		return 0;
	n = fmt(num, sizeof(num), "%d", (int)p->oom_score_adj);
	fd = openat(AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "open /proc/self/oom_score_adj");
	if (write(fd, num, (size_t)n) != n) {
		int e = errno;

		close(fd);
		return fail(e, "process.oomScoreAdj: set %s", num);
	}
	close(fd);
	return 0;
}

int process_prepare(struct ctx *c)
{
	const struct spec *s = c->spec;
	int r;

	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return fail(errno, "set the hostname %s", s->hostname);
	if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return fail(errno, "set the domainname %s", s->domainname);
	if ((r = join_keyring(c)))
		return r;
	if (CONFIG_PERSONALITY && s->linux.has_personality && personality(s->linux.personality) < 0)
		return fail(errno, "linux.personality: set %lu", s->linux.personality);
#if CONFIG_MEMORY_POLICY
	if ((r = mempolicy_apply(&s->linux)))
		return r;
#endif
	return process_limits(&s->process);
}

int process_limits(const struct process_cfg *p)
{
	int r;

	if ((r = set_rlimits(p)) || (r = set_oom_score_adj(p)))
		return r;
#if CONFIG_PROCESS_SCHED
	if ((r = sched_apply(p)))
		return r;
#endif
	return 0;
}

/* The LSM labels the process takes at its exec. */
int process_labels(const struct process_cfg *p)
{
	int r = 0;

#if CONFIG_APPARMOR
	r = lsm_apparmor(p->apparmor_profile);
#endif
#if CONFIG_SELINUX
	if (!r)
		r = lsm_selinux(p->selinux_label);
#endif
	(void)p;
	return r;
}

/* The cwd, checked to be inside the container: a descriptor leaked from the
 * host must not leave the process in the host's tree (CVE-2024-21626). */
static int enter_cwd(const char *cwd)
{
	char buf[PATH_MAX];

	if (chdir(cwd) < 0)
		return fail(errno, "process.cwd: chdir %s", cwd);
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return fail(ENOENT, "process.cwd: %s is outside the container", cwd);
	return 0;
}

int process_identity(const struct process_cfg *p)
{
	const struct user_cfg *u = &p->user;
	int r;

	if ((r = caps_drop_bounding(p)))
		return r;
	/* Keep the permitted set across the change of uid; capset then
	 * narrows it to what the config asks. */
	if (u->uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail(errno, "keep capabilities across setuid");
	if ((r = sys_setgroups(u->ngids, u->gids)) < 0)
		return fail(-r, "process.user.additionalGids: setgroups");
	if ((r = sys_setresgid(u->gid)) < 0)
		return fail(-r, "process.user.gid: set %u", u->gid);
	if ((r = sys_setresuid(u->uid)) < 0)
		return fail(-r, "process.user.uid: set %u", u->uid);
	if ((r = caps_apply(p)))
		return r;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(errno, "set no_new_privs");
	return enter_cwd(p->cwd);
}

/* Worded as runc words them: Docker turns "no such file or directory" and
 * "executable file not found" into exit status 127, and "permission
 * denied" into 126, matching the text. */
int process_exec_failed(const char *name, int err)
{
	if (err == ENOENT)
		return fail(-err, "process.args[0]: exec: \"%s\": stat %s: no such file or directory", name, name);
	if (err == EACCES)
		return fail(-err, "process.args[0]: exec: \"%s\": permission denied", name);
	return fail(err, "process.args[0]: exec: \"%s\"", name);
}

/* args[0] as execvp finds it, in the container, as the container's user. */
const char *process_resolve_exec(const struct process_cfg *p)
{
	static char found[PATH_MAX];
	const char *name = p->args.v[0], *path = NULL, *dir;
	unsigned i;

	if (strchr(name, '/')) {
		if (access(name, X_OK) < 0) {
			process_exec_failed(name, errno);
			return NULL;
		}
		return name;
	}
	for (i = 0; i < p->env.n; i++) {
		if (!strncmp(p->env.v[i], "PATH=", 5))
			path = p->env.v[i] + 5;
	}
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (dir = path; *dir; dir += strcspn(dir, ":") + (dir[strcspn(dir, ":")] == ':')) {
		size_t len = strcspn(dir, ":");
		struct stat st;

		if (fmt(found, sizeof(found), "%.*s%s%s", (int)len, dir, len ? "/" : "", name) >=
		    (int)sizeof(found))
			continue;
		/* One stat per directory: a regular file with an execute bit
		 * is what execve will take (the kernel checks the rest). */
		if (stat(found, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			return found;
		if (!dir[len])
			break;
	}
	fail(-ENOENT, "process.args[0]: exec: \"%s\": executable file not found in $PATH (%s)", name, path);
	return NULL;
}

/* Nothing of the runtime may reach the container: every descriptor above
 * the preserved ones closes at exec (CVE-2024-21626).  The preserved range
 * is left as it is: what the caller passed there came through an exec, so
 * it is not close-on-exec, while the runtime opens all of its own
 * close-on-exec; one of those that took a number the caller left free
 * closes at exec, as the caller's closed descriptor would have stayed. */
int process_close_fds(unsigned preserve)
{
	unsigned first = 3 + preserve;
	static char buf[4096] __attribute__((aligned(8)));
	int dir, r;
	long n;

	r = sys_close_range(first, ~0U, CLOSE_RANGE_CLOEXEC);
	if (r == 0)
		return 0;
	if (r != -ENOSYS && r != -EINVAL)
		return fail(-r, "mark descriptors close-on-exec");
	dir = openat(AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return fail(errno, "list /proc/self/fd");
	while ((n = sys_getdents64(dir, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			const struct linux_dirent64 *d = (const void *)(buf + off);
			long v = strtol(d->d_name, NULL, 10);

			off += d->d_reclen;
			if (d->d_name[0] >= '0' && d->d_name[0] <= '9' && v >= (long)first && v != dir)
				fcntl((int)v, F_SETFD, FD_CLOEXEC);
		}
	}
	close(dir);
	return 0;
}
