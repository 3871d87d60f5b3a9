/* exec: a new process in a running container.
 *
 * The runtime forks a helper, puts it in the container's cgroups, and lets
 * it join the init's namespaces; since a new pid or time namespace holds
 * only the children of whoever joins it, the helper forks the process
 * itself, reports its pid and exits.  The process takes on the identity
 * the process config asks for, reports its exec through a close-on-exec
 * pipe as the init does, and is waited for by the runtime (a subreaper,
 * so that the process comes back to it) unless detached. */
#include "exec.h"
#include "bitlist.h"
#include "bundle.h"
#include "crc32.h"
#include "error.h"
#include "pid_file.h"
#include "foreground.h"
#include "format.h"
#include "lifecycle.h"
#include "log.h"
#include "sync.h"
#include "syscalls.h"
#include "terminal.h"
#include "seccomp_filter.h"
#include "state_json.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct container rec;
static struct spec spec;
static bool have_config;
static char config[CONFIG_MAX_CONFIG_SIZE + 1];
static char process_json[CONFIG_MAX_CONFIG_SIZE + 1];

static const int ns_flags[NS_TYPES] = {
	[NS_PID] = CLONE_NEWPID, [NS_NET] = CLONE_NEWNET, [NS_MNT] = CLONE_NEWNS,
	[NS_IPC] = CLONE_NEWIPC, [NS_UTS] = CLONE_NEWUTS, [NS_USER] = CLONE_NEWUSER,
	[NS_CGROUP] = CLONE_NEWCGROUP, [NS_TIME] = CLONE_NEWTIME,
};
static const char *const ns_files[NS_TYPES] = {
	[NS_PID] = "pid", [NS_NET] = "net", [NS_MNT] = "mnt", [NS_IPC] = "ipc",
	[NS_UTS] = "uts", [NS_USER] = "user", [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

/* The container's config.json, if it is still the one it was created
 * from: the process template when --process is not given, and the
 * container-wide settings an exec'd process must get too. */
static int load_config(const struct container *c)
{
	uint32_t want = record_u32(c, TAG_CONFIG_CRC);
	long len = spec_read_file(c->bundle, config, sizeof(config));

	if (len < 0)
		return (int)len;
	if (crc32(0, config, (size_t)len) != want)
		return fail(0, "%s/config.json changed since container %s was created", c->bundle, c->id);
	return spec_parse(&spec, config, (size_t)len);
}

static int read_process_file(const char *path)
{
	long len;
	int fd = strcmp(path, "-") ? openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC) : 0;
	ssize_t n;

	if (fd < 0)
		return fail(errno, "open the process file %s", path);
	for (len = 0; (size_t)len < sizeof(process_json) - 1; len += n) {
		n = read(fd, process_json + len, sizeof(process_json) - 1 - (size_t)len);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0) {
			int e = errno;

			if (fd)
				close(fd);
			return fail(e, "read the process file %s", path);
		}
		if (n == 0)
			break;
	}
	if (fd)
		close(fd);
	return spec_parse_process(&spec, process_json, (size_t)len);
}

struct spec *exec_prepare(const char *root, const char *id, const char *process_file)
{
	enum cstatus st;
	int r;

	if (state_load(root, id, STATE_NOLOCK, &rec))
		return NULL;
	st = state_status(&rec);
	if (st != STATUS_RUNNING && st != STATUS_CREATED) {
		fail(0, "container %s is %s: exec needs it running", id, status_name(st));
		return NULL;
	}
	/* Without --process the process comes from the config, which must be
	 * the container's own; with it, the config is still read where it
	 * exists, for what the container applies to every process. */
	r = load_config(&rec);
	if (r && !process_file)
		return NULL;
	have_config = !r;
	if (r) {
		error_clear();
		spec_reset(&spec);
	}
	if (process_file && read_process_file(process_file))
		return NULL;
	if (!spec.has_process) {
		fail(0, "exec %s: no process given", id);
		return NULL;
	}
	return &spec;
}

/* Without pidfd setns: every namespace file is opened before the first
 * setns, since the mount namespace changes what /proc shows. */
