/* src/format.c against the C library's printf, src/signals.c, the mount
 * option table of src/mount_opts.c, and
 * src/resolve.c: paths inside a container's root that must never lead out
 * of it, checked with openat2(RESOLVE_IN_ROOT) and with the fallback walk. */
#include "format.h"
#include "path.h"
#include "mount_opts.h"
#include "resolve.h"
#include "signals.h"
#include "syscalls.h"

#include "unit.h"

#include <limits.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>

/* --- format ------------------------------------------------------------------- */

/* Each case is checked against the C library's snprintf, truncation
 * included: the truncation the compiler warns about is the point. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#define SAME(...)                                                                          \
	do {                                                                               \
		char a[64], b[64];                                                         \
		int na = fmt(a, sizeof(a), __VA_ARGS__), nb = snprintf(b, sizeof(b), __VA_ARGS__); \
		assert_string_equal(a, b);                                                 \
		assert_int_equal(na, nb);                                                  \
		na = fmt(a, 5, __VA_ARGS__);                                               \
		nb = snprintf(b, 5, __VA_ARGS__);                                          \
		assert_string_equal(a, b);                                                 \
		assert_int_equal(na, nb);                                                  \
	} while (0)

static void format_like_printf(void **state)
{
	(void)state;
	SAME("plain");
	SAME("%s=%s", "key", "value");
	SAME("%d %d %d", 0, -1, INT_MIN);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("%i|%5d|%-5d|%05d|%-5d", 7, -42, 42, -42, 3);
	SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME("%ld %lu", LONG_MIN, ULONG_MAX);
	SAME("%zu", (size_t)123456789);
	SAME("%x %#x %#lx %016llx", 255u, 255u, 0xdeadbeeful, 0x1234ull);
	SAME("%c%c%%", 'a', 'b');
	SAME("%o %#o %#o %04o", 8u, 0644u, 0u, 7u);
	SAME("[%-10s][%10s][%.3s][%.*s]", "ab", "cd", "abcdef", 2, "xyz");
	SAME("%04d-%02d-%02dT%09u", 2026, 3, 9, 5u);
	SAME("%*d|%-*d", 6, 12, 6, 12);
}

static void format_truncates_and_counts(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(fmt(buf, sizeof(buf), "%s", "abcdef"), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(fmt(NULL, 0, "%d", 12345), 5);
	assert_int_equal(fmt(buf, 1, "x"), 1);
	assert_string_equal(buf, "");
}

/* The date arithmetic against gmtime_r, across leap years, centuries and
 * the 2038 boundary, up to 2499, where nanoseconds in 64 bits end. */
static void format_time_is_utc(void **state)
{
	static const uint64_t secs[] = { 0, 59, 86399, 86400, 951782400, 951868800, 4107542399u,
					 1772323200, 2147483647, 2147483648u, 4102444800u, 16725225599u };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		time_t t = (time_t)secs[i];
		struct tm tm;
		char want[64], got[64];

		gmtime_r(&t, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 123456789u);
		fmt_time_utc(got, sizeof(got), secs[i] * 1000000000u + 123456789u);
		assert_string_equal(got, want);
	}
}

/* --- path ---------------------------------------------------------------------- */

static void path_absolute_cleans(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "/", "/" }, { "/a/b", "/a/b" }, { "//a//b/", "/a/b" }, { "/a/./b/.", "/a/b" },
		{ "/a/b/../c", "/a/c" }, { "/../x", "/x" }, { "/a/..", "/" }, { "/a/b/../../..", "/" },
		{ "/a/.../b", "/a/.../b" }, { "/a/..b/c", "/a/..b/c" },
	};
	char out[64], cwd[4096], want[4200], got[4200];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(path_absolute(cases[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, cases[i].out);
	}
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/x/y", strcmp(cwd, "/") ? cwd : "");
	assert_int_equal(path_absolute("./x//z/../y", got, sizeof(got)), 0);
	assert_string_equal(got, want);
	assert_int_equal(path_absolute("/aaaa/bbbb", out, 8), -ENAMETOOLONG);
}

/* --- signals -------------------------------------------------------------------- */

