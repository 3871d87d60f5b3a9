/* What the config.json parser's files share among themselves. */
#ifndef RUNLET_SPEC_INTERNAL_H
#define RUNLET_SPEC_INTERNAL_H

#include "spec.h"
#include "spec_walk.h"

extern const struct field linux_fields[];
extern const struct field resources_fields[];
extern const struct field idmap_fields[];
extern const struct field process_fields[];
extern const int rlimit_resources[RLIMIT_TYPES];

/* Parses JSON text with the config's token pool and limits. */
int spec_json(struct json *j, char *buf, size_t len, const char *what);
void linux_reset(struct linux_cfg *l);
void resources_reset(struct resources_cfg *r);
/* Rules that span fields, checked once the whole object is read. */
int linux_check(struct walk *w, struct spec *spec);
int spec_check_version(const char *version);
int walk_abs_path(struct walk *w, int tok, const char **out);

int sysctl_check(const struct spec *spec);

#if CONFIG_SECCOMP
int parse_seccomp(struct walk *w, int tok, void *obj);
#endif

#endif
