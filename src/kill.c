/* kill: a signal to the container's init, or with --all to every process
 * of its cgroup. */
#include "error.h"
#include "lifecycle.h"
#include "signals.h"

#include <errno.h>
#include <signal.h>

static struct container rec;

static int kill_one(const char *root, const char *id, int sig, bool all)
{
	enum cstatus st;

	if (state_load(root, id, STATE_NOLOCK, &rec))
		return error_code();
	st = state_status(&rec);
	/* runtime.md: only a created or running container takes a signal. */
	if (st != STATUS_CREATED && st != STATUS_RUNNING && st != STATUS_PAUSED)
		return fail(0, "container %s is %s: no process to signal", id, status_name(st));
	if (all) {
		struct cgroup cg;

		if (record_cgroup(&rec, &cg)) {
			int n = cgroup_signal_all(&cg, sig);

			return n < 0 ? n : 0;
		}
	}
	if (kill((pid_t)rec.rec.pid, sig) < 0)
		return fail(errno, "send SIG%s to the init of %s (pid %u)", signal_name(sig), id, rec.rec.pid);
	return 0;
}

int container_kill(const char *root, const char *id, int sig, bool all)
{
	int r = kill_one(root, id, sig, all);

	state_close(&rec);
	return r;
}