static void signal_names(void **state)
{
	static const struct {
		const char *text;
		int sig;
	} cases[] = {
		{ "KILL", SIGKILL }, { "SIGKILL", SIGKILL }, { "9", SIGKILL }, { "kill", SIGKILL },
		{ "sigkill", SIGKILL }, { "SigTerm", SIGTERM }, { "TERM", SIGTERM }, { "15", SIGTERM },
		{ "HUP", SIGHUP }, { "1", SIGHUP }, { "USR1", SIGUSR1 }, { "SIGUSR2", SIGUSR2 },
		{ "WINCH", SIGWINCH }, { "CHLD", SIGCHLD }, { "STOP", SIGSTOP }, { "CONT", SIGCONT },
		/* aliases */
		{ "IOT", SIGABRT }, { "POLL", SIGIO },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (signal_parse(cases[i].text) != cases[i].sig)
			fail_msg("%s: %d, expected %d", cases[i].text, signal_parse(cases[i].text), cases[i].sig);
	}
}

static void signal_numbers(void **state)
{
	char text[16];

	(void)state;
	snprintf(text, sizeof(text), "%d", NSIG - 1);
	assert_int_equal(signal_parse(text), NSIG - 1);
	snprintf(text, sizeof(text), "%d", NSIG);
	assert_int_equal(signal_parse(text), -1);
	assert_int_equal(signal_parse("0"), -1);
	assert_int_equal(signal_parse("-9"), -1);
	assert_int_equal(signal_parse("+9"), -1);
	assert_int_equal(signal_parse("9x"), -1);
	assert_int_equal(signal_parse("9 "), -1);
	assert_int_equal(signal_parse(" 9"), -1);
	assert_int_equal(signal_parse("99999999999999999999999"), -1);
}

static void signal_realtime(void **state)
{
	char text[32];
	int span = SIGRTMAX - SIGRTMIN;

	(void)state;
	assert_int_equal(signal_parse("RTMIN"), SIGRTMIN);
	assert_int_equal(signal_parse("SIGRTMIN"), SIGRTMIN);
	assert_int_equal(signal_parse("RTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(signal_parse("SIGRTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(signal_parse("rtmin+3"), SIGRTMIN + 3);
	assert_int_equal(signal_parse("RTMAX"), SIGRTMAX);
	assert_int_equal(signal_parse("RTMAX-2"), SIGRTMAX - 2);
	assert_int_equal(signal_parse("sigrtmax-0"), SIGRTMAX);

	/* the whole range, and not a step past either end */
	snprintf(text, sizeof(text), "RTMIN+%d", span);
	assert_int_equal(signal_parse(text), SIGRTMAX);
	snprintf(text, sizeof(text), "RTMIN+%d", span + 1);
	assert_int_equal(signal_parse(text), -1);
	snprintf(text, sizeof(text), "RTMAX-%d", span);
	assert_int_equal(signal_parse(text), SIGRTMIN);
	snprintf(text, sizeof(text), "RTMAX-%d", span + 1);
	assert_int_equal(signal_parse(text), -1);
	assert_int_equal(signal_parse("RTMIN-1"), -1);
	assert_int_equal(signal_parse("RTMAX+1"), -1);
	assert_int_equal(signal_parse("RTMIN+-1"), -1);
}

static void signal_bad(void **state)
{
	static const char *const bad[] = {
		"", "SIG", "KILLX", "SIGSIGKILL", "SIG KILL", "RTMIN+x", "RTMINx", "RTMIN3", "RTMIN+3x",
		"RTMID", "RT", "NOSUCH",
	};
	unsigned i;

	(void)state;
	assert_int_equal(signal_parse(NULL), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (signal_parse(bad[i]) != -1)
			fail_msg("\"%s\" accepted as %d", bad[i], signal_parse(bad[i]));
	}
}

/* BUG (src/signals.c, signal_parse): the offset after RTMIN+ / RTMAX- goes
 * through strtol() unchecked, so "RTMIN+" (no digits) is taken as RTMIN,
 * and strtol's own leading blanks and sign make "RTMIN+ 3" and "RTMIN++3"
 * RTMIN+3.  kill(1) refuses all three. */
static void signal_rt_offset_needs_digits(void **state)
{
	static const char *const bad[] = { "RTMIN+", "RTMAX-", "RTMIN+ 3", "RTMIN++3", "RTMAX--1" };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (signal_parse(bad[i]) != -1)
			fail_msg("BUG: \"%s\" accepted as signal %d", bad[i], signal_parse(bad[i]));
	}
}

static void signal_name_of(void **state)
{
	(void)state;
	assert_string_equal(signal_name(SIGKILL), "KILL");
	assert_string_equal(signal_name(SIGTERM), "TERM");
	/* an alias gives the first name */
	assert_string_equal(signal_name(SIGABRT), "ABRT");
	assert_string_equal(signal_name(0), "?");
	assert_string_equal(signal_name(SIGRTMIN), "?");
	/* every name gives its number back */
	assert_int_equal(signal_parse(signal_name(SIGWINCH)), SIGWINCH);
	assert_int_equal(signal_parse(signal_name(SIGIO)), SIGIO);
}

/* --- mount options ---------------------------------------------------------------- */

static void mount_opt_table(void **state)
{
	unsigned i, n = mount_opt_count();

	(void)state;
	assert_true(n > 50);
	assert_null(mount_opt_name(n));
	for (i = 0; i < n; i++) {
		struct mount_cfg m;
		const char *name = mount_opt_name(i);

		assert_non_null(name);
		/* sorted strictly: the lookup is a binary search */
		if (i > 0 && strcmp(mount_opt_name(i - 1), name) >= 0)
			fail_msg("table out of order at %s, %s", mount_opt_name(i - 1), name);
		/* and every entry is found by it; what the build leaves out is
		 * refused, naming the symbol */
		memset(&m, 0, sizeof(m));
		error_clear();
		switch (mount_opt_apply(&m, name)) {
		case 1:
			break;
		case -EINVAL:
			if (strstr(error_msg(), "not supported by this build"))
				break;
			/* fall through */
		default:
			fail_msg("%s: not known (%s)", name, error_msg());
		}
	}
}

static void mount_opt_unknown(void **state)
{
	static const char *const data[] = {
		"mode=755", "size=65536k", "", "RO", "nosuidx", "no", "r", "zzz", "aaa", "uid=0",
	};
	struct mount_cfg m, zero;
	unsigned i;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		memset(&m, 0, sizeof(m));
		assert_int_equal(mount_opt_apply(&m, data[i]), 0);
		assert_memory_equal(&m, &zero, sizeof(m));
	}
}

