/* start, state, kill, delete: one container id each, runc's options. */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "lifecycle.h"
#include "signals.h"
#include "state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Parses the options and checks the operand count; a negative return is
 * the exit code to return. */
static int parse(const char *cmd, int argc, char **argv, const struct opt *opts, int min, int max)
{
	bool help = false;
	int i = 1;

	if (cli_parse(argc, argv, &i, opts, &help))
		return -cli_usage_error(cmd, "%s", error_msg());
	if (help) {
		cli_print_help(cli_find(cmd));
		return -1000;
	}
	if (argc - i < min || argc - i > max)
		return -cli_usage_error(cmd, min == max ? "expected %d operand" : "expected %d to %d operands",
					min, max);
	return i;
}

static int done(int i)
{
	return i == -1000 ? 0 : -i;
}

int cmd_start(struct global *g, int argc, char **argv)
{
	static const struct opt opts[] = { { NULL, 0, OPT_BOOL, NULL } };
	int i = parse("start", argc, argv, opts, 1, 1);

	if (i < 0)
		return done(i);
	if (container_start(g->root, argv[i]))
		return cli_fail();
	return 0;
}

int cmd_state(struct global *g, int argc, char **argv)
{
	static const struct opt opts[] = { { NULL, 0, OPT_BOOL, NULL } };
	static char buf[STATE_FILE_MAX + 1024];
	int i = parse("state", argc, argv, opts, 1, 1);
	long n;

	if (i < 0)
		return done(i);
	n = container_state_json(g->root, argv[i], buf, sizeof(buf) - 1);
	if (n < 0)
		return cli_fail();
	buf[n++] = '\n';
	return cli_out(buf, n) ? cli_fail() : 0;
}

int cmd_kill(struct global *g, int argc, char **argv)
{
	bool all = false;
	const struct opt opts[] = { { "all", 'a', OPT_BOOL, &all }, { NULL, 0, OPT_BOOL, NULL } };
	int i = parse("kill", argc, argv, opts, 1, 2), sig = 15;

	if (i < 0)
		return done(i);
	if (i + 1 < argc && (sig = signal_parse(argv[i + 1])) < 0)
		return cli_usage_error("kill", "unknown signal %s", argv[i + 1]);
	if (container_kill(g->root, argv[i], sig, all))
		return cli_fail();
	return 0;
}

int cmd_delete(struct global *g, int argc, char **argv)
{
	bool force = false;
	const struct opt opts[] = { { "force", 'f', OPT_BOOL, &force }, { NULL, 0, OPT_BOOL, NULL } };
	int i = parse("delete", argc, argv, opts, 1, 1);

	if (i < 0)
		return done(i);
	if (container_delete(g->root, argv[i], force))
		return cli_fail();
	return 0;
}
