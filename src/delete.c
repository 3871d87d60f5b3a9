/* delete: undo what create made (runtime.md, steps 12 and 13), then forget
 * the container.  --force first stops whatever still runs. */
#include "error.h"
#include "hooks.h"
#include "lifecycle.h"
#include "log.h"
#include "container.h"

#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static struct container rec;

/* Without a cgroup to wait on, the init's end is watched through /proc. */
static void wait_gone(const struct record *r)
{
	unsigned tries;

	for (tries = 0; tries < 500; tries++) {
		struct timespec ts = { 0, tries < 10 ? 1000000 : 10000000 };
		uint64_t start;

		if (proc_start_time((pid_t)r->pid, &start) < 0 || start != r->start_time)
			return;
		nanosleep(&ts, NULL);
	}
}

static int delete_one(const char *root, const char *id, bool force)
{
	struct cgroup cg;
	bool has_cg;
	enum cstatus st;
	int r = state_load(root, id, STATE_LOCK, &rec);

	if (r == -ENOENT && force) {
		error_clear();
		return 0;
	}
	if (r == -EBADMSG && force) {
		/* A record that cannot be read names no process or cgroup to
		 * undo: all that is left to do is to forget it. */
		error_clear();
		log_warn("removing the corrupted record of %s", id);
		return state_remove(&rec);
	}
	if (r)
		return r;
	st = state_status(&rec);
	if (st != STATUS_STOPPED && !force)
		return fail(0, "container %s is %s: stop it first, or delete --force", id, status_name(st));
	has_cg = record_cgroup(&rec, &cg);
	if (st != STATUS_STOPPED && rec.rec.pid) {
		kill((pid_t)rec.rec.pid, SIGKILL);
		if (!has_cg)
			wait_gone(&rec.rec);
	}
	/* What the init left behind (no pid namespace) dies with the cgroup. */
	if (has_cg && (r = cgroup_destroy(&cg, true)))
		return r;
#if CONFIG_INTEL_RDT
	rdt_remove(&rec);
#endif
#if CONFIG_HOOKS
	if (hooks_run_recorded(&rec, HOOK_POSTSTOP, "stopped", 0)) {
		log_warn("%s", error_msg());
		error_clear();
	}
#endif
	return state_remove(&rec);
}

int container_delete(const char *root, const char *id, bool force)
{
	int r = delete_one(root, id, force);

	state_close(&rec);
	return r;
}