struct opt_case {
	const char *name;
	unsigned long flags, clear, propagation;
	uint64_t attr_set, attr_clr;
	unsigned kind;
};

static void mount_opt_effects(void **state)
{
	static const struct opt_case cases[] = {
		{ "defaults", 0, 0, 0, 0, 0, 0 },
		{ "ro", MS_RDONLY, 0, 0, 0, 0, 0 },
		{ "rw", 0, MS_RDONLY, 0, 0, 0, 0 },
		{ "nosuid", MS_NOSUID, 0, 0, 0, 0, 0 },
		{ "suid", 0, MS_NOSUID, 0, 0, 0, 0 },
		{ "nodev", MS_NODEV, 0, 0, 0, 0, 0 },
		{ "dev", 0, MS_NODEV, 0, 0, 0, 0 },
		{ "noexec", MS_NOEXEC, 0, 0, 0, 0, 0 },
		{ "exec", 0, MS_NOEXEC, 0, 0, 0, 0 },
		{ "sync", MS_SYNCHRONOUS, 0, 0, 0, 0, 0 },
		{ "async", 0, MS_SYNCHRONOUS, 0, 0, 0, 0 },
		{ "dirsync", MS_DIRSYNC, 0, 0, 0, 0, 0 },
		{ "mand", MS_MANDLOCK, 0, 0, 0, 0, 0 },
		{ "nomand", 0, MS_MANDLOCK, 0, 0, 0, 0 },
		{ "noatime", MS_NOATIME, 0, 0, 0, 0, 0 },
		{ "atime", 0, MS_NOATIME, 0, 0, 0, 0 },
		{ "nodiratime", MS_NODIRATIME, 0, 0, 0, 0, 0 },
		{ "diratime", 0, MS_NODIRATIME, 0, 0, 0, 0 },
		{ "relatime", MS_RELATIME, 0, 0, 0, 0, 0 },
		{ "norelatime", 0, MS_RELATIME, 0, 0, 0, 0 },
		{ "strictatime", MS_STRICTATIME, 0, 0, 0, 0, 0 },
		{ "nostrictatime", 0, MS_STRICTATIME, 0, 0, 0, 0 },
		{ "lazytime", MS_LAZYTIME, 0, 0, 0, 0, 0 },
		{ "nolazytime", 0, MS_LAZYTIME, 0, 0, 0, 0 },
		{ "iversion", MS_I_VERSION, 0, 0, 0, 0, 0 },
		{ "noiversion", 0, MS_I_VERSION, 0, 0, 0, 0 },
		{ "silent", MS_SILENT, 0, 0, 0, 0, 0 },
		{ "loud", 0, MS_SILENT, 0, 0, 0, 0 },
		{ "nosymfollow", MS_NOSYMFOLLOW, 0, 0, 0, 0, 0 },
		{ "symfollow", 0, MS_NOSYMFOLLOW, 0, 0, 0, 0 },
		{ "remount", MS_REMOUNT, 0, 0, 0, 0, 0 },
		{ "private", 0, 0, MS_PRIVATE, 0, 0, 0 },
		{ "rprivate", 0, 0, MS_PRIVATE | MS_REC, 0, 0, 0 },
		{ "shared", 0, 0, MS_SHARED, 0, 0, 0 },
		{ "rshared", 0, 0, MS_SHARED | MS_REC, 0, 0, 0 },
		{ "slave", 0, 0, MS_SLAVE, 0, 0, 0 },
		{ "rslave", 0, 0, MS_SLAVE | MS_REC, 0, 0, 0 },
		{ "unbindable", 0, 0, MS_UNBINDABLE, 0, 0, 0 },
		{ "runbindable", 0, 0, MS_UNBINDABLE | MS_REC, 0, 0, 0 },
		{ "rro", 0, 0, 0, MOUNT_ATTR_RDONLY, 0, 0 },
		{ "rrw", 0, 0, 0, 0, MOUNT_ATTR_RDONLY, 0 },
		{ "rnosuid", 0, 0, 0, MOUNT_ATTR_NOSUID, 0, 0 },
		{ "rsuid", 0, 0, 0, 0, MOUNT_ATTR_NOSUID, 0 },
		{ "rnodev", 0, 0, 0, MOUNT_ATTR_NODEV, 0, 0 },
		{ "rdev", 0, 0, 0, 0, MOUNT_ATTR_NODEV, 0 },
		{ "rnoexec", 0, 0, 0, MOUNT_ATTR_NOEXEC, 0, 0 },
		{ "rexec", 0, 0, 0, 0, MOUNT_ATTR_NOEXEC, 0 },
		{ "rnodiratime", 0, 0, 0, MOUNT_ATTR_NODIRATIME, 0, 0 },
		{ "rdiratime", 0, 0, 0, 0, MOUNT_ATTR_NODIRATIME, 0 },
		{ "rnosymfollow", 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW, 0, 0 },
		{ "rsymfollow", 0, 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW, 0 },
		/* the atime mode is one field: set it, and clear the whole field */
		{ "rnoatime", 0, 0, 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, 0 },
		{ "rstrictatime", 0, 0, 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, 0 },
		{ "rrelatime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME, 0 },
		{ "ratime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME, 0 },
		{ "bind", 0, 0, 0, 0, 0, MNT_BIND },
		{ "rbind", 0, 0, 0, 0, 0, MNT_BIND | MNT_REC },
#if CONFIG_IDMAP_MOUNTS
		{ "idmap", 0, 0, 0, 0, 0, MNT_IDMAP },
		{ "ridmap", 0, 0, 0, 0, 0, MNT_IDMAP | MNT_RIDMAP },
#endif
#if CONFIG_TMPCOPYUP
		{ "tmpcopyup", 0, 0, 0, 0, 0, MNT_TMPCOPYUP },
#endif
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct opt_case *o = &cases[i];
		struct mount_cfg m;

		memset(&m, 0, sizeof(m));
		error_clear();
		assert_int_equal(mount_opt_apply(&m, o->name), 1);
		if (m.flags != o->flags || m.clear != o->clear || m.propagation != o->propagation ||
		    m.attr_set != o->attr_set || m.attr_clr != o->attr_clr || m.kind != o->kind)
			fail_msg("%s: flags %#lx clear %#lx propagation %#lx attr_set %#llx attr_clr %#llx kind %#x",
				 o->name, m.flags, m.clear, m.propagation, (unsigned long long)m.attr_set,
				 (unsigned long long)m.attr_clr, m.kind);
	}
}

static void apply_all(struct mount_cfg *m, const char *const *names)
{
	memset(m, 0, sizeof(*m));
	for (; *names; names++)
		assert_true(mount_opt_apply(m, *names) >= 0);
}

static void mount_opt_order(void **state)
{
	struct mount_cfg m;

	(void)state;
	/* later options undo earlier ones, both ways */
	apply_all(&m, (const char *const[]){ "ro", "rw", NULL });
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.clear, MS_RDONLY);
	apply_all(&m, (const char *const[]){ "rw", "ro", NULL });
	assert_int_equal(m.flags, MS_RDONLY);
	assert_int_equal(m.clear, 0);
	apply_all(&m, (const char *const[]){ "rnosuid", "rsuid", "rro", NULL });
	assert_true(m.attr_set == MOUNT_ATTR_RDONLY);
	assert_true(m.attr_clr == MOUNT_ATTR_NOSUID);
	/* the last atime mode wins; other attributes stay */
	apply_all(&m, (const char *const[]){ "rnoatime", "rnodiratime", "rstrictatime", NULL });
	assert_true(m.attr_set == (MOUNT_ATTR_STRICTATIME | MOUNT_ATTR_NODIRATIME));
	assert_true(m.attr_clr == MOUNT_ATTR__ATIME);
	/* the last propagation wins */
	apply_all(&m, (const char *const[]){ "rshared", "private", NULL });
	assert_int_equal(m.propagation, MS_PRIVATE);
	/* kinds add up */
	apply_all(&m, (const char *const[]){ "bind", "rbind", NULL });
	assert_int_equal(m.kind, MNT_BIND | MNT_REC);
}

/* --- resolving inside a root ---------------------------------------------------------- */

static char top[64];		/* the temporary directory */
static char rootpath[128];	/* top/root: the container's root */
static int rootfd = -1;

static void mk(const char *rel, bool dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", rootpath, rel);
	if (dir) {
		if (mkdir(path, 0755) < 0)
			fail_msg("mkdir %s: %s", path, strerror(errno));
	} else {
		unit_write_file(path, rel, strlen(rel));
	}
}

static void ln(const char *target, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", rootpath, rel);
	if (symlink(target, path) < 0)
		fail_msg("symlink %s: %s", path, strerror(errno));
}

/* The tree, with symlinks that would lead out of it if followed on the
 * host: to "/", up past the root, to absolute host paths. */
static int tree_setup(void **state)
{
	char host_etc[256];

	(void)state;
	error_clear();
	unit_mkdtemp(top);
	snprintf(rootpath, sizeof(rootpath), "%s/root", top);
	if (mkdir(rootpath, 0755) < 0)
		return -1;
	mk("etc", true);
	mk("etc/passwd", false);
	mk("a", true);
	mk("a/b", true);
	mk("a/b/c", true);
	mk("a/b/file", false);
	ln("/", "to_root");
	ln("../../..", "a/b/up3");
	ln("../../../../../../../..", "a/b/c/way_up");
	ln("/etc", "abs_etc");
	ln("/etc/passwd", "abs_passwd");
	ln("../../etc/passwd", "a/b/rel_passwd");
	ln("a/b", "dir_link");
	ln("/../../../etc/passwd", "abs_up_passwd");
	ln("loop2", "loop1");
	ln("loop1", "loop2");
	ln("self", "self");
	ln("/nonexistent", "dangling");
	ln("chain2", "chain1");
	ln("chain3", "chain2");
	ln("/a/b/file", "chain3");
	/* a host path that exists outside, spelled absolutely */
	snprintf(host_etc, sizeof(host_etc), "%s/outside", top);
	if (mkdir(host_etc, 0755) < 0)
		return -1;
	unit_write_file(strcat(host_etc, "/secret"), "host", 4);
	snprintf(host_etc, sizeof(host_etc), "%s/outside/secret", top);
	ln(host_etc, "host_secret");
	ln("../outside/secret", "up_secret");
	rootfd = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return rootfd < 0 ? -1 : 0;
}

static int tree_teardown(void **state)
{
	(void)state;
	if (rootfd >= 0)
		close(rootfd);
	rootfd = -1;
	unit_rm_rf(top);
	return 0;
}

/* path resolves to the file at want inside the root ("" for the root). */
static void resolves_to(const char *path, const char *want)
{
	struct stat got, exp;
	int fd = resolve_in_root(rootfd, path);

	if (fd < 0)
		fail_msg("%s: %s, expected %s", path, strerror(-fd), want);
	assert_true(fcntl(fd, F_GETFL) & O_PATH);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fstat(fd, &got), 0);
	close(fd);
	assert_int_equal(fstatat(rootfd, want, &exp, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), 0);
	if (got.st_dev != exp.st_dev || got.st_ino != exp.st_ino)
		fail_msg("%s: not %s/%s", path, rootpath, want);
}

