/* config.json: the linux object (config-linux.md), but for its resources
 * (spec_resources.c) and seccomp (spec_seccomp.c). */
#include "spec.h"
#include "spec_internal.h"
#include "error.h"

#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/personality.h>

const char *const ns_type_names[NS_TYPES] = {
	[NS_PID] = "pid",
	[NS_NET] = "network",
	[NS_MNT] = "mount",
	[NS_IPC] = "ipc",
	[NS_UTS] = "uts",
	[NS_USER] = "user",
	[NS_CGROUP] = "cgroup",
	[NS_TIME] = "time",
};

void linux_reset(struct linux_cfg *l)
{
	memset(l->ns, 0, sizeof(l->ns));
	l->nuid_mappings = l->ngid_mappings = 0;
	memset(l->time_offsets, 0, sizeof(l->time_offsets));
	l->ndevices = 0;
	l->nnet_devices = 0;
	l->cgroups_path = NULL;
	l->has_resources = false;
	resources_reset(&l->resources);
	l->nsysctl = 0;
	l->has_seccomp = false;
	l->rootfs_propagation = 0;
	l->masked_paths.n = l->readonly_paths.n = 0;
	l->masked_paths.v = l->readonly_paths.v = NULL;
	l->mount_label = NULL;
	/* Small objects whose members are all optional: cleared whole, so
	 * that a second parse in one process never sees the first's. */
	l->has_intel_rdt = false;
	memset(&l->intel_rdt, 0, sizeof(l->intel_rdt));
	l->has_memory_policy = false;
	memset(&l->memory_policy, 0, sizeof(l->memory_policy));
	l->has_personality = false;
}

/* --- namespaces -------------------------------------------------------------- */

struct ns_entry {
	const char *type;
	const char *path;
};

static int p_ns_path(struct walk *w, int tok, void *obj)
{
	return walk_abs_path(w, tok, &((struct ns_entry *)obj)->path);
}

static const struct field ns_fields[] = {
	{ .name = "type", .kind = F_STR, .off = offsetof(struct ns_entry, type), .required = true },
	{ .name = "path", .kind = F_FN, .fn = p_ns_path },
	{ 0 }
};

static int p_namespace(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct linux_cfg *l = ctx;
	struct ns_entry e = { 0 };
	int r = walk_object(w, tok, ns_fields, &e);
	int type;

	if (r)
		return r;
	type = lookup_name(ns_type_names, NS_TYPES, e.type);
	if (type < 0)
		return walk_fail(w, "unknown namespace type %s", e.type);
	if (l->ns[type].set)
		return walk_fail(w, "namespace %s given twice", e.type);
	if (type == NS_USER && !CONFIG_USER_NAMESPACE)
		return walk_compiled_out(w, "CONFIG_USER_NAMESPACE");
	if (type == NS_TIME && !CONFIG_TIME_NAMESPACE)
		return walk_compiled_out(w, "CONFIG_TIME_NAMESPACE");
	l->ns[type].set = true;
	l->ns[type].path = e.path;
	return 0;
}

static int p_namespaces(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;

	memset(l->ns, 0, sizeof(l->ns));
	return walk_array(w, tok, NS_TYPES, "one per type", p_namespace, l);
}

/* --- ID mappings ---------------------------------------------------------------- */

struct idmaps {
	struct idmap *v;
	unsigned *n;
};

static int p_idmap(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct idmaps *m = ctx;
	int r = walk_object(w, tok, idmap_fields, &m->v[i]);

	if (!r && m->v[i].size == 0)
		return walk_fail(w, "size is zero");
	*m->n = i + 1;
	return r;
}

static int p_mappings(struct walk *w, int tok, struct idmap *v, unsigned *n)
{
	struct idmaps m = { v, n };

	if (!CONFIG_USER_NAMESPACE && walk_asks(w, tok))
		return walk_compiled_out(w, "CONFIG_USER_NAMESPACE");
	*n = 0;
	return walk_array(w, tok, CONFIG_MAX_ID_MAPPINGS, "CONFIG_MAX_ID_MAPPINGS", p_idmap, &m);
}

