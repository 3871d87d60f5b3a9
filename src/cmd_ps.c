/* ps: the processes of a container.  --format json prints their pids, as
 * containerd's shim reads them; the table comes from the host's ps(1),
 * as runc gives it, cut to the container's processes. */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "format.h"
#include "lifecycle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct container rec;
static pid_t pids[65536];
static char text[1 << 20];

static int json(int n)
{
	size_t len = 0;
	int i;

	text[len++] = '[';
	for (i = 0; i < n && len < sizeof(text) - 16; i++)
		len += (size_t)fmt(text + len, sizeof(text) - len, "%s%d", i ? "," : "", (int)pids[i]);
	text[len++] = ']';
	text[len++] = '\n';
	return cli_out(text, (long)len);
}

static long run_ps(char **args)
{
	int fd[2];
	long len = 0;
	pid_t child;
	ssize_t n;

	if (pipe(fd) < 0)
		return fail(errno, "pipe");
	child = fork();
	if (child == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execvp("ps", args);
		_exit(127);
	}
	close(fd[1]);
	while (len < (long)sizeof(text) - 1 && (n = read(fd[0], text + len, sizeof(text) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd[0]);
	waitpid(child, NULL, 0);
	text[len] = '\0';
	if (child < 0 || len == 0)
		return fail(ENOENT, "ps: running the host's ps(1) failed");
	return len;
}

/* The column headed PID, counted in words. */
static int pid_column(const char *header)
{
	int col = 0;

	while (*header) {
		while (*header == ' ')
			header++;
		if (!strncmp(header, "PID", 3) && (header[3] == ' ' || header[3] == '\n' || !header[3]))
			return col;
		while (*header && *header != ' ')
			header++;
		col++;
	}
	return -1;
}

static bool listed(long pid, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (pids[i] == pid)
			return true;
	}
	return false;
}

static int table(int n, char **extra, int nextra)
{
	static char ps[] = "ps", ef[] = "-ef";
	static char *args[64] = { ps };
	char *line, *next;
	int col, i;

	if (nextra > 60)
		return fail(0, "ps: too many options for ps(1)");
	for (i = 0; i < nextra; i++)
		args[i + 1] = extra[i];
	if (!nextra)
		args[++nextra] = ef;
	args[nextra + 1] = NULL;
	if (run_ps(args) < 0)
		return error_code();
	next = strchr(text, '\n');
	if (!next || (col = pid_column(text)) < 0)
		return fail(0, "ps: no PID column in the output of ps(1)");
	*next++ = '\0';
	cli_printf("%s\n", text);
	for (line = next; *line; line = next) {
		const char *p = line;
		int c;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		for (c = 0; c < col && *p; c++) {
			while (*p == ' ')
				p++;
			while (*p && *p != ' ')
				p++;
		}
		if (listed(strtol(p, NULL, 10), n))
			cli_printf("%s\n", line);
	}
	return 0;
}

int cmd_ps(struct global *g, int argc, char **argv)
{
	const char *format = "table";
	bool help = false;
	const struct opt opts[] = { { "format", 'f', OPT_STR, &format }, { NULL, 0, OPT_BOOL, NULL } };
	struct cgroup cg;
	int i = 1, n, r;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("ps", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("ps"));
		return 0;
	}
	if (i >= argc)
		return cli_usage_error("ps", "expected a container id");
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage_error("ps", "--format: expected table or json, got %s", format);
	if (state_load(g->root, argv[i], STATE_NOLOCK, &rec))
		return cli_fail();
	if (state_status(&rec) == STATUS_STOPPED) {
		fail(0, "container %s is stopped", argv[i]);
		return cli_fail();
	}
	n = record_cgroup(&rec, &cg) ? cgroup_pids(&cg, pids, sizeof(pids) / sizeof(pids[0])) : 0;
	if (n == 0 && rec.rec.pid)
		pids[n++] = (pid_t)rec.rec.pid;
	if (n < 0) {
		fail(-n, "ps: list the container's processes");
		return cli_fail();
	}
	r = !strcmp(format, "json") ? json(n) : table(n, argv + i + 1, argc - i - 1);
	return r ? cli_fail() : 0;
}
