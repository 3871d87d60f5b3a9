/* What creating a container needs, shared by the runtime side (create.c)
 * and the container's init (init.c and the files it calls).  The init
 * starts as a fork-like clone of the runtime, so it has all of this in its
 * own copy of memory. */
#ifndef RUNLET_CONTAINER_H
#define RUNLET_CONTAINER_H

#include "cgroup.h"
#include "spec.h"

#include <limits.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

struct create_opts {
	const char *root;		/* state directory */
	const char *id;
	const char *bundle;
	const char *pid_file;
	const char *console_socket;
	unsigned preserve_fds;
	bool no_pivot;
	bool no_new_keyring;
	bool foreground;		/* run: the runtime stays the init's parent */
	const char *cache_dir;		/* compiled seccomp programs */
};

struct ctx {
	struct spec *spec;
	const struct create_opts *o;
	char bundle[PATH_MAX];		/* absolute */
	char rootfs[PATH_MAX];		/* absolute, on the host */
	struct cgroup cg;
	bool has_cgroup;
	bool cg_by_init;		/* the init joins its cgroups itself */
	bool cg_in_v2;			/* clone3 put the init in the v2 cgroup */
	int sync[2];			/* [0] the runtime's end, [1] the init's */
	int reply[2];			/* init -> start: errors, or end of file at exec */
	uint64_t reply_ino;		/* its inode: start's signal carries it */
	uint32_t config_crc;		/* of config.json, for exec to trust it later */
	pid_t pid;			/* the init, as the runtime sees it */
	unsigned long clone_flags;	/* namespaces made by clone */
	bool userns;			/* the init is in a user namespace of its own */
	bool pidns;			/* ... and a pid namespace of its own */
	int state_fd;			/* the record, locked by create: not the init's */
	int rootfd;			/* init: the rootfs, before pivot_root */
	int ptmx_master;		/* run: the terminal's master, relayed */
	int console_sock;		/* connected --console-socket, or -1 */
	int mount_fds[CONFIG_MAX_MOUNTS];	/* init: idmapped mounts from the runtime */
	struct sock_filter *seccomp_prog;	/* compiled by the runtime, loaded by the init */
	long seccomp_len;
	unsigned long seccomp_flags;
	int listener_sock;		/* connected linux.seccomp.listenerPath, or -1 */
};

/* create.c */
int container_create(struct ctx *c);
/* init.c: never returns; the init execs the container process or exits. */
void init_main(struct ctx *c) __attribute__((noreturn));
/* The signal start sends to the init, with the reply pipe's inode as value.
 * Not SIGRTMAX: valgrind keeps that one for itself, and start is measured
 * under callgrind. */
#define START_SIGNAL (SIGRTMAX - 1)

/* init_fail() reports the error record to the runtime and exits. */
void init_fail(struct ctx *c) __attribute__((noreturn));

/* mount.c, rootfs.c, devices.c, mount_cgroup.c */
int mounts_apply(struct ctx *c);
int mount_cgroup(struct ctx *c, const struct mount_cfg *m, int destfd);
int rootfs_prepare(struct ctx *c);
int rootfs_paths(struct ctx *c);
int rootfs_pivot(struct ctx *c);
int rootfs_finish(struct ctx *c);
int devices_create(struct ctx *c);
int mount_special(struct ctx *c, const struct mount_cfg *m);
/* The runtime's half of an idmap mount: the detached, mapped mount. */
int idmap_prepare(struct ctx *c, const struct mount_cfg *m);

/* namespaces.c */
int ns_prepare(struct ctx *c);
bool ns_two_step(const struct ctx *c);
pid_t ns_clone(struct ctx *c, int cgroup_fd, bool *placed);
pid_t ns_second_step(struct ctx *c);
int ns_join_paths(struct ctx *c, bool user);
int ns_write_idmaps(struct ctx *c);
int ns_become_root(const struct ctx *c);
int ns_enter_cgroup_ns(struct ctx *c);

/* process.c, caps.c */
int process_prepare(struct ctx *c);
/* rlimits, oomScoreAdj, scheduler: what an exec'd process gets too. */
int process_limits(const struct process_cfg *p);
int process_identity(const struct process_cfg *p);
int process_labels(const struct process_cfg *p);
int caps_drop_bounding(const struct process_cfg *p);
int caps_apply(const struct process_cfg *p);
/* Capabilities the config asks for that this process cannot grant: one
 * warning naming them, and they are left out (config.md). */
void caps_filter(struct process_cfg *p);
const char *process_resolve_exec(const struct process_cfg *p);
/* Records a failed exec of name in the words clients match; returns -err. */
int process_exec_failed(const char *name, int err);
int process_close_fds(unsigned preserve);
int sysctl_apply(const struct ctx *c);
/* netdev.c, intel_rdt.c: the runtime's work between clone and go. */
int netdev_move(struct ctx *c);
struct data_writer;
struct container;
void rdt_record(const struct ctx *c, struct data_writer *w);
int rdt_apply(struct ctx *c);
void rdt_remove(const struct container *rec);
/* mempolicy.c, lsm.c */
int mempolicy_apply(const struct linux_cfg *l);
int lsm_apparmor(const char *profile);
int lsm_selinux(const char *label);
int sched_apply(const struct process_cfg *p);

#endif
