/* config.json parsing: src/spec_parse.c, spec_process.c, spec_linux.c, spec_resources.c,
 * spec_walk.c, spec_seccomp.c and the mount options of mount_opts.c, on
 * real configs (the runtime-spec's own examples in tests/spec, and
 * tests/unit/data/runc-spec*.json, the output of `runc spec` and
 * `runc spec --rootless` of runc 1.1) and on made-up ones for each rule
 * and error path. */
#include "spec.h"
#include "spec_internal.h"
#include "syscalls.h"
#if CONFIG_SECCOMP
#include "seccomp_names.h"
#endif

#include "unit.h"

#include <dirent.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

#ifndef UNIT_DATA_DIR
#define UNIT_DATA_DIR "tests/unit/data"
#endif

#define GOOD_DIR UNIT_SPEC_DIR "/schema/test/config/good"
#define BAD_DIR UNIT_SPEC_DIR "/schema/test/config/bad"

/* A valid start for made-up configs. */
#define BASE "\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"rootfs\"}"
#define PROC "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}}"

static struct spec spec;
static char text[CONFIG_MAX_CONFIG_SIZE + 1];

/* --- helpers ------------------------------------------------------------------ */

static int parse_text(void)
{
	error_clear();
	return spec_parse(&spec, text, strlen(text));
}

static int parse(const char *json)
{
	size_t n = strlen(json);

	assert_true(n < sizeof(text));
	memcpy(text, json, n + 1);
	return parse_text();
}

static void parse_ok(const char *json)
{
	if (parse(json))
		fail_msg("refused: %s\nconfig: %s", error_msg(), json);
}

/* json must be refused with exactly msg. */
static void parse_err(const char *json, const char *msg)
{
	int r = parse(json);

	if (r >= 0)
		fail_msg("accepted, expected \"%s\": %s", msg, json);
	assert_string_equal(error_msg(), msg);
}

/* json must be refused with a message that starts with prefix. */
static void parse_err_prefix(const char *json, const char *prefix)
{
	int r = parse(json);

	if (r >= 0)
		fail_msg("accepted, expected \"%s...\": %s", prefix, json);
	if (strncmp(error_msg(), prefix, strlen(prefix)))
		fail_msg("error \"%s\" does not start with \"%s\"", error_msg(), prefix);
}

/* The build lacks a feature the config asks for: refused, naming it. */
static void assert_compiled_out(const char *symbol)
{
	char want[96];

	snprintf(want, sizeof(want), "not supported by this build (%s is not set)", symbol);
	if (!strstr(error_msg(), want))
		fail_msg("error \"%s\", expected one with \"%s\"", error_msg(), want);
}

static void load(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unit_read_file(path, text, sizeof(text));
}

/* Replaces the first from in text with to. */
static void patch(const char *from, const char *to)
{
	char *at = strstr(text, from);
	size_t flen = strlen(from), tlen = strlen(to), rest;

	if (!at)
		fail_msg("patch: \"%s\" not found", from);
	rest = strlen(at + flen);
	assert_true((size_t)(at - text) + tlen + rest < sizeof(text));
	memmove(at + tlen, at + flen, rest + 1);
	memcpy(at, to, tlen);
}

/* Made-up configs too large to write out. */
static char big[CONFIG_MAX_CONFIG_SIZE];
static size_t big_len;

static void b_reset(void)
{
	big_len = 0;
	big[0] = '\0';
}

static void b_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void b_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(big + big_len, sizeof(big) - big_len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(big) - big_len);
	big_len += (size_t)n;
}

/* Drops the comma after the last element of a generated list. */
static void b_uncomma(void)
{
	if (big_len && big[big_len - 1] == ',')
		big[--big_len] = '\0';
}

static int rlimit_index(const char *name)
{
	int i = lookup_name(rlimit_names, RLIMIT_TYPES, name);

	assert_true(i >= 0);
	return i;
}

static const struct mount_cfg *mount_at(const char *dest)
{
	unsigned i;

	for (i = 0; i < spec.nmounts; i++) {
		if (!strcmp(spec.mounts[i].destination, dest))
			return &spec.mounts[i];
	}
	fail_msg("no mount at %s", dest);
	return NULL;
}

#define CAP(c) ((uint64_t)1 << (c))

static void strip_compiled_out(void);

/* --- a real config: `runc spec` --------------------------------------------------- */

