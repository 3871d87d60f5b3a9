/* config.json: linux.resources, also read alone by `update --resources`. */
#include "spec.h"
#include "spec_internal.h"
#include "error.h"

#include <stddef.h>
#include <string.h>

void resources_reset(struct resources_cfg *r)
{
	/* The counts and flags, not the tables: only what is set gets read. */
	r->ndevices = 0;
	r->has_memory = r->has_cpu = r->has_pids = r->has_blkio = r->has_network = false;
	r->has_mem_limit = r->has_mem_reservation = r->has_mem_swap = false;
	r->has_mem_kernel = r->has_mem_kernel_tcp = r->has_swappiness = false;
	r->has_disable_oom_killer = r->has_use_hierarchy = false;
	r->disable_oom_killer = r->use_hierarchy = r->check_before_update = false;
	r->has_cpu_shares = r->has_cpu_quota = r->has_cpu_burst = r->has_cpu_period = false;
	r->has_cpu_rt_runtime = r->has_cpu_rt_period = r->has_cpu_idle = false;
	r->cpus = r->mems = NULL;
	r->has_blkio_weight = r->has_blkio_leaf_weight = false;
	memset(r->nblkio, 0, sizeof(r->nblkio));
	r->nhugepages = 0;
	r->has_class_id = false;
	r->nnet_prio = 0;
	r->nrdma = 0;
	r->nunified = 0;
}

/* --- devices --------------------------------------------------------------------- */

struct rule_entry {
	bool allow;
	const char *type;
	bool has_major, has_minor;
	int64_t major, minor;
	const char *access;
};

static const struct field rule_fields[] = {
	{ .name = "allow", .kind = F_BOOL, .off = offsetof(struct rule_entry, allow), .required = true },
	{ .name = "type", .kind = F_STR, .off = offsetof(struct rule_entry, type) },
	{ .name = "major", .kind = F_I64, .off = offsetof(struct rule_entry, major),
	  .has = HAS(struct rule_entry, has_major) },
	{ .name = "minor", .kind = F_I64, .off = offsetof(struct rule_entry, minor),
	  .has = HAS(struct rule_entry, has_minor) },
	{ .name = "access", .kind = F_STR, .off = offsetof(struct rule_entry, access) },
	{ 0 }
};

static int p_rule(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct resources_cfg *res = ctx;
	struct dev_rule *d = &res->devices[i];
	struct rule_entry e;
	const char *a;
	int r;

	memset(&e, 0, sizeof(e));
	r = walk_object(w, tok, rule_fields, &e);
	if (r)
		return r;
	d->allow = e.allow;
	d->type = e.type && e.type[0] ? e.type[0] : 'a';
	if ((e.type && strlen(e.type) > 1) || !strchr("acb", d->type))
		return walk_fail(w, "type \"%s\": expected a, c or b", e.type);
	d->major = e.has_major ? e.major : DEV_ANY;
	d->minor = e.has_minor ? e.minor : DEV_ANY;
	if ((e.has_major && (e.major < 0 || e.major > 0xfff)) || (e.has_minor && (e.minor < 0 || e.minor > 0xfffff)))
		return walk_fail(w, "device number out of range");
	a = e.access && e.access[0] ? e.access : "rwm";
	if (strlen(a) > 3 || strspn(a, "rwm") != strlen(a))
		return walk_fail(w, "access \"%s\": expected letters of rwm", a);
	strcpy(d->access, a);
	res->ndevices = i + 1;
	return 0;
}

static int p_rules(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;

	res->ndevices = 0;
	return walk_array(w, tok, CONFIG_MAX_DEVICE_RULES, "CONFIG_MAX_DEVICE_RULES", p_rule, res);
}

/* --- memory, cpu, pids ---------------------------------------------------------------- */

