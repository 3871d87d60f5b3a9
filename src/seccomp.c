/* linux.seccomp: the filter is compiled by the runtime, before the
 * container's init exists, with libseccomp or from the cache
 * (seccomp_cache.c); the init only loads the finished program with
 * seccomp(2), as late as it can.  Loading it ourselves lets every flag of
 * the spec through, WAIT_KILLABLE_RECV included, which libseccomp 2.5
 * cannot set. */
#include "format.h"
#include "seccomp_filter.h"
#include "error.h"
#include "log.h"
#include "seccomp_names.h"
#include "json_write.h"
#include "state.h"
#include "state_json.h"
#include "sync.h"

#include <assert.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

/* In the order of seccomp_arch_names. */
static const uint32_t arch_tokens[SECCOMP_ARCHS] = {
	SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64,
	SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL,
	SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64,
	SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X, SCMP_ARCH_PARISC,
	SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
};

/* In the order of seccomp_flag_names. */
static const unsigned long flag_bits[SECCOMP_FLAGS] = {
	SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
};

static uint32_t action(int a, bool has_errno, uint32_t errno_ret)
{
	uint32_t e = has_errno ? errno_ret : EPERM;

	switch (a) {
	case SECCOMP_ACT_KILL:
	case SECCOMP_ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SECCOMP_ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SECCOMP_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case SECCOMP_ACT_ERRNO:
		return SCMP_ACT_ERRNO(e);
	case SECCOMP_ACT_TRACE:
		return SCMP_ACT_TRACE(e);
	case SECCOMP_ACT_LOG:
		return SCMP_ACT_LOG;
	case SECCOMP_ACT_NOTIFY:
		return SCMP_ACT_NOTIFY;
	default:
		return SCMP_ACT_ALLOW;
	}
}

bool filter_wants_listener(const struct seccomp_cfg *s)
{
	unsigned i;

	if (s->default_action == SECCOMP_ACT_NOTIFY)
		return true;
	for (i = 0; i < s->nrules; i++) {
		if (s->rules[i].action == SECCOMP_ACT_NOTIFY)
			return true;
	}
	return false;
}

/* libseccomp takes one comparison per argument in a rule; the spec lets a
 * rule compare an argument twice, which means either one matches, as
 * runc reads it: such a rule becomes one rule per comparison. */
static bool repeats_an_index(const struct seccomp_rule *r)
{
	unsigned i, k;

	for (i = 0; i < r->nargs; i++) {
		for (k = i + 1; k < r->nargs; k++) {
			if (r->args[i].index == r->args[k].index)
				return true;
		}
	}
	return false;
}

static int add_rule(scmp_filter_ctx ctx, const struct seccomp_rule *r, int nr, uint32_t act)
{
	struct scmp_arg_cmp cmp[SECCOMP_MAX_ARGS];
	unsigned i;
	int e;

	for (i = 0; i < r->nargs; i++) {
		cmp[i].arg = r->args[i].index;
		cmp[i].op = (enum scmp_compare)r->args[i].op;
		cmp[i].datum_a = r->args[i].value;
		cmp[i].datum_b = r->args[i].value_two;
	}
	if (!repeats_an_index(r))
		return seccomp_rule_add_array(ctx, act, nr, r->nargs, cmp);
	for (i = 0; i < r->nargs; i++) {
		e = seccomp_rule_add_array(ctx, act, nr, 1, &cmp[i]);
		if (e)
			return e;
	}
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct seccomp_cfg *s, uint32_t def)
{
	unsigned i, k;
	int e;

	for (i = 0; i < s->nrules; i++) {
		const struct seccomp_rule *r = &s->rules[i];
		uint32_t act = action(r->action, r->has_errno, r->errno_ret);

		/* A rule that does what the default does changes nothing, and
		 * libseccomp refuses it. */
		if (act == def)
			continue;
		for (k = 0; k < r->names.n; k++) {
			int nr = seccomp_syscall_resolve_name(r->names.v[k]);

			/* Newer profiles name calls an older kernel or libseccomp
			 * do not know: skipped, as runc and crun do. */
			if (nr == __NR_SCMP_ERROR) {
				log_debug("seccomp: no system call %s on this architecture, skipped", r->names.v[k]);
				continue;
			}
			e = add_rule(ctx, r, nr, act);
			if (e)
				return fail(-e, "linux.seccomp.syscalls[%u]: add a rule for %s", i, r->names.v[k]);
		}
	}
	return 0;
}

/* libseccomp writes the program to a descriptor; a memfd keeps it off any
 * file system. */
