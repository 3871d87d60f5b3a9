/* Walking config.json objects with field tables.
 *
 * Each JSON object is described by one static table: field name, type, where
 * the value goes, whether it is required.  The walker checks types, ignores
 * unknown properties (config.md, "Extensibility"), treats null as absent (as
 * Go's decoder does), and names the JSON path in every error:
 * "linux.resources.pids.limit: expected integer, got string". */
#ifndef RUNLET_SPEC_WALK_H
#define RUNLET_SPEC_WALK_H

#include "json.h"
#include "spec.h"

#include <stddef.h>

struct walk {
	struct json *j;
	struct spec *spec;
	char path[256];
	size_t plen;
};

enum field_kind {
	F_STR,		/* const char * */
	F_BOOL,		/* bool */
	F_I32,		/* int32_t */
	F_U16,		/* uint16_t */
	F_U32,		/* uint32_t */
	F_I64,		/* int64_t */
	F_U64,		/* uint64_t */
	F_STRV,		/* struct strv, at most .max entries */
	F_OBJ,		/* nested object described by .sub, at .off */
	F_FN,		/* custom handler */
	F_OFF,		/* compiled out: refused when present, naming .symbol */
};

struct walk;
typedef int (*field_fn)(struct walk *w, int tok, void *obj);

struct field {
	const char *name;
	enum field_kind kind;
	unsigned off;			/* offset of the value in the object's struct */
	unsigned has;			/* offset + 1 of a bool set when present; 0: none */
	bool required;
	const struct field *sub;	/* F_OBJ */
	field_fn fn;			/* F_FN */
	const char *symbol;		/* F_OFF: Kconfig symbol; F_STRV: limit symbol */
	unsigned max;			/* F_STRV */
};

#define HAS(type, member) ((unsigned)(offsetof(type, member) + 1))

int walk_object(struct walk *w, int tok, const struct field *fields, void *obj);

/* Path bookkeeping: push returns the length to restore with walk_pop. */
size_t walk_push_key(struct walk *w, const char *key);
size_t walk_push_index(struct walk *w, unsigned index);
void walk_pop(struct walk *w, size_t saved);

int walk_fail(struct walk *w, const char *format, ...) __attribute__((format(printf, 2, 3)));
int walk_expected(struct walk *w, int tok, const char *what);
int walk_limit(struct walk *w, unsigned have, unsigned limit, const char *symbol);
int walk_compiled_out(struct walk *w, const char *symbol);
/* True when tok holds something: not null, not an empty object, array or
 * string, not false.  A compiled-out feature is refused only when asked for. */
bool walk_asks(struct walk *w, int tok);

int walk_str(struct walk *w, int tok, const char **out);
int walk_bool(struct walk *w, int tok, bool *out);
int walk_i64(struct walk *w, int tok, int64_t *out, int64_t min, int64_t max);
int walk_u64(struct walk *w, int tok, uint64_t *out, uint64_t max);
int walk_strv(struct walk *w, int tok, struct strv *out, unsigned max, const char *symbol);

/* Calls each() for the elements of an array (or the members of an object,
 * with the key) after checking the count against limit. */
typedef int (*walk_each_fn)(struct walk *w, int tok, unsigned index, const char *key, void *ctx);
int walk_array(struct walk *w, int tok, unsigned limit, const char *symbol, walk_each_fn each, void *ctx);
int walk_map(struct walk *w, int tok, unsigned limit, const char *symbol, walk_each_fn each, void *ctx);

/* Looks name up in a NULL-terminated table; returns its index or -1. */
int lookup_name(const char *const *table, unsigned n, const char *name);

#endif
