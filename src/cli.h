/* The command line layer: runc's options and commands over the library.
 * Only this layer prints to stdout; errors go through log.c. */
#ifndef RUNLET_CLI_H
#define RUNLET_CLI_H

#include <stdbool.h>

/* Exit codes: 1 when an operation failed, 2 when the command line is
 * wrong. */
enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

enum opt_type { OPT_BOOL, OPT_STR, OPT_UINT, OPT_LIST };

#define CLI_LIST_MAX 256

struct cli_list {
	const char *v[CLI_LIST_MAX];
	unsigned n;
};

struct opt {
	const char *name;	/* long name: --name, -name */
	char short_name;	/* -x, or 0 */
	enum opt_type type;
	void *dst;		/* bool *, const char **, unsigned *, struct cli_list * */
};

struct global {
	const char *root;
	const char *log;
	const char *log_format;
	bool debug;
	bool systemd_cgroup;
	const char *rootless;
	const char *criu;
	const char *cache_dir;
};

struct command {
	const char *name;
	int (*run)(struct global *g, int argc, char **argv);
	const char *args;	/* what follows the options, for the usage line */
	const char *summary;
	const char *help;	/* the options, one per line */
};

/* Parses options from argv[*i] on, stopping at the first operand or at
 * "--"; both --name value and --name=value, and a single dash for long
 * names, as runc's parser takes them.  help is set by -h/--help. */
int cli_parse(int argc, char **argv, int *i, const struct opt *opts, bool *help);
int cli_usage_error(const char *cmd, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Reports the error record and returns EXIT_FAILED. */
int cli_fail(void);
void cli_print_help(const struct command *c);
const struct command *cli_find(const char *name);
/* Opens --root; the state directory is made on create only. */
int cli_root(const struct global *g, bool create);
/* Writes all of buf to stdout. */
int cli_out(const char *buf, long len);
/* Formats (format.h) and writes to stdout; at most 4 KiB at a time. */
int cli_printf(const char *f, ...) __attribute__((format(printf, 1, 2)));

#endif
