/* Control groups on the three layouts routers run: v1, v2, and hybrid (v1
 * controllers plus a cgroup2 at <root>/unified).  The layout is read from
 * /proc/self/cgroup at run time; the version-specific writes are in
 * cgroup_v1.c and cgroup_v2.c. */
#ifndef RUNLET_CGROUP_H
#define RUNLET_CGROUP_H

#include "config.h"
#include "spec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CG_MAX_HIER 16
#define CG_PATH_MAX 512

struct cg_hier {
	char dir[64];		/* mount directory under CONFIG_CGROUP_ROOT; "" for a v2-only host */
	char controllers[64];	/* "memory", "cpu,cpuacct", "name=systemd", "" for v2 */
	char own[CG_PATH_MAX];	/* this process's cgroup in the hierarchy */
	char path[CG_PATH_MAX];	/* the container's */
	bool v2;
	bool created;		/* made by this create: removed when it fails */
};

struct cgroup {
	unsigned n;
	struct cg_hier h[CG_MAX_HIER];
};

#if CONFIG_CGROUP_V1 || CONFIG_CGROUP_V2

/* Finds the hierarchies and puts the container at cgroups_path (absolute,
 * relative to this process's cgroup, or NULL for "<own>/<id>"). */
int cgroup_resolve(struct cgroup *cg, const char *cgroups_path, const char *id);
/* The resolved paths, for the state record, and back. */
size_t cgroup_save(const struct cgroup *cg, char *buf, size_t cap);
int cgroup_load(struct cgroup *cg, const char *buf, size_t len);

/* Makes the cgroups and applies the resources and device rules.  A cgroup
 * that is already populated is refused (config-linux.md, "Control groups"). */
int cgroup_create(struct cgroup *cg, const struct resources_cfg *res);
/* Writes pid into each hierarchy; skip_v2 when clone3 put it in the v2 one. */
int cgroup_enter(const struct cgroup *cg, pid_t pid, bool skip_v2);
/* The same for the calling single-threaded process, done by itself. */
int cgroup_enter_self(const struct cgroup *cg, bool skip_v2);
/* The v2 cgroup's directory (the unified one of a hybrid host too), opened
 * for clone3(CLONE_INTO_CGROUP); -1 when there is no v2 hierarchy. */
int cgroup_v2_dirfd(const struct cgroup *cg);
/* Removes the container's cgroups; killing what is left with kill set. */
int cgroup_destroy(const struct cgroup *cg, bool kill);
/* After a failed create: removes only the cgroups it made. */
int cgroup_undo(const struct cgroup *cg);
int cgroup_signal_all(const struct cgroup *cg, int sig);
/* Pids in the container's cgroup; returns their number or -errno. */
int cgroup_pids(const struct cgroup *cg, pid_t *pids, unsigned max);
int cgroup_freeze(const struct cgroup *cg, bool frozen);
int cgroup_update(const struct cgroup *cg, const struct resources_cfg *res);
/* The directory of the container's cgroup in the hierarchy that has
 * controller ("memory", "devices"... or "" for the v2 one). */
const char *cgroup_dir(const struct cgroup *cg, const char *controller, char *buf, size_t cap);

/* Whether a comma-separated controller list holds name. */
bool cgroup_list_has(const char *list, const char *name);
int cgroup_write_rdma(const char *dir, const struct resources_cfg *res);
/* Writes value to dir/file; the error names both.  cg_open and
 * cg_write_fd do it in two steps, for several writes to one file. */
int cg_write(const char *dir, const char *file, const char *value);
int cg_open(const char *dir, const char *file);
int cg_write_fd(int fd, const char *dir, const char *file, const char *value);
/* Reads dir/file into buf (NUL-terminated); returns the length or -errno. */
long cg_read(const char *dir, const char *file, char *buf, size_t cap);

/* cgroup_stats.c: the "data" of a stats event; OOM kills as a descriptor
 * to poll and a count of new ones. */
struct jw;
void cgroup_stats(const struct cgroup *cg, struct jw *w);
int cgroup_oom_open(const struct cgroup *cg);
int cgroup_oom_count(const struct cgroup *cg, int fd, uint64_t *last);

/* The host device rules every container gets after its own, as runc does. */
extern const struct dev_rule cgroup_default_rules[];
extern const unsigned cgroup_default_rule_count;

#endif

/* cgroup_v1.c */
int cgv1_apply(const char *dir, const char *controllers, const struct resources_cfg *res);
int cgv1_devices(const char *dir, const struct resources_cfg *res);
int cgv1_init_cpuset(const char *dir);
/* cgroup_v2.c */
int cgv2_apply(const char *dir, const struct resources_cfg *res, bool hybrid);
int cgv2_enable_controllers(const char *root, const char *path);
int cgv2_devices(const char *dir, const struct resources_cfg *res);

#endif
