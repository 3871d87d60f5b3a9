#include "syscalls.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const kfeature_names[KF_COUNT] = {
	[KF_OPENAT2] = "openat2",
	[KF_CLONE3] = "clone3",
	[KF_CLOSE_RANGE] = "close_range",
	[KF_PIDFD] = "pidfd",
	[KF_MOUNT_API] = "mount_api",
};

/* Reads RUNLET_DISABLE once: a comma-separated list of the names above. */
bool kfeature_disabled(enum kfeature f)
{
	static int state = -1;	/* bitmask once read */
	const char *list, *p;
	int i;

	if (state < 0) {
		state = 0;
		list = getenv("RUNLET_DISABLE");
		for (i = 0; list && i < KF_COUNT; i++) {
			size_t n = strlen(kfeature_names[i]);

			for (p = list; (p = strstr(p, kfeature_names[i])); p += n) {
				if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
					state |= 1 << i;
					break;
				}
			}
		}
	}
	return state & (1 << f);
}

/* The raw system call, as -errno instead of errno. */
static long raw(long r)
{
	return r < 0 ? -errno : r;
}

int sys_openat2(int dirfd, const char *path, const struct rl_open_how *how)
{
	if (kfeature_disabled(KF_OPENAT2))
		return -ENOSYS;
	return (int)raw(syscall(SYS_openat2, dirfd, path, how, sizeof(*how)));
}

pid_t sys_clone(unsigned long flags)
{
	/* No new stack: the child runs on a copy of this one, as after fork(). */
#if defined(__s390__) || defined(__CRIS__)
	return (pid_t)raw(syscall(SYS_clone, 0, flags | SIGCHLD, NULL, NULL, NULL));
#else
	return (pid_t)raw(syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0));
#endif
}

pid_t sys_clone3(struct rl_clone_args *args)
{
	if (kfeature_disabled(KF_CLONE3))
		return -ENOSYS;
	return (pid_t)raw(syscall(SYS_clone3, args, sizeof(*args)));
}

int sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	if (kfeature_disabled(KF_CLOSE_RANGE))
		return -ENOSYS;
	return (int)raw(syscall(SYS_close_range, first, last, flags));
}

int sys_pidfd_open(pid_t pid)
{
	if (kfeature_disabled(KF_PIDFD))
		return -ENOSYS;
	return (int)raw(syscall(SYS_pidfd_open, pid, 0));
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	if (kfeature_disabled(KF_PIDFD))
		return -ENOSYS;
	return (int)raw(syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0));
}

int sys_mount_setattr(int dirfd, const char *path, unsigned flags, struct rl_mount_attr *attr)
{
	if (kfeature_disabled(KF_MOUNT_API))
		return -ENOSYS;
	return (int)raw(syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(*attr)));
}

int sys_open_tree(int dirfd, const char *path, unsigned flags)
{
	if (kfeature_disabled(KF_MOUNT_API))
		return -ENOSYS;
	return (int)raw(syscall(SYS_open_tree, dirfd, path, flags));
}

int sys_move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to, unsigned flags)
{
	if (kfeature_disabled(KF_MOUNT_API))
		return -ENOSYS;
	return (int)raw(syscall(SYS_move_mount, from_dirfd, from, to_dirfd, to, flags));
}

int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)raw(syscall(SYS_pivot_root, new_root, put_old));
}

int sys_setns(int fd, int nstype)
{
	return (int)raw(syscall(SYS_setns, fd, nstype));
}

int sys_unshare(int flags)
{
	return (int)raw(syscall(SYS_unshare, flags));
}

/* A queued signal carrying a value, to tell a start signal from a kill. */
int sys_rt_sigqueueinfo(pid_t pid, int sig, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = value;
	return (int)raw(syscall(SYS_rt_sigqueueinfo, pid, sig, &si));
}

/* 32-bit arm and i386 keep the 16-bit calls under the plain names. */
#ifdef SYS_setgroups32
#define NR_setgroups SYS_setgroups32
#define NR_setresgid SYS_setresgid32
#define NR_setresuid SYS_setresuid32
#else
#define NR_setgroups SYS_setgroups
#define NR_setresgid SYS_setresgid
#define NR_setresuid SYS_setresuid
#endif

int sys_setgroups(size_t n, const gid_t *gids)
{
	return (int)raw(syscall(NR_setgroups, n, gids));
}

int sys_setresgid(gid_t gid)
{
	return (int)raw(syscall(NR_setresgid, gid, gid, gid));
}

int sys_setresuid(uid_t uid)
{
	return (int)raw(syscall(NR_setresuid, uid, uid, uid));
}

long sys_getdents64(int fd, void *buf, unsigned long len)
{
	return raw(syscall(SYS_getdents64, fd, buf, len));
}
