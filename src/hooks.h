/* OCI hooks (config.md, "POSIX-platform Hooks"): each hook runs with the
 * state JSON on its stdin, its own args and env, and an optional timeout.
 * What it printed is kept for the error message. */
#ifndef RUNLET_HOOKS_H
#define RUNLET_HOOKS_H

#include "spec.h"
#include "state.h"

#include <stddef.h>

/* Runs hooks[0..n) in order and stops at the first failure. */
int hooks_run(const struct hook_cfg *hooks, unsigned n, enum hook_kind kind, const char *state,
	      size_t state_len);

/* Poststart and poststop hooks are kept in the record, for start and
 * delete. */
void hooks_save(struct data_writer *w, enum hook_kind kind, const struct hook_cfg *h);
/* Runs the recorded hooks of kind with the container's state on stdin. */
int hooks_run_recorded(const struct container *c, enum hook_kind kind, const char *status, pid_t pid);

#endif
