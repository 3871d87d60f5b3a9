/* A bundle (bundle.md): its directory, config.json, and root filesystem. */
#ifndef RUNLET_BUNDLE_H
#define RUNLET_BUNDLE_H

#include "container.h"

/* Reads and parses <dir>/config.json into c->spec, and sets c->bundle and
 * c->rootfs to absolute paths.  buf holds the JSON text, which the spec
 * points into. */
int bundle_load(struct ctx *c, const char *dir, char *buf, size_t cap);

#endif