static int join_by_path(pid_t pid, uint32_t mask, const enum ns_type *order)
{
	int fds[NS_TYPES], r = 0;
	unsigned i;

	for (i = 0; i < NS_TYPES; i++) {
		enum ns_type t = order[i];
		char path[64];

		fds[i] = -1;
		if (!(mask & (1u << t)) || r)
			continue;
		fmt(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_files[t]);
		fds[i] = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			r = fail(errno, "open %s", path);
	}
	for (i = 0; i < NS_TYPES && !r; i++) {
		int e = fds[i] >= 0 ? sys_setns(fds[i], ns_flags[order[i]]) : 0;

		if (e < 0)
			r = fail(-e, "join the %s namespace of the container's init %d", ns_files[order[i]], (int)pid);
	}
	for (i = 0; i < NS_TYPES; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	return r;
}

/* Joins all the init's namespaces: in one call where setns takes a pidfd
 * (5.8), else one /proc/PID/ns file at a time, the user namespace first. */
static int join(pid_t pid, uint32_t mask)
{
	static const enum ns_type order[NS_TYPES] = { NS_USER, NS_MNT, NS_PID, NS_NET, NS_IPC,
						      NS_UTS, NS_CGROUP, NS_TIME };
	int flags = 0, pidfd, r;
	unsigned i;

	for (i = 0; i < NS_TYPES; i++) {
		if (mask & (1u << i))
			flags |= ns_flags[i];
	}
	if (!flags)
		return 0;
	pidfd = sys_pidfd_open(pid);
	if (pidfd >= 0) {
		r = sys_setns(pidfd, flags);
		close(pidfd);
		if (r == 0)
			return 0;
		if (r != -EINVAL)
			return fail(-r, "join the namespaces of the container's init %d", (int)pid);
	}
	return join_by_path(pid, mask, order);
}

struct exec_ctx {
	const struct exec_opts *o;
	const struct process_cfg *p;
	struct sock_filter *seccomp;
	long seccomp_len;
	unsigned long seccomp_flags;
	int listener;
	pid_t init;
	uint32_t ns;
	int sync[2];
	int reply[2];
	int console_sock;
	int master;
};

/* process.execCPUAffinity: the CPUs before and after joining the cgroup. */
static int set_affinity(pid_t pid, const char *list, const char *which)
{
#if CONFIG_PROCESS_SCHED
	cpu_set_t set;

	if (!list || !list[0])
		return 0;
	CPU_ZERO(&set);
	if (bitlist_parse(list, (unsigned long *)&set, CPU_SETSIZE) < 0)
		return fail(0, "process.execCPUAffinity.%s: \"%s\" is not a CPU list", which, list);
	if (sched_setaffinity(pid, sizeof(set), &set) < 0)
		return fail(errno, "process.execCPUAffinity.%s: set %s", which, list);
#endif
	return 0;
}

/* The container's seccomp filter, compiled by the runtime; a listener's
 * fd goes to the runtime, which knows this process's pid as the host sees
 * it. */
static int load_filter(struct exec_ctx *x)
{
	int fd, r;

	if (!x->seccomp)
		return 0;
#if CONFIG_SECCOMP
	fd = filter_load(x->seccomp, (size_t)x->seccomp_len, x->seccomp_flags);
#else
	fd = fail(ENOTSUP, "seccomp: not supported by this build (CONFIG_SECCOMP is not set)");
#endif
	if (fd <= 0)
		return fd;
	r = sync_send_fd(x->sync[1], SYNC_SECCOMP_FD, 0, fd);
	close(fd);
	return r < 0 ? fail(-r, "pass the seccomp listener fd to the runtime") : 0;
}

/* The process, in the container: never returns. */
static void become(struct exec_ctx *x)
{
	static const char *const no_env[] = { NULL };
	const struct process_cfg *p = x->p;
	const char *exe;
	int r = 0;

#if CONFIG_TERMINAL
	if (p->terminal) {
		int master, slave;

		r = terminal_open(p, false, &master, &slave);
		if (!r && x->console_sock >= 0)
			r = terminal_send(x->console_sock, master);
		else if (!r)
			r = sync_send_fd(x->sync[1], SYNC_CONSOLE, 0, master);
		if (!r)
			r = terminal_take(slave);
	}
#endif
	if (!r)
		r = set_affinity(0, p->cpu_final, "final");
	if (!r)
		r = process_limits(p);
	/* As for the init: without no_new_privs, before the capabilities go. */
	if (!r && !p->no_new_privileges)
		r = load_filter(x);
	if (!r)
		r = process_identity(p);
	exe = r ? NULL : process_resolve_exec(p);
	if (exe && process_labels(p))
		exe = NULL;
	if (exe && !process_close_fds(x->o->preserve_fds)) {
		if (p->user.has_umask)
			umask((mode_t)p->user.umask);
		if (p->no_new_privileges && load_filter(x))
			goto out;
		sync_send(x->sync[1], SYNC_READY, 0, NULL);
		execve(exe, (char *const *)p->args.v, (char *const *)(p->env.n ? p->env.v : no_env));
		process_exec_failed(exe, errno);
	}
out:
	sync_send(x->sync[1], SYNC_ERROR, error_code(), error_msg());
	_exit(127);
}

/* The helper: joins, forks the process, reports its pid. */
/* The helper joins the container's cgroups itself, before its namespaces:
 * see cgroup_enter_self for why not from the runtime. */
static int enter_cgroup(void)
{
	struct cgroup cg;

	return record_cgroup(&rec, &cg) ? cgroup_enter_self(&cg, false) : 0;
}

static void helper(struct exec_ctx *x)
{
	struct sync_msg m;
	int order[2];
	pid_t pid;

	close(x->sync[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (sync_expect(x->sync[1], SYNC_GO, &m) < 0)
		_exit(1);
	if (enter_cgroup() || join(x->init, x->ns)) {
		sync_send(x->sync[1], SYNC_ERROR, error_code(), error_msg());
		_exit(1);
	}
	/* The process speaks on the same socket (READY, ERROR): it waits
	 * until its pid has gone first, which the runtime expects first. */
	if (pipe2(order, O_CLOEXEC) < 0) {
		fail(errno, "pipe");
		sync_send(x->sync[1], SYNC_ERROR, error_code(), error_msg());
		_exit(1);
	}
	pid = fork();
	if (pid == 0) {
		char b;

		close(order[1]);
		while (read(order[0], &b, 1) < 0 && errno == EINTR)
			;
		close(order[0]);
		become(x);
	}
	if (pid < 0) {
		fail(errno, "fork the process");
		sync_send(x->sync[1], SYNC_ERROR, error_code(), error_msg());
		_exit(1);
	}
	sync_send(x->sync[1], SYNC_PID, pid, NULL);
	close(order[1]);
	_exit(0);
}

#if CONFIG_SECCOMP
static int send_listener(struct exec_ctx *x, int fd, pid_t pid)
{
	static char state[STATE_FILE_MAX];
	struct jw w;
	int fd_listener;

	if (x->listener < 0)
		return 0;
	jw_init(&w, state, sizeof(state));
	state_json(&w, rec.id, status_name(state_status(&rec)), (pid_t)rec.rec.pid, rec.bundle, NULL, 0, &rec);
	if (jw_finish(&w) < 0)
		return fail(0, "the state of %s is too large for the seccomp listener", rec.id);
	fd_listener = x->listener;
	x->listener = -1;
	return listener_send(fd_listener, fd, pid, spec.linux.seccomp.listener_metadata, state);
}
#endif

/* Reads the process's report: READY then end of file at its exec, or an
 * error; a terminal's master and a seccomp listener fd may come first. */
static int await_exec(struct exec_ctx *x, pid_t pid)
{
	struct sync_msg m;
	int fd, t;

	for (;;) {
		t = sync_recv(x->sync[0], &m, &fd);
		if (t == SYNC_CONSOLE) {
			x->master = fd;
			continue;
		}
#if CONFIG_SECCOMP
		if (t == SYNC_SECCOMP_FD) {
			int r = send_listener(x, fd, pid);

			close(fd);
			if (r)
				return r;
			continue;
		}
#endif
		if (t == SYNC_READY)
			continue;
		if (t == SYNC_ERROR)
			return fail_again(0, "%s", m.text);
		if (t == -EPIPE)
			return 0;
		if (t < 0)
			return fail(-t, "read from the process");
		return fail(0, "unexpected message %d from the process", t);
	}
}

static int spawn(struct exec_ctx *x, pid_t *out)
{
	struct sync_msg m;
	pid_t helper_pid;
	int r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x->sync) < 0)
		return fail(errno, "socketpair");
	helper_pid = fork();
	if (helper_pid < 0)
		return fail(errno, "fork");
	if (helper_pid == 0)
		helper(x);
	close(x->sync[1]);
	if (x->console_sock >= 0)
		close(x->console_sock);
	r = set_affinity(helper_pid, x->p->cpu_initial, "initial");
	if (!r && (r = sync_send(x->sync[0], SYNC_GO, 0, NULL)) < 0)
		r = fail(-r, "resume the exec helper");
	if (!r)
		r = sync_expect(x->sync[0], SYNC_PID, &m);
	waitpid(helper_pid, NULL, 0);
	if (r < 0)
		return r;
	*out = m.value;
	return await_exec(x, *out);
}

int exec_run(const struct exec_opts *o, int *exit_code)
{
	struct exec_ctx x = { .o = o, .p = &spec.process, .console_sock = -1, .master = -1, .listener = -1 };
	struct foreground w = { 0, -1, 255 };
	sigset_t set;
	pid_t pid = 0;
	int r;

	x.init = (pid_t)rec.rec.pid;
	x.ns = record_u32(&rec, TAG_NAMESPACES);
	caps_filter(&spec.process);
	if (record_u32(&rec, TAG_FLAGS) & CFLAG_SECCOMP) {
#if CONFIG_SECCOMP
		static struct sock_filter prog[SECCOMP_MAX_INSNS];

		/* A process must not escape the container's filter because the
		 * config it came from is gone. */
		if (!have_config || !spec.linux.has_seccomp)
			return fail(0, "exec: container %s has a seccomp filter, and %s/config.json, which holds it, changed since create",
				    rec.id, rec.bundle);
		x.seccomp_len = filter_program(&spec.linux.seccomp, o->cache_dir, prog);
		if (x.seccomp_len < 0)
			return (int)x.seccomp_len;
		x.seccomp = prog;
		x.seccomp_flags = filter_flags(&spec.linux.seccomp);
		if (filter_wants_listener(&spec.linux.seccomp) && spec.linux.seccomp.listener_path) {
			x.listener = listener_connect(&spec.linux.seccomp);
			if (x.listener < 0)
				return x.listener;
		}
#else
		return fail(ENOTSUP, "exec: container %s has a seccomp filter; this build has no seccomp (CONFIG_SECCOMP)",
			    rec.id);
#endif
	}
	if (spec.process.terminal && o->detach && !o->console_socket)
		return fail(0, "exec: a detached process with a terminal needs --console-socket");
#if CONFIG_TERMINAL
	if (spec.process.terminal && o->console_socket) {
		x.console_sock = console_socket_connect(o->console_socket);
		if (x.console_sock < 0)
			return x.console_sock;
	}
#else
	if (spec.process.terminal)
		return fail(0, "process.terminal: not supported by this build (CONFIG_TERMINAL is not set)");
#endif
	/* The process is reparented here when its helper exits, and signals
	 * wait to be forwarded to it. */
	sigfillset(&set);
	if (!o->detach) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
			return fail(errno, "become a subreaper");
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	r = spawn(&x, &pid);
	if (!r && o->pid_file)
		r = pid_file_write(o->pid_file, pid);
	if (r) {
		if (pid > 0)
			kill(pid, SIGKILL);
		return r;
	}
	if (o->detach)
		return 0;
	w.pid = pid;
	w.master = x.master;
	r = foreground_wait(&w, &set);
	*exit_code = w.code;
	return r;
}
