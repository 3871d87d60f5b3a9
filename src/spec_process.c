/* config.json: the process object (also what exec --process reads): args,
 * env, user, capabilities, rlimits, scheduling and the console. */
#include "spec.h"
#include "spec_walk.h"
#include "spec_internal.h"
#include "captable.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>

/* Indexed like spec.rlimits; the numbers come from libc, since they differ
 * between architectures (MIPS numbers RLIMIT_NOFILE 5, x86 7). */
const char *const rlimit_names[RLIMIT_TYPES] = {
	"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
	"RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
	"RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
};

const int rlimit_resources[RLIMIT_TYPES] = {
	RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS,
	RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS,
	RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME,
};


static int p_cwd(struct walk *w, int tok, void *obj)
{
	return walk_abs_path(w, tok, &((struct process_cfg *)obj)->cwd);
}

static int p_gid(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct user_cfg *u = ctx;
	uint64_t v;
	int r = walk_u64(w, tok, &v, UINT32_MAX);

	if (!r)
		u->gids[u->ngids++] = (uint32_t)v;
	return r;
}

static int p_additional_gids(struct walk *w, int tok, void *obj)
{
	struct user_cfg *u = obj;

	u->ngids = 0;
	return walk_array(w, tok, CONFIG_MAX_ADDITIONAL_GIDS, "CONFIG_MAX_ADDITIONAL_GIDS", p_gid, u);
}

static const struct field user_fields[] = {
	{ .name = "uid", .kind = F_U32, .off = offsetof(struct user_cfg, uid), .required = true },
	{ .name = "gid", .kind = F_U32, .off = offsetof(struct user_cfg, gid), .required = true },
	{ .name = "umask", .kind = F_U32, .off = offsetof(struct user_cfg, umask),
	  .has = HAS(struct user_cfg, has_umask) },
	{ .name = "additionalGids", .kind = F_FN, .fn = p_additional_gids },
	{ .name = "username", .kind = F_STR, .off = offsetof(struct user_cfg, username) },
	{ 0 }
};

static const struct field console_fields[] = {
	{ .name = "height", .kind = F_U64, .off = offsetof(struct process_cfg, console_height),
	  .required = true },
	{ .name = "width", .kind = F_U64, .off = offsetof(struct process_cfg, console_width),
	  .required = true },
	{ 0 }
};

static int p_console_size(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	int r = walk_object(w, tok, console_fields, p);

	if (!r)
		p->has_console_size = true;
	return r;
}

static int p_terminal(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	int r = walk_bool(w, tok, &p->terminal);

	if (!r && p->terminal && !CONFIG_TERMINAL)
		return walk_compiled_out(w, "CONFIG_TERMINAL");
	return r;
}

/* Capabilities: a name the build or kernel cannot map is a warning, not an
 * error (config.md, "capabilities"). */
static int p_cap_name(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	uint64_t *set = ctx;
	const char *name;
	int r = walk_str(w, tok, &name);
	int cap;

	if (r)
		return r;
	cap = lookup_name(captable, captable_last + 1, name);
	if (cap < 0 || cap > 63) {
		log_warn("%s: unknown capability %s, ignored", w->path, name);
		return 0;
	}
	*set |= (uint64_t)1 << cap;
	return 0;
}

static int p_cap_set(struct walk *w, int tok, uint64_t *set)
{
	*set = 0;
	return walk_array(w, tok, captable_last + 64, "the number of capabilities", p_cap_name, set);
}

static int p_cap_bounding(struct walk *w, int tok, void *obj)
{
	return p_cap_set(w, tok, &((uint64_t *)obj)[CAP_SET_BOUNDING]);
}

static int p_cap_effective(struct walk *w, int tok, void *obj)
{
	return p_cap_set(w, tok, &((uint64_t *)obj)[CAP_SET_EFFECTIVE]);
}

static int p_cap_inheritable(struct walk *w, int tok, void *obj)
{
	return p_cap_set(w, tok, &((uint64_t *)obj)[CAP_SET_INHERITABLE]);
}

static int p_cap_permitted(struct walk *w, int tok, void *obj)
{
	return p_cap_set(w, tok, &((uint64_t *)obj)[CAP_SET_PERMITTED]);
}

static int p_cap_ambient(struct walk *w, int tok, void *obj)
{
	return p_cap_set(w, tok, &((uint64_t *)obj)[CAP_SET_AMBIENT]);
}

