/* The state of runtime.md as JSON: printed by `state`, given to hooks on
 * stdin, listed by `list --format json`. */
#ifndef RUNLET_STATE_JSON_H
#define RUNLET_STATE_JSON_H

#include "json_write.h"
#include "spec.h"
#include "state.h"

#include <sys/types.h>

/* The version of the runtime spec this runtime implements. */
#define OCI_VERSION "1.3.0"

/* Writes a whole state object.  Annotations come from the spec at create
 * time (ann) or from the record afterwards (c). */
void state_json(struct jw *w, const char *id, const char *status, pid_t pid, const char *bundle,
		const struct kv *ann, unsigned nann, const struct container *c);

#endif