static void runc_spec(void **state)
{
	const struct process_cfg *p = &spec.process;
	const struct linux_cfg *l = &spec.linux;
	const struct mount_cfg *m;
	uint64_t three = CAP(CAP_AUDIT_WRITE) | CAP(CAP_KILL) | CAP(CAP_NET_BIND_SERVICE);
	int nofile = rlimit_index("RLIMIT_NOFILE");

	(void)state;
	load(UNIT_DATA_DIR, "runc-spec.json");
	strip_compiled_out();
	if (parse_text())
		fail_msg("runc-spec.json refused: %s", error_msg());

	assert_string_equal(spec.oci_version, "1.0.2-dev");
	assert_string_equal(spec.root_path, "rootfs");
	assert_true(spec.root_readonly);
	assert_string_equal(spec.hostname, "runc");
	assert_null(spec.domainname);

	assert_true(spec.has_process);
	assert_int_equal(p->terminal, CONFIG_TERMINAL);
	assert_int_equal(p->user.uid, 0);
	assert_int_equal(p->user.gid, 0);
	assert_int_equal(p->user.ngids, 0);
	assert_false(p->user.has_umask);
	assert_int_equal(p->args.n, 1);
	assert_string_equal(p->args.v[0], "sh");
	assert_null(p->args.v[1]);
	assert_int_equal(p->env.n, 2);
	assert_string_equal(p->env.v[0], "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	assert_string_equal(p->env.v[1], "TERM=xterm");
	assert_null(p->env.v[2]);
	assert_string_equal(p->cwd, "/");
	assert_true(p->has_caps);
	assert_true(p->caps[CAP_SET_BOUNDING] == three);
	assert_true(p->caps[CAP_SET_EFFECTIVE] == three);
	assert_true(p->caps[CAP_SET_PERMITTED] == three);
	assert_true(p->caps[CAP_SET_AMBIENT] == three);
	assert_true(p->caps[CAP_SET_INHERITABLE] == 0);
	assert_true(p->rlimits[nofile].set);
	assert_int_equal(p->rlimits[nofile].soft, 1024);
	assert_int_equal(p->rlimits[nofile].hard, 1024);
	assert_false(p->rlimits[rlimit_index("RLIMIT_CORE")].set);
	assert_true(p->no_new_privileges);
	assert_false(p->has_oom_score_adj);

	assert_int_equal(spec.nmounts, 7);
	m = &spec.mounts[0];
	assert_string_equal(m->destination, "/proc");
	assert_string_equal(m->type, "proc");
	assert_string_equal(m->source, "proc");
	assert_int_equal(m->flags, 0);
	assert_null(m->data);
	assert_int_equal(m->kind, 0);

	m = mount_at("/dev");
	assert_int_equal(m->flags, MS_NOSUID | MS_STRICTATIME);
	assert_string_equal(m->data, "mode=755,size=65536k");

	m = mount_at("/dev/pts");
	assert_int_equal(m->flags, MS_NOSUID | MS_NOEXEC);
	assert_string_equal(m->data, "newinstance,ptmxmode=0666,mode=0620,gid=5");

	m = mount_at("/dev/shm");
	assert_int_equal(m->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV);
	assert_string_equal(m->data, "mode=1777,size=65536k");

	m = mount_at("/sys");
	assert_int_equal(m->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	assert_null(m->data);

	m = mount_at("/sys/fs/cgroup");
	assert_int_equal(m->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY);
	assert_int_equal(m->kind, MNT_CGROUP);

	assert_true(spec.has_linux);
	assert_true(l->has_resources);
	assert_int_equal(l->resources.ndevices, 1);
	assert_false(l->resources.devices[0].allow);
	assert_int_equal(l->resources.devices[0].type, 'a');
	assert_true(l->resources.devices[0].major == DEV_ANY);
	assert_true(l->resources.devices[0].minor == DEV_ANY);
	assert_string_equal(l->resources.devices[0].access, "rwm");
	assert_false(l->resources.has_memory);
	assert_false(l->resources.has_pids);

	assert_true(l->ns[NS_PID].set);
	assert_true(l->ns[NS_NET].set);
	assert_true(l->ns[NS_IPC].set);
	assert_true(l->ns[NS_UTS].set);
	assert_true(l->ns[NS_MNT].set);
	assert_null(l->ns[NS_MNT].path);
	assert_false(l->ns[NS_USER].set);
	assert_false(l->ns[NS_CGROUP].set);
	assert_false(l->ns[NS_TIME].set);
	assert_int_equal(l->nuid_mappings, 0);

	assert_int_equal(l->masked_paths.n, 10);
	assert_string_equal(l->masked_paths.v[0], "/proc/acpi");
	assert_string_equal(l->masked_paths.v[9], "/proc/scsi");
	assert_null(l->masked_paths.v[10]);
	assert_int_equal(l->readonly_paths.n, 5);
	assert_string_equal(l->readonly_paths.v[4], "/proc/sysrq-trigger");
	assert_int_equal(l->rootfs_propagation, 0);
	assert_null(l->cgroups_path);

	/* args, env, masked and read-only paths, each NULL-terminated */
	assert_int_equal(spec.nstrings, (1 + 1) + (2 + 1) + (10 + 1) + (5 + 1));
}

static void runc_spec_rootless(void **state)
{
	const struct linux_cfg *l = &spec.linux;
	const struct mount_cfg *m;

	(void)state;
	load(UNIT_DATA_DIR, "runc-spec-rootless.json");
	strip_compiled_out();
	if (!CONFIG_USER_NAMESPACE) {
		assert_int_equal(parse_text(), -EINVAL);
		assert_compiled_out("CONFIG_USER_NAMESPACE");
		return;
	}
	if (parse_text())
		fail_msg("runc-spec-rootless.json refused: %s", error_msg());

	assert_true(l->ns[NS_USER].set);
	assert_false(l->ns[NS_NET].set);
	assert_int_equal(l->nuid_mappings, 1);
	assert_int_equal(l->uid_mappings[0].container_id, 0);
	assert_int_equal(l->uid_mappings[0].host_id, 0);
	assert_int_equal(l->uid_mappings[0].size, 1);
	assert_int_equal(l->ngid_mappings, 1);
	assert_false(l->has_resources);

	m = mount_at("/sys");
	assert_string_equal(m->type, "none");
	assert_string_equal(m->source, "/sys");
	assert_int_equal(m->kind, MNT_BIND | MNT_REC);
	assert_int_equal(m->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	assert_null(m->data);
}

/* --- the runtime-spec's examples ------------------------------------------------------ */

struct good_case {
	const char *file;
	/* NULL: parses as it is.  Otherwise the start of the refusal, by a
	 * rule of a Linux runtime that goes past the schema. */
	const char *refusal;
	/* What makes it acceptable: pairs of from, to; NULL-terminated. */
	const char *fix[8];
	/* Zero when this build leaves out a feature it needs: then it is
	 * refused as "not supported by this build". */
	int built;
};

static const struct good_case good_cases[] = {
	{ "minimal.json", NULL, { NULL }, 1 },
	{ "minimal-for-start.json", NULL, { NULL }, 1 },
	{ "linux-rdma.json", NULL, { NULL }, 1 },
	/* Only a "freebsd" or "zos" object besides the common fields: a Linux
	 * runtime ignores those objects. */
	{ "freebsd-minimal.json", NULL, { NULL }, 1 },
	{ "zos-minimal.json", NULL, { NULL }, 1 },
	/* Interfaces move into the container's own network namespace; with no
	 * such namespace they would stay on the host (runc refuses the same). */
	{ "linux-netdevice.json", "linux.netDevices: moving interfaces needs a new network namespace",
	  { "\"linux\": {", "\"linux\": {\"namespaces\": [{\"type\": \"network\"}],", NULL },
	  CONFIG_NET_DEVICES },
	/* No linux.namespaces: the hostname would be the host's (runc refuses
	 * the same: "unable to set hostname without a private UTS namespace"). */
	{ "freebsd-example.json", "hostname: needs a private uts namespace",
	  { "\"freebsd\": {", "\"linux\": {\"namespaces\": [{\"type\": \"uts\"}]}, \"freebsd\": {", NULL },
	  1 },
	/* Written before 1.0, as ociVersion says; and zos.namespaces is no
	 * Linux namespace, so the hostname needs one too. */
	{ "zos-example.json", "ociVersion: 0.5.0-dev is not supported",
	  { "\"0.5.0-dev\"", "\"1.0.0-dev\"",
	    "\"zos\": {", "\"linux\": {\"namespaces\": [{\"type\": \"uts\"}]}, \"zos\": {", NULL },
	  1 },
	/* Besides, it has user and time namespaces, which cannot be renamed
	 * away as the compiled-out properties below are. */
	{ "spec-example.json", "ociVersion: 0.5.0-dev is not supported",
	  { "\"0.5.0-dev\"", "\"1.0.0-dev\"", NULL },
	  CONFIG_USER_NAMESPACE && CONFIG_TIME_NAMESPACE },
};

/* Features this build leaves out are refused when asked for ("not
 * supported by this build"); renaming the key makes it an unknown property,
 * which is ignored, so the rest of the example is still checked. */
static void strip_compiled_out(void)
{
	if (!CONFIG_APPARMOR && strstr(text, "\"apparmorProfile\""))
		patch("\"apparmorProfile\"", "\"x-apparmorProfile\"");
	if (!CONFIG_SELINUX && strstr(text, "\"selinuxLabel\""))
		patch("\"selinuxLabel\"", "\"x-selinuxLabel\"");
	if (!CONFIG_SELINUX && strstr(text, "\"mountLabel\""))
		patch("\"mountLabel\"", "\"x-mountLabel\"");
	if (!CONFIG_SECCOMP && strstr(text, "\"seccomp\""))
		patch("\"seccomp\"", "\"x-seccomp\"");
	if (!CONFIG_HOOKS && strstr(text, "\"hooks\""))
		patch("\"hooks\"", "\"x-hooks\"");
	if (!CONFIG_SYSCTL && strstr(text, "\"sysctl\""))
		patch("\"sysctl\"", "\"x-sysctl\"");
	if (!CONFIG_CGROUP_V1 && strstr(text, "\"network\": {"))
		patch("\"network\": {", "\"x-network\": {");
	while (!CONFIG_TERMINAL && strstr(text, "\"terminal\": true"))
		patch("\"terminal\": true", "\"terminal\": false");
}

static const struct good_case *good_case(const char *file)
{
	unsigned i;

	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		if (!strcmp(good_cases[i].file, file))
			return &good_cases[i];
	}
	return NULL;
}

/* Loads a good example and makes it acceptable as its case says. */
static void load_good(const struct good_case *c)
{
	unsigned k;

	load(GOOD_DIR, c->file);
	strip_compiled_out();
	if (!c->built) {
		if (parse_text() == 0)
			fail_msg("%s: accepted by a build without what it needs", c->file);
		assert_error_contains("not supported by this build");
		return;
	}
	if (!c->refusal) {
		if (parse_text())
			fail_msg("%s refused: %s", c->file, error_msg());
		return;
	}
	if (parse_text() == 0)
		fail_msg("%s: accepted, expected \"%s...\"", c->file, c->refusal);
	if (strncmp(error_msg(), c->refusal, strlen(c->refusal)))
		fail_msg("%s: error \"%s\", expected \"%s...\"", c->file, error_msg(), c->refusal);
	load(GOOD_DIR, c->file);
	strip_compiled_out();
	for (k = 0; c->fix[k]; k += 2)
		patch(c->fix[k], c->fix[k + 1]);
	if (parse_text())
		fail_msg("%s with its fix refused: %s", c->file, error_msg());
}

/* For the tests that read fields: skipped when the build cannot take it. */
static void load_good_or_skip(const char *file)
{
	const struct good_case *c = good_case(file);

	load_good(c);
	if (!c->built)
		skip_because("a feature this example needs is not in this build's configuration");
}

static void good_examples(void **state)
{
	DIR *d = opendir(GOOD_DIR);
	struct dirent *e;
	unsigned n = 0;

	(void)state;
	assert_non_null(d);
	/* Every file there, so that a new example needs a decision here. */
	while ((e = readdir(d))) {
		const struct good_case *c;
		struct good_case plain = { e->d_name, NULL, { NULL }, 1 };

		if (!strstr(e->d_name, ".json"))
			continue;
		c = good_case(e->d_name);
		load_good(c ? c : &plain);
		n++;
	}
	closedir(d);
	assert_int_equal(n, sizeof(good_cases) / sizeof(good_cases[0]));
}

static void good_minimal(void **state)
{
	(void)state;
	load_good(good_case("minimal.json"));
	assert_string_equal(spec.oci_version, "1.0.0");
	assert_string_equal(spec.root_path, "rootfs");
	assert_false(spec.root_readonly);
	assert_false(spec.has_process);
	assert_false(spec.has_linux);
	assert_int_equal(spec.nmounts, 0);

	load_good(good_case("minimal-for-start.json"));
	assert_true(spec.has_process);
	assert_string_equal(spec.process.args.v[0], "sh");
	assert_string_equal(spec.process.cwd, "/");
}

static void good_non_linux(void **state)
{
	(void)state;
	load_good(good_case("freebsd-minimal.json"));
	assert_false(spec.has_linux);
	load_good(good_case("zos-minimal.json"));
	assert_false(spec.has_linux);

	load_good(good_case("freebsd-example.json"));
	assert_string_equal(spec.hostname, "slartibartfast");
	assert_int_equal(spec.nmounts, 2);
	assert_string_equal(spec.mounts[0].type, "devfs");
	assert_string_equal(spec.mounts[0].data, "ruleset=4");
	assert_null(spec.mounts[1].data);

	load_good(good_case("zos-example.json"));
	assert_int_equal(spec.nmounts, 2);
	/* z/OS tfs options: unknown to mount(2), passed on as data */
	assert_int_equal(spec.mounts[1].flags, MS_NOSUID);
	assert_string_equal(spec.mounts[1].data, "-p 1755,-s 64");
	assert_int_equal(spec.nannotations, 2);
	/* zos.namespaces is not linux.namespaces */
	assert_true(spec.linux.ns[NS_UTS].set);
	assert_false(spec.linux.ns[NS_PID].set);
}

static void good_linux_netdevice(void **state)
{
	const struct linux_cfg *l = &spec.linux;

	(void)state;
	load_good_or_skip("linux-netdevice.json");
	assert_int_equal(l->nnet_devices, 3);
	assert_string_equal(l->net_devices[0].key, "eth0");
	assert_string_equal(l->net_devices[0].value, "container_eth0");
	/* no name: the host's name is kept */
	assert_string_equal(l->net_devices[1].key, "ens4");
	assert_string_equal(l->net_devices[1].value, "ens4");
	assert_string_equal(l->net_devices[2].value, "ens5");
}

static void good_linux_rdma(void **state)
{
	const struct resources_cfg *r = &spec.linux.resources;

	(void)state;
	load_good(good_case("linux-rdma.json"));
	assert_int_equal(r->nrdma, 3);
	assert_string_equal(r->rdma[0].device, "mlx5_1");
	assert_true(r->rdma[0].has_handles);
	assert_int_equal(r->rdma[0].handles, 3);
	assert_true(r->rdma[0].has_objects);
	assert_int_equal(r->rdma[0].objects, 10000);
	assert_string_equal(r->rdma[1].device, "mlx4_0");
	assert_false(r->rdma[1].has_handles);
	assert_int_equal(r->rdma[1].objects, 1000);
}

static void good_spec_example(void **state)
{
	const struct process_cfg *p = &spec.process;
	const struct linux_cfg *l = &spec.linux;
	const struct resources_cfg *r = &l->resources;
	uint64_t three = CAP(CAP_AUDIT_WRITE) | CAP(CAP_KILL) | CAP(CAP_NET_BIND_SERVICE);
	int core = rlimit_index("RLIMIT_CORE");
	unsigned i;

	(void)state;
	load_good_or_skip("spec-example.json");

	assert_int_equal(p->user.uid, 1);
	assert_int_equal(p->user.gid, 1);
	assert_int_equal(p->user.ngids, 2);
	assert_int_equal(p->user.gids[0], 5);
	assert_int_equal(p->user.gids[1], 6);
	assert_true(p->caps[CAP_SET_BOUNDING] == three);
	assert_true(p->caps[CAP_SET_INHERITABLE] == three);
	assert_true(p->caps[CAP_SET_EFFECTIVE] == (CAP(CAP_AUDIT_WRITE) | CAP(CAP_KILL)));
	assert_true(p->caps[CAP_SET_AMBIENT] == CAP(CAP_NET_BIND_SERVICE));
	assert_true(p->rlimits[core].set);
	assert_int_equal(p->rlimits[core].hard, 1024);
	assert_true(p->no_new_privileges);

	assert_true(spec.root_readonly);
	assert_string_equal(spec.hostname, "slartibartfast");
	assert_string_equal(spec.domainname, "foobarbaz.test");
	assert_int_equal(spec.nmounts, 7);
	assert_string_equal(mount_at("/dev")->data, "mode=755,size=65536k");

#if CONFIG_HOOKS
	assert_int_equal(spec.nhooks[HOOK_PRESTART], 2);
	assert_int_equal(spec.nhooks[HOOK_CREATE_RUNTIME], 2);
	assert_int_equal(spec.nhooks[HOOK_CREATE_CONTAINER], 1);
	assert_int_equal(spec.nhooks[HOOK_START_CONTAINER], 1);
	assert_int_equal(spec.nhooks[HOOK_POSTSTART], 1);
	assert_int_equal(spec.nhooks[HOOK_POSTSTOP], 1);
	assert_string_equal(spec.hooks[HOOK_PRESTART][0].path, "/usr/bin/fix-mounts");
	assert_int_equal(spec.hooks[HOOK_PRESTART][0].args.n, 3);
	assert_string_equal(spec.hooks[HOOK_PRESTART][0].args.v[2], "arg2");
	assert_int_equal(spec.hooks[HOOK_PRESTART][0].env.n, 1);
	assert_string_equal(spec.hooks[HOOK_PRESTART][0].env.v[0], "key1=value1");
	assert_int_equal(spec.hooks[HOOK_PRESTART][0].timeout, 0);
	assert_int_equal(spec.hooks[HOOK_PRESTART][1].args.n, 0);
	assert_int_equal(spec.hooks[HOOK_POSTSTART][0].timeout, 5);
	assert_string_equal(spec.hooks[HOOK_POSTSTOP][0].args.v[1], "-f");
#endif

	assert_int_equal(l->ndevices, 2);
	assert_string_equal(l->devices[0].path, "/dev/fuse");
	assert_int_equal(l->devices[0].type, 'c');
	assert_int_equal(l->devices[0].major, 10);
	assert_int_equal(l->devices[0].minor, 229);
	assert_true(l->devices[0].has_mode);
	assert_int_equal(l->devices[0].mode, 0666);
	assert_true(l->devices[0].has_uid);
	assert_int_equal(l->devices[1].type, 'b');
	assert_int_equal(l->devices[1].mode, 0660);

	assert_int_equal(l->nuid_mappings, 1);
	assert_int_equal(l->uid_mappings[0].host_id, 1000);
	assert_int_equal(l->uid_mappings[0].size, 32000);
	assert_int_equal(l->ngid_mappings, 1);
#if CONFIG_SYSCTL
	assert_int_equal(l->nsysctl, 2);
	assert_string_equal(l->sysctl[0].key, "net.ipv4.ip_forward");
	assert_string_equal(l->sysctl[0].value, "1");
#endif
	assert_string_equal(l->cgroups_path, "/myRuntime/myContainer");

	assert_true(l->has_resources);
#if CONFIG_CGROUP_V1
	assert_true(r->has_network);
	assert_true(r->has_class_id);
	assert_int_equal(r->class_id, 1048577);
	assert_int_equal(r->nnet_prio, 2);
	assert_string_equal(r->net_prio[1].name, "eth1");
	assert_int_equal(r->net_prio[1].priority, 1000);
#endif
	assert_true(r->has_pids);
	assert_int_equal(r->pids_limit, 32771);
	assert_int_equal(r->nhugepages, 2);
	assert_string_equal(r->hugepages[0].page_size, "2MB");
	assert_true(r->hugepages[0].limit == 9223372036854772000ull);
	assert_string_equal(r->hugepages[1].page_size, "64KB");

	assert_true(r->has_memory);
	assert_true(r->has_mem_limit);
	assert_int_equal(r->mem_limit, 536870912);
	assert_true(r->has_mem_kernel);
	assert_true(r->mem_kernel == -1);
	assert_true(r->mem_kernel_tcp == -1);
	assert_true(r->has_swappiness);
	assert_int_equal(r->swappiness, 0);
	assert_true(r->has_disable_oom_killer);
	assert_false(r->disable_oom_killer);

	assert_true(r->has_cpu);
	assert_int_equal(r->cpu_shares, 1024);
	assert_int_equal(r->cpu_quota, 1000000);
	assert_int_equal(r->cpu_burst, 1000000);
	assert_int_equal(r->cpu_period, 500000);
	assert_int_equal(r->cpu_rt_runtime, 950000);
	assert_int_equal(r->cpu_rt_period, 1000000);
	assert_string_equal(r->cpus, "2-3");
	assert_string_equal(r->mems, "0-7");
	assert_false(r->has_cpu_idle);

	assert_int_equal(r->ndevices, 3);
	assert_false(r->devices[0].allow);
	assert_int_equal(r->devices[0].type, 'a');
	assert_true(r->devices[1].allow);
	assert_int_equal(r->devices[1].type, 'c');
	assert_int_equal(r->devices[1].major, 10);
	assert_int_equal(r->devices[1].minor, 229);
	assert_string_equal(r->devices[1].access, "rw");
	assert_string_equal(r->devices[2].access, "r");

	assert_true(r->has_blkio);
	assert_int_equal(r->blkio_weight, 10);
	assert_int_equal(r->blkio_leaf_weight, 10);
	assert_int_equal(r->nblkio[BLKIO_WEIGHT], 2);
	assert_int_equal(r->blkio[BLKIO_WEIGHT][0].weight, 500);
	assert_int_equal(r->blkio[BLKIO_WEIGHT][0].leaf_weight, 300);
	assert_false(r->blkio[BLKIO_WEIGHT][1].has_leaf_weight);
	assert_int_equal(r->nblkio[BLKIO_READ_BPS], 1);
	assert_int_equal(r->blkio[BLKIO_READ_BPS][0].rate, 600);
	assert_int_equal(r->nblkio[BLKIO_WRITE_BPS], 0);
	assert_int_equal(r->nblkio[BLKIO_WRITE_IOPS], 1);
	assert_int_equal(r->blkio[BLKIO_WRITE_IOPS][0].minor, 16);

	assert_int_equal(l->rootfs_propagation, MS_SLAVE);
	assert_true(l->time_offsets[TIME_MONOTONIC].set);
	assert_int_equal(l->time_offsets[TIME_MONOTONIC].secs, 172800);
	assert_int_equal(l->time_offsets[TIME_BOOTTIME].secs, 604800);
	for (i = 0; i < NS_TYPES; i++)
		assert_true(l->ns[i].set);
	assert_int_equal(l->masked_paths.n, 4);
	assert_int_equal(l->readonly_paths.n, 6);

	assert_int_equal(spec.nannotations, 2);
	assert_string_equal(spec.annotations[1].key, "com.example.key2");
	assert_string_equal(spec.annotations[1].value, "value2");
}

/* What a build without a feature says when a config asks for it. */
static void compiled_out_features(void **state)
{
	(void)state;
	load(GOOD_DIR, "spec-example.json");
	while (!CONFIG_TERMINAL && strstr(text, "\"terminal\": true"))
		patch("\"terminal\": true", "\"terminal\": false");
#if !CONFIG_APPARMOR
	assert_int_equal(parse_text(), -EINVAL);
	assert_string_equal(error_msg(),
			    "process.apparmorProfile: not supported by this build (CONFIG_APPARMOR is not set)");
#endif
#if !CONFIG_SECCOMP
	parse_err("{" BASE ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}}}",
		  "linux.seccomp: not supported by this build (CONFIG_SECCOMP is not set)");
