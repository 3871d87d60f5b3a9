/* config.json: linux.seccomp (config-linux.md, "Seccomp").  The filter is
 * built from it in seccomp.c. */
#include "spec.h"
#include "spec_internal.h"
#include "seccomp_names.h"
#include "error.h"

#include <stddef.h>
#include <string.h>

const char *const seccomp_action_names[SECCOMP_ACTIONS] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
};

const char *const seccomp_op_names[SECCOMP_OPS] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
	"SCMP_CMP_MASKED_EQ",
};

const char *const seccomp_arch_names[SECCOMP_ARCHS] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
};

/* In the spec's list (which follows libseccomp 2.6) but not in 2.5.4. */
static const char *const newer_archs[] = {
	"SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
};

const char *const seccomp_flag_names[SECCOMP_FLAGS] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

static int p_action(struct walk *w, int tok, int *out)
{
	const char *name;
	int r = walk_str(w, tok, &name);

	if (r)
		return r;
	*out = lookup_name(seccomp_action_names, SECCOMP_ACTIONS, name);
	if (*out < 0)
		return walk_fail(w, "unknown action %s", name);
	return 0;
}

static bool takes_errno(int action)
{
	return action == SECCOMP_ACT_ERRNO || action == SECCOMP_ACT_TRACE;
}

static int p_arch(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct seccomp_cfg *s = ctx;
	const char *name;
	int r = walk_str(w, tok, &name);
	int a;

	if (r)
		return r;
	a = lookup_name(seccomp_arch_names, SECCOMP_ARCHS, name);
	if (a >= 0) {
		s->archs |= 1u << a;
		return 0;
	}
	if (lookup_name(newer_archs, 4, name) >= 0)
		return walk_fail(w, "%s needs libseccomp 2.6; this build has 2.5.4", name);
	return walk_fail(w, "unknown architecture %s", name);
}

static int p_flag(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct seccomp_cfg *s = ctx;
	const char *name;
	int r = walk_str(w, tok, &name);
	int f;

	if (r)
		return r;
	f = lookup_name(seccomp_flag_names, SECCOMP_FLAGS, name);
	if (f < 0)
		return walk_fail(w, "unknown flag %s", name);
	s->flags |= 1u << f;
	return 0;
}

struct arg_entry {
	uint32_t index;
	uint64_t value;
	uint64_t value_two;
	const char *op;
};

static const struct field arg_fields[] = {
	{ .name = "index", .kind = F_U32, .off = offsetof(struct arg_entry, index), .required = true },
	{ .name = "value", .kind = F_U64, .off = offsetof(struct arg_entry, value), .required = true },
	{ .name = "valueTwo", .kind = F_U64, .off = offsetof(struct arg_entry, value_two) },
	{ .name = "op", .kind = F_STR, .off = offsetof(struct arg_entry, op), .required = true },
	{ 0 }
};

static int p_arg(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct seccomp_rule *rule = ctx;
	struct seccomp_arg *a = &rule->args[i];
	struct arg_entry e;
	int r, op;

	memset(&e, 0, sizeof(e));
	r = walk_object(w, tok, arg_fields, &e);
	if (r)
		return r;
	if (e.index >= SECCOMP_MAX_ARGS)
		return walk_fail(w, "index %u: system calls have arguments 0 to 5", e.index);
	op = lookup_name(seccomp_op_names, SECCOMP_OPS, e.op);
	if (op < 0)
		return walk_fail(w, "unknown operator %s", e.op);
	a->index = e.index;
	a->value = e.value;
	a->value_two = e.value_two;
	a->op = op + 1;
	rule->nargs = i + 1;
	return 0;
}

static int p_rule_names(struct walk *w, int tok, void *obj)
{
	struct seccomp_rule *rule = obj;
	int r = walk_strv(w, tok, &rule->names, CONFIG_MAX_STRINGS, "CONFIG_MAX_STRINGS");

	if (!r && rule->names.n == 0)
		return walk_fail(w, "needs at least one name");
	return r;
}

static int p_rule_action(struct walk *w, int tok, void *obj)
{
	return p_action(w, tok, &((struct seccomp_rule *)obj)->action);
}

static int p_rule_args(struct walk *w, int tok, void *obj)
{
	struct seccomp_rule *rule = obj;

	rule->nargs = 0;
	return walk_array(w, tok, SECCOMP_MAX_ARGS, "six arguments per rule", p_arg, rule);
}

