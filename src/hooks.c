#include "format.h"
#include "hooks.h"
#include "bytes.h"
#include "state_json.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set by a vforked child whose exec failed: it shares this memory, and the
 * parent resumes only once the child has exec'd or exited. */
static volatile int exec_error;

static void child(const struct hook_cfg *h, int in, int out)
{
	static const char *no_env[] = { NULL };
	const char *argv0[] = { h->path, NULL };

	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) {
		exec_error = errno;
		_exit(127);
	}
	execve(h->path, (char *const *)(h->args.n ? h->args.v : argv0),
	       (char *const *)(h->env.n ? h->env.v : no_env));
	exec_error = errno;
	_exit(127);
}

/* Keeps the last bytes of what the hook printed, for the error message. */
static void collect(int fd, char *tail, size_t cap, size_t *len)
{
	char buf[512];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0)
		return;
	if ((size_t)n >= cap - 1) {
		memcpy(tail, buf + n - (cap - 1), cap - 1);
		*len = cap - 1;
	} else {
		if (*len + (size_t)n > cap - 1) {
			size_t drop = *len + (size_t)n - (cap - 1);

			memmove(tail, tail + drop, *len - drop);
			*len -= drop;
		}
		memcpy(tail + *len, buf, (size_t)n);
		*len += (size_t)n;
	}
	tail[*len] = '\0';
}

/* A message ends where the hook's output stops making sense: at its last
 * printable character. */
static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int wait_hook(pid_t pid, int out, long deadline, char *tail, size_t cap, int *status)
{
	size_t len = 0;
	bool open_out = true;

	tail[0] = '\0';
	for (;;) {
		long left = deadline ? deadline - now_ms() : 100;
		struct pollfd p = { out, POLLIN, 0 };
		pid_t w;

		if (deadline && left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -ETIMEDOUT;
		}
		if (open_out) {
			int r = poll(&p, 1, (int)(left > 100 ? 100 : left));

			if (r > 0 && (p.revents & POLLIN))
				collect(out, tail, cap, &len);
			else if (r > 0)
				open_out = false;
		}
		w = waitpid(pid, status, open_out ? WNOHANG : 0);
		if (w == pid) {
			if (open_out)
				collect(out, tail, cap, &len);
			return 0;
		}
		if (w < 0 && errno != EINTR)
			return -errno;
		/* The hook closed its output but still runs: wait in small steps
		 * so that the timeout holds. */
		if (!open_out && deadline) {
			struct timespec ts = { 0, 10000000 };

			nanosleep(&ts, NULL);
		}
	}
}

/* The state goes into the pipe before the hook exists when it fits in
 * PIPE_BUF: any pipe takes that much at once, and with the read end still
 * open here the write can neither block nor raise SIGPIPE.  A longer state
 * is written once the hook runs, with SIGPIPE ignored (see hooks_run). */
static void write_state(int fd, const char *kind, unsigned index, const char *state, size_t len)
{
	if (write(fd, state, len) < 0 && errno != EPIPE)
		log_debug("%s hook %u: writing the state: %s", kind, index, strerror(errno));
}

static int run_one(const struct hook_cfg *h, const char *kind, unsigned index, const char *state,
		   size_t state_len)
{
	int in[2], out[2], status = 0, r;
	bool early = state_len <= PIPE_BUF;
	char tail[384];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return fail(errno, "%s hook %u (%s): pipe", kind, index, h->path);
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return fail(errno, "%s hook %u (%s): pipe", kind, index, h->path);
	}
	if (early)
		write_state(in[1], kind, index, state, state_len);
	/* vfork: the hook execs at once, so nothing is copied, and musl's
	 * fork would add five system calls for its atfork bookkeeping. */
	exec_error = 0;
	pid = vfork();
	if (pid == 0)
		child(h, in[0], out[1]);
	r = pid < 0 ? errno : exec_error;
	close(in[0]);
	close(out[1]);
	if (r) {
		close(in[1]);
		close(out[0]);
		if (pid > 0)
			waitpid(pid, &status, 0);
		return fail(r, "%s hook %u (%s): %s", kind, index, h->path, pid < 0 ? "fork" : "exec");
	}
	if (!early)
		write_state(in[1], kind, index, state, state_len);
	close(in[1]);
	r = wait_hook(pid, out[0], h->timeout > 0 ? now_ms() + h->timeout * 1000 : 0, tail, sizeof(tail),
		      &status);
	close(out[0]);
	trim_end(tail);
	if (r == -ETIMEDOUT)
		return fail(0, "%s hook %u (%s): timed out after %llds", kind, index, h->path,
			    (long long)h->timeout);
	if (r < 0)
		return fail(-r, "%s hook %u (%s): wait", kind, index, h->path);
	if (WIFSIGNALED(status))
		return fail(0, "%s hook %u (%s): killed by signal %d%s%s", kind, index, h->path,
			    WTERMSIG(status), tail[0] ? ": " : "", tail);
	if (WEXITSTATUS(status))
		return fail(0, "%s hook %u (%s): exit status %d%s%s", kind, index, h->path,
			    WEXITSTATUS(status), tail[0] ? ": " : "", tail);
	return 0;
}