static int p_uid_mappings(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;

	return p_mappings(w, tok, l->uid_mappings, &l->nuid_mappings);
}

static int p_gid_mappings(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;

	return p_mappings(w, tok, l->gid_mappings, &l->ngid_mappings);
}

/* --- timeOffsets ------------------------------------------------------------------ */

static const struct field time_offset_fields[] = {
	{ .name = "secs", .kind = F_I64, .off = offsetof(struct time_offset, secs) },
	{ .name = "nanosecs", .kind = F_U32, .off = offsetof(struct time_offset, nanosecs) },
	{ 0 }
};

static const char *const clock_names[TIME_CLOCKS] = { "boottime", "monotonic" };

static int p_time_offset(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct linux_cfg *l = ctx;
	int clock = lookup_name(clock_names, TIME_CLOCKS, key);
	int r;

	if (clock < 0)
		return walk_fail(w, "unknown clock (boottime and monotonic have offsets)");
	r = walk_object(w, tok, time_offset_fields, &l->time_offsets[clock]);
	if (r)
		return r;
	if (l->time_offsets[clock].nanosecs >= 1000000000u)
		return walk_fail(w, "nanosecs must be below 1000000000");
	l->time_offsets[clock].set = true;
	return 0;
}

static int p_time_offsets(struct walk *w, int tok, void *obj)
{
	if (!CONFIG_TIME_NAMESPACE && walk_asks(w, tok))
		return walk_compiled_out(w, "CONFIG_TIME_NAMESPACE");
	return walk_map(w, tok, TIME_CLOCKS, "one per clock", p_time_offset, obj);
}

/* --- devices ------------------------------------------------------------------------ */

struct device_entry {
	struct device_cfg d;
	const char *type;
	bool has_major, has_minor;
};

static int p_device_path(struct walk *w, int tok, void *obj)
{
	return walk_abs_path(w, tok, &((struct device_entry *)obj)->d.path);
}

static const struct field device_fields[] = {
	{ .name = "type", .kind = F_STR, .off = offsetof(struct device_entry, type), .required = true },
	{ .name = "path", .kind = F_FN, .fn = p_device_path, .required = true },
	{ .name = "major", .kind = F_I64, .off = offsetof(struct device_entry, d.major),
	  .has = HAS(struct device_entry, has_major) },
	{ .name = "minor", .kind = F_I64, .off = offsetof(struct device_entry, d.minor),
	  .has = HAS(struct device_entry, has_minor) },
	{ .name = "fileMode", .kind = F_U32, .off = offsetof(struct device_entry, d.mode),
	  .has = HAS(struct device_entry, d.has_mode) },
	{ .name = "uid", .kind = F_U32, .off = offsetof(struct device_entry, d.uid),
	  .has = HAS(struct device_entry, d.has_uid) },
	{ .name = "gid", .kind = F_U32, .off = offsetof(struct device_entry, d.gid),
	  .has = HAS(struct device_entry, d.has_gid) },
	{ 0 }
};

static unsigned device_format(char type)
{
	return type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
}

static int p_device(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct linux_cfg *l = ctx;
	struct device_entry e;
	int r;

	memset(&e, 0, sizeof(e));
	r = walk_object(w, tok, device_fields, &e);
	if (r)
		return r;
	if (strlen(e.type) != 1 || !strchr("cbup", e.type[0]))
		return walk_fail(w, "type \"%s\": expected c, b, u or p", e.type);
	e.d.type = e.type[0];
	if (e.d.type != 'p' && (!e.has_major || !e.has_minor))
		return walk_fail(w, "major and minor are required for type %c", e.d.type);
	if (e.d.major < 0 || e.d.minor < 0 || e.d.major > 0xfff || e.d.minor > 0xfffff)
		return walk_fail(w, "device number %lld:%lld out of range",
				 (long long)e.d.major, (long long)e.d.minor);
	/* podman passes the whole st_mode: type bits that match are fine. */
	if (e.d.has_mode && (e.d.mode & S_IFMT) && (e.d.mode & S_IFMT) != device_format(e.d.type))
		return walk_fail(w, "fileMode %#o: the file type is not that of type %c", e.d.mode, e.d.type);
	if (e.d.has_mode && e.d.mode > 07777 + S_IFMT)
		return walk_fail(w, "fileMode %u is not a mode", e.d.mode);
	e.d.mode &= 07777;
	l->devices[i] = e.d;
	l->ndevices = i + 1;
	return 0;
}