#endif
#if !CONFIG_TERMINAL
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"terminal\":true}}",
		  "process.terminal: not supported by this build (CONFIG_TERMINAL is not set)");
#endif
#if !CONFIG_USER_NAMESPACE
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"user\"}]}}",
		  "linux.namespaces[1]: not supported by this build (CONFIG_USER_NAMESPACE is not set)");
#endif
#if !CONFIG_HOOKS
	parse_err("{" BASE ",\"hooks\":{\"prestart\":[{\"path\":\"/a\"}]}}",
		  "hooks: not supported by this build (CONFIG_HOOKS is not set)");
#endif
	/* Asking for nothing is no request: empty or null values pass. */
	parse_ok("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"apparmorProfile\":\"\","
		 "\"selinuxLabel\":null},\"linux\":{\"seccomp\":null,\"mountLabel\":\"\","
		 "\"intelRdt\":null}}");
}

struct bad_case {
	const char *file;
	const char *error;	/* NULL: accepted, see below */
};

static const struct bad_case bad_cases[] = {
	{ "invalid-json.json", "config.json: invalid JSON at line 1 column 2: expected a string key" },
	{ "linux-hugepage.json",
	  "linux.resources.hugepageLimits[0]: pageSize \"64kB\": expected a size like 2MB or 1GB" },
#if CONFIG_NET_DEVICES
	{ "linux-netdevice.json", "linux.netDevices.eth0.name: expected string, got number" },
#else
	{ "linux-netdevice.json", "linux.netDevices: not supported by this build (CONFIG_NET_DEVICES is not set)" },
#endif
	{ "linux-rdma.json", "linux.resources.rdma.mlx5_1.hcaHandles: expected integer, got string" },
	/* Bad for FreeBSD only: freebsd.jail.vnet takes "new" or "inherit".  A
	 * Linux runtime does not read the "freebsd" object at all (config.md,
	 * "Platform-specific configuration": such objects are for their own
	 * platform), and its common fields are valid, so it parses here. */
	{ "freebsd-vnet-disable.json", NULL },
};

static void bad_examples(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *e;
	unsigned n = 0, i;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		const struct bad_case *c = NULL;

		if (!strstr(e->d_name, ".json"))
			continue;
		for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
			if (!strcmp(bad_cases[i].file, e->d_name))
				c = &bad_cases[i];
		}
		if (!c)
			fail_msg("%s: a new bad example, add it to bad_cases", e->d_name);
		load(BAD_DIR, c->file);
		if (!c->error) {
			if (parse_text())
				fail_msg("%s refused: %s", c->file, error_msg());
		} else {
			if (parse_text() == 0)
				fail_msg("%s accepted, expected \"%s\"", c->file, c->error);
			assert_string_equal(error_msg(), c->error);
		}
		n++;
	}
	closedir(d);
	assert_int_equal(n, sizeof(bad_cases) / sizeof(bad_cases[0]));
}

/* --- types and paths in errors ---------------------------------------------------- */

