/* run ID: create and start; in the foreground, wait for the container,
 * forward the signals this process gets, relay its terminal, exit with the
 * container's status (128+N when it died of signal N) and delete it, as an
 * init system wants of a supervised service. */
#include "bundle.h"
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "foreground.h"
#include "lifecycle.h"
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int cmd_run(struct global *g, int argc, char **argv)
{
	struct create_opts o = { 0 };
	const char *bundle = ".";
	bool detach = false, keep = false, no_subreaper = false, help = false;
	const struct opt opts[] = {
		{ "bundle", 'b', OPT_STR, &bundle },
		{ "detach", 'd', OPT_BOOL, &detach },
		{ "keep", 0, OPT_BOOL, &keep },
		{ "pid-file", 0, OPT_STR, &o.pid_file },
		{ "console-socket", 0, OPT_STR, &o.console_socket },
		{ "preserve-fds", 0, OPT_UINT, &o.preserve_fds },
		{ "no-pivot", 0, OPT_BOOL, &o.no_pivot },
		{ "no-new-keyring", 0, OPT_BOOL, &o.no_new_keyring },
		{ "no-subreaper", 0, OPT_BOOL, &no_subreaper },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	struct foreground w;
	sigset_t set;
	struct ctx c;
	int i = 1, code;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("run", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("run"));
		return 0;
	}
	if (argc - i != 1)
		return cli_usage_error("run", "expected one container id");
	o.id = argv[i];
	o.foreground = !detach;
	if (!detach && !no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		fail(errno, "become a subreaper");
		return cli_fail();
	}
	if (cli_create(g, &o, bundle, &c))
		return cli_fail();
	/* Signals wait in the queue from here on, to be forwarded. */
	sigfillset(&set);
	if (!detach)
		sigprocmask(SIG_BLOCK, &set, NULL);
	if (container_start(g->root, o.id)) {
		if (!keep && !detach) {
			static struct error_state why;

			/* The start's error is the one to report, whatever the
			 * cleanup leaves in the error state. */
			error_save(&why);
			container_delete(g->root, o.id, true);
			error_restore(&why);
		}
		return cli_fail();
	}
	if (detach)
		return 0;
	w.pid = c.pid;
	w.master = c.ptmx_master;
	w.code = 255;
	if (foreground_wait(&w, &set)) {
		log_error("%s", error_msg());
		w.code = 255;
	}
	code = w.code;
	if (!keep && container_delete(g->root, o.id, true))
		log_warn("%s", error_msg());
	return code;
}
