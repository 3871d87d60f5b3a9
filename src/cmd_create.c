/* create ID: runc's create. */
#include "bundle.h"
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "format.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct spec spec;
static char config[CONFIG_MAX_CONFIG_SIZE + 1];

/* Socket activation: descriptors handed to this process (LISTEN_FDS, for
 * this pid) go on to the container after the preserved ones, as runc
 * passes them, and its init is told with LISTEN_FDS and LISTEN_PID=1. */
static int pass_listen_fds(struct create_opts *o, struct process_cfg *p)
{
	static const char *env[CONFIG_MAX_ENV + 3];
	static char fds_var[32];
	const char *n = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	unsigned count, i;

	if (!n || !pid || strtol(pid, NULL, 10) != (long)getpid())
		return 0;
	count = (unsigned)strtoul(n, NULL, 10);
	if (!count)
		return 0;
	if (p->env.n > CONFIG_MAX_ENV)
		return fail(0, "process.env: no room for LISTEN_FDS (CONFIG_MAX_ENV)");
	for (i = 0; i < p->env.n; i++)
		env[i] = p->env.v[i];
	fmt(fds_var, sizeof(fds_var), "LISTEN_FDS=%u", count);
	env[i++] = fds_var;
	env[i++] = "LISTEN_PID=1";
	env[i] = NULL;
	p->env.v = env;
	p->env.n = i;
	o->preserve_fds += count;
	return 0;
}

int cli_create(struct global *g, struct create_opts *o, const char *bundle, struct ctx *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->spec = &spec;
	c->o = o;
	c->rootfd = -1;
	c->ptmx_master = -1;
	c->console_sock = -1;
	c->listener_sock = -1;
	memset(c->mount_fds, -1, sizeof(c->mount_fds));
	o->root = g->root;
	o->cache_dir = g->cache_dir;
	r = bundle_load(c, bundle, config, sizeof(config));
	if (r)
		return r;
	if (!spec.has_process)
		return fail(0, "process: required to create a container that can be started");
	if (pass_listen_fds(o, &spec.process))
		return error_code();
	if (spec.process.terminal && !o->console_socket && !o->foreground)
		return fail(0, "process.terminal is set: a detached container needs --console-socket for its terminal");
	if (o->console_socket && !spec.process.terminal)
		return fail(0, "--console-socket given, but process.terminal is not set");
	log_open();
	return container_create(c);
}

int cmd_create(struct global *g, int argc, char **argv)
{
	struct create_opts o = { 0 };
	const char *bundle = ".";
	struct ctx c;
	bool help = false;
	const struct opt opts[] = {
		{ "bundle", 'b', OPT_STR, &bundle },
		{ "pid-file", 0, OPT_STR, &o.pid_file },
		{ "console-socket", 0, OPT_STR, &o.console_socket },
		{ "preserve-fds", 0, OPT_UINT, &o.preserve_fds },
		{ "no-pivot", 0, OPT_BOOL, &o.no_pivot },
		{ "no-new-keyring", 0, OPT_BOOL, &o.no_new_keyring },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	int i = 1;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("create", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("create"));
		return 0;
	}
	if (argc - i != 1)
		return cli_usage_error("create", "expected one container id");
	o.id = argv[i];
	if (cli_create(g, &o, bundle, &c))
		return cli_fail();
	return 0;
}