static void wrong_types(void **state)
{
	static const struct {
		const char *json;
		const char *error;
	} cases[] = {
		{ "[]", "config.json: expected object, got array" },
		{ "{\"ociVersion\":1}", "ociVersion: expected string, got number" },
		{ "{" BASE ",\"linux\":{\"resources\":{\"pids\":{\"limit\":\"10\"}}}}",
		  "linux.resources.pids.limit: expected integer, got string" },
		{ "{" BASE ",\"process\":[]}", "process: expected object, got array" },
		{ "{" BASE ",\"hostname\":5}", "hostname: expected string, got number" },
		{ "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\",\"readonly\":\"yes\"}}",
		  "root.readonly: expected boolean, got string" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"env\":\"A=1\"}}",
		  "process.env: expected array of strings, got string" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"env\":[\"A=1\",2]}}",
		  "process.env[1]: expected string, got number" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\",null]}}",
		  "process.args[1]: expected string, got null" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"user\":{\"uid\":1.5,\"gid\":0}}}",
		  "process.user.uid: expected integer, got number" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"user\":{\"uid\":-1,\"gid\":0}}}",
		  "process.user.uid: -1 out of range [0, 4294967295]" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"user\":{\"uid\":0,\"gid\":4294967296}}}",
		  "process.user.gid: 4294967296 out of range [0, 4294967295]" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"user\":{\"uid\":0,\"gid\":0,"
		  "\"additionalGids\":[1,\"2\"]}}}",
		  "process.user.additionalGids[1]: expected integer, got string" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"oomScoreAdj\":1001}}",
		  "process.oomScoreAdj: 1001 out of range [-1000, 1000]" },
		{ "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"capabilities\":{\"bounding\":\"CAP_KILL\"}}}",
		  "process.capabilities.bounding: expected array, got string" },
		{ "{" BASE ",\"mounts\":{}}", "mounts: expected array, got object" },
		{ "{" BASE ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"ro\",7]}]}",
		  "mounts[0].options[1]: expected string, got number" },
		{ "{" BASE ",\"mounts\":[{\"destination\":\"/a\"},{\"destination\":[]}]}",
		  "mounts[1].destination: expected string, got array" },
		{ "{" BASE ",\"annotations\":{\"a\":\"1\",\"b\":1}}", "annotations.b: expected string, got number" },
		{ "{" BASE ",\"linux\":{\"namespaces\":[\"pid\"]}}",
		  "linux.namespaces[0]: expected object, got string" },
#if CONFIG_SYSCTL
		{ "{" BASE ",\"linux\":{\"sysctl\":[]}}", "linux.sysctl: expected object, got array" },
#endif
		{ "{" BASE ",\"linux\":{\"resources\":{\"memory\":{\"limit\":true}}}}",
		  "linux.resources.memory.limit: expected integer, got boolean" },
		{ "{" BASE ",\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775808}}}}",
		  "linux.resources.memory.limit: 9223372036854775808 out of range "
		  "[-9223372036854775808, 9223372036854775807]" },
		{ "{" BASE ",\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65536}}}}",
		  "linux.resources.blockIO.weight: 65536 out of range [0, 65535]" },
		{ "{" BASE ",\"linux\":{\"resources\":{\"cpu\":{\"shares\":-1}}}}",
		  "linux.resources.cpu.shares: -1 out of range [0, 18446744073709551615]" },
#if CONFIG_USER_NAMESPACE
		{ "{" BASE ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":\"1\"}]}}",
		  "linux.uidMappings[0].size: expected integer, got string" },
#endif
		{ "{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,"
		  "\"minor\":3,\"fileMode\":-1}]}}",
		  "linux.devices[0].fileMode: -1 out of range [0, 4294967295]" },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		parse_err(cases[i].json, cases[i].error);
}

static void required_fields(void **state)
{
	(void)state;
	parse_err("{}", "ociVersion: required");
	parse_err("{\"ociVersion\":\"1.0.0\",\"root\":{}}", "root.path: required");
	/* null is absent, so a null required field is missing */
	parse_err("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":null}}", "root.path: required");
	parse_err("{" BASE ",\"process\":{\"args\":[\"a\"]}}", "process.cwd: required");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"user\":{\"uid\":0}}}",
		  "process.user.gid: required");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\"}}", "process.args: required");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[]}}", "process.args: needs at least one entry");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"rlimits\":[{\"type\":\"RLIMIT_CORE\","
		  "\"soft\":1}]}}",
		  "process.rlimits[0].hard: required");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"consoleSize\":{\"height\":10}}}",
		  "process.consoleSize.width: required");
	parse_err("{" BASE ",\"mounts\":[{\"source\":\"/a\"}]}", "mounts[0].destination: required");
	parse_err("{" BASE ",\"mounts\":[{\"destination\":\"\"}]}", "mounts[0].destination: empty destination");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"path\":\"/proc/1/ns/pid\"}]}}",
		  "linux.namespaces[0].type: required");
	parse_err("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1}]}}",
		  "linux.devices[0]: major and minor are required for type c");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"devices\":[{\"access\":\"r\"}]}}}",
		  "linux.resources.devices[0].allow: required");
	/* ociVersion is the only field the top level requires */
	parse_ok("{\"ociVersion\":\"1.0.0\"}");
}

static void paths_must_be_absolute(void **state)
{
	(void)state;
	parse_err("{" BASE ",\"process\":{\"cwd\":\"tmp\",\"args\":[\"a\"]}}",
		  "process.cwd: \"tmp\" is not an absolute path");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"proc/1/ns/net\"}]}}",
		  "linux.namespaces[0].path: \"proc/1/ns/net\" is not an absolute path");
	parse_err("{" BASE ",\"linux\":{\"maskedPaths\":[\"/proc/kcore\",\"proc/keys\"]}}",
		  "linux.maskedPaths: \"proc/keys\" is not an absolute path");
	parse_err("{" BASE ",\"linux\":{\"readonlyPaths\":[\"sys\"]}}",
		  "linux.readonlyPaths: \"sys\" is not an absolute path");
	parse_err("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3}]}}",
		  "linux.devices[0].path: \"dev/null\" is not an absolute path");
}

/* --- limits ------------------------------------------------------------------------ */

/* A config whose process.env has n entries. */
static void env_config(unsigned n)
{
	unsigned i;

	b_reset();
	b_add("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"env\":[");
	for (i = 0; i < n; i++)
		b_add("\"V%u=%u\",", i, i);
	b_uncomma();
	b_add("]}}");
}

static void limit_env(void **state)
{
	char msg[128];

	(void)state;
	env_config(CONFIG_MAX_ENV);
	parse_ok(big);
	assert_int_equal(spec.process.env.n, CONFIG_MAX_ENV);
	snprintf(msg, sizeof(msg), "V%u=%u", CONFIG_MAX_ENV - 1, CONFIG_MAX_ENV - 1);
	assert_string_equal(spec.process.env.v[CONFIG_MAX_ENV - 1], msg);
	assert_null(spec.process.env.v[CONFIG_MAX_ENV]);

	env_config(CONFIG_MAX_ENV + 1);
	snprintf(msg, sizeof(msg), "process.env: %u entries, limit %u (CONFIG_MAX_ENV)",
		 CONFIG_MAX_ENV + 1, CONFIG_MAX_ENV);
	parse_err(big, msg);
}

static void limit_args_mounts_annotations(void **state)
{
	char msg[128];
	unsigned i;

	(void)state;
	b_reset();
	b_add("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[");
	for (i = 0; i <= CONFIG_MAX_ARGS; i++)
		b_add("\"a%u\",", i);
	b_uncomma();
	b_add("]}}");
	snprintf(msg, sizeof(msg), "process.args: %u entries, limit %u (CONFIG_MAX_ARGS)",
		 CONFIG_MAX_ARGS + 1, CONFIG_MAX_ARGS);
	parse_err(big, msg);

	b_reset();
	b_add("{" BASE ",\"mounts\":[");
	for (i = 0; i <= CONFIG_MAX_MOUNTS; i++)
		b_add("{\"destination\":\"/m%u\"},", i);
	b_uncomma();
	b_add("]}");
	snprintf(msg, sizeof(msg), "mounts: %u entries, limit %u (CONFIG_MAX_MOUNTS)",
		 CONFIG_MAX_MOUNTS + 1, CONFIG_MAX_MOUNTS);
	parse_err(big, msg);

	b_reset();
	b_add("{" BASE ",\"annotations\":{");
	for (i = 0; i <= CONFIG_MAX_ANNOTATIONS; i++)
		b_add("\"k%u\":\"v\",", i);
	b_uncomma();
	b_add("}}");
	snprintf(msg, sizeof(msg), "annotations: %u entries, limit %u (CONFIG_MAX_ANNOTATIONS)",
		 CONFIG_MAX_ANNOTATIONS + 1, CONFIG_MAX_ANNOTATIONS);
	parse_err(big, msg);

	b_reset();
	b_add("{" BASE ",\"mounts\":[{\"destination\":\"/m\",\"options\":[");
	for (i = 0; i <= CONFIG_MAX_MOUNT_OPTIONS; i++)
		b_add("\"o%u\",", i);
	b_uncomma();
	b_add("]}]}");
	snprintf(msg, sizeof(msg), "mounts[0].options: %u entries, limit %u (CONFIG_MAX_MOUNT_OPTIONS)",
		 CONFIG_MAX_MOUNT_OPTIONS + 1, CONFIG_MAX_MOUNT_OPTIONS);
	parse_err(big, msg);

	b_reset();
	b_add("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"user\":{\"uid\":0,\"gid\":0,"
	      "\"additionalGids\":[");
	for (i = 0; i <= CONFIG_MAX_ADDITIONAL_GIDS; i++)
		b_add("%u,", i);
	b_uncomma();
	b_add("]}}}");
	snprintf(msg, sizeof(msg), "process.user.additionalGids: %u entries, limit %u (CONFIG_MAX_ADDITIONAL_GIDS)",
		 CONFIG_MAX_ADDITIONAL_GIDS + 1, CONFIG_MAX_ADDITIONAL_GIDS);
	parse_err(big, msg);
}

static void limit_strings(void **state)
{
	char msg[128];
	unsigned h, i, per = CONFIG_MAX_ARGS - 1;

	(void)state;
#if CONFIG_HOOKS
	/* Each list fits its own limit; together they pass the string pool. */
	assert_true(CONFIG_MAX_HOOKS * (per + 1) > CONFIG_MAX_STRINGS);
	b_reset();
	b_add("{" BASE ",\"hooks\":{\"prestart\":[");
	for (h = 0; h < CONFIG_MAX_HOOKS; h++) {
		b_add("{\"path\":\"/h\",\"args\":[");
		for (i = 0; i < per; i++)
			b_add("\"%u\",", i);
		b_uncomma();
		b_add("]},");
	}
	b_uncomma();
	b_add("]}}");
	/* The hook that overflows: the pool holds CONFIG_MAX_STRINGS / per
	 * whole lists of per strings and a NULL each. */
	h = CONFIG_MAX_STRINGS / (per + 1);
	snprintf(msg, sizeof(msg), "hooks.prestart[%u].args: %u strings in all, limit %u (CONFIG_MAX_STRINGS)",
		 h, (h + 1) * (per + 1), CONFIG_MAX_STRINGS);
	parse_err(big, msg);
#else
	(void)msg;
	(void)h;
	(void)i;
	(void)per;
	skip_because("CONFIG_HOOKS is not set");
#endif
}

