/* Kernel interfaces that libc lacks, in one place.
 *
 * Each wrapper returns the system call's result or -errno, and leaves errno
 * alone.  Every caller has a fallback for kernels without the call (routers
 * run 4.14 and 4.19).  RUNLET_DISABLE="openat2,clone3,..." in the environment
 * makes a wrapper answer -ENOSYS, so the fallbacks are tested on a new
 * kernel too.
 *
 * Files are opened with openat(AT_FDCWD, ...), not open(): musl's open()
 * follows O_CLOEXEC with an fcntl for kernels older than 2.6.23, a system
 * call per file that runlet does not need. */
#ifndef RUNLET_SYSCALLS_H
#define RUNLET_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* mount_setattr(2), Linux 5.12 */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

struct rl_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

/* openat2(2), Linux 5.6 */
struct rl_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define RL_RESOLVE_NO_XDEV 0x01
#define RL_RESOLVE_NO_MAGICLINKS 0x02
#define RL_RESOLVE_NO_SYMLINKS 0x04
#define RL_RESOLVE_BENEATH 0x08
#define RL_RESOLVE_IN_ROOT 0x10

/* clone3(2), Linux 5.3; CLONE_INTO_CGROUP 5.7; CLONE_NEWTIME 5.6 */
struct rl_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define RL_CLONE_INTO_CGROUP 0x200000000ULL

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

enum kfeature {
	KF_OPENAT2,
	KF_CLONE3,
	KF_CLOSE_RANGE,
	KF_PIDFD,
	KF_MOUNT_API,		/* mount_setattr, open_tree, move_mount */
	KF_COUNT,
};

bool kfeature_disabled(enum kfeature f);

int sys_openat2(int dirfd, const char *path, const struct rl_open_how *how);
/* Fork-like clone: no new stack, the child returns 0. */
pid_t sys_clone(unsigned long flags);
pid_t sys_clone3(struct rl_clone_args *args);
int sys_close_range(unsigned first, unsigned last, unsigned flags);
int sys_pidfd_open(pid_t pid);
int sys_pidfd_send_signal(int pidfd, int sig);
int sys_mount_setattr(int dirfd, const char *path, unsigned flags, struct rl_mount_attr *attr);
int sys_open_tree(int dirfd, const char *path, unsigned flags);
int sys_move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to, unsigned flags);
int sys_pivot_root(const char *new_root, const char *put_old);
int sys_setns(int fd, int nstype);
int sys_unshare(int flags);
int sys_rt_sigqueueinfo(pid_t pid, int sig, int value);
/* getdents64(2) entries, in host byte order. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};
long sys_getdents64(int fd, void *buf, unsigned long len);
/* The process's ids.  libc applies these to every thread of the process,
 * blocking signals around it (three more system calls each); runlet has
 * one thread. */
int sys_setgroups(size_t n, const gid_t *gids);
int sys_setresgid(gid_t gid);
int sys_setresuid(uid_t uid);

#endif
