/* events: statistics and OOM notifications of a container, as JSON lines
 * ({"type":"stats"|"oom","id":...,"data":...}). */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "json_write.h"
#include "lifecycle.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct container rec;
static char out[65536];

static int emit(const char *type, const char *id, const struct cgroup *cg)
{
	struct jw w;
	long n;

	jw_init(&w, out, sizeof(out) - 1);
	jw_obj_begin(&w);
	jw_key(&w, "type");
	jw_str(&w, type);
	jw_key(&w, "id");
	jw_str(&w, id);
	if (cg) {
		jw_key(&w, "data");
		cgroup_stats(cg, &w);
	}
	jw_obj_end(&w);
	n = jw_finish(&w);
	if (n < 0)
		return fail(0, "events: the statistics do not fit in %zu bytes", sizeof(out));
	out[n++] = '\n';
	return cli_out(out, n);
}

/* "5s", "500ms", "1m", or seconds, in whole numbers as runc takes them. */
static int parse_interval(const char *text, int *ms)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (end == text || *text == '-' || v > 24ul * 3600 * 1000)
		return -1;
	if (!strcmp(end, "ms"))
		*ms = (int)v;
	else if (!strcmp(end, "m"))
		*ms = (int)(v * 60000);
	else if (!*end || !strcmp(end, "s"))
		*ms = (int)(v * 1000);
	else
		return -1;
	return *ms > 0 ? 0 : -1;
}

static int watch(const char *root, const char *id, const struct cgroup *cg, int interval)
{
	uint64_t seen = 0;
	int fd = cgroup_oom_open(cg);

	if (fd < 0)
		return fd;
	cgroup_oom_count(cg, fd, &seen);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, interval), n;

		if (r < 0 && errno != EINTR)
			return fail(errno, "events: poll");
		if (r > 0 && (n = cgroup_oom_count(cg, fd, &seen)) > 0 && emit("oom", id, NULL))
			return error_code();
		state_close(&rec);
		if (state_load(root, id, STATE_NOLOCK, &rec) || state_status(&rec) == STATUS_STOPPED)
			return 0;
		if (r == 0 && emit("stats", id, cg))
			return error_code();
	}
}

int cmd_events(struct global *g, int argc, char **argv)
{
	const char *interval = "5s";
	bool stats = false, help = false;
	const struct opt opts[] = {
		{ "stats", 0, OPT_BOOL, &stats },
		{ "interval", 0, OPT_STR, &interval },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	struct cgroup cg;
	int i = 1, ms, r;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("events", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("events"));
		return 0;
	}
	if (argc - i != 1)
		return cli_usage_error("events", "expected one container id");
	if (parse_interval(interval, &ms))
		return cli_usage_error("events", "--interval: expected a duration like 5s, got %s", interval);
	if (state_load(g->root, argv[i], STATE_NOLOCK, &rec))
		return cli_fail();
	if (state_status(&rec) == STATUS_STOPPED) {
		fail(0, "container %s is stopped", argv[i]);
		return cli_fail();
	}
	if (!record_cgroup(&rec, &cg)) {
		fail(ENOTSUP, "container %s has no cgroup", argv[i]);
		return cli_fail();
	}
	r = stats ? emit("stats", argv[i], &cg) : watch(g->root, argv[i], &cg, ms);
	return r ? cli_fail() : 0;
}