static void limit_tokens_and_depth(void **state)
{
	char msg[128];
	unsigned i, n = CONFIG_MAX_JSON_TOKENS;

	(void)state;
	/* {"ociVersion":"1.0.0","x":[0, ...]} is 5 tokens and the zeros. */
	b_reset();
	b_add("{\"ociVersion\":\"1.0.0\",\"x\":[");
	for (i = 0; i < n - 5; i++)
		b_add("0,");
	b_uncomma();
	b_add("]}");
	parse_ok(big);

	b_reset();
	b_add("{\"ociVersion\":\"1.0.0\",\"x\":[");
	for (i = 0; i < n - 4; i++)
		b_add("0,");
	b_uncomma();
	b_add("]}");
	snprintf(msg, sizeof(msg), "config.json: %u JSON tokens, limit %u (CONFIG_MAX_JSON_TOKENS)", n + 1, n);
	parse_err(big, msg);

	/* Depth counts in unknown properties too. */
	b_reset();
	b_add("{\"ociVersion\":\"1.0.0\",\"x\":");
	for (i = 0; i < CONFIG_MAX_JSON_DEPTH; i++)
		b_add("[");
	for (i = 0; i < CONFIG_MAX_JSON_DEPTH; i++)
		b_add("]");
	b_add("}");
	parse_err_prefix(big, "config.json: invalid JSON at line 1 column ");
	assert_error_contains(": nested too deeply");
}

/* --- ociVersion ---------------------------------------------------------------------- */

static void oci_version(void **state)
{
	static const char *const good[] = {
		"1.0.0", "1.0.2-dev", "1.3.0", "1.2.0-rc.1+build.5", "1.0.0-alpha-1.x.7",
		"1.0.0+001.sha-5114f85", "1.99.1234",
	};
	static const struct {
		const char *v;
		const char *error;
	} bad[] = {
		{ "0.9.0", "ociVersion: 0.9.0 is not supported: this runtime implements 1.x (1.3.0)" },
		{ "2.0.0", "ociVersion: 2.0.0 is not supported: this runtime implements 1.x (1.3.0)" },
		{ "10.0.0", "ociVersion: 10.0.0 is not supported: this runtime implements 1.x (1.3.0)" },
		{ "1.0", "ociVersion: \"1.0\" is not a SemVer version" },
		{ "01.0.0", "ociVersion: \"01.0.0\" is not a SemVer version" },
		{ "1.00.0", "ociVersion: \"1.00.0\" is not a SemVer version" },
		{ "v1.0.0", "ociVersion: \"v1.0.0\" is not a SemVer version" },
		{ "1.0.0 ", "ociVersion: \"1.0.0 \" is not a SemVer version" },
		{ "1.0.0.0", "ociVersion: \"1.0.0.0\" is not a SemVer version" },
		{ "", "ociVersion: \"\" is not a SemVer version" },
		{ "1.0.0-01", "ociVersion: \"1.0.0-01\" has a bad pre-release tag" },
		{ "1.0.0-", "ociVersion: \"1.0.0-\" has a bad pre-release tag" },
		{ "1.0.0-rc..1", "ociVersion: \"1.0.0-rc..1\" has a bad pre-release tag" },
		{ "1.0.0-rc_1", "ociVersion: \"1.0.0-rc_1\" is not a SemVer version" },
		{ "1.0.0+", "ociVersion: \"1.0.0+\" has bad build metadata" },
	};
	char json[256];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(json, sizeof(json), "{\"ociVersion\":\"%s\"}", good[i]);
		parse_ok(json);
		assert_string_equal(spec.oci_version, good[i]);
		error_clear();
		assert_int_equal(spec_check_version(good[i]), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"ociVersion\":\"%s\"}", bad[i].v);
		parse_err(json, bad[i].error);
	}
}

/* --- namespaces and ID mappings -------------------------------------------------------- */

static void namespaces(void **state)
{
	const struct linux_cfg *l = &spec.linux;

	(void)state;
	parse_ok("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\","
		 "\"path\":\"/var/run/netns/x\"},{\"type\":\"cgroup\",\"path\":null}]}}");
	assert_true(l->ns[NS_PID].set);
	assert_null(l->ns[NS_PID].path);
	assert_true(l->ns[NS_NET].set);
	assert_string_equal(l->ns[NS_NET].path, "/var/run/netns/x");
	assert_true(l->ns[NS_CGROUP].set);
	assert_null(l->ns[NS_CGROUP].path);
	assert_false(l->ns[NS_MNT].set);

	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"pid\"}]}}",
		  "linux.namespaces[2]: namespace pid given twice");
	/* given twice even when one joins and one is new */
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"mount\","
		  "\"path\":\"/proc/1/ns/mnt\"}]}}",
		  "linux.namespaces[1]: namespace mount given twice");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"PID\"}]}}",
		  "linux.namespaces[0]: unknown namespace type PID");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"\"}]}}",
		  "linux.namespaces[0]: unknown namespace type ");
}

static void id_mappings(void **state)
{
	(void)state;
	if (!CONFIG_USER_NAMESPACE)
		skip_because("CONFIG_USER_NAMESPACE is not set");
#define MAP "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]"
	parse_ok("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":" MAP
		 ",\"gidMappings\":" MAP "}}");
	assert_int_equal(spec.linux.uid_mappings[0].host_id, 100000);
	assert_int_equal(spec.linux.gid_mappings[0].size, 65536);

	parse_err("{" BASE ",\"linux\":{\"uidMappings\":" MAP ",\"gidMappings\":" MAP "}}",
		  "linux.uidMappings: ID mappings need a new user namespace");
	/* Joining a user namespace takes its mappings as they are. */
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}],"
		  "\"uidMappings\":" MAP ",\"gidMappings\":" MAP "}}",
		  "linux.uidMappings: ID mappings need a new user namespace");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":" MAP "}}",
		  "linux.namespaces: a new user namespace needs uidMappings and gidMappings");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}}",
		  "linux.namespaces: a new user namespace needs uidMappings and gidMappings");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":"
		  "[{\"containerID\":0,\"hostID\":0,\"size\":0}],\"gidMappings\":" MAP "}}",
		  "linux.uidMappings[0]: size is zero");
#undef MAP
}

static void cross_field_rules(void **state)
{
	(void)state;
	parse_err("{" BASE ",\"domainname\":\"example.org\"}", "domainname: needs a private uts namespace");
	/* joining a uts namespace is enough: it is not the runtime's */
	parse_ok("{" BASE ",\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"uts\","
		 "\"path\":\"/proc/1/ns/uts\"}]}}");
	assert_string_equal(spec.hostname, "h");
	/* an empty hostname changes nothing */
	parse_ok("{" BASE ",\"hostname\":\"\"}");
#if CONFIG_TIME_NAMESPACE
	parse_err("{" BASE ",\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":1}}}}",
		  "linux.timeOffsets: offsets need a new time namespace");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"time\"}],"
		  "\"timeOffsets\":{\"realtime\":{\"secs\":1}}}}",
		  "linux.timeOffsets.realtime: unknown clock (boottime and monotonic have offsets)");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"time\"}],"
		  "\"timeOffsets\":{\"monotonic\":{\"nanosecs\":1000000000}}}}",
		  "linux.timeOffsets.monotonic: nanosecs must be below 1000000000");
	parse_ok("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"time\"}],"
		 "\"timeOffsets\":{\"monotonic\":{\"secs\":-5,\"nanosecs\":999999999}}}}");
	assert_true(spec.linux.time_offsets[TIME_MONOTONIC].secs == -5);
	assert_false(spec.linux.time_offsets[TIME_BOOTTIME].set);
#endif
#if CONFIG_NET_DEVICES
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"network\"}],"
		  "\"netDevices\":{\"eth0\":{\"name\":\"a/b\"}}}}",
		  "linux.netDevices.eth0: name \"a/b\" is not an interface name");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"network\"}],"
		  "\"netDevices\":{\"abcdefghijklmnop\":{}}}}",
		  "linux.netDevices.abcdefghijklmnop: \"abcdefghijklmnop\" is not an interface name");
#endif
}

/* --- process ---------------------------------------------------------------------------- */

static void rlimits(void **state)
{
	const struct process_cfg *p = &spec.process;
	int nofile = rlimit_index("RLIMIT_NOFILE"), rttime = rlimit_index("RLIMIT_RTTIME");

	(void)state;
	parse_ok("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"rlimits\":["
		 "{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024,\"hard\":4096},"
		 "{\"type\":\"RLIMIT_RTTIME\",\"soft\":18446744073709551615,\"hard\":18446744073709551615}]}}");
	assert_true(p->rlimits[nofile].set);
	assert_int_equal(p->rlimits[nofile].soft, 1024);
	assert_int_equal(p->rlimits[nofile].hard, 4096);
	assert_true(p->rlimits[rttime].hard == UINT64_MAX);
	assert_false(p->rlimits[rlimit_index("RLIMIT_CPU")].set);
	/* The names map to this libc's numbers. */
	assert_int_equal(rlimit_resources[nofile], RLIMIT_NOFILE);
	assert_int_equal(rlimit_resources[rttime], RLIMIT_RTTIME);

	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"rlimits\":["
		  "{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1},{\"type\":\"RLIMIT_CORE\",\"soft\":1,\"hard\":1},"
		  "{\"type\":\"RLIMIT_NOFILE\",\"soft\":2,\"hard\":2}]}}",
		  "process.rlimits[2]: RLIMIT_NOFILE given twice");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"rlimits\":["
		  "{\"type\":\"RLIMIT_FOO\",\"soft\":1,\"hard\":1}]}}",
		  "process.rlimits[0]: unknown rlimit type RLIMIT_FOO");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"rlimits\":["
		  "{\"type\":\"nofile\",\"soft\":1,\"hard\":1}]}}",
		  "process.rlimits[0]: unknown rlimit type nofile");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"rlimits\":["
		  "{\"type\":\"RLIMIT_NOFILE\",\"soft\":2,\"hard\":1}]}}",
		  "process.rlimits[0]: RLIMIT_NOFILE: soft limit 2 above hard limit 1");
}