static const struct field caps_fields[] = {
	{ .name = "bounding", .kind = F_FN, .fn = p_cap_bounding },
	{ .name = "effective", .kind = F_FN, .fn = p_cap_effective },
	{ .name = "inheritable", .kind = F_FN, .fn = p_cap_inheritable },
	{ .name = "permitted", .kind = F_FN, .fn = p_cap_permitted },
	{ .name = "ambient", .kind = F_FN, .fn = p_cap_ambient },
	{ 0 }
};

static int p_caps(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	int r = walk_object(w, tok, caps_fields, p->caps);

	if (!r)
		p->has_caps = true;
	return r;
}

struct rlimit_entry {
	const char *type;
	uint64_t soft;
	uint64_t hard;
};

static const struct field rlimit_fields[] = {
	{ .name = "type", .kind = F_STR, .off = offsetof(struct rlimit_entry, type), .required = true },
	{ .name = "soft", .kind = F_U64, .off = offsetof(struct rlimit_entry, soft), .required = true },
	{ .name = "hard", .kind = F_U64, .off = offsetof(struct rlimit_entry, hard), .required = true },
	{ 0 }
};

static int p_rlimit(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct process_cfg *p = ctx;
	struct rlimit_entry e = { 0 };
	int r = walk_object(w, tok, rlimit_fields, &e);
	int type;

	if (r)
		return r;
	type = lookup_name(rlimit_names, RLIMIT_TYPES, e.type);
	if (type < 0)
		return walk_fail(w, "unknown rlimit type %s", e.type);
	if (p->rlimits[type].set)
		return walk_fail(w, "%s given twice", e.type);
	if (e.soft > e.hard)
		return walk_fail(w, "%s: soft limit %llu above hard limit %llu", e.type,
				 (unsigned long long)e.soft, (unsigned long long)e.hard);
	p->rlimits[type].set = true;
	p->rlimits[type].soft = e.soft;
	p->rlimits[type].hard = e.hard;
	return 0;
}

static int p_rlimits(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;

	memset(p->rlimits, 0, sizeof(p->rlimits));
	return walk_array(w, tok, RLIMIT_TYPES, "one per type", p_rlimit, p);
}

static int p_oom(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	int r = walk_i64(w, tok, &p->oom_score_adj, -1000, 1000);

	if (!r)
		p->has_oom_score_adj = true;
	return r;
}

#if CONFIG_PROCESS_SCHED
static const char *const sched_policies[] = {
	"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
	"SCHED_DEADLINE",
};

static const char *const sched_flags[] = {
	"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
	"SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
	"SCHED_FLAG_UTIL_CLAMP_MAX",
};

struct sched_entry {
	const char *policy;
	struct strv flags;
	struct sched_cfg *out;
};

static int p_sched_policy(struct walk *w, int tok, void *obj)
{
	struct sched_cfg *s = obj;
	const char *name;
	int r = walk_str(w, tok, &name);

	if (r)
		return r;
	s->policy = lookup_name(sched_policies, 7, name);
	if (s->policy < 0)
		return walk_fail(w, "unknown policy %s", name);
	return 0;
}

static int p_sched_flag(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct sched_cfg *s = ctx;
	const char *name;
	int r = walk_str(w, tok, &name);
	int bit;

	if (r)
		return r;
	bit = lookup_name(sched_flags, 7, name);
	if (bit < 0)
		return walk_fail(w, "unknown flag %s", name);
	s->flags |= (uint64_t)1 << bit;
	return 0;
}

static int p_sched_flags(struct walk *w, int tok, void *obj)
{
	struct sched_cfg *s = obj;

	s->flags = 0;
	return walk_array(w, tok, 7, "the number of scheduler flags", p_sched_flag, s);
}

static const struct field sched_fields[] = {
	{ .name = "policy", .kind = F_FN, .fn = p_sched_policy, .required = true },
	{ .name = "nice", .kind = F_I32, .off = offsetof(struct sched_cfg, nice) },
	{ .name = "priority", .kind = F_I32, .off = offsetof(struct sched_cfg, priority) },
	{ .name = "flags", .kind = F_FN, .fn = p_sched_flags },
	{ .name = "runtime", .kind = F_U64, .off = offsetof(struct sched_cfg, runtime) },
	{ .name = "deadline", .kind = F_U64, .off = offsetof(struct sched_cfg, deadline) },
	{ .name = "period", .kind = F_U64, .off = offsetof(struct sched_cfg, period) },
	{ 0 }
};

