/* The mount options of config.md, mapped to what mount(2) and
 * mount_setattr(2) take.  Options outside the table are filesystem-specific
 * and go to mount(2)'s data argument, as the spec says. */
#ifndef RUNLET_MOUNT_OPTS_H
#define RUNLET_MOUNT_OPTS_H

#include "spec.h"

#include <stdbool.h>

/* Applies one option to m.  Returns 1 when the option is known, 0 when it is
 * filesystem data, or a negative error for a known option this build lacks. */
int mount_opt_apply(struct mount_cfg *m, const char *opt);

/* The options the table knows, for `features`. */
unsigned mount_opt_count(void);
const char *mount_opt_name(unsigned i);

#endif