static void process_fields_parse(void **state)
{
	const struct process_cfg *p = &spec.process;

	(void)state;
	parse_ok("{" BASE ",\"process\":{\"cwd\":\"/w\",\"args\":[\"a\",\"b c\"],\"terminal\":false,"
		 "\"consoleSize\":{\"height\":25,\"width\":80},\"oomScoreAdj\":-1000,"
		 "\"user\":{\"uid\":4294967295,\"gid\":7,\"umask\":18,\"username\":\"nobody\"},"
		 "\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\",\"CAP_NOT_A_CAPABILITY\"],\"effective\":[]}}}");
	assert_string_equal(p->cwd, "/w");
	assert_string_equal(p->args.v[1], "b c");
	assert_false(p->terminal);
	assert_true(p->has_console_size);
	assert_int_equal(p->console_height, 25);
	assert_int_equal(p->console_width, 80);
	assert_true(p->has_oom_score_adj);
	assert_true(p->oom_score_adj == -1000);
	assert_true(p->user.uid == UINT32_MAX);
	assert_true(p->user.has_umask);
	assert_int_equal(p->user.umask, 022);
	assert_string_equal(p->user.username, "nobody");
	/* an unknown capability is a warning, not an error: the rest holds */
	assert_true(p->has_caps);
	assert_true(p->caps[CAP_SET_BOUNDING] == CAP(CAP_SYS_ADMIN));
	assert_true(p->caps[CAP_SET_EFFECTIVE] == 0);

#if CONFIG_PROCESS_SCHED
	parse_ok("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],"
		 "\"scheduler\":{\"policy\":\"SCHED_DEADLINE\",\"runtime\":10,\"deadline\":20,\"period\":30,"
		 "\"flags\":[\"SCHED_FLAG_RESET_ON_FORK\",\"SCHED_FLAG_UTIL_CLAMP_MAX\"]},"
		 "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":4},"
		 "\"execCPUAffinity\":{\"initial\":\"0-1\",\"final\":\"1\"}}}");
	assert_true(p->sched.set);
	assert_int_equal(p->sched.policy, 6);
	assert_int_equal(p->sched.period, 30);
	assert_int_equal(p->sched.flags, (1 << 0) | (1 << 6));
	assert_true(p->has_ioprio);
	assert_int_equal(p->ioprio_class, 2);
	assert_int_equal(p->ioprio_level, 4);
	assert_string_equal(p->cpu_initial, "0-1");
	assert_string_equal(p->cpu_final, "1");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\","
		  "\"priority\":8}}}",
		  "process.ioPriority: priority 8 out of range [0, 7]");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"ioPriority\":{\"class\":\"\"}}}",
		  "process.ioPriority: unknown class ");
	parse_err("{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"a\"],\"scheduler\":{\"policy\":\"SCHED_X\"}}}",
		  "process.scheduler.policy: unknown policy SCHED_X");
#endif
}

/* --- hooks -------------------------------------------------------------------------------- */

static void hooks(void **state)
{
	(void)state;
#if CONFIG_HOOKS
	parse_ok("{" BASE ",\"hooks\":{\"prestart\":null,\"createRuntime\":[{\"path\":\"/bin/a\","
		 "\"timeout\":30,\"args\":[\"a\",\"-x\"],\"env\":[\"K=V\"]}],\"preStart\":[{\"path\":\"rel\"}],"
		 "\"poststop\":[{\"path\":\"/1\"},{\"path\":\"/2\"}]}}");
	assert_int_equal(spec.nhooks[HOOK_PRESTART], 0);
	assert_int_equal(spec.nhooks[HOOK_CREATE_RUNTIME], 1);
	assert_int_equal(spec.hooks[HOOK_CREATE_RUNTIME][0].timeout, 30);
	assert_string_equal(spec.hooks[HOOK_CREATE_RUNTIME][0].args.v[1], "-x");
	assert_string_equal(spec.hooks[HOOK_CREATE_RUNTIME][0].env.v[0], "K=V");
	assert_int_equal(spec.nhooks[HOOK_POSTSTOP], 2);
	assert_string_equal(spec.hooks[HOOK_POSTSTOP][1].path, "/2");

	parse_err("{" BASE ",\"hooks\":{\"prestart\":[{\"path\":\"bin/true\"}]}}",
		  "hooks.prestart[0].path: \"bin/true\" is not an absolute path");
	parse_err("{" BASE ",\"hooks\":{\"poststart\":[{\"path\":\"/a\"},{\"path\":\"/b\",\"timeout\":0}]}}",
		  "hooks.poststart[1].timeout: must be greater than zero");
	parse_err("{" BASE ",\"hooks\":{\"poststop\":[{\"path\":\"/a\",\"timeout\":-1}]}}",
		  "hooks.poststop[0].timeout: must be greater than zero");
	parse_err("{" BASE ",\"hooks\":{\"startContainer\":[{\"args\":[\"x\"]}]}}",
		  "hooks.startContainer[0].path: required");
	parse_err("{" BASE ",\"hooks\":{\"createContainer\":{}}}",
		  "hooks.createContainer: expected array, got object");
#else
	parse_err("{" BASE ",\"hooks\":{\"prestart\":[{\"path\":\"/a\"}]}}",
		  "hooks: not supported by this build (CONFIG_HOOKS is not set)");
#endif
}

/* --- mounts ---------------------------------------------------------------------------------- */

static const struct mount_cfg *one_mount(const char *options)
{
	char json[1024];

	snprintf(json, sizeof(json),
		 "{" BASE ",\"mounts\":[{\"destination\":\"/m\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
		 "\"options\":%s}]}",
		 options);
	parse_ok(json);
	assert_int_equal(spec.nmounts, 1);
	return &spec.mounts[0];
}

static void mount_options(void **state)
{
	const struct mount_cfg *m;

	(void)state;
	m = one_mount("[\"nosuid\",\"mode=755\",\"size=65536k\"]");
	assert_int_equal(m->flags, MS_NOSUID);
	assert_string_equal(m->data, "mode=755,size=65536k");

	/* known ones in between do not leave holes or commas */
	m = one_mount("[\"mode=1777\",\"ro\",\"\",\"nodev\",\"uid=5\",\"noexec\",\"gid=5\"]");
	assert_int_equal(m->flags, MS_RDONLY | MS_NODEV | MS_NOEXEC);
	assert_string_equal(m->data, "mode=1777,uid=5,gid=5");

	/* data that was escaped in the JSON */
	m = one_mount("[\"context=\\\"system_u:object_r:x\\\"\",\"nosuid\",\"o=\\u00e9\"]");
	assert_string_equal(m->data, "context=\"system_u:object_r:x\",o=\xc3\xa9");

	m = one_mount("[\"ro\",\"nosuid\"]");
	assert_null(m->data);
	m = one_mount("[]");
	assert_null(m->data);
	assert_int_equal(m->flags, 0);

	/* the last word wins, and what is switched off is remembered */
	m = one_mount("[\"ro\",\"rw\",\"nosuid\",\"suid\",\"noatime\"]");
	assert_int_equal(m->flags, MS_NOATIME);
	assert_int_equal(m->clear, MS_RDONLY | MS_NOSUID);

	/* propagation, with MS_REC for the r* forms */
	m = one_mount("[\"rprivate\"]");
	assert_int_equal(m->propagation, MS_PRIVATE | MS_REC);
	m = one_mount("[\"shared\",\"rslave\"]");
	assert_int_equal(m->propagation, MS_SLAVE | MS_REC);
	m = one_mount("[\"unbindable\"]");
	assert_int_equal(m->propagation, MS_UNBINDABLE);
	assert_int_equal(m->flags, 0);

	/* recursive attributes go to mount_setattr */
	m = one_mount("[\"rro\",\"rnosuid\",\"rnodev\",\"rnoexec\",\"rnosymfollow\"]");
	assert_true(m->attr_set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				     MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW));
	assert_int_equal(m->flags, 0);
	m = one_mount("[\"rro\",\"rrw\"]");
	assert_true(m->attr_set == 0);
	assert_true(m->attr_clr == MOUNT_ATTR_RDONLY);
	m = one_mount("[\"rnoatime\"]");
	assert_true(m->attr_clr == MOUNT_ATTR__ATIME);
	assert_true(m->attr_set == MOUNT_ATTR_NOATIME);

	m = one_mount("[\"rbind\",\"ro\"]");
	assert_int_equal(m->kind, MNT_BIND | MNT_REC);
	assert_int_equal(m->flags, MS_RDONLY);
	m = one_mount("[\"bind\"]");
	assert_int_equal(m->kind, MNT_BIND);
#if CONFIG_TMPCOPYUP
	m = one_mount("[\"tmpcopyup\"]");
	assert_int_equal(m->kind, MNT_TMPCOPYUP);
	assert_null(m->data);
#endif
}

static void mount_kinds(void **state)
{
	(void)state;
	parse_ok("{" BASE ",\"mounts\":[{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\"},"
		 "{\"destination\":\"relative\",\"type\":null,\"source\":null}]}");
	assert_int_equal(spec.mounts[0].kind, MNT_CGROUP);
	assert_null(spec.mounts[0].source);
	/* relative destinations are deprecated, not refused (config.md) */
	assert_string_equal(spec.mounts[1].destination, "relative");
	assert_null(spec.mounts[1].type);
}

static void mount_idmaps(void **state)
{
	const struct mount_cfg *m;

	(void)state;
	if (!CONFIG_IDMAP_MOUNTS) {
		parse(" {" BASE ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"idmap\"]}]}");
		assert_compiled_out("CONFIG_IDMAP_MOUNTS");
		skip_because("CONFIG_IDMAP_MOUNTS is not set: only its refusal is tested");
	}
#define MAP "[{\"containerID\":0,\"hostID\":1000,\"size\":10}]"
	parse_ok("{" BASE ",\"mounts\":[{\"destination\":\"/a\",\"source\":\"/b\","
		 "\"options\":[\"rbind\",\"ridmap\"],\"uidMappings\":" MAP ",\"gidMappings\":" MAP "},"
		 "{\"destination\":\"/c\",\"source\":\"/d\",\"options\":[\"bind\",\"idmap\"],"
		 "\"uidMappings\":" MAP ",\"gidMappings\":[{\"containerID\":0,\"hostID\":2000,\"size\":5},"
		 "{\"containerID\":5,\"hostID\":3000,\"size\":5}]}]}");
	m = &spec.mounts[0];
	assert_int_equal(m->kind, MNT_BIND | MNT_REC | MNT_IDMAP | MNT_RIDMAP | MNT_HAS_MAPPINGS);
	assert_int_equal(m->uid_n, 1);
	assert_int_equal(m->gid_n, 1);
	assert_int_equal(spec.mount_idmaps[m->uid_off].host_id, 1000);
	m = &spec.mounts[1];
	assert_int_equal(m->uid_n, 1);
	assert_int_equal(m->gid_n, 2);
	assert_int_equal(spec.mount_idmaps[m->gid_off + 1].host_id, 3000);
	assert_int_equal(spec.nmount_idmaps, 5);

	parse_err("{" BASE ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"bind\"],"
		  "\"uidMappings\":" MAP ",\"gidMappings\":" MAP "}]}",
		  "mounts[0]: uidMappings need the idmap or ridmap option");
	parse_err("{" BASE ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"bind\",\"idmap\"],"
		  "\"uidMappings\":" MAP "}]}",
		  "mounts[0]: uidMappings and gidMappings go together");
#undef MAP
}

