#include "cli.h"
#include "error.h"
#include "format.h"
#include "log.h"
#include "state.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct opt *find_opt(const struct opt *opts, const char *name, size_t len, char short_name)
{
	for (; opts->name; opts++) {
		if (short_name && opts->short_name == short_name)
			return opts;
		if (!short_name && strlen(opts->name) == len && !strncmp(opts->name, name, len))
			return opts;
	}
	return NULL;
}

static int set_value(const struct opt *o, const char *value, const char *shown)
{
	char *end;
	unsigned long v;
	struct cli_list *l;

	switch (o->type) {
	case OPT_BOOL:
		if (!value || !strcmp(value, "true") || !strcmp(value, "1")) {
			*(bool *)o->dst = true;
		} else if (!strcmp(value, "false") || !strcmp(value, "0")) {
			*(bool *)o->dst = false;
		} else {
			return fail(0, "%s: expected true or false, got %s", shown, value);
		}
		return 0;
	case OPT_STR:
		*(const char **)o->dst = value;
		return 0;
	case OPT_UINT:
		errno = 0;
		v = strtoul(value, &end, 10);
		if (errno || *end || !*value || v > 1u << 20)
			return fail(0, "%s: expected a number, got %s", shown, value);
		*(unsigned *)o->dst = (unsigned)v;
		return 0;
	case OPT_LIST:
		l = o->dst;
		if (l->n >= CLI_LIST_MAX)
			return fail(0, "%s: given more than %d times", shown, CLI_LIST_MAX);
		l->v[l->n++] = value;
		return 0;
	}
	return 0;
}

int cli_parse(int argc, char **argv, int *i, const struct opt *opts, bool *help)
{
	while (*i < argc) {
		const char *a = argv[*i], *name, *eq;
		const struct opt *o;
		size_t len;

		if (a[0] != '-' || !a[1])
			return 0;
		if (!strcmp(a, "--")) {
			(*i)++;
			return 0;
		}
		name = a + 1 + (a[1] == '-');
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		if ((len == 1 && name[0] == 'h') || (len == 4 && !strncmp(name, "help", 4))) {
			*help = true;
			(*i)++;
			continue;
		}
		o = find_opt(opts, name, len, 0);
		if (!o && len == 1 && a[1] != '-')
			o = find_opt(opts, NULL, 0, name[0]);
		if (!o)
			return fail(0, "unknown option %.*s", (int)(len + (size_t)(name - a)), a);
		(*i)++;
		if (eq) {
			if (set_value(o, eq + 1, a))
				return -1;
			continue;
		}
		if (o->type == OPT_BOOL) {
			set_value(o, NULL, a);
			continue;
		}
		if (*i >= argc)
			return fail(0, "option %s needs a value", a);
		if (set_value(o, argv[(*i)++], a))
			return -1;
	}
	return 0;
}

int cli_usage_error(const char *cmd, const char *format, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, format);
	fmt_v(msg, sizeof(msg), format, ap);
	va_end(ap);
	if (cmd)
		log_error("%s: %s (see runlet help %s)", cmd, msg, cmd);
	else
		log_error("%s (see runlet --help)", msg);
	return EXIT_USAGE;
}

int cli_fail(void)
{
	log_error("%s", error_msg());
	return EXIT_FAILED;
}

int cli_root(const struct global *g, bool create)
{
	int fd = state_root_open(g->root, create);

	/* A state directory that does not exist holds no container. */
	if (fd == -ENOENT && !create)
		return -ENOENT;
	return fd;
}

int cli_printf(const char *f, ...)
{
	static char line[4096];
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(line, sizeof(line), f, ap);
	va_end(ap);
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	return cli_out(line, n);
}

int cli_out(const char *buf, long len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, (size_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(errno, "write to stdout");
		buf += n;
		len -= n;
	}
	return 0;
}
