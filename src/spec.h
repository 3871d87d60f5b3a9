/* config.json, parsed into fixed-size tables.
 *
 * Every string points into the caller's buffer that holds the JSON text
 * (unescaped and NUL-terminated in place by json.c).  Lists of strings are
 * slices of one string pool, NULL-terminated so that argv and envp can be
 * handed to execve as they are.  Sizes are Kconfig symbols; input past one is
 * an error that names it. */
#ifndef RUNLET_SPEC_H
#define RUNLET_SPEC_H

#include "config.h"
#include "json.h"

#include <stdbool.h>
#include <stdint.h>

struct strv {
	const char **v;		/* NULL-terminated */
	unsigned n;
};

struct kv {
	const char *key;
	const char *value;
};

struct idmap {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

/* --- process --------------------------------------------------------------- */

enum cap_set { CAP_SET_BOUNDING, CAP_SET_EFFECTIVE, CAP_SET_INHERITABLE, CAP_SET_PERMITTED,
	       CAP_SET_AMBIENT, CAP_SETS };

#define RLIMIT_TYPES 16

struct rlimit_cfg {
	bool set;
	uint64_t soft;
	uint64_t hard;
};

struct user_cfg {
	uint32_t uid;
	uint32_t gid;
	bool has_umask;
	uint32_t umask;
	uint32_t gids[CONFIG_MAX_ADDITIONAL_GIDS];
	unsigned ngids;
	const char *username;
};

struct sched_cfg {
	bool set;
	int policy;
	int32_t nice;
	int32_t priority;
	uint64_t flags;
	uint64_t runtime;
	uint64_t deadline;
	uint64_t period;
};

struct process_cfg {
	bool terminal;
	bool has_console_size;
	uint64_t console_height;
	uint64_t console_width;
	const char *cwd;
	struct strv args;
	struct strv env;
	struct user_cfg user;
	bool has_caps;
	uint64_t caps[CAP_SETS];
	const char *apparmor_profile;
	const char *selinux_label;
	bool has_oom_score_adj;
	int64_t oom_score_adj;
	bool no_new_privileges;
	struct rlimit_cfg rlimits[RLIMIT_TYPES];
	struct sched_cfg sched;
	bool has_ioprio;
	int ioprio_class;
	int32_t ioprio_level;
	const char *cpu_initial;
	const char *cpu_final;
};

/* --- mounts ---------------------------------------------------------------- */

enum {
	MNT_BIND = 1 << 0,
	MNT_REC = 1 << 1,		/* rbind */
	MNT_TMPCOPYUP = 1 << 2,
	MNT_IDMAP = 1 << 3,
	MNT_RIDMAP = 1 << 4,
	MNT_CGROUP = 1 << 5,		/* type "cgroup": set up per host layout */
	MNT_HAS_MAPPINGS = 1 << 6,
};

struct mount_cfg {
	const char *destination;
	const char *source;
	const char *type;
	const char *data;		/* options mount(2) does not know, comma-joined */
	unsigned long flags;		/* MS_* to set */
	unsigned long clear;		/* MS_* an option asked to clear (rw, suid...) */
	unsigned long propagation;	/* MS_PRIVATE etc, with MS_REC for r* */
	uint64_t attr_set;		/* MOUNT_ATTR_* applied recursively (rro...) */
	uint64_t attr_clr;
	unsigned kind;			/* MNT_* */
	unsigned short uid_off, uid_n;	/* slices of spec.mount_idmaps */
	unsigned short gid_off, gid_n;
};

/* --- hooks ----------------------------------------------------------------- */

enum hook_kind { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER,
		 HOOK_POSTSTART, HOOK_POSTSTOP, HOOK_KINDS };

struct hook_cfg {
	const char *path;
	struct strv args;
	struct strv env;
	int64_t timeout;	/* seconds, 0 for none */
};

/* --- linux ----------------------------------------------------------------- */

enum ns_type { NS_PID, NS_NET, NS_MNT, NS_IPC, NS_UTS, NS_USER, NS_CGROUP, NS_TIME, NS_TYPES };

struct ns_cfg {
	bool set;
	const char *path;
};

struct device_cfg {
	const char *path;
	char type;		/* c, b, u, p */
	int64_t major;
	int64_t minor;
	bool has_mode;
	uint32_t mode;
	bool has_uid;
	uint32_t uid;
	bool has_gid;
	uint32_t gid;
};

#define DEV_ANY (-1)

struct dev_rule {
	bool allow;
	char type;		/* a, c, b */
	int64_t major;		/* DEV_ANY for all */
	int64_t minor;
	char access[4];		/* subset of "rwm", NUL-terminated */
};

struct blkio_dev {
	int64_t major;
	int64_t minor;
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
	uint64_t rate;
};

enum blkio_list { BLKIO_WEIGHT, BLKIO_READ_BPS, BLKIO_WRITE_BPS, BLKIO_READ_IOPS, BLKIO_WRITE_IOPS,
		  BLKIO_LISTS };

struct hugepage_cfg {
	const char *page_size;
	uint64_t limit;
};

struct net_prio {
	const char *name;
	uint32_t priority;
};

struct rdma_cfg {
	const char *device;
	bool has_handles;
	uint32_t handles;
	bool has_objects;
	uint32_t objects;
};

struct resources_cfg {
	struct dev_rule devices[CONFIG_MAX_DEVICE_RULES];
	unsigned ndevices;