/* BUG (src/spec_parse.c, p_mount): an empty uidMappings and gidMappings
 * pair is no mapping at all (Go's decoder gives runc two empty slices, and
 * runc then makes no idmapped mount), but p_mount_mappings marks the mount
 * MNT_HAS_MAPPINGS for any array, so the pair is refused with the wrong
 * reason, "uidMappings and gidMappings go together". */
static void mount_empty_mappings(void **state)
{
	(void)state;
	if (parse("{" BASE ",\"mounts\":[{\"destination\":\"/a\",\"source\":\"/b\",\"options\":[\"bind\"],"
		  "\"uidMappings\":[],\"gidMappings\":[]}]}"))
		fail_msg("BUG: empty uidMappings/gidMappings refused: %s", error_msg());
	assert_int_equal(spec.mounts[0].kind, MNT_BIND);
}

/* --- linux odds and ends ----------------------------------------------------------------------- */

static void linux_misc(void **state)
{
	const struct linux_cfg *l = &spec.linux;

	(void)state;
	parse_ok("{" BASE ",\"linux\":{\"rootfsPropagation\":\"unbindable\",\"cgroupsPath\":\"a:b:c\"}}");
	assert_int_equal(l->rootfs_propagation, MS_UNBINDABLE);
	assert_string_equal(l->cgroups_path, "a:b:c");
	/* rootfsPropagation takes the plain names only */
	parse_err("{" BASE ",\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
		  "linux.rootfsPropagation: \"rshared\": expected private, shared, slave or unbindable");

	parse_ok("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/p\",\"type\":\"p\"},"
		 "{\"path\":\"/dev/u\",\"type\":\"u\",\"major\":4095,\"minor\":1048575}]}}");
	assert_int_equal(l->ndevices, 2);
	assert_int_equal(l->devices[0].type, 'p');
	assert_false(l->devices[0].has_mode);
	assert_int_equal(l->devices[1].major, 4095);
	assert_int_equal(l->devices[1].minor, 1048575);
	parse_err("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"cc\",\"major\":1,"
		  "\"minor\":1}]}}",
		  "linux.devices[0]: type \"cc\": expected c, b, u or p");
	parse_err("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"b\",\"major\":4096,"
		  "\"minor\":1}]}}",
		  "linux.devices[0]: device number 4096:1 out of range");
	/* podman's whole st_mode: S_IFCHR|0666 is 0666. */
	parse_ok("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,"
		 "\"minor\":1,\"fileMode\":8630}]}}");
	assert_int_equal(l->devices[0].mode, 0666);
	parse_err("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,"
		  "\"minor\":1,\"fileMode\":25014}]}}",
		  "linux.devices[0]: fileMode 060666: the file type is not that of type c");
	parse_err("{" BASE ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,"
		  "\"minor\":1,\"fileMode\":1048576}]}}",
		  "linux.devices[0]: fileMode 1048576 is not a mode");

#if CONFIG_PERSONALITY
	parse_ok("{" BASE ",\"linux\":{\"personality\":{\"domain\":\"LINUX32\",\"flags\":[]}}}");
	assert_true(l->has_personality);
	assert_int_equal(l->personality, PER_LINUX32);
	parse_err("{" BASE ",\"linux\":{\"personality\":{\"domain\":\"BSD\"}}}",
		  "linux.personality: domain \"BSD\": expected LINUX or LINUX32");
	parse_err("{" BASE ",\"linux\":{\"personality\":{\"domain\":\"LINUX\",\"flags\":[\"X\"]}}}",
		  "linux.personality: flags: no personality flag is supported");
#endif
}

static void sysctl_rules(void **state)
{
	(void)state;
#if CONFIG_SYSCTL
	parse_ok("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"ipc\"},{\"type\":\"network\"},"
		 "{\"type\":\"uts\"}],\"sysctl\":{\"kernel.shmmax\":\"1\",\"fs.mqueue.queues_max\":\"2\","
		 "\"net.ipv4.ip_forward\":\"1\",\"kernel.domainname\":\"d\"}}}");
	assert_int_equal(spec.linux.nsysctl, 4);
	assert_string_equal(spec.linux.sysctl[1].key, "fs.mqueue.queues_max");
	assert_string_equal(spec.linux.sysctl[1].value, "2");
	parse_err("{" BASE ",\"linux\":{\"sysctl\":{\"vm.swappiness\":\"1\"}}}",
		  "linux.sysctl.vm.swappiness: not a namespaced sysctl; it would change the host");
	parse_err("{" BASE ",\"linux\":{\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}}}",
		  "linux.sysctl.net.ipv4.ip_forward: needs the container's own network namespace");
	parse_err("{" BASE ",\"linux\":{\"namespaces\":[{\"type\":\"network\"}],"
		  "\"sysctl\":{\"net.ipv4/../../kernel/x\":\"1\"}}}",
		  "linux.sysctl.net.ipv4/../../kernel/x: not a sysctl name");
	parse_err("{" BASE ",\"linux\":{\"sysctl\":{\"kernel.sem\":1}}}",
		  "linux.sysctl.kernel.sem: expected string, got number");
#else
	parse_err("{" BASE ",\"linux\":{\"sysctl\":{\"kernel.sem\":\"1\"}}}",
		  "linux.sysctl: not supported by this build (CONFIG_SYSCTL is not set)");
#endif
}

static void resources_rules(void **state)
{
	const struct resources_cfg *r = &spec.linux.resources;

	(void)state;
	parse_ok("{" BASE ",\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"type\":\"b\","
		 "\"major\":8},{\"allow\":false,\"access\":\"\"}],\"pids\":{\"limit\":-1},"
		 "\"cpu\":{\"quota\":-1,\"burst\":5,\"idle\":1}}}}");
	assert_true(r->devices[0].allow);
	assert_int_equal(r->devices[0].type, 'b');
	assert_int_equal(r->devices[0].major, 8);
	assert_true(r->devices[0].minor == DEV_ANY);
	assert_string_equal(r->devices[0].access, "rwm");
	assert_string_equal(r->devices[1].access, "rwm");
	assert_true(r->pids_limit == -1);
	assert_true(r->cpu_quota == -1);
	assert_int_equal(r->cpu_idle, 1);

	parse_err("{" BASE ",\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"type\":\"u\"}]}}}",
		  "linux.resources.devices[0]: type \"u\": expected a, c or b");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}}}",
		  "linux.resources.devices[0]: access \"rwx\": expected letters of rwm");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"major\":-1}]}}}",
		  "linux.resources.devices[0]: device number out of range");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"cpu\":{\"quota\":100,\"burst\":200}}}}",
		  "linux.resources.cpu: burst 200 above quota 100");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"cpu\":{\"idle\":2}}}}",
		  "linux.resources.cpu: idle must be 0 or 1");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"blockIO\":{\"weightDevice\":[{\"major\":8,"
		  "\"minor\":0}]}}}}",
		  "linux.resources.blockIO.weightDevice[0]: weight or leafWeight is required");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"rdma\":{\"mlx5_1\":{}}}}}",
		  "linux.resources.rdma.mlx5_1: hcaHandles or hcaObjects is required");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"hugepageLimits\":[{\"pageSize\":\"02MB\","
		  "\"limit\":1}]}}}",
		  "linux.resources.hugepageLimits[0]: pageSize \"02MB\": expected a size like 2MB or 1GB");
#if CONFIG_CGROUP_V2
	parse_ok("{" BASE ",\"linux\":{\"resources\":{\"unified\":{\"memory.high\":\"max\","
		 "\"io.weight\":\"default 100\"}}}}");
	assert_int_equal(r->nunified, 2);
	assert_string_equal(r->unified[1].key, "io.weight");
	assert_string_equal(r->unified[1].value, "default 100");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"unified\":{\"../cgroup.procs\":\"1\"}}}}",
		  "linux.resources.unified.../cgroup.procs: \"../cgroup.procs\" is not a cgroup file name");
	parse_err("{" BASE ",\"linux\":{\"resources\":{\"unified\":{\"..\":\"1\"}}}}",
		  "linux.resources.unified...: \"..\" is not a cgroup file name");
#endif
}

/* --- reading the file ------------------------------------------------------------------------------ */

static void read_file(void **state)
{
	static const char json[] = "{\"ociVersion\":\"1.0.0\"}";
	char dir[64], path[128], msg[256], small[sizeof(json)];
	int fd;

	(void)state;
	unit_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/config.json", dir);

	error_clear();
	assert_fails_with(spec_read_file(dir, text, sizeof(text)), "open ");
	assert_int_equal(error_code(), -ENOENT);

	unit_write_file(path, json, sizeof(json) - 1);
	error_clear();
	assert_int_equal(spec_read_file(dir, text, sizeof(text)), sizeof(json) - 1);
	assert_memory_equal(text, json, sizeof(json) - 1);
	/* the caller's buffer needs a byte more than the file, for the NUL */
	error_clear();
	assert_int_equal(spec_read_file(dir, small, sizeof(small)), sizeof(json) - 1);
	assert_fails_with(spec_read_file(dir, small, sizeof(small) - 1), "bytes, limit");

	/* exactly the limit, then a byte more */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, CONFIG_MAX_CONFIG_SIZE), 0);
	error_clear();
	assert_int_equal(spec_read_file(dir, text, sizeof(text)), CONFIG_MAX_CONFIG_SIZE);
	assert_int_equal(ftruncate(fd, CONFIG_MAX_CONFIG_SIZE + 1), 0);
	close(fd);
	snprintf(msg, sizeof(msg), "%s: %d bytes, limit %d (CONFIG_MAX_CONFIG_SIZE)", path,
		 CONFIG_MAX_CONFIG_SIZE + 1, CONFIG_MAX_CONFIG_SIZE);
	assert_fails_with(spec_read_file(dir, text, sizeof(text)), msg);

	/* a symlink, even to a good file, is refused */
	assert_int_equal(rename(path, strcat(strcpy(msg, dir), "/real.json")), 0);
	assert_int_equal(symlink("real.json", path), 0);
	assert_fails_with(spec_read_file(dir, text, sizeof(text)), "open ");
	assert_int_equal(error_code(), -ELOOP);

	/* a fifo does not hang the reader, a directory is no config */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(msg, sizeof(msg), "%s is not a regular file", path);
	assert_fails_with(spec_read_file(dir, text, sizeof(text)), msg);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_fails_with(spec_read_file(dir, text, sizeof(text)), msg);

	unit_rm_rf(dir);
}

