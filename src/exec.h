/* exec: a process in a running container (runc's exec). */
#ifndef RUNLET_EXEC_H
#define RUNLET_EXEC_H

#include "spec.h"

#include <stdbool.h>

struct exec_opts {
	const char *console_socket;
	const char *pid_file;
	bool detach;
	unsigned preserve_fds;
	const char *cache_dir;
};

/* Loads the container and the process to run: from process_file (a JSON
 * process object, "-" for stdin), else from the container's config.json,
 * which must not have changed since create.  The caller may then adjust
 * the process before exec_run. */
struct spec *exec_prepare(const char *root, const char *id, const char *process_file);
/* Runs it; unless detached, waits and sets the exit status (128+N for a
 * signal). */
int exec_run(const struct exec_opts *o, int *exit_code);

#endif