	bool has_memory;
	bool has_mem_limit, has_mem_reservation, has_mem_swap, has_mem_kernel, has_mem_kernel_tcp;
	int64_t mem_limit, mem_reservation, mem_swap, mem_kernel, mem_kernel_tcp;
	bool has_swappiness;
	uint64_t swappiness;
	bool disable_oom_killer, use_hierarchy, check_before_update;
	bool has_disable_oom_killer, has_use_hierarchy;

	bool has_cpu;
	bool has_cpu_shares, has_cpu_quota, has_cpu_burst, has_cpu_period;
	bool has_cpu_rt_runtime, has_cpu_rt_period, has_cpu_idle;
	uint64_t cpu_shares, cpu_burst, cpu_period, cpu_rt_period;
	int64_t cpu_quota, cpu_rt_runtime, cpu_idle;
	const char *cpus;
	const char *mems;

	bool has_pids;
	int64_t pids_limit;

	bool has_blkio;
	bool has_blkio_weight, has_blkio_leaf_weight;
	uint16_t blkio_weight, blkio_leaf_weight;
	struct blkio_dev blkio[BLKIO_LISTS][CONFIG_MAX_BLKIO_DEVICES];
	unsigned nblkio[BLKIO_LISTS];

	struct hugepage_cfg hugepages[CONFIG_MAX_KV];
	unsigned nhugepages;

	bool has_network;
	bool has_class_id;
	uint32_t class_id;
	struct net_prio net_prio[CONFIG_MAX_KV];
	unsigned nnet_prio;

	struct rdma_cfg rdma[CONFIG_MAX_KV];
	unsigned nrdma;