static int p_devices(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;

	l->ndevices = 0;
	return walk_array(w, tok, CONFIG_MAX_DEVICES, "CONFIG_MAX_DEVICES", p_device, l);
}

/* --- maps: sysctl, netDevices ------------------------------------------------------ */

#if CONFIG_SYSCTL
static int p_sysctl_entry(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct linux_cfg *l = ctx;

	l->sysctl[i].key = key;
	l->nsysctl = i + 1;
	return walk_str(w, tok, &l->sysctl[i].value);
}

static int p_sysctl(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;

	l->nsysctl = 0;
	return walk_map(w, tok, CONFIG_MAX_KV, "CONFIG_MAX_KV", p_sysctl_entry, l);
}
#endif

#if CONFIG_NET_DEVICES
struct netdev_entry {
	const char *name;
};

static const struct field netdev_fields[] = {
	{ .name = "name", .kind = F_STR, .off = offsetof(struct netdev_entry, name) },
	{ 0 }
};

static int p_netdev(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct linux_cfg *l = ctx;
	struct netdev_entry e = { NULL };
	int r = walk_object(w, tok, netdev_fields, &e);

	if (r)
		return r;
	if (!key[0] || strlen(key) >= 16 || strchr(key, '/'))
		return walk_fail(w, "\"%s\" is not an interface name", key);
	if (e.name && (!e.name[0] || strlen(e.name) >= 16 || strchr(e.name, '/')))
		return walk_fail(w, "name \"%s\" is not an interface name", e.name);
	l->net_devices[i].key = key;
	l->net_devices[i].value = e.name ? e.name : key;
	l->nnet_devices = i + 1;
	return 0;
}

static int p_net_devices(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;

	l->nnet_devices = 0;
	return walk_map(w, tok, CONFIG_MAX_KV, "CONFIG_MAX_KV", p_netdev, l);
}
#endif

/* --- the rest ------------------------------------------------------------------------ */

static int p_propagation(struct walk *w, int tok, void *obj)
{
	static const char *const names[] = { "private", "shared", "slave", "unbindable" };
	static const unsigned long flags[] = { MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE };
	struct linux_cfg *l = obj;
	const char *v;
	int r = walk_str(w, tok, &v);
	int i;

	if (r)
		return r;
	i = lookup_name(names, 4, v);
	if (i < 0)
		return walk_fail(w, "\"%s\": expected private, shared, slave or unbindable", v);
	l->rootfs_propagation = flags[i];
	return 0;
}

static int p_abs_paths(struct walk *w, int tok, struct strv *out)
{
	unsigned i;
	int r = walk_strv(w, tok, out, CONFIG_MAX_PATHS, "CONFIG_MAX_PATHS");

	for (i = 0; !r && i < out->n; i++) {
		if (out->v[i][0] != '/')
			r = walk_fail(w, "\"%s\" is not an absolute path", out->v[i]);
	}
	return r;
}

static int p_masked(struct walk *w, int tok, void *obj)
{
	return p_abs_paths(w, tok, &((struct linux_cfg *)obj)->masked_paths);
}

static int p_readonly(struct walk *w, int tok, void *obj)
{
	return p_abs_paths(w, tok, &((struct linux_cfg *)obj)->readonly_paths);
}