static void resolve_fails(const char *path, int err)
{
	int fd = resolve_in_root(rootfd, path);

	if (fd >= 0) {
		close(fd);
		fail_msg("%s: resolved, expected %s", path, strerror(err));
	}
	if (fd != -err)
		fail_msg("%s: %s, expected %s", path, strerror(-fd), strerror(err));
}

static void resolve_mode(void **state)
{
	struct rl_open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RL_RESOLVE_IN_ROOT };
	int fd = sys_openat2(rootfd, "etc", &how);

	(void)state;
	/* The mode this group runs in is the one asked for. */
	if (getenv("RUNLET_DISABLE")) {
		assert_true(kfeature_disabled(KF_OPENAT2));
		assert_int_equal(fd, -ENOSYS);
	} else {
		assert_false(kfeature_disabled(KF_OPENAT2));
		if (fd == -ENOSYS)
			skip_because("openat2 gives ENOSYS here (a kernel before 5.6, valgrind or "
				     "qemu-user): only the fallback runs");
		assert_true(fd >= 0);
		close(fd);
	}
}

static void resolve_plain(void **state)
{
	(void)state;
	resolves_to("etc/passwd", "etc/passwd");
	resolves_to("/etc/passwd", "etc/passwd");
	resolves_to("//etc///passwd", "etc/passwd");
	resolves_to("./a/./b/../b/file", "a/b/file");
	resolves_to("/", "");
	resolves_to(".", "");
	resolves_to("a/b/c/", "a/b/c");
}