static long export_program(scmp_filter_ctx ctx, struct sock_filter *out, size_t max)
{
	long fd = syscall(SYS_memfd_create, "seccomp", MFD_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return fail(errno, "seccomp: memfd_create");
	e = seccomp_export_bpf(ctx, (int)fd);
	if (e) {
		close((int)fd);
		return fail(-e, "seccomp: export the filter");
	}
	n = pread((int)fd, out, max * sizeof(*out), 0);
	close((int)fd);
	if (n < 0)
		return fail(errno, "seccomp: read the exported filter");
	if ((size_t)n >= max * sizeof(*out))
		return fail(E2BIG, "seccomp: the filter has more than %zu instructions", max);
	return n / (long)sizeof(*out);
}

long filter_compile(const struct seccomp_cfg *s, struct sock_filter *out, size_t max)
{
	uint32_t def = action(s->default_action, s->has_default_errno, s->default_errno);
	scmp_filter_ctx ctx = seccomp_init(def);
	unsigned i;
	long n;
	int e;

	if (!ctx)
		return fail(ENOMEM, "seccomp: seccomp_init");
	for (i = 0; i < SECCOMP_ARCHS; i++) {
		if (!(s->archs & (1u << i)))
			continue;
		e = seccomp_arch_add(ctx, arch_tokens[i]);
		if (e && e != -EEXIST) {
			seccomp_release(ctx);
			return fail(-e, "linux.seccomp.architectures: add %s", seccomp_arch_names[i]);
		}
	}
	if (add_rules(ctx, s, def)) {
		seccomp_release(ctx);
		return error_code();
	}
	n = export_program(ctx, out, max);
	seccomp_release(ctx);
	return n;
}

unsigned long filter_flags(const struct seccomp_cfg *s)
{
	unsigned long flags = 0;
	unsigned i;

	for (i = 0; i < SECCOMP_FLAGS; i++) {
		if (s->flags & (1u << i))
			flags |= flag_bits[i];
	}
	/* The kernel takes TSYNC with a listener only when told to report a
	 * thread it cannot sync as ESRCH; and WAIT_KILLABLE_RECV only with a
	 * listener, so without one it has nothing to change. */
	if (filter_wants_listener(s)) {
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (flags & SECCOMP_FILTER_FLAG_TSYNC)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	} else if (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) {
		log_debug("seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV without a notifying rule: dropped");
		flags &= ~(unsigned long)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	return flags;
}

int filter_load(const struct sock_filter *prog, size_t n, unsigned long flags)
{
	struct sock_fprog fprog = { (unsigned short)n, (struct sock_filter *)prog };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);

	/* An old kernel without seccomp(2) takes the plain filter through
	 * prctl, if no flag is needed. */
	if (r < 0 && errno == ENOSYS && !flags)
		r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
	if (r < 0)
		return fail(errno, "load the seccomp filter (%zu instructions, flags %#lx)", n, flags);
	return (int)r;
}

const char *filter_library_version(char *buf, size_t cap)
{
	const struct scmp_version *v = seccomp_version();

	fmt(buf, cap, "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}

int listener_connect(const struct seccomp_cfg *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(s->listener_path) >= sizeof(sa.sun_path))
		return fail(ENAMETOOLONG, "linux.seccomp.listenerPath %s", s->listener_path);
	strcpy(sa.sun_path, s->listener_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(errno, "seccomp listener: socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		return fail(e, "connect to the seccomp listener %s", s->listener_path);
	}
	return fd;
}

int listener_send(int sock, int notify_fd, pid_t pid, const char *metadata, const char *state_json)
{
	static char text[STATE_FILE_MAX + 512];
	struct jw w;
	long n;
	int r;

	jw_init(&w, text, sizeof(text));
	jw_obj_begin(&w);
	jw_key(&w, "ociVersion");
	jw_str(&w, OCI_VERSION);
	jw_key(&w, "fds");
	jw_arr_begin(&w);
	jw_str(&w, "seccompFd");
	jw_arr_end(&w);
	jw_key(&w, "pid");
	jw_int(&w, pid);
	if (metadata) {
		jw_key(&w, "metadata");
		jw_str(&w, metadata);
	}
	jw_key(&w, "state");
	jw_raw(&w, state_json);
	jw_obj_end(&w);
	n = jw_finish(&w);
	if (n < 0)
		return fail(0, "seccomp listener: the state does not fit in %zu bytes", sizeof(text));
	/* One state per connection, then the connection is closed. */
	r = send_with_fd(sock, text, (size_t)n, notify_fd);
	if (r)
		return fail(-r, "send the seccomp listener fd");
	close(sock);
	return 0;
}

/* libseccomp checks itself with assert(); musl's handler would bring in
 * printf and stdio, 10 KiB, to print one line.  This one prints it through
 * the log and still aborts.  (glibc, for the sanitizer builds, keeps its
 * own: its prototype differs.) */
#ifndef __GLIBC__
_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	log_error("libseccomp: assertion %s failed (%s:%d, %s)", expr, file, line, func);
	abort();
}
#endif