static int p_sched(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	int r;

	memset(&p->sched, 0, sizeof(p->sched));
	r = walk_object(w, tok, sched_fields, &p->sched);
	if (!r)
		p->sched.set = true;
	return r;
}

static const char *const ioprio_classes[] = {
	"", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE",
};

struct ioprio_entry {
	const char *class;
	int32_t priority;
};

static const struct field ioprio_fields[] = {
	{ .name = "class", .kind = F_STR, .off = offsetof(struct ioprio_entry, class), .required = true },
	{ .name = "priority", .kind = F_I32, .off = offsetof(struct ioprio_entry, priority) },
	{ 0 }
};

static int p_ioprio(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	struct ioprio_entry e = { 0 };
	int r = walk_object(w, tok, ioprio_fields, &e);

	if (r)
		return r;
	p->ioprio_class = lookup_name(ioprio_classes, 4, e.class);
	if (p->ioprio_class <= 0)
		return walk_fail(w, "unknown class %s", e.class);
	if (e.priority < 0 || e.priority > 7)
		return walk_fail(w, "priority %d out of range [0, 7]", e.priority);
	p->ioprio_level = e.priority;
	p->has_ioprio = true;
	return 0;
}

static const struct field affinity_fields[] = {
	{ .name = "initial", .kind = F_STR, .off = offsetof(struct process_cfg, cpu_initial) },
	{ .name = "final", .kind = F_STR, .off = offsetof(struct process_cfg, cpu_final) },
	{ 0 }
};
#endif

static int p_args(struct walk *w, int tok, void *obj)
{
	struct process_cfg *p = obj;
	int r = walk_strv(w, tok, &p->args, CONFIG_MAX_ARGS, "CONFIG_MAX_ARGS");

	if (!r && p->args.n == 0)
		return walk_fail(w, "needs at least one entry");
	return r;
}

const struct field process_fields[] = {
	{ .name = "terminal", .kind = F_FN, .fn = p_terminal },
	{ .name = "consoleSize", .kind = F_FN, .fn = p_console_size },
	{ .name = "cwd", .kind = F_FN, .fn = p_cwd, .required = true },
	{ .name = "env", .kind = F_STRV, .off = offsetof(struct process_cfg, env),
	  .max = CONFIG_MAX_ENV, .symbol = "CONFIG_MAX_ENV" },
	{ .name = "args", .kind = F_FN, .fn = p_args },
	{ .name = "user", .kind = F_OBJ, .off = offsetof(struct process_cfg, user), .sub = user_fields },
	{ .name = "capabilities", .kind = F_FN, .fn = p_caps },
#if CONFIG_APPARMOR
	{ .name = "apparmorProfile", .kind = F_STR, .off = offsetof(struct process_cfg, apparmor_profile) },
#else
	{ .name = "apparmorProfile", .kind = F_OFF, .symbol = "CONFIG_APPARMOR" },
#endif
#if CONFIG_SELINUX
	{ .name = "selinuxLabel", .kind = F_STR, .off = offsetof(struct process_cfg, selinux_label) },
#else
	{ .name = "selinuxLabel", .kind = F_OFF, .symbol = "CONFIG_SELINUX" },
#endif
	{ .name = "oomScoreAdj", .kind = F_FN, .fn = p_oom },
	{ .name = "noNewPrivileges", .kind = F_BOOL, .off = offsetof(struct process_cfg, no_new_privileges) },
	{ .name = "rlimits", .kind = F_FN, .fn = p_rlimits },
#if CONFIG_PROCESS_SCHED
	{ .name = "scheduler", .kind = F_FN, .fn = p_sched },
	{ .name = "ioPriority", .kind = F_FN, .fn = p_ioprio },
	{ .name = "execCPUAffinity", .kind = F_OBJ, .off = 0, .sub = affinity_fields },
#else
	{ .name = "scheduler", .kind = F_OFF, .symbol = "CONFIG_PROCESS_SCHED" },
	{ .name = "ioPriority", .kind = F_OFF, .symbol = "CONFIG_PROCESS_SCHED" },
	{ .name = "execCPUAffinity", .kind = F_OFF, .symbol = "CONFIG_PROCESS_SCHED" },
#endif
	{ 0 }
};

