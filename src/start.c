/* start: signal the waiting init and learn whether its exec happened. */
#include "container.h"
#include "error.h"
#include "format.h"
#include "hooks.h"
#include "lifecycle.h"
#include "log.h"
#include "state_json.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct container rec;

static int not_created(const char *id, const char *why)
{
	return fail(0, "container %s is not created: %s", id, why);
}

/* The init's end of the reply pipe, opened for reading through /proc.  It
 * is there only while the init waits: after its exec it is closed. */
static int open_reply(const struct record *r, const char *id)
{
	char path[64];
	struct stat st;
	int fd;

	fmt(path, sizeof(path), "/proc/%u/fd/%d", r->pid, r->reply_fd);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return not_created(id, errno == ENOENT ? "its init is running or gone" : strerror(errno));
	/* A reused pid with a pipe at the same number is not our init. */
	if (fstat(fd, &st) < 0 || st.st_ino != r->reply_ino) {
		close(fd);
		return not_created(id, "its init is gone");
	}
	return fd;
}

static int read_reply(int fd, const char *id)
{
	char msg[ERROR_MSG_MAX];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(msg) - 1 && (n = read(fd, msg + len, sizeof(msg) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(errno, "start %s: read the init's reply", id);
		len += (size_t)n;
	}
	if (!len)
		return 0;
	msg[len] = '\0';
	return fail(0, "start %s: %s", id, msg);
}

static int start(const char *root, const char *id)
{
	struct record r;
	int fd, e;

	if (state_load(root, id, STATE_LOCK, &rec))
		return error_code();
	if (rec.rec.status != STATUS_CREATED)
		return not_created(id, status_name(state_status(&rec)));
	fd = open_reply(&rec.rec, id);
	if (fd < 0)
		return fd;
	e = sys_rt_sigqueueinfo((pid_t)rec.rec.pid, START_SIGNAL, (int)rec.rec.reply_ino);
	if (e < 0) {
		close(fd);
		return fail(-e, "start %s: signal its init", id);
	}
	e = read_reply(fd, id);
	if (e)
		return e;
	r = rec.rec;
	r.status = STATUS_RUNNING;
	/* Not flushed: after a power cut this container reads as stopped
	 * whether the disk holds this record or the flushed created one. */
	e = state_write(&rec, &r, false);
	if (e)
		return e;
#if CONFIG_HOOKS
	/* A failing poststart hook stops the container (runtime.md, step 9). */
	e = hooks_run_recorded(&rec, HOOK_POSTSTART, "running", (pid_t)rec.rec.pid);
	if (e) {
		kill((pid_t)rec.rec.pid, SIGKILL);
		error_prefix("start %s: ", id);
	}
#endif
	return e;
}

int container_start(const char *root, const char *id)
{
	int r = start(root, id);

	/* The lock goes with the descriptor: run deletes right after. */
	state_close(&rec);
	return r;
}