static void resolve_never_leaves(void **state)
{
	(void)state;
	/* ".." at the root stays at the root */
	resolves_to("..", "");
	resolves_to("../../../../etc/passwd", "etc/passwd");
	resolves_to("a/../../../etc/passwd", "etc/passwd");
	resolves_to("a/b/c/../../../../../../etc", "etc");
	/* symlinks to "/" and up past the root */
	resolves_to("to_root", "");
	resolves_to("to_root/etc/passwd", "etc/passwd");
	resolves_to("a/b/up3", "");
	resolves_to("a/b/up3/etc/passwd", "etc/passwd");
	resolves_to("a/b/c/way_up", "");
	resolves_to("a/b/c/way_up/a/b/file", "a/b/file");
	/* absolute targets are inside the root */
	resolves_to("abs_etc/passwd", "etc/passwd");
	resolves_to("abs_passwd", "etc/passwd");
	resolves_to("abs_up_passwd", "etc/passwd");
	/* a host path spelled absolutely means that path inside the root */
	resolve_fails("host_secret", ENOENT);
	resolve_fails("up_secret", ENOENT);
}

static void resolve_symlinks(void **state)
{
	(void)state;
	resolves_to("a/b/rel_passwd", "etc/passwd");
	resolves_to("dir_link/file", "a/b/file");
	resolves_to("dir_link/c/../file", "a/b/file");
	resolves_to("dir_link/../../etc/passwd", "etc/passwd");
	resolves_to("chain1", "a/b/file");
	resolves_to("to_root/to_root/to_root/dir_link/up3/abs_etc", "etc");
}

