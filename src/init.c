/* The container's init, from clone to exec.
 *
 * It sets up the container's world while the runtime waits, reports READY,
 * then waits for start with every signal blocked: a queued START_SIGNAL
 * carrying the reply pipe's inode starts it; any other terminating signal
 * ends it, as it would end the process it is about to become.  start reads
 * the reply pipe: end of file means the exec happened, text is an error. */
#include "container.h"
#include "error.h"
#include "hooks.h"
#include "log.h"
#include "state_json.h"
#include "sync.h"
#include "syscalls.h"
#include "seccomp_filter.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Before READY errors go to the runtime over the socket; after it, to
 * whoever runs start, over the reply pipe. */
static bool ready;

void init_fail(struct ctx *c)
{
	const char *msg = error_msg();

	if (!ready) {
		sync_send(c->sync[1], SYNC_ERROR, error_code(), msg);
	} else if (write(c->reply[1], msg, strlen(msg)) < 0) {
		_exit(126);
	}
	_exit(ready ? 127 : 1);
}

static void check(struct ctx *c, int r)
{
	if (r)
		init_fail(c);
}

static void watch_parent(struct ctx *c, bool on)
{
	if (prctl(PR_SET_PDEATHSIG, on ? SIGKILL : 0, 0, 0, 0) < 0)
		check(c, fail(errno, "set the parent death signal"));
}

/* Waits for the runtime's go, taking the idmapped mounts it sends first.
 * The runtime gone means nobody will ever start this container. */
static void wait_go(struct ctx *c)
{
	struct sync_msg m;
	int fd, t;

	while ((t = sync_recv(c->sync[1], &m, &fd)) == SYNC_MOUNT_FD) {
		if (m.value >= 0 && m.value < CONFIG_MAX_MOUNTS)
			c->mount_fds[m.value] = fd;
	}
	if (t != SYNC_GO)
		_exit(1);
	if (m.value > 0)
		c->pid = m.value;
}

#if CONFIG_HOOKS
static void container_hooks(struct ctx *c, enum hook_kind kind, const char *status)
{
	static char state[STATE_FILE_MAX];
	const struct spec *s = c->spec;
	struct jw w;
	long n;

	if (!s->nhooks[kind])
		return;
	/* Hooks in the container's namespaces see its own pid. */
	jw_init(&w, state, sizeof(state));
	state_json(&w, c->o->id, status, getpid(), c->bundle, s->annotations, s->nannotations, NULL);
	n = jw_finish(&w);
	if (n < 0)
		check(c, fail(0, "the state of %s is too large for the hooks", c->o->id));
	check(c, hooks_run(s->hooks[kind], s->nhooks[kind], kind, state, (size_t)n));
}

static void runtime_hooks(struct ctx *c)
{
	const struct spec *s = c->spec;

	if (!s->nhooks[HOOK_PRESTART] && !s->nhooks[HOOK_CREATE_RUNTIME])
		return;
	if (sync_send(c->sync[1], SYNC_HOOKS, 0, NULL) < 0)
		_exit(1);
	wait_go(c);
}
#endif

/* Dies of sig as the container process would have, or, as the init of a
 * pid namespace that cannot be killed by its own signals, exits with the
 * status a shell would give it. */
static void die_of(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t one;

	sigaction(sig, &dfl, NULL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	kill(getpid(), sig);
	_exit(128 + sig);
}

static void wait_start(struct ctx *c, int cookie)
{
	sigset_t all;
	siginfo_t si;

	sigfillset(&all);
	for (;;) {
		int sig = sigwaitinfo(&all, &si);

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			check(c, fail(errno, "wait for start"));
		}
		if (sig == START_SIGNAL && si.si_code == SI_QUEUE && si.si_value.sival_int == cookie)
			return;
		switch (sig) {
		case SIGCHLD:
		case SIGWINCH:
		case SIGURG:
		case SIGCONT:
		case SIGTSTP:
		case SIGTTIN:
		case SIGTTOU:
			continue;
		default:
			die_of(sig);
		}
	}
}

#if CONFIG_TERMINAL
/* The master goes to the console socket, or to a foreground run. */
static void setup_terminal(struct ctx *c)
{
	int master, slave, r;

	check(c, terminal_open(&c->spec->process, true, &master, &slave));
	if (c->console_sock >= 0) {
		check(c, terminal_send(c->console_sock, master));
		close(c->console_sock);
	} else if ((r = sync_send_fd(c->sync[1], SYNC_CONSOLE, 0, master)) < 0) {
		check(c, fail(-r, "terminal: pass it to the runtime"));
	}
	close(master);
	check(c, terminal_take(slave));
}
#endif

