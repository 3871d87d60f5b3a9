/* runlet: the command table and the global options. */
#include "cli.h"
#include "commands.h"
#include "config.h"
#include "error.h"
#include "exe_guard.h"
#include "log.h"
#include "state_json.h"
#include "version.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int cmd_help(struct global *g, int argc, char **argv);
static int cmd_unsupported(struct global *g, int argc, char **argv);

static const struct command commands[] = {
	{ "create", cmd_create, "ID", "create a container from a bundle",
	  "  -b, --bundle DIR          the bundle (default: the current directory)\n"
	  "      --pid-file FILE       write the init's pid to FILE\n"
	  "      --console-socket SOCK send the terminal's master to SOCK\n"
	  "      --preserve-fds N      pass N descriptors after stdio to the container\n"
	  "      --no-pivot            move and chroot instead of pivot_root\n"
	  "      --no-new-keyring      keep the caller's session keyring\n" },
	{ "start", cmd_start, "ID", "run the process of a created container", "" },
	{ "state", cmd_state, "ID", "print the state of a container as JSON", "" },
	{ "kill", cmd_kill, "ID [SIGNAL]", "send a signal (default SIGTERM) to a container",
	  "  -a, --all                 to every process of the container\n" },
	{ "delete", cmd_delete, "ID", "delete a stopped container",
	  "  -f, --force               stop it first if it runs; a missing container is no error\n" },
	{ "run", cmd_run, "ID", "create and start a container, and wait for it unless detached",
	  "  -b, --bundle DIR          the bundle (default: the current directory)\n"
	  "  -d, --detach              return once the container runs\n"
	  "      --keep                keep the container after it exits\n"
	  "      --pid-file FILE       write the init's pid to FILE\n"
	  "      --console-socket SOCK send the terminal's master to SOCK\n"
	  "      --preserve-fds N      pass N descriptors after stdio to the container\n"
	  "      --no-pivot            move and chroot instead of pivot_root\n"
	  "      --no-new-keyring      keep the caller's session keyring\n"
	  "      --no-subreaper        do not reap the container's orphans\n" },
	{ "list", cmd_list, "", "list the containers",
	  "  -f, --format table|json   output format (default: table)\n"
	  "  -q, --quiet               ids only\n" },
#if CONFIG_CMD_SPEC
	{ "spec", cmd_spec, "", "write a default config.json",
	  "  -b, --bundle DIR          where to write it (default: the current directory)\n"
	  "      --rootless            a config for a user namespace of the caller's ids\n" },
#endif
#if CONFIG_CMD_EXEC
	{ "exec", cmd_exec, "ID [COMMAND [ARG...]]", "run a process in a running container",
	  "  -p, --process FILE        the process as JSON (config.md, \"process\")\n"
	  "  -t, --tty                 allocate a terminal\n"
	  "      --console-socket SOCK send the terminal's master to SOCK\n"
	  "  -d, --detach              do not wait for the process\n"
	  "      --pid-file FILE       write its pid to FILE\n"
	  "      --cwd DIR             working directory\n"
	  "  -e, --env K=V             add to the environment (repeatable)\n"
	  "  -u, --user UID[:GID]      user and group\n"
	  "      --additional-gids GID (repeatable)\n"
	  "  -c, --cap CAP             add a capability (repeatable)\n"
	  "      --no-new-privs        set no_new_privs\n"
	  "      --preserve-fds N      pass N descriptors after stdio\n" },
#endif
#if CONFIG_CMD_PS
	{ "ps", cmd_ps, "ID", "list the processes of a container",
	  "  -f, --format table|json   output format (default: table)\n" },
#endif
#if CONFIG_CMD_PAUSE
	{ "pause", cmd_pause, "ID", "freeze every process of a container", "" },
	{ "resume", cmd_resume, "ID", "thaw a paused container", "" },
#endif
#if CONFIG_CMD_UPDATE
	{ "update", cmd_update, "ID", "change the resources of a container",
	  "  -r, --resources FILE|-    linux.resources as JSON\n"
	  "      --memory BYTES, --memory-swap BYTES, --memory-reservation BYTES\n"
	  "      --cpu-shares N, --cpu-quota N, --cpu-period N, --cpuset-cpus LIST,\n"
	  "      --cpuset-mems LIST, --pids-limit N, --blkio-weight N\n" },
#endif
#if CONFIG_CMD_EVENTS
	{ "events", cmd_events, "ID", "print events and statistics as JSON",
	  "      --stats               print statistics once and exit\n"
	  "      --interval DURATION   between statistics (default 5s)\n" },
#endif
#if CONFIG_CMD_FEATURES
	{ "features", cmd_features, "", "print what this build supports as JSON", "" },
#endif
	{ "checkpoint", cmd_unsupported, "ID", "not supported", "" },
	{ "restore", cmd_unsupported, "ID", "not supported", "" },
	{ "help", cmd_help, "[COMMAND]", "show help", "" },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct command *cli_find(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++) {
		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

void cli_print_help(const struct command *c)
{
	cli_printf("usage: runlet [global options] %s%s%s\n\n%s\n", c->name, c->args[0] ? " " : "", c->args,
		   c->summary);
	if (c->help[0]) {
		cli_printf("\noptions:\n");
		cli_out(c->help, (long)strlen(c->help));
	}
}

static void usage(void)
{
	const struct command *c;

	cli_printf("runlet %s: an OCI container runtime\n\n"
	       "usage: runlet [global options] COMMAND [options] [ARGS]\n\ncommands:\n",
	       RUNLET_VERSION);
	for (c = commands; c->name; c++)
		cli_printf("  %-11s %s\n", c->name, c->summary);
	cli_printf("\nglobal options:\n"
	       "  --root DIR              state directory (default: %s)\n"
	       "  --log FILE              log to FILE\n"
	       "  --log-format text|json  format of the log (default: text)\n"
	       "  --debug                 log debug messages\n"
	       "  --version, -v           print the version\n", CONFIG_STATE_ROOT);
}

static int cmd_help(struct global *g, int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage();
		return 0;
	}
	c = cli_find(argv[1]);
	if (!c)
		return cli_usage_error("help", "no command %s", argv[1]);
	cli_print_help(c);
	return 0;
}

static int cmd_unsupported(struct global *g, int argc, char **argv)
{
	log_error("%s: not supported by runlet", argv[0]);
	return EXIT_FAILED;
}

static void version(void)
{
	cli_printf("runlet version %s\nspec: %s\n", RUNLET_VERSION, OCI_VERSION);
}

int main(int argc, char **argv)
{
	struct global g = { .root = CONFIG_STATE_ROOT, .log_format = "text" };
	bool help = false, show_version = false;
	const struct opt opts[] = {
		{ "root", 0, OPT_STR, &g.root },
		{ "log", 0, OPT_STR, &g.log },
		{ "log-format", 0, OPT_STR, &g.log_format },
		{ "debug", 0, OPT_BOOL, &g.debug },
		{ "systemd-cgroup", 0, OPT_BOOL, &g.systemd_cgroup },
		{ "rootless", 0, OPT_STR, &g.rootless },
		{ "criu", 0, OPT_STR, &g.criu },
		{ "cache-dir", 0, OPT_STR, &g.cache_dir },
		{ "version", 'v', OPT_BOOL, &show_version },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	const struct command *c;
	int i = 1;

#if CONFIG_SECCOMP_CACHE
	g.cache_dir = CONFIG_SECCOMP_CACHE_DIR;
#endif
	if (cli_parse(argc, argv, &i, opts, &help)) {
		log_error("%s", error_msg());
		return EXIT_USAGE;
	}
	if (strcmp(g.log_format, "text") && strcmp(g.log_format, "json"))
		return cli_usage_error(NULL, "--log-format: expected text or json, got %s", g.log_format);
	log_configure(g.log, !strcmp(g.log_format, "json"), g.debug);
	if (show_version) {
		version();
		return 0;
	}
	if (i >= argc || help) {
		usage();
		return help ? 0 : EXIT_USAGE;
	}
	if (g.systemd_cgroup) {
		log_error("--systemd-cgroup: not supported by runlet; it manages cgroups itself (cgroupfs)");
		return EXIT_FAILED;
	}
	if (g.rootless && strcmp(g.rootless, "false") && geteuid() != 0) {
		log_error("rootless use is not supported by runlet");
		return EXIT_FAILED;
	}
	c = cli_find(argv[i]);
	if (!c)
		return cli_usage_error(NULL, "no command %s", argv[i]);
	/* Only these put a runtime process into a container. */
	if ((!strcmp(c->name, "create") || !strcmp(c->name, "run") || !strcmp(c->name, "exec")) &&
	    exe_guard(argv)) {
		log_error("%s", error_msg());
		return EXIT_FAILED;
	}
	return c->run(&g, argc - i, argv + i);
}