#if CONFIG_PERSONALITY
static int p_personality(struct walk *w, int tok, void *obj)
{
	static const char *const domains[] = { "LINUX", "LINUX32" };
	struct linux_cfg *l = obj;
	int t = json_find(w->j, tok, "domain");
	int f = json_find(w->j, tok, "flags");
	const char *domain = "LINUX";
	int r;

	if (!json_is_object(w->j, tok))
		return walk_expected(w, tok, "object");
	if (t >= 0 && !json_is_null(w->j, t)) {
		size_t saved = walk_push_key(w, "domain");

		r = walk_str(w, t, &domain);
		walk_pop(w, saved);
		if (r)
			return r;
	}
	switch (lookup_name(domains, 2, domain)) {
	case 0:
		l->personality = PER_LINUX;
		break;
	case 1:
		l->personality = PER_LINUX32;
		break;
	default:
		return walk_fail(w, "domain \"%s\": expected LINUX or LINUX32", domain);
	}
	if (f >= 0 && walk_asks(w, f))
		return walk_fail(w, "flags: no personality flag is supported");
	l->has_personality = true;
	return 0;
}
#endif

#if CONFIG_MEMORY_POLICY
static const char *const mpol_modes[] = {
	"MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
	"MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE",
};
static const char *const mpol_flags[] = {
	"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES",
};

struct mpol_entry {
	const char *mode;
	const char *nodes;
	struct strv flags;
};

static const struct field mpol_fields[] = {
	{ .name = "mode", .kind = F_STR, .off = offsetof(struct mpol_entry, mode), .required = true },
	{ .name = "nodes", .kind = F_STR, .off = offsetof(struct mpol_entry, nodes) },
	{ .name = "flags", .kind = F_STRV, .off = offsetof(struct mpol_entry, flags), .max = 3,
	  .symbol = "one per flag" },
	{ 0 }
};

static int p_memory_policy(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;
	struct mpol_entry e;
	unsigned i;
	int r;

	memset(&e, 0, sizeof(e));
	r = walk_object(w, tok, mpol_fields, &e);
	if (r)
		return r;
	l->memory_policy.mode = lookup_name(mpol_modes, 7, e.mode);
	if (l->memory_policy.mode < 0)
		return walk_fail(w, "unknown mode %s", e.mode);
	l->memory_policy.nodes = e.nodes;
	l->memory_policy.flags = 0;
	for (i = 0; i < e.flags.n; i++) {
		int bit = lookup_name(mpol_flags, 3, e.flags.v[i]);

		if (bit < 0)
			return walk_fail(w, "unknown flag %s", e.flags.v[i]);
		l->memory_policy.flags |= 1u << bit;
	}
	l->has_memory_policy = true;
	return 0;
}
#endif

#if CONFIG_INTEL_RDT
static const struct field rdt_fields[] = {
	{ .name = "closID", .kind = F_STR, .off = offsetof(struct intel_rdt_cfg, clos_id) },
	{ .name = "l3CacheSchema", .kind = F_STR, .off = offsetof(struct intel_rdt_cfg, l3_cache_schema) },
	{ .name = "memBwSchema", .kind = F_STR, .off = offsetof(struct intel_rdt_cfg, mem_bw_schema) },
	{ .name = "schemata", .kind = F_STRV, .off = offsetof(struct intel_rdt_cfg, schemata),
	  .max = CONFIG_MAX_KV, .symbol = "CONFIG_MAX_KV" },
	{ .name = "enableMonitoring", .kind = F_BOOL, .off = offsetof(struct intel_rdt_cfg, enable_monitoring) },
	{ 0 }
};
#endif

#if CONFIG_CGROUP_V1 || CONFIG_CGROUP_V2
static int p_resources(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;
	int r = walk_object(w, tok, resources_fields, &l->resources);

	if (!r)
		l->has_resources = true;
	return r;
}
#endif

