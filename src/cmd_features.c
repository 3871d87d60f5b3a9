/* features: what this build recognizes (features.md), from its Kconfig
 * choices and its own tables, not from the host. */
#include "captable.h"
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "json_write.h"
#include "mount_opts.h"
#include "state_json.h"
#include "version.h"
#if CONFIG_SECCOMP
#include "seccomp_names.h"
#endif

#include <string.h>

static char out[16384];

static void names(struct jw *w, const char *key, const char *const *v, unsigned n)
{
	unsigned i;

	jw_key(w, key);
	jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		if (v[i])
			jw_str(w, v[i]);
	}
	jw_arr_end(w);
}

static void enabled(struct jw *w, const char *key, bool on)
{
	jw_key(w, key);
	jw_obj_begin(w);
	jw_key(w, "enabled");
	jw_bool(w, on);
	jw_obj_end(w);
}

static bool mount_option_built(const char *name)
{
	if (!CONFIG_TMPCOPYUP && !strcmp(name, "tmpcopyup"))
		return false;
	if (!CONFIG_IDMAP_MOUNTS && (!strcmp(name, "idmap") || !strcmp(name, "ridmap")))
		return false;
	return true;
}

static void linux_features(struct jw *w)
{
	static const char *const ns[] = { "pid", "network", "mount", "ipc", "uts", "cgroup",
					  CONFIG_USER_NAMESPACE ? "user" : NULL,
					  CONFIG_TIME_NAMESPACE ? "time" : NULL };

	jw_key(w, "linux");
	jw_obj_begin(w);
	names(w, "namespaces", ns, sizeof(ns) / sizeof(ns[0]));
	names(w, "capabilities", captable, (unsigned)captable_last + 1);
	jw_key(w, "cgroup");
	jw_obj_begin(w);
	jw_key(w, "v1");
	jw_bool(w, CONFIG_CGROUP_V1);
	jw_key(w, "v2");
	jw_bool(w, CONFIG_CGROUP_V2);
	jw_key(w, "systemd");
	jw_bool(w, false);
	jw_key(w, "systemdUser");
	jw_bool(w, false);
	jw_key(w, "rdma");
	jw_bool(w, CONFIG_CGROUP_V1 || CONFIG_CGROUP_V2);
	jw_obj_end(w);
	jw_key(w, "seccomp");
	jw_obj_begin(w);
	jw_key(w, "enabled");
	jw_bool(w, CONFIG_SECCOMP);
#if CONFIG_SECCOMP
	names(w, "actions", seccomp_action_names, SECCOMP_ACTIONS);
	names(w, "operators", seccomp_op_names, SECCOMP_OPS);
	names(w, "archs", seccomp_arch_names, SECCOMP_ARCHS);
	names(w, "knownFlags", seccomp_flag_names, SECCOMP_FLAGS);
	names(w, "supportedFlags", seccomp_flag_names, SECCOMP_FLAGS);
#endif
	jw_obj_end(w);
	enabled(w, "apparmor", CONFIG_APPARMOR);
	enabled(w, "selinux", CONFIG_SELINUX);
	jw_key(w, "intelRdt");
	jw_obj_begin(w);
	jw_key(w, "enabled");
	jw_bool(w, CONFIG_INTEL_RDT);
	jw_obj_end(w);
	jw_key(w, "mountExtensions");
	jw_obj_begin(w);
	enabled(w, "idmap", CONFIG_IDMAP_MOUNTS);
	jw_obj_end(w);
	enabled(w, "netDevices", CONFIG_NET_DEVICES);
	jw_obj_end(w);
}

int cmd_features(struct global *g, int argc, char **argv)
{
	struct jw w;
	unsigned i;
	long n;

	if (argc > 1) {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			cli_print_help(cli_find("features"));
			return 0;
		}
		return cli_usage_error("features", "takes no operand");
	}
	jw_init(&w, out, sizeof(out) - 1);
	jw_obj_begin(&w);
	jw_key(&w, "ociVersionMin");
	jw_str(&w, "1.0.0");
	jw_key(&w, "ociVersionMax");
	jw_str(&w, OCI_VERSION);
	if (CONFIG_HOOKS)
		names(&w, "hooks", hook_kind_names, HOOK_KINDS);
	jw_key(&w, "mountOptions");
	jw_arr_begin(&w);
	for (i = 0; i < mount_opt_count(); i++) {
		if (mount_option_built(mount_opt_name(i)))
			jw_str(&w, mount_opt_name(i));
	}
	jw_arr_end(&w);
	linux_features(&w);
	jw_key(&w, "annotations");
	jw_obj_begin(&w);
	jw_key(&w, "org.runlet.version");
	jw_str(&w, RUNLET_VERSION);
	jw_obj_end(&w);
	jw_key(&w, "potentiallyUnsafeConfigAnnotations");
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	n = jw_finish(&w);
	if (n < 0) {
		fail(0, "features: the output does not fit in %zu bytes", sizeof(out));
		return cli_fail();
	}
	out[n++] = '\n';
	return cli_out(out, n) ? cli_fail() : 0;
}
