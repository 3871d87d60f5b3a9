/* pause and resume: the cgroup freezer, with the state recorded. */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "lifecycle.h"

#include <errno.h>
#include <string.h>

static struct container rec;

static int freeze(const char *root, const char *id, bool frozen)
{
	enum cstatus want = frozen ? STATUS_RUNNING : STATUS_PAUSED, st;
	struct record r;
	struct cgroup cg;
	int e;

	if (state_load(root, id, STATE_LOCK, &rec))
		return error_code();
	st = state_status(&rec);
	if (st != want)
		return fail(0, "container %s is %s, not %s", id, status_name(st), status_name(want));
	if (!record_cgroup(&rec, &cg))
		return fail(ENOTSUP, "container %s has no cgroup to freeze", id);
	e = cgroup_freeze(&cg, frozen);
	if (e)
		return e;
	r = rec.rec;
	r.status = frozen ? STATUS_PAUSED : STATUS_RUNNING;
	return state_write(&rec, &r, false);
}

static int run(struct global *g, int argc, char **argv, bool frozen)
{
	const char *cmd = frozen ? "pause" : "resume";
	int r;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cli_print_help(cli_find(cmd));
		return 0;
	}
	if (argc != 2)
		return cli_usage_error(cmd, "expected one container id");
	r = freeze(g->root, argv[1], frozen);
	state_close(&rec);
	return r ? cli_fail() : 0;
}

int cmd_pause(struct global *g, int argc, char **argv)
{
	return run(g, argc, argv, true);
}

int cmd_resume(struct global *g, int argc, char **argv)
{
	return run(g, argc, argv, false);
}
