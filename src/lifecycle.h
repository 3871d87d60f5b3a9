/* The operations of runtime.md on a recorded container: start, kill,
 * delete and the state query. */
#ifndef RUNLET_LIFECYCLE_H
#define RUNLET_LIFECYCLE_H

#include "cgroup.h"
#include "state.h"

#include <stdbool.h>
#include <stddef.h>

int container_start(const char *root, const char *id);
int container_kill(const char *root, const char *id, int sig, bool all);
int container_delete(const char *root, const char *id, bool force);
/* The state JSON (runtime.md, "State") of id into buf; its length. */
long container_state_json(const char *root, const char *id, char *buf, size_t cap);

/* The cgroup recorded at create; false when there is none. */
bool record_cgroup(const struct container *c, struct cgroup *cg);
/* The recorded u32 of tag, or 0. */
uint32_t record_u32(const struct container *c, unsigned tag);
/* The recorded string of tag, or NULL. */
const char *record_str(const struct container *c, unsigned tag);

#endif
