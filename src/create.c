/* create, on the runtime's side: record the container, make its cgroup,
 * clone its init, run the hooks that belong to the runtime's namespaces,
 * and hand over.  The init's side is init.c.
 *
 * The record is written before anything is made, so that a create killed
 * at any point leaves what delete --force needs to undo it. */
#include "container.h"
#include "error.h"
#include "pid_file.h"
#include "format.h"
#include "hooks.h"
#include "log.h"
#include "state.h"
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct container record;
static int rootfd = -1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint32_t ns_mask(const struct spec *s)
{
	uint32_t mask = 0;
	unsigned t;

	for (t = 0; t < NS_TYPES; t++) {
		if (s->linux.ns[t].set)
			mask |= 1u << t;
	}
	return mask;
}

/* What state, delete and exec need later, so that they never read a
 * config.json that may have changed since. */
static int build_data(struct ctx *c, unsigned char *buf, size_t cap, size_t *len)
{
	struct data_writer w = { buf, cap, 0, false };
	const struct spec *s = c->spec;
	char cg[2048];
	unsigned i;

	data_put_str(&w, TAG_ID, c->o->id);
	data_put_str(&w, TAG_BUNDLE, c->bundle);
	data_put_str(&w, TAG_ROOTFS, c->rootfs);
	data_put_u32(&w, TAG_NAMESPACES, ns_mask(s));
	data_put_u32(&w, TAG_CONFIG_CRC, c->config_crc);
	data_put_u32(&w, TAG_FLAGS, (s->process.terminal ? CFLAG_TERMINAL : 0) | (c->pidns ? CFLAG_PID_NS : 0) |
				    (s->linux.has_seccomp ? CFLAG_SECCOMP : 0));
	if (c->has_cgroup) {
		size_t n = cgroup_save(&c->cg, cg, sizeof(cg));

		if (!n)
			return fail(ENAMETOOLONG, "cgroup paths too long to record");
		data_put(&w, TAG_CGROUP, cg, n);
	}
	for (i = 0; i < s->nannotations; i++) {
		char kv[4096];
		int n = fmt(kv, sizeof(kv), "%s%c%s", s->annotations[i].key, 0, s->annotations[i].value);

		if (n < 0 || (size_t)n >= sizeof(kv))
			return fail(0, "annotations.%s: longer than %zu bytes", s->annotations[i].key, sizeof(kv));
		data_put(&w, TAG_ANNOTATION, kv, (size_t)n + 1);
	}
#if CONFIG_INTEL_RDT
	rdt_record(c, &w);
#endif
#if CONFIG_HOOKS
	for (i = 0; i < s->nhooks[HOOK_POSTSTART]; i++)
		hooks_save(&w, HOOK_POSTSTART, &s->hooks[HOOK_POSTSTART][i]);
	for (i = 0; i < s->nhooks[HOOK_POSTSTOP]; i++)
		hooks_save(&w, HOOK_POSTSTOP, &s->hooks[HOOK_POSTSTOP][i]);
#endif
	if (w.overflow)
		return fail(0, "container %s: annotations and poststop hooks take more than %zu bytes in the record",
			    c->o->id, cap);
	*len = w.len;
	return 0;
}

#if CONFIG_HOOKS
static int run_runtime_hooks(struct ctx *c, enum hook_kind kind, const char *status)
{
	static char state[STATE_FILE_MAX];
	const struct spec *s = c->spec;
	struct jw w;
	long n;

	if (!s->nhooks[kind])
		return 0;
	jw_init(&w, state, sizeof(state));
	state_json(&w, c->o->id, status, c->pid, c->bundle, s->annotations, s->nannotations, NULL);
	n = jw_finish(&w);
	if (n < 0)
		return fail(0, "the state of %s does not fit in %zu bytes", c->o->id, sizeof(state));
	return hooks_run(s->hooks[kind], s->nhooks[kind], kind, state, (size_t)n);
}
#endif