static void resolve_errors(void **state)
{
	(void)state;
	resolve_fails("loop1", ELOOP);
	resolve_fails("self/x", ELOOP);
	resolve_fails("dangling", ENOENT);
	resolve_fails("missing/file", ENOENT);
	resolve_fails("etc/passwd/x", ENOTDIR);
}

static void resolve_long_chains(void **state)
{
	char name[32], target[32];
	int i;

	(void)state;
	/* 40 links are followed, as by the kernel; 41 are a loop. */
	for (i = 0; i < 41; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), i == 40 ? "/etc/passwd" : "l%d", i + 1);
		ln(target, name);
	}
	resolves_to("l1", "etc/passwd");
	resolve_fails("l0", ELOOP);
}

/* resolve_create() in a child, so that a crash is a failed check and not
 * the end of the group: its result, or 1 when it never came back. */
static int create_in_child(const char *path, mode_t mode, bool file, int *result)
{
	int pfd[2], status, r = 0;
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(pfd), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = resolve_create(rootfd, path, mode, file);

		r = fd >= 0 ? 0 : fd;
		if (write(pfd[1], &r, sizeof(r)) != sizeof(r))
			_exit(2);
		_exit(0);
	}
	close(pfd[1]);
	n = read(pfd[0], &r, sizeof(r));
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (n != sizeof(r)) {
		if (WIFSIGNALED(status))
			print_message("# resolve_create(%.60s...) killed by signal %d\n", path, WTERMSIG(status));
		return 1;
	}
	*result = r;
	return 0;
}