const struct field linux_fields[] = {
	{ .name = "namespaces", .kind = F_FN, .fn = p_namespaces },
	{ .name = "uidMappings", .kind = F_FN, .fn = p_uid_mappings },
	{ .name = "gidMappings", .kind = F_FN, .fn = p_gid_mappings },
	{ .name = "timeOffsets", .kind = F_FN, .fn = p_time_offsets },
	{ .name = "devices", .kind = F_FN, .fn = p_devices },
#if CONFIG_NET_DEVICES
	{ .name = "netDevices", .kind = F_FN, .fn = p_net_devices },
#else
	{ .name = "netDevices", .kind = F_OFF, .symbol = "CONFIG_NET_DEVICES" },
#endif
	{ .name = "cgroupsPath", .kind = F_STR, .off = offsetof(struct linux_cfg, cgroups_path) },
#if CONFIG_CGROUP_V1 || CONFIG_CGROUP_V2
	{ .name = "resources", .kind = F_FN, .fn = p_resources },
#else
	{ .name = "resources", .kind = F_OFF, .symbol = "CONFIG_CGROUP_V1 or CONFIG_CGROUP_V2" },
#endif
#if CONFIG_SYSCTL
	{ .name = "sysctl", .kind = F_FN, .fn = p_sysctl },
#else
	{ .name = "sysctl", .kind = F_OFF, .symbol = "CONFIG_SYSCTL" },
#endif
#if CONFIG_SECCOMP
	{ .name = "seccomp", .kind = F_FN, .fn = parse_seccomp },
#else
	{ .name = "seccomp", .kind = F_OFF, .symbol = "CONFIG_SECCOMP" },
#endif
	{ .name = "rootfsPropagation", .kind = F_FN, .fn = p_propagation },
	{ .name = "maskedPaths", .kind = F_FN, .fn = p_masked },
	{ .name = "readonlyPaths", .kind = F_FN, .fn = p_readonly },
#if CONFIG_SELINUX
	{ .name = "mountLabel", .kind = F_STR, .off = offsetof(struct linux_cfg, mount_label) },
#else
	{ .name = "mountLabel", .kind = F_OFF, .symbol = "CONFIG_SELINUX" },
#endif
#if CONFIG_INTEL_RDT
	{ .name = "intelRdt", .kind = F_OBJ, .off = offsetof(struct linux_cfg, intel_rdt),
	  .has = HAS(struct linux_cfg, has_intel_rdt), .sub = rdt_fields },
#else
	{ .name = "intelRdt", .kind = F_OFF, .symbol = "CONFIG_INTEL_RDT" },
#endif
#if CONFIG_MEMORY_POLICY
	{ .name = "memoryPolicy", .kind = F_FN, .fn = p_memory_policy },
#else
	{ .name = "memoryPolicy", .kind = F_OFF, .symbol = "CONFIG_MEMORY_POLICY" },
#endif
#if CONFIG_PERSONALITY
	{ .name = "personality", .kind = F_FN, .fn = p_personality },
#else
	{ .name = "personality", .kind = F_OFF, .symbol = "CONFIG_PERSONALITY" },
#endif
	{ 0 }
};

/* --- rules across fields -------------------------------------------------------------- */

static bool ns_new(const struct linux_cfg *l, enum ns_type t)
{
	return l->ns[t].set && !l->ns[t].path;
}

int linux_check(struct walk *w, struct spec *spec)
{
	struct linux_cfg *l = &spec->linux;

	if (spec->hostname && spec->hostname[0] && !l->ns[NS_UTS].set)
		return fail(0, "hostname: needs a private uts namespace");
	if (spec->domainname && spec->domainname[0] && !l->ns[NS_UTS].set)
		return fail(0, "domainname: needs a private uts namespace");
	if ((l->nuid_mappings || l->ngid_mappings) && !ns_new(l, NS_USER))
		return fail(0, "linux.uidMappings: ID mappings need a new user namespace");
	if (ns_new(l, NS_USER) && (!l->nuid_mappings || !l->ngid_mappings))
		return fail(0, "linux.namespaces: a new user namespace needs uidMappings and gidMappings");
	if ((l->time_offsets[TIME_BOOTTIME].set || l->time_offsets[TIME_MONOTONIC].set) &&
	    !ns_new(l, NS_TIME))
		return fail(0, "linux.timeOffsets: offsets need a new time namespace");
	if (l->nnet_devices && !ns_new(l, NS_NET))
		return fail(0, "linux.netDevices: moving interfaces needs a new network namespace");
	if (spec->has_process && spec->process.args.n == 0)
		return fail(0, "process.args: required");
#if CONFIG_SYSCTL
	return sysctl_check(spec);
#else
	return 0;
#endif
}
