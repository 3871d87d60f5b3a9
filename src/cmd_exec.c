/* exec ID [COMMAND [ARG...]]: runc's exec options over exec.c. */
#include "captable.h"
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "exec.h"
#include "format.h"
#include "spec_walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env[CONFIG_MAX_ENV + CLI_LIST_MAX + 1];

/* --env K=V replaces K if the process has it, else adds it. */
static int merge_env(struct process_cfg *p, const struct cli_list *add)
{
	unsigned n = 0, i, k;

	for (i = 0; i < p->env.n; i++)
		env[n++] = p->env.v[i];
	for (i = 0; i < add->n; i++) {
		size_t klen = strcspn(add->v[i], "=");

		for (k = 0; k < n && (strncmp(env[k], add->v[i], klen) || env[k][klen] != '='); k++)
			;
		env[k] = add->v[i];
		if (k == n)
			n++;
	}
	env[n] = NULL;
	p->env.v = env;
	p->env.n = n;
	return 0;
}

static int parse_id(const char *text, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || !*text || (*end && *end != ':') || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return (int)(end - text);
}

static int set_user(struct process_cfg *p, const char *user)
{
	int n = parse_id(user, &p->user.uid);

	if (n < 0)
		return fail(0, "--user %s: expected UID[:GID] as numbers", user);
	if (user[n] == ':' && parse_id(user + n + 1, &p->user.gid) < 0)
		return fail(0, "--user %s: expected UID[:GID] as numbers", user);
	return 0;
}

static int add_gids(struct process_cfg *p, const struct cli_list *gids)
{
	unsigned i;

	for (i = 0; i < gids->n; i++) {
		if (p->user.ngids >= CONFIG_MAX_ADDITIONAL_GIDS)
			return fail(0, "--additional-gids: more than %d (CONFIG_MAX_ADDITIONAL_GIDS)",
				    CONFIG_MAX_ADDITIONAL_GIDS);
		if (parse_id(gids->v[i], &p->user.gids[p->user.ngids++]) < 0)
			return fail(0, "--additional-gids %s: not a number", gids->v[i]);
	}
	return 0;
}

static int add_caps(struct process_cfg *p, const struct cli_list *caps)
{
	unsigned i;

	for (i = 0; i < caps->n; i++) {
		char name[64];
		int cap;

		fmt(name, sizeof(name), "%s%s", strncmp(caps->v[i], "CAP_", 4) ? "CAP_" : "", caps->v[i]);
		cap = lookup_name(captable, (unsigned)captable_last + 1, name);
		if (cap < 0)
			return fail(0, "--cap %s: unknown capability", caps->v[i]);
		p->has_caps = true;
		p->caps[CAP_SET_BOUNDING] |= (uint64_t)1 << cap;
		p->caps[CAP_SET_EFFECTIVE] |= (uint64_t)1 << cap;
		p->caps[CAP_SET_PERMITTED] |= (uint64_t)1 << cap;
	}
	return 0;
}

int cmd_exec(struct global *g, int argc, char **argv)
{
	struct exec_opts o = { 0 };
	struct cli_list envs = { .n = 0 }, caps = { .n = 0 }, gids = { .n = 0 };
	const char *process = NULL, *cwd = NULL, *user = NULL;
	bool tty = false, no_new_privs = false, help = false;
	const struct opt opts[] = {
		{ "process", 'p', OPT_STR, &process },
		{ "tty", 't', OPT_BOOL, &tty },
		{ "console-socket", 0, OPT_STR, &o.console_socket },
		{ "detach", 'd', OPT_BOOL, &o.detach },
		{ "pid-file", 0, OPT_STR, &o.pid_file },
		{ "cwd", 0, OPT_STR, &cwd },
		{ "env", 'e', OPT_LIST, &envs },
		{ "user", 'u', OPT_STR, &user },
		{ "additional-gids", 'g', OPT_LIST, &gids },
		{ "cap", 'c', OPT_LIST, &caps },
		{ "no-new-privs", 0, OPT_BOOL, &no_new_privs },
		{ "preserve-fds", 0, OPT_UINT, &o.preserve_fds },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	struct spec *spec;
	struct process_cfg *p;
	int i = 1, code = 0;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("exec", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("exec"));
		return 0;
	}
	if (i >= argc)
		return cli_usage_error("exec", "expected a container id");
	if (!process && i + 1 >= argc)
		return cli_usage_error("exec", "expected a command, or --process FILE");
	spec = exec_prepare(g->root, argv[i], process);
	if (!spec)
		return cli_fail();
	p = &spec->process;
	if (i + 1 < argc) {
		p->args.v = (const char **)&argv[i + 1];
		p->args.n = (unsigned)(argc - i - 1);
	}
	if (tty)
		p->terminal = true;
	if (cwd)
		p->cwd = cwd;
	if (no_new_privs)
		p->no_new_privileges = true;
	if ((user && set_user(p, user)) || add_gids(p, &gids) || add_caps(p, &caps) || merge_env(p, &envs))
		return cli_fail();
	o.cache_dir = g->cache_dir;
	if (exec_run(&o, &code))
		return cli_fail();
	return code;
}