/* The init asks for the runtime's hooks once its mounts are in place. */
static int serve_init(struct ctx *c)
{
	struct sync_msg m;
	int r, fd;

	for (;;) {
		r = sync_recv(c->sync[0], &m, &fd);
		if (r == -EPIPE || r == 0)
			return fail(0, "the container's init exited during setup");
		if (r < 0)
			return fail(-r, "read from the container's init");
		switch (r) {
		case SYNC_READY:
			return 0;
		case SYNC_ERROR:
			return fail_again(0, "%s", m.text);
		case SYNC_WARN:
			log_warn("%s", m.text);
			break;
		case SYNC_CONSOLE:
			c->ptmx_master = fd;
			break;
#if CONFIG_HOOKS
		case SYNC_HOOKS:
			r = run_runtime_hooks(c, HOOK_PRESTART, "creating");
			if (!r)
				r = run_runtime_hooks(c, HOOK_CREATE_RUNTIME, "creating");
			if (r)
				return r;
			if ((r = sync_send(c->sync[0], SYNC_GO, 0, NULL)) < 0)
				return fail(-r, "resume the container's init");
			break;
#endif
		default:
			return fail(0, "unexpected message %d from the container's init", r);
		}
	}
}

#if CONFIG_IDMAP_MOUNTS
/* idmapped mounts are made here, where the host's user namespace allows
 * it, and handed to the init to attach. */
static int send_idmapped(struct ctx *c)
{
	unsigned i;
	int fd, r;

	for (i = 0; i < c->spec->nmounts; i++) {
		if (!(c->spec->mounts[i].kind & MNT_IDMAP))
			continue;
		fd = idmap_prepare(c, &c->spec->mounts[i]);
		if (fd < 0)
			return fd;
		r = sync_send_fd(c->sync[0], SYNC_MOUNT_FD, (int)i, fd);
		close(fd);
		if (r < 0)
			return fail(-r, "pass an idmapped mount to the init");
	}
	return 0;
}
#endif

/* The init of a two-step start reports its pid, and the first step ends. */
static int second_step(struct ctx *c)
{
	struct sync_msg m;
	pid_t first = c->pid;
	int r;

	if ((r = sync_send(c->sync[0], SYNC_GO, 0, NULL)) < 0)
		return fail(-r, "resume the container's init");
	r = sync_expect(c->sync[0], SYNC_PID, &m);
	waitpid(first, NULL, 0);
	if (r < 0)
		return r;
	c->pid = m.value;
	return 0;
}

#if CONFIG_SECCOMP
/* The filter is compiled here, once, and the listener connected while its
 * path is still the host's: the init only loads and sends. */
static int prepare_seccomp(struct ctx *c)
{
	static struct sock_filter prog[SECCOMP_MAX_INSNS];
	const struct seccomp_cfg *s = &c->spec->linux.seccomp;

	if (!c->spec->linux.has_seccomp)
		return 0;
	c->seccomp_len = filter_program(s, c->o->cache_dir, prog);
	if (c->seccomp_len < 0)
		return (int)c->seccomp_len;
	c->seccomp_prog = prog;
	c->seccomp_flags = filter_flags(s);
	if (filter_wants_listener(s) && s->listener_path) {
		c->listener_sock = listener_connect(s);
		if (c->listener_sock < 0)
			return c->listener_sock;
	}
	return 0;
}
#endif

static int spawn(struct ctx *c)
{
	struct stat st;
	int r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync) < 0)
		return fail(errno, "socketpair");
	if (pipe2(c->reply, O_CLOEXEC) < 0 || fstat(c->reply[1], &st) < 0)
		return fail(errno, "pipe");
	c->reply_ino = st.st_ino;
	record.rec.reply_fd = c->reply[1];
	record.rec.reply_ino = st.st_ino;
	/* The init of a two-step start is orphaned by its first step: it must
	 * come back to this process, not to the host's init. */
	if (ns_two_step(c) && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return fail(errno, "become a subreaper");
#if CONFIG_SECCOMP
	if ((r = prepare_seccomp(c)))
		return r;
#endif
#if CONFIG_TERMINAL
	if (c->spec->process.terminal && c->o->console_socket) {
		c->console_sock = console_socket_connect(c->o->console_socket);
		if (c->console_sock < 0)
			return c->console_sock;
	}
#endif
	c->state_fd = record.fd;
	/* The v2 directory stays open: the init's exec closes it, and a close
	 * here would be a system call for nothing. */
	/* An init in a user namespace of its own has no right to the host's
	 * cgroup files; a two-step init is not the process to place. */
	c->cg_by_init = c->has_cgroup && !ns_two_step(c) && !c->userns;
	c->pid = ns_clone(c, c->has_cgroup ? cgroup_v2_dirfd(&c->cg) : -1, &c->cg_in_v2);
	if (c->pid < 0)
		return fail(-c->pid, "clone the container's init");
	if (c->pid == 0)
		init_main(c);
	/* The init alone holds the reply pipe: its exec closes the last
	 * writer, which is how start knows the exec happened. */
	close(c->sync[1]);
	close(c->reply[0]);
	close(c->reply[1]);
	if (c->console_sock >= 0)
		close(c->console_sock);
	if (c->listener_sock >= 0)
		close(c->listener_sock);
	if ((r = ns_write_idmaps(c)))
		return r;
	if (ns_two_step(c) && (r = second_step(c)))
		return r;
#if CONFIG_IDMAP_MOUNTS
	if ((r = send_idmapped(c)))
		return r;
#endif
	if (c->has_cgroup && !c->cg_by_init && (r = cgroup_enter(&c->cg, c->pid, c->cg_in_v2))) {
		error_prefix("cgroup: ");
		return r;
	}
#if CONFIG_NET_DEVICES
	if ((r = netdev_move(c)))
		return r;
#endif
#if CONFIG_INTEL_RDT
	if ((r = rdt_apply(c)))
		return r;
#endif
	/* The init learns its pid as the host sees it, for the seccomp
	 * listener's message. */
	if ((r = sync_send(c->sync[0], SYNC_GO, c->pid, NULL)) < 0)
		return fail(-r, "resume the container's init");
	return serve_init(c);
}

