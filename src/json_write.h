/* A JSON writer into a caller's fixed buffer.  Output that does not fit sets
 * the overflow flag instead of being cut silently. */
#ifndef RUNLET_JSON_WRITE_H
#define RUNLET_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
	unsigned depth;
	uint64_t has_items;	/* bit n: the container at depth n has an item */
	bool after_key;		/* the next value belongs to a key just written */
};

void jw_init(struct jw *w, char *buf, size_t cap);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_int(struct jw *w, int64_t v);
void jw_uint(struct jw *w, uint64_t v);
void jw_bool(struct jw *w, bool v);
void jw_raw(struct jw *w, const char *text);
/* NUL-terminates and returns the length, or -1 when the output overflowed. */
long jw_finish(struct jw *w);

/* Escapes s as JSON string contents (no quotes) into the writer. */
void jw_escaped(struct jw *w, const char *s);

#endif
