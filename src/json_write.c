#include "format.h"
#include "json_write.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jw *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = cap == 0;
	w->depth = 0;
	w->has_items = 0;
	w->after_key = false;
}

static void put(struct jw *w, const char *s, size_t n)
{
	/* One byte stays free for the terminating NUL. */
	if (w->overflow || n >= w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void putc1(struct jw *w, char c)
{
	put(w, &c, 1);
}

/* A comma before every item of a container but the first; a value that
 * follows its key is part of the key's item. */
static void item(struct jw *w)
{
	uint64_t bit = (uint64_t)1 << (w->depth & 63);

	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->has_items & bit)
		putc1(w, ',');
	w->has_items |= bit;
}

static void open_container(struct jw *w, char c)
{
	item(w);
	putc1(w, c);
	w->depth++;
	w->has_items &= ~((uint64_t)1 << (w->depth & 63));
}

static void close_container(struct jw *w, char c)
{
	w->depth--;
	putc1(w, c);
}

void jw_obj_begin(struct jw *w) { open_container(w, '{'); }
void jw_obj_end(struct jw *w) { close_container(w, '}'); }
void jw_arr_begin(struct jw *w) { open_container(w, '['); }
void jw_arr_end(struct jw *w) { close_container(w, ']'); }

void jw_escaped(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };

			put(w, esc, 2);
		} else if (c == '\n') {
			put(w, "\\n", 2);
		} else if (c == '\t') {
			put(w, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			put(w, esc, sizeof(esc));
		} else {
			putc1(w, (char)c);
		}
	}
}

void jw_key(struct jw *w, const char *key)
{
	item(w);
	putc1(w, '"');
	jw_escaped(w, key);
	put(w, "\":", 2);
	w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
	item(w);
	putc1(w, '"');
	jw_escaped(w, s ? s : "");
	putc1(w, '"');
}

void jw_int(struct jw *w, int64_t v)
{
	char num[24];
	int n = fmt(num, sizeof(num), "%" PRId64, v);

	item(w);
	put(w, num, (size_t)n);
}

void jw_uint(struct jw *w, uint64_t v)
{
	char num[24];
	int n = fmt(num, sizeof(num), "%" PRIu64, v);

	item(w);
	put(w, num, (size_t)n);
}

void jw_bool(struct jw *w, bool v)
{
	item(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_raw(struct jw *w, const char *text)
{
	item(w);
	put(w, text, strlen(text));
}

long jw_finish(struct jw *w)
{
	if (w->overflow)
		return -1;
	w->buf[w->len] = '\0';
	return (long)w->len;
}