static const struct field rule_fields[] = {
	{ .name = "names", .kind = F_FN, .fn = p_rule_names, .required = true },
	{ .name = "action", .kind = F_FN, .fn = p_rule_action, .required = true },
	{ .name = "errnoRet", .kind = F_U32, .off = offsetof(struct seccomp_rule, errno_ret),
	  .has = HAS(struct seccomp_rule, has_errno) },
	{ .name = "args", .kind = F_FN, .fn = p_rule_args },
	{ 0 }
};

static int p_rule(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct seccomp_cfg *s = ctx;
	struct seccomp_rule *rule = &s->rules[i];
	int r;

	memset(rule, 0, sizeof(*rule));
	r = walk_object(w, tok, rule_fields, rule);
	if (r)
		return r;
	if (rule->has_errno && !takes_errno(rule->action))
		return walk_fail(w, "errnoRet given for %s, which returns no errno",
				 seccomp_action_names[rule->action]);
	s->nrules = i + 1;
	return 0;
}

static int p_rules(struct walk *w, int tok, void *obj)
{
	struct seccomp_cfg *s = obj;

	s->nrules = 0;
	return walk_array(w, tok, CONFIG_MAX_SECCOMP_RULES, "CONFIG_MAX_SECCOMP_RULES", p_rule, s);
}

static int p_default_action(struct walk *w, int tok, void *obj)
{
	return p_action(w, tok, &((struct seccomp_cfg *)obj)->default_action);
}

static int p_archs(struct walk *w, int tok, void *obj)
{
	struct seccomp_cfg *s = obj;

	s->archs = 0;
	return walk_array(w, tok, SECCOMP_ARCHS, "one per architecture", p_arch, s);
}

static int p_flags(struct walk *w, int tok, void *obj)
{
	struct seccomp_cfg *s = obj;

	s->flags = 0;
	return walk_array(w, tok, SECCOMP_FLAGS, "one per flag", p_flag, s);
}

static const struct field seccomp_fields[] = {
	{ .name = "defaultAction", .kind = F_FN, .fn = p_default_action, .required = true },
	{ .name = "defaultErrnoRet", .kind = F_U32, .off = offsetof(struct seccomp_cfg, default_errno),
	  .has = HAS(struct seccomp_cfg, has_default_errno) },
	{ .name = "architectures", .kind = F_FN, .fn = p_archs },
	{ .name = "flags", .kind = F_FN, .fn = p_flags },
	{ .name = "listenerPath", .kind = F_STR, .off = offsetof(struct seccomp_cfg, listener_path) },
	{ .name = "listenerMetadata", .kind = F_STR, .off = offsetof(struct seccomp_cfg, listener_metadata) },
	{ .name = "syscalls", .kind = F_FN, .fn = p_rules },
	{ 0 }
};

/* The listener's descriptor leaves the container with sendmsg(2) once the
 * filter is in place: a sendmsg that waits for the listener could never be
 * answered.  runc refuses these too. */
static int check_notify(struct walk *w, const struct seccomp_cfg *s)
{
	unsigned i, k;

	if (s->default_action == SECCOMP_ACT_NOTIFY)
		return walk_fail(w, "defaultAction SCMP_ACT_NOTIFY would hold up the sending of the "
				    "listener's descriptor; notify on named system calls instead");
	for (i = 0; i < s->nrules; i++) {
		if (s->rules[i].action != SECCOMP_ACT_NOTIFY)
			continue;
		for (k = 0; k < s->rules[i].names.n; k++) {
			if (!strcmp(s->rules[i].names.v[k], "sendmsg"))
				return walk_fail(w, "syscalls[%u]: SCMP_ACT_NOTIFY on sendmsg would hold up the "
						    "sending of the listener's descriptor", i);
		}
	}
	return 0;
}

int parse_seccomp(struct walk *w, int tok, void *obj)
{
	struct linux_cfg *l = obj;
	struct seccomp_cfg *s = &l->seccomp;
	int r;

	s->has_default_errno = false;
	s->archs = s->flags = 0;
	s->listener_path = s->listener_metadata = NULL;
	s->nrules = 0;
	r = walk_object(w, tok, seccomp_fields, s);
	if (r)
		return r;
	if (s->has_default_errno && !takes_errno(s->default_action))
		return walk_fail(w, "defaultErrnoRet given for %s, which returns no errno",
				 seccomp_action_names[s->default_action]);
	if (s->listener_metadata && !s->listener_path)
		return walk_fail(w, "listenerMetadata needs listenerPath");
	r = check_notify(w, s);
	if (r)
		return r;
	l->has_seccomp = true;
	return 0;
}