	struct kv unified[CONFIG_MAX_KV];
	unsigned nunified;
};

#define SECCOMP_MAX_ARGS 6

struct seccomp_arg {
	uint32_t index;
	uint64_t value;
	uint64_t value_two;
	int op;			/* SCMP_CMP_* numbering, see seccomp.c */
};

struct seccomp_rule {
	struct strv names;
	int action;
	bool has_errno;
	uint32_t errno_ret;
	struct seccomp_arg args[SECCOMP_MAX_ARGS];
	unsigned nargs;
};

struct seccomp_cfg {
	int default_action;
	bool has_default_errno;
	uint32_t default_errno;
	uint32_t archs;		/* bit per SECCOMP_ARCH_* of seccomp.c */
	uint32_t flags;		/* bit per SECCOMP_FLAG_* */
	const char *listener_path;
	const char *listener_metadata;
#if CONFIG_SECCOMP
	struct seccomp_rule rules[CONFIG_MAX_SECCOMP_RULES];
#endif
	unsigned nrules;
};

struct time_offset {
	bool set;
	int64_t secs;
	uint32_t nanosecs;
};

enum { TIME_BOOTTIME, TIME_MONOTONIC, TIME_CLOCKS };

struct intel_rdt_cfg {
	const char *clos_id;
	const char *l3_cache_schema;
	const char *mem_bw_schema;
	struct strv schemata;
	bool enable_monitoring;
};

struct mempolicy_cfg {
	int mode;
	const char *nodes;
	uint32_t flags;
};

struct linux_cfg {
	struct ns_cfg ns[NS_TYPES];
	struct idmap uid_mappings[CONFIG_MAX_ID_MAPPINGS];
	unsigned nuid_mappings;
	struct idmap gid_mappings[CONFIG_MAX_ID_MAPPINGS];
	unsigned ngid_mappings;
	struct time_offset time_offsets[TIME_CLOCKS];
	struct device_cfg devices[CONFIG_MAX_DEVICES];
	unsigned ndevices;
	struct kv net_devices[CONFIG_MAX_KV];	/* host name -> name in the container */
	unsigned nnet_devices;
	const char *cgroups_path;
	bool has_resources;
	struct resources_cfg resources;
	struct kv sysctl[CONFIG_MAX_KV];
	unsigned nsysctl;
	bool has_seccomp;
	struct seccomp_cfg seccomp;
	unsigned long rootfs_propagation;	/* 0 when unset */
	struct strv masked_paths;
	struct strv readonly_paths;
	const char *mount_label;
	bool has_intel_rdt;
	struct intel_rdt_cfg intel_rdt;
	bool has_memory_policy;
	struct mempolicy_cfg memory_policy;
	bool has_personality;
	unsigned long personality;
};

/* --- the whole config ------------------------------------------------------ */

struct spec {
	const char *oci_version;
	const char *root_path;
	bool root_readonly;
	const char *hostname;
	const char *domainname;
	bool has_process;
	struct process_cfg process;
	struct mount_cfg mounts[CONFIG_MAX_MOUNTS];
	unsigned nmounts;
	struct idmap mount_idmaps[CONFIG_MAX_ID_MAPPINGS * 2];
	unsigned nmount_idmaps;
	struct hook_cfg hooks[HOOK_KINDS][CONFIG_MAX_HOOKS];
	unsigned nhooks[HOOK_KINDS];
	struct kv annotations[CONFIG_MAX_ANNOTATIONS];
	unsigned nannotations;
	bool has_linux;
	struct linux_cfg linux;

	/* The string pool every struct strv points into. */
	const char *strings[CONFIG_MAX_STRINGS];
	unsigned nstrings;
};

/* Parses the JSON text in buf[0..len) (buf needs len + 1 bytes; strings stay
 * in it) into spec.  Errors name the JSON path and what was expected. */
int spec_parse(struct spec *spec, char *buf, size_t len);

/* Reads <bundle>/config.json into buf (cap bytes) with the checks a hostile
 * bundle needs: a regular file, not a symlink, not too large. */
long spec_read_file(const char *bundle, char *buf, size_t cap);

/* Empties spec for a parse, touching only what the parsers rely on. */
void spec_reset(struct spec *spec);

/* Parses a process object alone (exec --process FILE). */
int spec_parse_process(struct spec *spec, char *buf, size_t len);

/* Parses a resources object alone (update --resources FILE). */
int spec_parse_resources(struct spec *spec, char *buf, size_t len);

extern const char *const hook_kind_names[HOOK_KINDS];
extern const char *const ns_type_names[NS_TYPES];
extern const char *const rlimit_names[RLIMIT_TYPES];

#endif