#if CONFIG_SECCOMP
/* Loads the filter the runtime compiled; a listener gets its fd with the
 * state of the container. */
static void load_seccomp(struct ctx *c, const char *status)
{
	static char state[STATE_FILE_MAX];
	const struct spec *s = c->spec;
	struct jw w;
	int fd;

	if (!c->seccomp_prog)
		return;
	fd = filter_load(c->seccomp_prog, (size_t)c->seccomp_len, c->seccomp_flags);
	if (fd < 0)
		init_fail(c);
	if (fd == 0 || c->listener_sock < 0)
		return;
	jw_init(&w, state, sizeof(state));
	state_json(&w, c->o->id, status, c->pid, c->bundle, s->annotations, s->nannotations, NULL);
	if (jw_finish(&w) < 0)
		check(c, fail(0, "the state of %s is too large for the seccomp listener", c->o->id));
	check(c, listener_send(c->listener_sock, fd, c->pid, s->linux.seccomp.listener_metadata, state));
	close(fd);
	c->listener_sock = -1;
}
#endif

static void setup(struct ctx *c)
{
	mode_t old_umask;

	if (ns_two_step(c)) {
		pid_t pid = ns_second_step(c);

		if (pid < 0)
			init_fail(c);
		if (pid > 0) {
			sync_send(c->sync[1], SYNC_PID, pid, NULL);
			_exit(0);
		}
		/* The first step is gone; this process was given back to the
		 * runtime, a subreaper, whose death it watches from now on. */
		wait_go(c);
		watch_parent(c, true);
	} else {
		if (c->cg_by_init && cgroup_enter_self(&c->cg, c->cg_in_v2)) {
			error_prefix("cgroup: ");
			init_fail(c);
		}
		check(c, ns_join_paths(c, false));
	}
	check(c, ns_become_root(c));
	check(c, ns_enter_cgroup_ns(c));
	/* Modes in the config are meant as written. */
	old_umask = umask(0);
	check(c, rootfs_prepare(c));
	check(c, mounts_apply(c));
	check(c, devices_create(c));
#if CONFIG_HOOKS
	runtime_hooks(c);
	container_hooks(c, HOOK_CREATE_CONTAINER, "creating");
#endif
	check(c, rootfs_pivot(c));
#if CONFIG_TERMINAL
	if (c->spec->process.terminal)
		setup_terminal(c);
#endif
#if CONFIG_SYSCTL
	/* Before the read-only paths, which include /proc/sys. */
	check(c, sysctl_apply(c));
#endif
	check(c, rootfs_paths(c));
	check(c, rootfs_finish(c));
	check(c, process_prepare(c));
#if CONFIG_SECCOMP
	/* Without no_new_privs loading needs CAP_SYS_ADMIN, which the process
	 * may be about to lose: load it now, before the capabilities go. */
	if (!c->spec->process.no_new_privileges)
		load_seccomp(c, "creating");
#endif
	check(c, process_identity(&c->spec->process));
	umask(c->spec->process.user.has_umask ? (mode_t)c->spec->process.user.umask : old_umask);
}

void init_main(struct ctx *c)
{
	static const char *const no_env[] = { NULL };
	const struct process_cfg *p = &c->spec->process;
	const char *exe;

	/* The record's lock belongs to create; an inherited descriptor would
	 * hold it as long as the init lives. */
	close(c->state_fd);
	close(c->sync[0]);
	if (!ns_two_step(c))
		watch_parent(c, true);
	wait_go(c);
	setup(c);
	exe = process_resolve_exec(p);
	if (!exe)
		init_fail(c);
	check(c, process_close_fds(c->o->preserve_fds));
	/* The death signal goes before READY: once the runtime has the READY it
	 * may record the container and exit at once, and a signal still armed
	 * would kill the init it has just recorded.  From here on, the
	 * runtime's death shows as the end of the sync socket in wait_go. */
	watch_parent(c, false);
	/* From READY on, start may signal at any moment.  An unblocked signal
	 * with the default action is dropped by the kernel when it is sent to
	 * a pid namespace's init from outside, so block before telling. */
	{
		sigset_t all;

		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
	}
	if (sync_send(c->sync[1], SYNC_READY, 0, NULL) < 0)
		_exit(1);
	wait_go(c);
	ready = true;

	wait_start(c, (int)c->reply_ino);
	{
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	check(c, process_labels(p));
#if CONFIG_SECCOMP
	if (p->no_new_privileges)
		load_seccomp(c, "created");
#endif
#if CONFIG_HOOKS
	container_hooks(c, HOOK_START_CONTAINER, "created");
#endif
	execve(exe, (char *const *)p->args.v, (char *const *)(p->env.n ? p->env.v : no_env));
	process_exec_failed(exe, errno);
	init_fail(c);
}
