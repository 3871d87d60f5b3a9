/* list: every container of the state directory, as runc prints them. */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "format.h"
#include "json_write.h"
#include "lifecycle.h"
#include "state_json.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct listing {
	const char *root;
	bool json;
	bool quiet;
	struct jw w;
};

static struct container rec;
static struct listing L;
static char out[1 << 20];

/* A table row goes out as it is made: no table to outgrow, however many
 * containers and however long their paths. */
static void row(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void row(const char *format, ...)
{
	static char line[PATH_MAX + 512];
	va_list ap;
	int n;

	va_start(ap, format);
	n = fmt_v(line, sizeof(line), format, ap);
	va_end(ap);
	if (n >= (int)sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	cli_out(line, n);
}

static int one(int rootfd, const char *id, void *ctx)
{
	struct listing *l = ctx;
	char created[48];
	enum cstatus st;
	pid_t pid;
	const char *rootfs;

	/* An unreadable record is listed as such; the others still are. */
	if (state_load(l->root, id, STATE_NOLOCK, &rec)) {
		error_clear();
		state_close(&rec);
		if (!l->quiet && !l->json)
			row("%-12s %-7s %-10s %s\n", id, "-", "corrupted", "-");
		return 0;
	}
	st = state_status(&rec);
	pid = st == STATUS_STOPPED ? 0 : (pid_t)rec.rec.pid;
	fmt_time_utc(created, sizeof(created), rec.rec.created);
	if (l->json) {
		rootfs = record_str(&rec, TAG_ROOTFS);
		jw_obj_begin(&l->w);
		jw_key(&l->w, "ociVersion");
		jw_str(&l->w, OCI_VERSION);
		jw_key(&l->w, "id");
		jw_str(&l->w, id);
		jw_key(&l->w, "pid");
		jw_int(&l->w, pid);
		jw_key(&l->w, "status");
		jw_str(&l->w, status_name(st));
		jw_key(&l->w, "bundle");
		jw_str(&l->w, rec.bundle);
		jw_key(&l->w, "rootfs");
		jw_str(&l->w, rootfs ? rootfs : "");
		jw_key(&l->w, "created");
		jw_str(&l->w, created);
		jw_key(&l->w, "owner");
		jw_str(&l->w, "root");
		jw_obj_end(&l->w);
	} else if (l->quiet) {
		row("%s\n", id);
	} else {
		row("%-12s %-7d %-10s %-40s %-30s %s\n", id, (int)pid, status_name(st), rec.bundle, created,
		    "root");
	}
	state_close(&rec);
	return 0;
}

int cmd_list(struct global *g, int argc, char **argv)
{
	const char *format = "table";
	bool help = false;
	const struct opt opts[] = {
		{ "format", 'f', OPT_STR, &format },
		{ "quiet", 'q', OPT_BOOL, &L.quiet },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	int i = 1, rootfd;
	long n;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("list", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("list"));
		return 0;
	}
	if (i != argc)
		return cli_usage_error("list", "takes no operand");
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage_error("list", "--format: expected table or json, got %s", format);
	L.json = !strcmp(format, "json");
	L.root = g->root;
	jw_init(&L.w, out, sizeof(out) - 1);
	jw_arr_begin(&L.w);
	if (!L.json && !L.quiet)
		row("%-12s %-7s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	rootfd = cli_root(g, false);
	if (rootfd >= 0 && state_each(rootfd, one, &L))
		return cli_fail();
	if (rootfd < 0 && rootfd != -ENOENT)
		return cli_fail();
	if (!L.json)
		return 0;
	jw_arr_end(&L.w);
	n = jw_finish(&L.w);
	if (n < 0) {
		fail(0, "list: more containers than the output buffer holds");
		return cli_fail();
	}
	out[n++] = '\n';
	return cli_out(out, n) ? cli_fail() : 0;
}