static const struct field memory_fields[] = {
	{ .name = "limit", .kind = F_I64, .off = offsetof(struct resources_cfg, mem_limit),
	  .has = HAS(struct resources_cfg, has_mem_limit) },
	{ .name = "reservation", .kind = F_I64, .off = offsetof(struct resources_cfg, mem_reservation),
	  .has = HAS(struct resources_cfg, has_mem_reservation) },
	{ .name = "swap", .kind = F_I64, .off = offsetof(struct resources_cfg, mem_swap),
	  .has = HAS(struct resources_cfg, has_mem_swap) },
	{ .name = "kernel", .kind = F_I64, .off = offsetof(struct resources_cfg, mem_kernel),
	  .has = HAS(struct resources_cfg, has_mem_kernel) },
	{ .name = "kernelTCP", .kind = F_I64, .off = offsetof(struct resources_cfg, mem_kernel_tcp),
	  .has = HAS(struct resources_cfg, has_mem_kernel_tcp) },
	{ .name = "swappiness", .kind = F_U64, .off = offsetof(struct resources_cfg, swappiness),
	  .has = HAS(struct resources_cfg, has_swappiness) },
	{ .name = "disableOOMKiller", .kind = F_BOOL, .off = offsetof(struct resources_cfg, disable_oom_killer),
	  .has = HAS(struct resources_cfg, has_disable_oom_killer) },
	{ .name = "useHierarchy", .kind = F_BOOL, .off = offsetof(struct resources_cfg, use_hierarchy),
	  .has = HAS(struct resources_cfg, has_use_hierarchy) },
	{ .name = "checkBeforeUpdate", .kind = F_BOOL,
	  .off = offsetof(struct resources_cfg, check_before_update) },
	{ 0 }
};

static const struct field cpu_fields[] = {
	{ .name = "shares", .kind = F_U64, .off = offsetof(struct resources_cfg, cpu_shares),
	  .has = HAS(struct resources_cfg, has_cpu_shares) },
	{ .name = "quota", .kind = F_I64, .off = offsetof(struct resources_cfg, cpu_quota),
	  .has = HAS(struct resources_cfg, has_cpu_quota) },
	{ .name = "burst", .kind = F_U64, .off = offsetof(struct resources_cfg, cpu_burst),
	  .has = HAS(struct resources_cfg, has_cpu_burst) },
	{ .name = "period", .kind = F_U64, .off = offsetof(struct resources_cfg, cpu_period),
	  .has = HAS(struct resources_cfg, has_cpu_period) },
	{ .name = "realtimeRuntime", .kind = F_I64, .off = offsetof(struct resources_cfg, cpu_rt_runtime),
	  .has = HAS(struct resources_cfg, has_cpu_rt_runtime) },
	{ .name = "realtimePeriod", .kind = F_U64, .off = offsetof(struct resources_cfg, cpu_rt_period),
	  .has = HAS(struct resources_cfg, has_cpu_rt_period) },
	{ .name = "cpus", .kind = F_STR, .off = offsetof(struct resources_cfg, cpus) },
	{ .name = "mems", .kind = F_STR, .off = offsetof(struct resources_cfg, mems) },
	{ .name = "idle", .kind = F_I64, .off = offsetof(struct resources_cfg, cpu_idle),
	  .has = HAS(struct resources_cfg, has_cpu_idle) },
	{ 0 }
};

static const struct field pids_fields[] = {
	{ .name = "limit", .kind = F_I64, .off = offsetof(struct resources_cfg, pids_limit), .required = true },
	{ 0 }
};

static int p_cpu(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;
	int r = walk_object(w, tok, cpu_fields, res);

	if (r)
		return r;
	if (res->has_cpu_burst && res->has_cpu_quota && res->cpu_quota > 0 &&
	    res->cpu_burst > (uint64_t)res->cpu_quota)
		return walk_fail(w, "burst %llu above quota %lld", (unsigned long long)res->cpu_burst,
				 (long long)res->cpu_quota);
	if (res->has_cpu_idle && res->cpu_idle != 0 && res->cpu_idle != 1)
		return walk_fail(w, "idle must be 0 or 1");
	res->has_cpu = true;
	return 0;
}

/* --- blockIO ----------------------------------------------------------------------------- */

struct blkio_ctx {
	struct resources_cfg *res;
	enum blkio_list list;
};

static const struct field blkio_dev_fields[] = {
	{ .name = "major", .kind = F_I64, .off = offsetof(struct blkio_dev, major), .required = true },
	{ .name = "minor", .kind = F_I64, .off = offsetof(struct blkio_dev, minor), .required = true },
	{ .name = "weight", .kind = F_U16, .off = offsetof(struct blkio_dev, weight),
	  .has = HAS(struct blkio_dev, has_weight) },
	{ .name = "leafWeight", .kind = F_U16, .off = offsetof(struct blkio_dev, leaf_weight),
	  .has = HAS(struct blkio_dev, has_leaf_weight) },
	{ .name = "rate", .kind = F_U64, .off = offsetof(struct blkio_dev, rate) },
	{ 0 }
};