static void create_dirs_and_files(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	umask(022);
	fd = resolve_create(rootfd, "/new/dir/deep", 0750, false);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fstatat(rootfd, "new/dir/deep", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0750);
	/* the parents made on the way */
	assert_int_equal(fstatat(rootfd, "new", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 0777, 0755);

	fd = resolve_create(rootfd, "/x/y/file", 0640, true);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fstatat(rootfd, "x/y/file", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	/* relative, under a directory that exists */
	fd = resolve_create(rootfd, "a/b/newdir", 0755, false);
	assert_true(fd >= 0);
	close(fd);
	resolves_to("/a/b/newdir", "a/b/newdir");

	/* what exists is taken as it is */
	fd = resolve_create(rootfd, "/etc/passwd", 0600, true);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fstatat(rootfd, "etc/passwd", &st, 0), 0);
	assert_int_equal(st.st_size, strlen("etc/passwd"));
	resolves_to("etc/passwd", "etc/passwd");
	fd = resolve_create(rootfd, "a/b", 0700, false);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fstatat(rootfd, "a/b", &st, 0), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
}

/* BUG (src/resolve.c, split_last): for a path without a slash, split_last
 * gives the whole path as the parent, so resolve_create() of a relative
 * path whose first component is missing ("data", "new/dir") calls itself
 * on the same path until the stack runs out: SIGSEGV.  config.md allows
 * relative mount destinations (deprecated, "relative to /"), spec_parse
 * accepts them, and mount.c hands m->destination to resolve_create(). */
static void create_relative_missing(void **state)
{
	int r = -1;

	(void)state;
	if (create_in_child("data", 0755, false, &r))
		fail_msg("BUG: resolve_create(\"data\") crashed (endless recursion in split_last)");
	assert_int_equal(r, 0);
	resolves_to("/data", "data");
	if (create_in_child("new2/dir", 0755, false, &r))
		fail_msg("BUG: resolve_create(\"new2/dir\") crashed (endless recursion in split_last)");
	assert_int_equal(r, 0);
	resolves_to("/new2/dir", "new2/dir");
}

/* BUG (src/resolve.c, resolve_create): one level of recursion per missing
 * component, each with PATH_MAX + NAME_MAX bytes of locals: a path of 2000
 * missing components (4000 bytes, under PATH_MAX) needs some 9 MiB of
 * stack, past the usual 8 MiB, and the process dies of SIGSEGV instead of
 * creating the directories or giving an error. */
static void create_deep_path(void **state)
{
	static char path[PATH_MAX];
	unsigned i, n = (PATH_MAX - 96) / 2;
	int r = -1;

	(void)state;
	for (i = 0; i < n; i++)
		memcpy(path + 2 * i, "/d", 2);
	path[2 * n] = '\0';
	if (create_in_child(path, 0755, false, &r))
		fail_msg("BUG: resolve_create() of %u missing components crashed (recursion per component)", n);
	/* made, or refused with a reason: either is fine, a crash is not */
	if (r < 0)
		print_message("# deep path: %s\n", strerror(-r));
}

static void create_stays_inside(void **state)
{
	char path[256];
	struct stat st;
	int fd;

	(void)state;
	/* through symlinks to "/" and up: created inside */
	fd = resolve_create(rootfd, "to_root/made/here", 0755, false);
	assert_true(fd >= 0);
	close(fd);
	resolves_to("made/here", "made/here");
	fd = resolve_create(rootfd, "a/b/up3/up-made", 0755, true);
	assert_true(fd >= 0);
	close(fd);
	resolves_to("up-made", "up-made");
	fd = resolve_create(rootfd, "../../../../escaped", 0755, false);
	assert_true(fd >= 0);
	close(fd);
	resolves_to("escaped", "escaped");
	snprintf(path, sizeof(path), "%s/escaped", top);
	assert_int_equal(stat(path, &st), -1);

	/* never beside or under the host path a symlink names */
	fd = resolve_create(rootfd, "host_secret/../sub", 0755, false);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/outside/sub", top);
	assert_int_equal(stat(path, &st), -1);
	snprintf(path, sizeof(path), "%s/sub", top);
	assert_int_equal(stat(path, &st), -1);
}

/* BUG (src/resolve.c, resolve_create): a symlink inside the root whose
 * target is missing is a dead end: "var/run -> ../run" with no /run makes
 * resolve_create(root, "var/run/x") fail with ENOENT instead of creating
 * /run/x inside the root.  resolve_create asks resolve_in_root for the
 * parent, gets ENOENT, and recurses on the path as written, where mkdirat()
 * finds the link itself (EEXIST); the link's target is never created.
 * runc (filepath-securejoin MkdirAllInRoot) creates it. */
static void create_through_dangling_link(void **state)
{
	int fd;

	(void)state;
	mk("var", true);
	ln("../run", "var/run");
	fd = resolve_create(rootfd, "var/run/x", 0755, false);
	if (fd < 0)
		fail_msg("BUG: var/run -> ../run, no /run: resolve_create(var/run/x): %s", strerror(-fd));
	close(fd);
	resolves_to("var/run/x", "run/x");
}

static void fd_paths(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(fd_path(7, buf, sizeof(buf)), "/proc/self/fd/7");
	assert_string_equal(fd_path(12345, buf, sizeof(buf)), "/proc/self/fd/12345");
}

#define TREE(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)

static const struct CMUnitTest resolve_tests[] = {
	TREE(resolve_mode),
	TREE(resolve_plain),
	TREE(resolve_never_leaves),
	TREE(resolve_symlinks),
	TREE(resolve_errors),
	TREE(resolve_long_chains),
	TREE(create_dirs_and_files),
	TREE(create_relative_missing),
	TREE(create_deep_path),
	TREE(create_stays_inside),
	TREE(create_through_dangling_link),
};

/* kfeature_disabled() reads RUNLET_DISABLE once per process: each mode runs
 * in a child of its own, with the environment set before the first call. */
static int resolve_group(const char *name, const char *disable)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int failed;

		if (disable)
			setenv("RUNLET_DISABLE", disable, 1);
		else
			unsetenv("RUNLET_DISABLE");
		failed = _cmocka_run_group_tests(name, resolve_tests,
						 sizeof(resolve_tests) / sizeof(resolve_tests[0]), NULL, NULL);
		fflush(stdout);
		fflush(stderr);
		_exit(failed > 125 ? 125 : failed);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	if (!WIFEXITED(status)) {
		printf("not ok - %s: killed by signal %d\n", name, WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_like_printf),
		cmocka_unit_test(format_truncates_and_counts),
		cmocka_unit_test(format_time_is_utc),
		cmocka_unit_test(path_absolute_cleans),
		cmocka_unit_test(signal_names),
		cmocka_unit_test(signal_numbers),
		cmocka_unit_test(signal_realtime),
		cmocka_unit_test(signal_bad),
		cmocka_unit_test(signal_rt_offset_needs_digits),
		cmocka_unit_test(signal_name_of),
		cmocka_unit_test(mount_opt_table),
		cmocka_unit_test(mount_opt_unknown),
		cmocka_unit_test(mount_opt_effects),
		cmocka_unit_test(mount_opt_order),
		cmocka_unit_test(fd_paths),
	};
	int failed;

	failed = resolve_group("resolve (openat2)", NULL);
	failed += resolve_group("resolve (fallback walk)", "openat2");
	failed += cmocka_run_group_tests_name("misc", tests, NULL, NULL);
	return failed;
}