static int record_created(struct ctx *c)
{
	struct record rec = record.rec;
	int r;

	rec.status = STATUS_CREATED;
	rec.pid = (uint32_t)c->pid;
	if ((r = proc_start_time(c->pid, &rec.start_time)) < 0)
		return fail(-r, "read the start time of the container's init %d", (int)c->pid);
	return state_write(&record, &rec, CONFIG_STATE_FSYNC);
}

/* Undoes what create made, in the order of runtime.md's step 12, then the
 * poststop hooks (step 13). */
static void undo(struct ctx *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	if (c->has_cgroup) {
		static struct error_state why;

		/* A cgroup that was there before, maybe another container's,
		 * is not this create's to remove; its error is what counts. */
		error_save(&why);
		cgroup_undo(&c->cg);
		error_restore(&why);
	}
#if CONFIG_HOOKS
	if (c->spec->nhooks[HOOK_POSTSTOP]) {
		static struct error_state saved;

		error_save(&saved);
		error_clear();
		if (run_runtime_hooks(c, HOOK_POSTSTOP, "stopped"))
			log_warn("%s", error_msg());
		error_restore(&saved);
	}
#endif
	if (rootfd >= 0)
		state_remove(&record);
}

int container_create(struct ctx *c)
{
	static unsigned char data[STATE_FILE_MAX];
	struct record rec;
	size_t len;
	int r;

	c->pid = 0;
	r = state_id_check(c->o->id);
	if (r)
		return r;
	ns_prepare(c);
	caps_filter(&c->spec->process);
#if CONFIG_CGROUP_V1 || CONFIG_CGROUP_V2
	r = cgroup_resolve(&c->cg, c->spec->linux.cgroups_path, c->o->id);
	if (r)
		return r;
	c->has_cgroup = true;
#endif
	r = build_data(c, data, sizeof(data), &len);
	if (r)
		return r;
	rootfd = state_root_open(c->o->root, true);
	if (rootfd < 0)
		return rootfd;
	memset(&rec, 0, sizeof(rec));
	rec.status = STATUS_CREATING;
	rec.created = now_ns();
	if ((r = boot_id_read(rec.boot_id)) < 0)
		return fail(-r, "read the boot id");
	r = state_create(rootfd, c->o->root, c->o->id, &rec, data, len, CONFIG_STATE_CAPACITY, &record);
	if (r) {
		close(rootfd);
		rootfd = -1;
		return r;
	}
	r = c->has_cgroup ? cgroup_create(&c->cg, &c->spec->linux.resources) : 0;
	if (!r)
		r = spawn(c);
	if (!r)
		r = record_created(c);
	if (!r && c->o->pid_file)
		r = pid_file_write(c->o->pid_file, c->pid);
	/* The init may now outlive this process: it stops watching for our
	 * death when it reads this. */
	if (!r && (r = sync_send(c->sync[0], SYNC_GO, 0, NULL)) < 0)
		r = fail(-r, "resume the container's init");
	if (r) {
		undo(c);
		return r;
	}
	/* The lock goes with it: run goes on to start this container. */
	state_close(&record);
	close(rootfd);
	rootfd = -1;
	return 0;
}
