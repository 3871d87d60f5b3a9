/* delete: undo what create made (runtime.md, steps 12 and 13), then forget
 * the container.  --force first stops whatever still runs. */
#include "error.h"
#include "hooks.h"
#include "lifecycle.h"
#include "log.h"
#include "container.h"

#include <errno.h>
#include <string.h>
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

/* A record whose copies cannot be read names no process to stop.  Its
 * data may have survived them: if it still names this container, its
 * cgroup leads to whatever runs, which is killed with it. */
static int forget_unreadable(const char *id)
{
	const char *named = record_str(&rec, TAG_ID);
	struct cgroup cg;
	bool stopped = false;

	if (named && !strcmp(named, id) && record_cgroup(&rec, &cg)) {
		struct error_state why;

		error_save(&why);
		stopped = cgroup_destroy(&cg, true) == 0;
		error_restore(&why);
	}
	log_warn("%s: removed%s", error_msg(),
		 stopped ? ", its cgroup and processes with it" : "; a process it named is left as it is");
	error_clear();
	return state_remove(&rec);
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
	if ((r == -EBADMSG || r == -EPROTO) && force)
		return forget_unreadable(id);
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