static int p_blkio_dev(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct blkio_ctx *c = ctx;
	struct blkio_dev *d = &c->res->blkio[c->list][i];
	int r;

	memset(d, 0, sizeof(*d));
	r = walk_object(w, tok, blkio_dev_fields, d);
	if (r)
		return r;
	if (c->list == BLKIO_WEIGHT && !d->has_weight && !d->has_leaf_weight)
		return walk_fail(w, "weight or leafWeight is required");
	c->res->nblkio[c->list] = i + 1;
	return 0;
}

static int p_blkio_list(struct walk *w, int tok, void *obj, enum blkio_list list)
{
	struct blkio_ctx c = { obj, list };

	c.res->nblkio[list] = 0;
	return walk_array(w, tok, CONFIG_MAX_BLKIO_DEVICES, "CONFIG_MAX_BLKIO_DEVICES", p_blkio_dev, &c);
}

static int p_weight_device(struct walk *w, int tok, void *obj)
{
	return p_blkio_list(w, tok, obj, BLKIO_WEIGHT);
}

static int p_read_bps(struct walk *w, int tok, void *obj)
{
	return p_blkio_list(w, tok, obj, BLKIO_READ_BPS);
}

static int p_write_bps(struct walk *w, int tok, void *obj)
{
	return p_blkio_list(w, tok, obj, BLKIO_WRITE_BPS);
}

static int p_read_iops(struct walk *w, int tok, void *obj)
{
	return p_blkio_list(w, tok, obj, BLKIO_READ_IOPS);
}

static int p_write_iops(struct walk *w, int tok, void *obj)
{
	return p_blkio_list(w, tok, obj, BLKIO_WRITE_IOPS);
}

static const struct field blkio_fields[] = {
	{ .name = "weight", .kind = F_U16, .off = offsetof(struct resources_cfg, blkio_weight),
	  .has = HAS(struct resources_cfg, has_blkio_weight) },
	{ .name = "leafWeight", .kind = F_U16, .off = offsetof(struct resources_cfg, blkio_leaf_weight),
	  .has = HAS(struct resources_cfg, has_blkio_leaf_weight) },
	{ .name = "weightDevice", .kind = F_FN, .fn = p_weight_device },
	{ .name = "throttleReadBpsDevice", .kind = F_FN, .fn = p_read_bps },
	{ .name = "throttleWriteBpsDevice", .kind = F_FN, .fn = p_write_bps },
	{ .name = "throttleReadIOPSDevice", .kind = F_FN, .fn = p_read_iops },
	{ .name = "throttleWriteIOPSDevice", .kind = F_FN, .fn = p_write_iops },
	{ 0 }
};

/* --- hugepages, network, rdma, unified ------------------------------------------------------ */

static const struct field hugepage_fields[] = {
	{ .name = "pageSize", .kind = F_STR, .off = offsetof(struct hugepage_cfg, page_size), .required = true },
	{ .name = "limit", .kind = F_U64, .off = offsetof(struct hugepage_cfg, limit), .required = true },
	{ 0 }
};