/* --- seccomp ------------------------------------------------------------------------------------ */

static void seccomp(void **state)
{
#if CONFIG_SECCOMP
	const struct seccomp_cfg *sc = &spec.linux.seccomp;

	(void)state;
	parse_ok("{" BASE ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
		 "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_AARCH64\"],"
		 "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
		 "\"syscalls\":[{\"names\":[\"getcwd\",\"chmod\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		 "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,"
		 "\"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_NE\"},"
		 "{\"index\":5,\"value\":1,\"valueTwo\":3,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}}}");
	assert_true(spec.linux.has_seccomp);
	assert_int_equal(sc->default_action, SECCOMP_ACT_ERRNO);
	assert_true(sc->has_default_errno);
	assert_int_equal(sc->default_errno, 1);
	assert_int_equal(sc->archs, (1u << lookup_name(seccomp_arch_names, SECCOMP_ARCHS, "SCMP_ARCH_X86_64")) |
					    (1u << lookup_name(seccomp_arch_names, SECCOMP_ARCHS, "SCMP_ARCH_AARCH64")));
	assert_int_equal(sc->flags, 1u << 1);
	assert_int_equal(sc->nrules, 2);
	assert_int_equal(sc->rules[0].names.n, 2);
	assert_string_equal(sc->rules[0].names.v[1], "chmod");
	assert_int_equal(sc->rules[0].action, SECCOMP_ACT_ALLOW);
	assert_false(sc->rules[0].has_errno);
	assert_int_equal(sc->rules[1].errno_ret, 38);
	assert_int_equal(sc->rules[1].nargs, 2);
	/* operators in libseccomp's numbering: SCMP_CMP_NE is 1 */
	assert_int_equal(sc->rules[1].args[0].op, 1);
	assert_int_equal(sc->rules[1].args[1].index, 5);
	assert_int_equal(sc->rules[1].args[1].value_two, 3);
	assert_int_equal(sc->rules[1].args[1].op, 7);

#define SC(body) "{" BASE ",\"linux\":{\"seccomp\":{" body "}}}"
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/l\""),
		  "linux.seccomp: defaultAction SCMP_ACT_NOTIFY would hold up the sending of the listener's "
		  "descriptor; notify on named system calls instead");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/l\",\"syscalls\":["
		     "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"},"
		     "{\"names\":[\"read\",\"sendmsg\"],\"action\":\"SCMP_ACT_NOTIFY\"}]"),
		  "linux.seccomp: syscalls[1]: SCMP_ACT_NOTIFY on sendmsg would hold up the sending of the "
		  "listener's descriptor");
	parse_err(SC("\"architectures\":[]"), "linux.seccomp.defaultAction: required");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_DENY\""), "linux.seccomp.defaultAction: unknown action SCMP_ACT_DENY");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1"),
		  "linux.seccomp: defaultErrnoRet given for SCMP_ACT_ALLOW, which returns no errno");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]"),
		  "linux.seccomp.architectures[0]: unknown architecture SCMP_ARCH_VAX");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_LOONGARCH64\"]"),
		  "linux.seccomp.architectures[0]: SCMP_ARCH_LOONGARCH64 needs libseccomp 2.6; this build has 2.5.4");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerMetadata\":\"x\""),
		  "linux.seccomp: listenerMetadata needs listenerPath");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_LOG\"}]"),
		  "linux.seccomp.syscalls[0].names: needs at least one name");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		     "\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]"),
		  "linux.seccomp.syscalls[0]: errnoRet given for SCMP_ACT_KILL, which returns no errno");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		     "\"action\":\"SCMP_ACT_LOG\",\"args\":[{\"index\":6,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]"),
		  "linux.seccomp.syscalls[0].args[0]: index 6: system calls have arguments 0 to 5");
	parse_err(SC("\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		     "\"action\":\"SCMP_ACT_LOG\",\"args\":[{\"index\":0,\"value\":0,\"op\":\"EQ\"}]}]"),
		  "linux.seccomp.syscalls[0].args[0]: unknown operator EQ");
#undef SC
#else
	(void)state;
	skip_because("CONFIG_SECCOMP is not set");
#endif
}

/* --- nulls and unknown properties ---------------------------------------------------------------- */

static void nulls_are_absent(void **state)
{
	const struct resources_cfg *r = &spec.linux.resources;

	(void)state;
	parse_ok("{\"ociVersion\":\"1.0.0\",\"root\":null,\"process\":null,\"hostname\":null,\"mounts\":null,"
		 "\"hooks\":null,\"annotations\":null,\"linux\":{\"namespaces\":null,\"uidMappings\":null,"
		 "\"devices\":null,\"sysctl\":null,\"cgroupsPath\":null,\"maskedPaths\":null,"
		 "\"resources\":{\"pids\":null,\"memory\":{\"limit\":null,\"swap\":-1},\"cpu\":null,"
		 "\"devices\":null}}}");
	assert_null(spec.root_path);
	assert_false(spec.has_process);
	assert_null(spec.hostname);
	assert_int_equal(spec.nmounts, 0);
	assert_true(spec.has_linux);
	assert_null(spec.linux.cgroups_path);
	assert_int_equal(spec.linux.masked_paths.n, 0);
	assert_true(spec.linux.has_resources);
	assert_false(r->has_pids);
	assert_false(r->has_cpu);
	assert_true(r->has_memory);
	assert_false(r->has_mem_limit);
	assert_true(r->has_mem_swap);
	assert_true(r->mem_swap == -1);
}

static void unknown_properties_ignored(void **state)
{
	(void)state;
	/* Unknown keys, with values of every shape, before and after known
	 * ones, at every level (config.md, "Extensibility"). */
	parse_ok("{\"x-top\":{\"a\":[1,{\"b\":null},[[]]],\"c\":\"d\"},\"ociVersion\":\"1.0.0\","
		 "\"root\":{\"x\":[1,2,3],\"path\":\"r\",\"y\":true},"
		 "\"process\":{\"x\":{\"cwd\":\"nope\"},\"cwd\":\"/\",\"args\":[\"a\"],\"x2\":-1.5e3},"
		 "\"windows\":{\"layerFolders\":[\"C:\\\\x\"]},\"solaris\":{},\"vm\":{\"hypervisor\":{}},"
		 "\"linux\":{\"x\":1,\"resources\":{\"oomScoreAdj\":100,\"pids\":{\"limit\":5,\"x\":[]}},"
		 "\"namespaces\":[{\"type\":\"uts\",\"x\":{}}]},"
#if CONFIG_HOOKS
		 "\"hooks\":{\"preStart\":[{\"path\":\"relative\"}]},"
#endif
		 "\"hostname\":\"h\",\"z\":null}");
	assert_string_equal(spec.root_path, "r");
	assert_string_equal(spec.process.cwd, "/");
	assert_string_equal(spec.hostname, "h");
	assert_int_equal(spec.linux.resources.pids_limit, 5);
	assert_true(spec.linux.ns[NS_UTS].set);
}

static void reparse_starts_clean(void **state)
{
	unsigned i;

	(void)state;
	/* A full config, then a minimal one into the same struct: nothing of
	 * the first may show through. */
	if (good_case("spec-example.json")->built) {
		load_good(good_case("spec-example.json"));
	} else {
		load(UNIT_DATA_DIR, "runc-spec.json");
		strip_compiled_out();
		assert_ok(parse_text());
	}
	assert_true(spec.has_linux);
	load_good(good_case("minimal.json"));
	assert_null(spec.hostname);
	assert_null(spec.domainname);
	assert_false(spec.root_readonly);
	assert_false(spec.has_process);
	assert_int_equal(spec.process.args.n, 0);
	assert_false(spec.process.has_caps);
	for (i = 0; i < RLIMIT_TYPES; i++)
		assert_false(spec.process.rlimits[i].set);
	assert_int_equal(spec.nmounts, 0);
	for (i = 0; i < HOOK_KINDS; i++)
		assert_int_equal(spec.nhooks[i], 0);
	assert_int_equal(spec.nannotations, 0);
	assert_false(spec.has_linux);
	for (i = 0; i < NS_TYPES; i++)
		assert_false(spec.linux.ns[i].set);
	assert_int_equal(spec.linux.nuid_mappings, 0);
	assert_int_equal(spec.linux.ndevices, 0);
	assert_int_equal(spec.linux.nsysctl, 0);
	assert_null(spec.linux.cgroups_path);
	assert_false(spec.linux.has_resources);
	assert_false(spec.linux.resources.has_memory);
	assert_false(spec.linux.resources.has_pids);
	assert_int_equal(spec.linux.resources.ndevices, 0);
	assert_int_equal(spec.linux.resources.nhugepages, 0);
	assert_int_equal(spec.linux.resources.nblkio[BLKIO_WEIGHT], 0);
	assert_int_equal(spec.linux.rootfs_propagation, 0);
	assert_int_equal(spec.linux.masked_paths.n, 0);
	assert_false(spec.linux.time_offsets[TIME_MONOTONIC].set);
	assert_int_equal(spec.nstrings, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runc_spec),
		cmocka_unit_test(runc_spec_rootless),
		cmocka_unit_test(good_examples),
		cmocka_unit_test(good_minimal),
		cmocka_unit_test(good_non_linux),
		cmocka_unit_test(good_linux_netdevice),
		cmocka_unit_test(good_linux_rdma),
		cmocka_unit_test(good_spec_example),
		cmocka_unit_test(compiled_out_features),
		cmocka_unit_test(bad_examples),
		cmocka_unit_test(wrong_types),
		cmocka_unit_test(required_fields),
		cmocka_unit_test(paths_must_be_absolute),
		cmocka_unit_test(limit_env),
		cmocka_unit_test(limit_args_mounts_annotations),
		cmocka_unit_test(limit_strings),
		cmocka_unit_test(limit_tokens_and_depth),
		cmocka_unit_test(oci_version),
		cmocka_unit_test(namespaces),
		cmocka_unit_test(id_mappings),
		cmocka_unit_test(cross_field_rules),
		cmocka_unit_test(rlimits),
		cmocka_unit_test(process_fields_parse),
		cmocka_unit_test(hooks),
		cmocka_unit_test(mount_options),
		cmocka_unit_test(mount_kinds),
		cmocka_unit_test(mount_idmaps),
		cmocka_unit_test(mount_empty_mappings),
		cmocka_unit_test(linux_misc),
		cmocka_unit_test(sysctl_rules),
		cmocka_unit_test(resources_rules),
		cmocka_unit_test(read_file),
		cmocka_unit_test(seccomp),
		cmocka_unit_test(nulls_are_absent),
		cmocka_unit_test(unknown_properties_ignored),
		cmocka_unit_test(reparse_starts_clean),
	};

	return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
