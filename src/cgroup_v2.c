/* cgroup v2: one hierarchy, controllers enabled from the root down, the
 * spec's v1-shaped values converted the way runc and crun convert them. */
#include "cgroup.h"
#include "error.h"
#include "format.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_i64(const char *dir, const char *file, int64_t v)
{
	char num[24];

	fmt(num, sizeof(num), "%" PRId64, v);
	return cg_write(dir, file, num);
}

static int write_limit(const char *dir, const char *file, int64_t v)
{
	if (v < 0)
		return cg_write(dir, file, "max");
	return write_i64(dir, file, v);
}

static bool exists(const char *dir, const char *file)
{
	char path[CG_PATH_MAX + 128];

	fmt(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

static int v1_only(const char *setting)
{
	return fail(ENOTSUP, "%s: cgroup v2 has no such setting", setting);
}

/* Enables every available controller in each ancestor of path, so that the
 * container's cgroup gets them all; runc does the same. */
int cgv2_enable_controllers(const char *root, const char *path)
{
	char dir[CG_PATH_MAX + 128], avail[512], req[600];
	size_t len = strlen(root);
	const char *p = path;

	fmt(dir, sizeof(dir), "%s", root);
	for (;;) {
		const char *next = strchr(p + 1, '/');
		char *tok, *save = NULL;
		size_t n = 0;
		long got;

		got = cg_read(dir, "cgroup.controllers", avail, sizeof(avail));
		if (got < 0)
			return fail((int)-got, "read %s/cgroup.controllers", dir);
		req[0] = '\0';
		for (tok = strtok_r(avail, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
			n += (size_t)fmt(req + n, sizeof(req) - n, "%s+%s", n ? " " : "", tok);
		if (req[0] && cg_write(dir, "cgroup.subtree_control", req))
			return error_code();
		if (!next)
			return 0;	/* dir was the container's parent */
		if (len + (size_t)(next - p) >= sizeof(dir))
			return fail(ENAMETOOLONG, "cgroup path %s", path);
		memcpy(dir + len, p, (size_t)(next - p));
		len += (size_t)(next - p);
		dir[len] = '\0';
		if (access(dir, F_OK) < 0 && mkdir(dir, 0755) < 0 && errno != EEXIST)
			return fail(errno, "create cgroup %s", dir);
		p = next;
	}
}

static int apply_memory(const char *dir, const struct resources_cfg *res)
{
	int r;

	if (!res->has_memory)
		return 0;
	if (res->has_mem_kernel && res->mem_kernel != -1)
		return v1_only("memory.kernel");
	if (res->has_mem_kernel_tcp && res->mem_kernel_tcp != -1)
		return v1_only("memory.kernelTCP");
	if (res->has_swappiness && res->swappiness != 0)
		return v1_only("memory.swappiness");
	if (res->has_disable_oom_killer && res->disable_oom_killer)
		return v1_only("memory.disableOOMKiller");
	if (res->has_use_hierarchy && !res->use_hierarchy)
		return fail(ENOTSUP, "memory.useHierarchy: cgroup v2 is always hierarchical");
	if (res->has_mem_limit && (r = write_limit(dir, "memory.max", res->mem_limit)))
		return r;
	if (res->has_mem_reservation && (r = write_limit(dir, "memory.low", res->mem_reservation)))
		return r;
	if (res->has_mem_swap) {
		int64_t swap = res->mem_swap;

		/* The spec's swap is memory plus swap; v2 limits swap alone. */
		if (swap > 0 && res->has_mem_limit && res->mem_limit > 0) {
			if (swap < res->mem_limit)
				return fail(EINVAL, "memory.swap %" PRId64 " below memory.limit %" PRId64,
					    swap, res->mem_limit);
			swap -= res->mem_limit;
		}
		if (!exists(dir, "memory.swap.max"))
			return fail(ENOTSUP, "memory.swap: this kernel has no memory.swap.max");
		if ((r = write_limit(dir, "memory.swap.max", swap)))
			return r;
	}
	return 0;
}

static int apply_cpu(const char *dir, const struct resources_cfg *res)
{
	char value[64];
	int r;

	if (!res->has_cpu)
		return 0;
	if (res->has_cpu_rt_runtime || res->has_cpu_rt_period)
		return v1_only("cpu.realtimeRuntime/realtimePeriod");
	if (res->has_cpu_shares && res->cpu_shares) {
		/* Shares [2, 262144] onto weight [1, 10000]. */
		uint64_t shares = res->cpu_shares < 2 ? 2 : res->cpu_shares > 262144 ? 262144 : res->cpu_shares;

		if ((r = write_i64(dir, "cpu.weight", (int64_t)(1 + ((shares - 2) * 9999) / 262142))))
			return r;
	}
	if (res->has_cpu_quota || res->has_cpu_period) {
		char quota[24] = "max", period[24] = "";

		/* Without a period the kernel keeps the current one, as runc
		 * relies on; without a quota, "max". */
		if (res->has_cpu_quota && res->cpu_quota > 0)
			fmt(quota, sizeof(quota), "%" PRId64, res->cpu_quota);
		if (res->has_cpu_period && res->cpu_period)
			fmt(period, sizeof(period), " %" PRIu64, res->cpu_period);
		fmt(value, sizeof(value), "%s%s", quota, period);
		if ((r = cg_write(dir, "cpu.max", value)))
			return r;
	}
	if (res->has_cpu_burst) {
		if (!exists(dir, "cpu.max.burst"))
			return fail(ENOTSUP, "cpu.burst: this kernel has no cpu.max.burst");
		if ((r = write_i64(dir, "cpu.max.burst", (int64_t)res->cpu_burst)))
			return r;
	}
	if (res->has_cpu_idle) {
		if (!exists(dir, "cpu.idle"))
			return fail(ENOTSUP, "cpu.idle: this kernel has no cpu.idle");
		if ((r = write_i64(dir, "cpu.idle", res->cpu_idle)))
			return r;
	}
	return 0;
}

static int apply_cpuset(const char *dir, const struct resources_cfg *res)
{
	int r;

	if (res->cpus && res->cpus[0] && (r = cg_write(dir, "cpuset.cpus", res->cpus)))
		return r;
	if (res->mems && res->mems[0] && (r = cg_write(dir, "cpuset.mems", res->mems)))
		return r;
	return 0;
}

static int apply_io(const char *dir, const struct resources_cfg *res)
{
	static const char *const keys[BLKIO_LISTS] = { NULL, "rbps", "wbps", "riops", "wiops" };
	const char *weight_file;
	char line[96];
	unsigned l, i;
	int r;

	if (!res->has_blkio)
		return 0;
	weight_file = exists(dir, "io.bfq.weight") ? "io.bfq.weight" : "io.weight";
	if (res->has_blkio_leaf_weight)
		return v1_only("blockIO.leafWeight");
	if (res->has_blkio_weight) {
		fmt(line, sizeof(line), "default %u", res->blkio_weight);
		if ((r = cg_write(dir, weight_file, line)))
			return r;
	}
	for (i = 0; i < res->nblkio[BLKIO_WEIGHT]; i++) {
		const struct blkio_dev *d = &res->blkio[BLKIO_WEIGHT][i];

		if (d->has_leaf_weight)
			return v1_only("blockIO.weightDevice.leafWeight");
		fmt(line, sizeof(line), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->weight);
		if ((r = cg_write(dir, weight_file, line)))
			return r;
	}
	for (l = BLKIO_READ_BPS; l < BLKIO_LISTS; l++) {
		for (i = 0; i < res->nblkio[l]; i++) {
			const struct blkio_dev *d = &res->blkio[l][i];

			fmt(line, sizeof(line), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d->major, d->minor,
				 keys[l], d->rate);
			if ((r = cg_write(dir, "io.max", line)))
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

		fmt(file, sizeof(file), "hugetlb.%s.max", h->page_size);
		if (!exists(dir, file))
			return fail(ENOTSUP, "hugepageLimits: this kernel has no %s", file);
		if ((r = write_i64(dir, file, (int64_t)h->limit)))
			return r;
		fmt(file, sizeof(file), "hugetlb.%s.rsvd.max", h->page_size);
		if (exists(dir, file) && (r = write_i64(dir, file, (int64_t)h->limit)))
			return r;
	}
	return 0;
}

static int apply_unified(const char *dir, const struct resources_cfg *res)
{
	unsigned i;
	int r;

	for (i = 0; i < res->nunified; i++) {
		if (!exists(dir, res->unified[i].key))
			return fail(ENOTSUP, "unified: %s: no such file in the container's cgroup (controller not enabled?)",
				    res->unified[i].key);
		if ((r = cg_write(dir, res->unified[i].key, res->unified[i].value)))
			return r;
	}
	return 0;
}

int cgv2_apply(const char *dir, const struct resources_cfg *res, bool hybrid)
{
	int r;

	/* On a hybrid host the v1 hierarchies own the other controllers. */
	if (hybrid)
		return apply_hugetlb(dir, res) ? error_code() : apply_unified(dir, res);
	if (res->has_network)
		return v1_only("network (net_cls, net_prio)");
	if ((r = apply_memory(dir, res)) || (r = apply_cpu(dir, res)) || (r = apply_cpuset(dir, res)))
		return r;
	if (res->has_pids && (r = write_limit(dir, "pids.max", res->pids_limit)))
		return r;
	if ((r = apply_io(dir, res)) || (r = apply_hugetlb(dir, res)) || (r = cgroup_write_rdma(dir, res)))
		return r;
	if ((r = apply_unified(dir, res)))
		return r;
	if (CONFIG_CGROUP_V2_DEVICES)
		return cgv2_devices(dir, res);
	if (res->ndevices)
		return fail(ENOTSUP, "linux.resources.devices: device rules on cgroup v2 need CONFIG_CGROUP_V2_DEVICES");
	return 0;
}