/* <size><unit>B with the unit K, M or G, as the kernel names hugetlb files. */
static bool page_size_valid(const char *s)
{
	if (*s < '1' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return (s[0] == 'K' || s[0] == 'M' || s[0] == 'G') && s[1] == 'B' && s[2] == '\0';
}

static int p_hugepage(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct resources_cfg *res = ctx;
	struct hugepage_cfg *h = &res->hugepages[i];
	int r = walk_object(w, tok, hugepage_fields, h);

	if (r)
		return r;
	if (!page_size_valid(h->page_size))
		return walk_fail(w, "pageSize \"%s\": expected a size like 2MB or 1GB", h->page_size);
	res->nhugepages = i + 1;
	return 0;
}

static int p_hugepages(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;

	res->nhugepages = 0;
	return walk_array(w, tok, CONFIG_MAX_KV, "CONFIG_MAX_KV", p_hugepage, res);
}

static const struct field prio_fields[] = {
	{ .name = "name", .kind = F_STR, .off = offsetof(struct net_prio, name), .required = true },
	{ .name = "priority", .kind = F_U32, .off = offsetof(struct net_prio, priority), .required = true },
	{ 0 }
};

static int p_prio(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct resources_cfg *res = ctx;
	int r = walk_object(w, tok, prio_fields, &res->net_prio[i]);

	if (!r)
		res->nnet_prio = i + 1;
	return r;
}

static int p_priorities(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;

	res->nnet_prio = 0;
	return walk_array(w, tok, CONFIG_MAX_KV, "CONFIG_MAX_KV", p_prio, res);
}

static const struct field network_fields[] = {
	{ .name = "classID", .kind = F_U32, .off = offsetof(struct resources_cfg, class_id),
	  .has = HAS(struct resources_cfg, has_class_id) },
	{ .name = "priorities", .kind = F_FN, .fn = p_priorities },
	{ 0 }
};

static const struct field rdma_fields[] = {
	{ .name = "hcaHandles", .kind = F_U32, .off = offsetof(struct rdma_cfg, handles),
	  .has = HAS(struct rdma_cfg, has_handles) },
	{ .name = "hcaObjects", .kind = F_U32, .off = offsetof(struct rdma_cfg, objects),
	  .has = HAS(struct rdma_cfg, has_objects) },
	{ 0 }
};

static int p_rdma_entry(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct resources_cfg *res = ctx;
	struct rdma_cfg *d = &res->rdma[i];
	int r;

	memset(d, 0, sizeof(*d));
	d->device = key;
	r = walk_object(w, tok, rdma_fields, d);
	if (r)
		return r;
	if (!d->has_handles && !d->has_objects)
		return walk_fail(w, "hcaHandles or hcaObjects is required");
	res->nrdma = i + 1;
	return 0;
}

static int p_rdma(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;

	res->nrdma = 0;
	return walk_map(w, tok, CONFIG_MAX_KV, "CONFIG_MAX_KV", p_rdma_entry, res);
}

#if CONFIG_CGROUP_V2
static int p_unified_entry(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct resources_cfg *res = ctx;

	/* A key names a file in the container's cgroup, never a path. */
	if (!key[0] || strchr(key, '/') || !strcmp(key, ".") || !strcmp(key, ".."))
		return walk_fail(w, "\"%s\" is not a cgroup file name", key);
	res->unified[i].key = key;
	res->nunified = i + 1;
	return walk_str(w, tok, &res->unified[i].value);
}

static int p_unified(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;

	res->nunified = 0;
	return walk_map(w, tok, CONFIG_MAX_KV, "CONFIG_MAX_KV", p_unified_entry, res);
}
#endif

/* A weight of 0 is "not set", as runc reads it: Docker sends
 * "blockIO": {"weight": 0} for every container. */
static int p_blkio(struct walk *w, int tok, void *obj)
{
	struct resources_cfg *res = obj;
	int r = walk_object(w, tok, blkio_fields, res);

	if (r)
		return r;
	res->has_blkio = true;
	if (!res->blkio_weight)
		res->has_blkio_weight = false;
	if (!res->blkio_leaf_weight)
		res->has_blkio_leaf_weight = false;
	return 0;
}

const struct field resources_fields[] = {
	{ .name = "devices", .kind = F_FN, .fn = p_rules },
	{ .name = "memory", .kind = F_OBJ, .off = 0, .has = HAS(struct resources_cfg, has_memory),
	  .sub = memory_fields },
	{ .name = "cpu", .kind = F_FN, .fn = p_cpu },
	{ .name = "pids", .kind = F_OBJ, .off = 0, .has = HAS(struct resources_cfg, has_pids),
	  .sub = pids_fields },
	{ .name = "blockIO", .kind = F_FN, .fn = p_blkio },
	{ .name = "hugepageLimits", .kind = F_FN, .fn = p_hugepages },
#if CONFIG_CGROUP_V1
	{ .name = "network", .kind = F_OBJ, .off = 0, .has = HAS(struct resources_cfg, has_network),
	  .sub = network_fields },
#else
	{ .name = "network", .kind = F_OFF, .symbol = "CONFIG_CGROUP_V1" },
#endif
	{ .name = "rdma", .kind = F_FN, .fn = p_rdma },
#if CONFIG_CGROUP_V2
	{ .name = "unified", .kind = F_FN, .fn = p_unified },
#else
	{ .name = "unified", .kind = F_OFF, .symbol = "CONFIG_CGROUP_V2" },
#endif
	{ 0 }
};

int spec_parse_resources(struct spec *spec, char *buf, size_t len)
{
	struct json j;
	struct walk w = { .j = &j, .spec = spec };
	int r;

	r = spec_json(&j, buf, len, "resources");
	if (r)
		return r;
	resources_reset(&spec->linux.resources);
	return walk_object(&w, 0, resources_fields, &spec->linux.resources);
}