/* Runs hooks[0..n), numbered from first in messages. */
static int run_hooks(const struct hook_cfg *hooks, unsigned n, unsigned first, enum hook_kind kind,
		     const char *state, size_t state_len)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	bool late = state_len > PIPE_BUF;
	unsigned i;
	int r = 0;

	/* Only a state written to a running hook can meet a closed pipe. */
	if (late && n)
		sigaction(SIGPIPE, &ign, &old);
	for (i = 0; i < n && !r; i++)
		r = run_one(&hooks[i], hook_kind_names[kind], first + i, state, state_len);
	if (late && n)
		sigaction(SIGPIPE, &old, NULL);
	return r;
}

int hooks_run(const struct hook_cfg *hooks, unsigned n, enum hook_kind kind, const char *state,
	      size_t state_len)
{
	return run_hooks(hooks, n, 0, kind, state, state_len);
}

/* A hook in the record: kind u8, timeout u32, nargs u16, nenv u16, then
 * the path, the args and the env, each NUL-terminated. */
void hooks_save(struct data_writer *w, enum hook_kind kind, const struct hook_cfg *h)
{
	static unsigned char buf[8192];
	size_t len = 9;
	unsigned i;

	buf[0] = (unsigned char)kind;
	put_le32(buf + 1, (uint32_t)h->timeout);
	put_le16(buf + 5, (uint16_t)h->args.n);
	put_le16(buf + 7, (uint16_t)h->env.n);
	for (i = 0; i < 1 + h->args.n + h->env.n; i++) {
		const char *s = i == 0 ? h->path : i <= h->args.n ? h->args.v[i - 1] : h->env.v[i - 1 - h->args.n];
		size_t n = strlen(s) + 1;

		if (n > sizeof(buf) - len) {
			w->overflow = true;
			return;
		}
		memcpy(buf + len, s, n);
		len += n;
	}
	data_put(w, TAG_HOOK, buf, len);
}

static int hook_load(const unsigned char *p, size_t len, struct hook_cfg *h, const char **pool,
		     unsigned pool_size)
{
	const char *s = (const char *)p + 9, *end = (const char *)p + len;
	unsigned nargs, nenv, i;

	if (len < 10 || p[len - 1] != '\0')
		return -EBADMSG;
	h->timeout = get_le32(p + 1);
	nargs = get_le16(p + 5);
	nenv = get_le16(p + 7);
	if (nargs + nenv + 2 > pool_size)
		return -E2BIG;
	for (i = 0; i < 1 + nargs + nenv; i++) {
		if (s >= end)
			return -EBADMSG;
		if (i == 0)
			h->path = s;
		else if (i <= nargs)
			pool[i - 1] = s;
		else
			pool[i] = s;
		s += strlen(s) + 1;
	}
	pool[nargs] = NULL;
	pool[nargs + 1 + nenv] = NULL;
	h->args.v = pool;
	h->args.n = nargs;
	h->env.v = pool + nargs + 1;
	h->env.n = nenv;
	return 0;
}

int hooks_run_recorded(const struct container *c, enum hook_kind kind, const char *status, pid_t pid)
{
	static const char *pool[CONFIG_MAX_ARGS + CONFIG_MAX_ENV + 2];
	static char state[STATE_FILE_MAX];
	struct data_iter it = { c->data, c->data + c->data_len };
	const unsigned char *p;
	unsigned tag, index = 0;
	size_t len;
	struct jw w;
	long n;
	int r;

	jw_init(&w, state, sizeof(state));
	state_json(&w, c->id, status, pid, c->bundle, NULL, 0, c);
	n = jw_finish(&w);
	if (n < 0)
		return fail(0, "the state of %s is too large for the hooks", c->id);
	while (data_next(&it, &tag, &p, &len)) {
		struct hook_cfg h;

		if (tag != TAG_HOOK || len < 1 || p[0] != kind)
			continue;
		if (hook_load(p, len, &h, pool, sizeof(pool) / sizeof(pool[0])) < 0)
			return fail(EBADMSG, "the record of %s: a bad %s hook", c->id, hook_kind_names[kind]);
		r = run_hooks(&h, 1, index++, kind, state, (size_t)n);
		if (r)
			return r;
	}
	return 0;
}
