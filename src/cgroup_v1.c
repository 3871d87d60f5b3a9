/* cgroup v1: one hierarchy per controller (or per group of controllers), a
 * file per setting.  Only what the config sets is written. */
#include "cgroup.h"
#include "error.h"
#include "format.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_i64(const char *dir, const char *file, int64_t v)
{
	char num[24];

	fmt(num, sizeof(num), "%" PRId64, v);
	return cg_write(dir, file, num);
}

static int write_u64(const char *dir, const char *file, uint64_t v)
{
	char num[24];

	fmt(num, sizeof(num), "%" PRIu64, v);
	return cg_write(dir, file, num);
}

static bool file_exists(const char *dir, const char *file)
{
	char path[CG_PATH_MAX + 128];

	fmt(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* Writes a setting the kernel may not have: its absence is an error that
 * names the setting, not a silent skip. */
static int write_optional(const char *dir, const char *file, const char *setting, int64_t v)
{
	if (!file_exists(dir, file))
		return fail(ENOTSUP, "%s: this kernel has no %s", setting, file);
	return write_i64(dir, file, v);
}

int cgv1_init_cpuset(const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char parent[CG_PATH_MAX + 128], value[4096];
	char *slash;
	unsigned i;

	fmt(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	/* A new cpuset has no cpus and no mems: no process may join it until
	 * it gets its parent's. */
	for (i = 0; i < 2; i++) {
		long n = cg_read(parent, files[i], value, sizeof(value));

		if (n < 0)
			return fail((int)-n, "read %s/%s", parent, files[i]);
		if (n > 0 && value[n - 1] == '\n')
			value[n - 1] = '\0';
		if (value[0] && cg_write(dir, files[i], value))
			return error_code();
	}
	return 0;
}

static void format_rule(char *out, size_t cap, const struct dev_rule *d)
{
	char major[16] = "*", minor[16] = "*";

	if (d->major != DEV_ANY)
		fmt(major, sizeof(major), "%" PRId64, d->major);
	if (d->minor != DEV_ANY)
		fmt(minor, sizeof(minor), "%" PRId64, d->minor);
	fmt(out, cap, "%c %s:%s %s", d->type, major, minor, d->access);
}

/* The two files each take one rule per write; each is opened once. */
struct rule_files {
	const char *dir;
	int allow;
	int deny;
};

static int write_rule(struct rule_files *f, const struct dev_rule *d)
{
	const char *file = d->allow ? "devices.allow" : "devices.deny";
	int *fd = d->allow ? &f->allow : &f->deny;
	char rule[64];

	if (*fd < 0 && (*fd = cg_open(f->dir, file)) < 0)
		return *fd;
	format_rule(rule, sizeof(rule), d);
	return cg_write_fd(*fd, f->dir, file, rule);
}

static bool denies_all(const struct dev_rule *d)
{
	return !d->allow && d->type == 'a' && d->major == DEV_ANY && d->minor == DEV_ANY &&
	       !strcmp(d->access, "rwm");
}

/* Rules apply in order over a list that starts empty: everything denied,
 * then the config's rules, then the devices every container gets. */
int cgv1_devices(const char *dir, const struct resources_cfg *res)
{
	static const struct dev_rule deny_all = { false, 'a', DEV_ANY, DEV_ANY, "rwm" };
	struct rule_files f = { dir, -1, -1 };
	unsigned i;
	int r;

	if (!(res->ndevices && denies_all(&res->devices[0])) && (r = write_rule(&f, &deny_all)))
		return r;
	for (i = 0; i < res->ndevices; i++) {
		r = write_rule(&f, &res->devices[i]);
		if (r)
			return r;
	}
	for (i = 0; i < cgroup_default_rule_count; i++) {
		r = write_rule(&f, &cgroup_default_rules[i]);
		if (r)
			return r;
	}
	return 0;
}

static int apply_memory(const char *dir, const struct resources_cfg *res)
{
	int r = 0;

	if (!res->has_memory)
		return 0;
	/* memsw must stay at or above the limit at every step: raise it first
	 * when both grow, lower it last when both shrink. */
	if (res->has_mem_swap && res->mem_swap == -1 && (r = write_i64(dir, "memory.memsw.limit_in_bytes", -1)))
		return r;
	if (res->has_mem_swap && res->has_mem_limit && res->mem_swap != -1) {
		char cur[32];

		if (cg_read(dir, "memory.limit_in_bytes", cur, sizeof(cur)) > 0 &&
		    (uint64_t)res->mem_limit > strtoull(cur, NULL, 10)) {
			r = write_optional(dir, "memory.memsw.limit_in_bytes", "memory.swap", res->mem_swap);
			if (r)
				return r;
		}
	}
	if (res->has_mem_limit && (r = write_i64(dir, "memory.limit_in_bytes", res->mem_limit)))
		return r;
	if (res->has_mem_swap && res->mem_swap != -1 &&
	    (r = write_optional(dir, "memory.memsw.limit_in_bytes", "memory.swap", res->mem_swap)))
		return r;
	if (res->has_mem_reservation &&
	    (r = write_i64(dir, "memory.soft_limit_in_bytes", res->mem_reservation)))
		return r;
	if (res->has_mem_kernel &&
	    (r = write_optional(dir, "memory.kmem.limit_in_bytes", "memory.kernel", res->mem_kernel)))
		return r;
	if (res->has_mem_kernel_tcp &&
	    (r = write_optional(dir, "memory.kmem.tcp.limit_in_bytes", "memory.kernelTCP", res->mem_kernel_tcp)))
		return r;
	if (res->has_swappiness) {
		if (res->swappiness > 100)
			return fail(0, "memory.swappiness %" PRIu64 " above 100", res->swappiness);
		if ((r = write_u64(dir, "memory.swappiness", res->swappiness)))
			return r;
	}
	if (res->has_disable_oom_killer && (r = cg_write(dir, "memory.oom_control", res->disable_oom_killer ? "1" : "0")))
		return r;
	if (res->has_use_hierarchy)
		r = write_optional(dir, "memory.use_hierarchy", "memory.useHierarchy", res->use_hierarchy);
	return r;
}

static int apply_cpu(const char *dir, const struct resources_cfg *res)
{
	int r = 0;

	if (!res->has_cpu)
		return 0;
	if (res->has_cpu_shares && (r = write_u64(dir, "cpu.shares", res->cpu_shares)))
		return r;
	/* A new period below the current quota is refused: period first. */
	if (res->has_cpu_period && (r = write_u64(dir, "cpu.cfs_period_us", res->cpu_period)))
		return r;
	if (res->has_cpu_quota && (r = write_i64(dir, "cpu.cfs_quota_us", res->cpu_quota)))
		return r;
	if (res->has_cpu_burst &&
	    (r = write_optional(dir, "cpu.cfs_burst_us", "cpu.burst", (int64_t)res->cpu_burst)))
		return r;
	if (res->has_cpu_rt_period &&
	    (r = write_optional(dir, "cpu.rt_period_us", "cpu.realtimePeriod", (int64_t)res->cpu_rt_period)))
		return r;
	if (res->has_cpu_rt_runtime &&
	    (r = write_optional(dir, "cpu.rt_runtime_us", "cpu.realtimeRuntime", res->cpu_rt_runtime)))
		return r;
	if (res->has_cpu_idle)
		r = write_optional(dir, "cpu.idle", "cpu.idle", res->cpu_idle);
	return r;
}

static int apply_cpuset(const char *dir, const struct resources_cfg *res)
{
	int r = 0;

	if (res->cpus && res->cpus[0] && (r = cg_write(dir, "cpuset.cpus", res->cpus)))
		return r;
	if (res->mems && res->mems[0])
		r = cg_write(dir, "cpuset.mems", res->mems);
	return r;
}

static int apply_pids(const char *dir, const struct resources_cfg *res)
{
	if (!res->has_pids)
		return 0;
	if (res->pids_limit < 0)
		return cg_write(dir, "pids.max", "max");
	return write_i64(dir, "pids.max", res->pids_limit);
}

static int apply_blkio(const char *dir, const struct resources_cfg *res)
{
	static const char *const throttle_files[BLKIO_LISTS] = {
		NULL, "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
	};
	const char *weight_file;
	char line[80];
	unsigned l, i;
	int r;

	if (!res->has_blkio)
		return 0;
	weight_file = file_exists(dir, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
	if (res->has_blkio_weight && (r = write_optional(dir, weight_file, "blockIO.weight", res->blkio_weight)))
		return r;
	if (res->has_blkio_leaf_weight &&
	    (r = write_optional(dir, "blkio.leaf_weight", "blockIO.leafWeight", res->blkio_leaf_weight)))
		return r;
	for (i = 0; i < res->nblkio[BLKIO_WEIGHT]; i++) {
		const struct blkio_dev *d = &res->blkio[BLKIO_WEIGHT][i];

		if (d->has_weight) {
			fmt(line, sizeof(line), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->weight);
			if (!file_exists(dir, "blkio.weight_device"))
				return fail(ENOTSUP, "blockIO.weightDevice: this kernel has no blkio.weight_device");
			if ((r = cg_write(dir, "blkio.weight_device", line)))
				return r;
		}
		if (d->has_leaf_weight) {
			fmt(line, sizeof(line), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->leaf_weight);
			if (!file_exists(dir, "blkio.leaf_weight_device"))
				return fail(ENOTSUP, "blockIO.weightDevice: this kernel has no blkio.leaf_weight_device");
			if ((r = cg_write(dir, "blkio.leaf_weight_device", line)))
				return r;
		}
	}
	for (l = BLKIO_READ_BPS; l < BLKIO_LISTS; l++) {
		for (i = 0; i < res->nblkio[l]; i++) {
			const struct blkio_dev *d = &res->blkio[l][i];

			fmt(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor, d->rate);
			if ((r = cg_write(dir, throttle_files[l], line)))
				return r;
		}
	}
	return 0;
}

static int apply_hugetlb(const char *dir, const struct resources_cfg *res)
{
	char file[64];
	unsigned i;
	int r;

	for (i = 0; i < res->nhugepages; i++) {
		const struct hugepage_cfg *h = &res->hugepages[i];

		fmt(file, sizeof(file), "hugetlb.%s.limit_in_bytes", h->page_size);
		if ((r = write_optional(dir, file, "hugepageLimits", (int64_t)h->limit)))
			return r;
		/* Reservations are limited too where the kernel accounts them. */
		fmt(file, sizeof(file), "hugetlb.%s.rsvd.limit_in_bytes", h->page_size);
		if (file_exists(dir, file) && (r = write_u64(dir, file, h->limit)))
			return r;
	}
	return 0;
}

static int apply_net(const char *dir, const char *controllers, const struct resources_cfg *res)
{
	char line[64];
	unsigned i;
	int r;

	if (!res->has_network)
		return 0;
	if (cgroup_list_has(controllers, "net_cls") && res->has_class_id &&
	    (r = write_u64(dir, "net_cls.classid", res->class_id)))
		return r;
	if (!cgroup_list_has(controllers, "net_prio"))
		return 0;
	for (i = 0; i < res->nnet_prio; i++) {
		fmt(line, sizeof(line), "%s %u", res->net_prio[i].name, res->net_prio[i].priority);
		if ((r = cg_write(dir, "net_prio.ifpriomap", line)))
			return r;
	}
	return 0;
}

int cgv1_apply(const char *dir, const char *controllers, const struct resources_cfg *res)
{
	int r = 0;

	if (cgroup_list_has(controllers, "memory"))
		r = apply_memory(dir, res);
	if (!r && cgroup_list_has(controllers, "cpu"))
		r = apply_cpu(dir, res);
	if (!r && cgroup_list_has(controllers, "cpuset"))
		r = apply_cpuset(dir, res);
	if (!r && cgroup_list_has(controllers, "pids"))
		r = apply_pids(dir, res);
	if (!r && cgroup_list_has(controllers, "blkio"))
		r = apply_blkio(dir, res);
	if (!r && cgroup_list_has(controllers, "hugetlb"))
		r = apply_hugetlb(dir, res);
	if (!r && (cgroup_list_has(controllers, "net_cls") || cgroup_list_has(controllers, "net_prio")))
		r = apply_net(dir, controllers, res);
	if (!r && cgroup_list_has(controllers, "rdma"))
		r = cgroup_write_rdma(dir, res);
	return r;
}
