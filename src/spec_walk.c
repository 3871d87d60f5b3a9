#include "format.h"
#include "spec_walk.h"
#include "error.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t walk_push_key(struct walk *w, const char *key)
{
	size_t saved = w->plen;
	int n = fmt(w->path + w->plen, sizeof(w->path) - w->plen, "%s%s",
			 w->plen ? "." : "", key);

	if (n > 0)
		w->plen = w->plen + (size_t)n < sizeof(w->path) ? w->plen + (size_t)n : sizeof(w->path) - 1;
	return saved;
}

size_t walk_push_index(struct walk *w, unsigned index)
{
	size_t saved = w->plen;
	int n = fmt(w->path + w->plen, sizeof(w->path) - w->plen, "[%u]", index);

	if (n > 0)
		w->plen = w->plen + (size_t)n < sizeof(w->path) ? w->plen + (size_t)n : sizeof(w->path) - 1;
	return saved;
}

void walk_pop(struct walk *w, size_t saved)
{
	w->plen = saved;
	w->path[saved] = '\0';
}

int walk_fail(struct walk *w, const char *format, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, format);
	fmt_v(msg, sizeof(msg), format, ap);
	va_end(ap);
	return fail(0, "%s: %s", w->plen ? w->path : "config.json", msg);
}

int walk_expected(struct walk *w, int tok, const char *what)
{
	return walk_fail(w, "expected %s, got %s", what, json_type_name(w->j, tok));
}

int walk_limit(struct walk *w, unsigned have, unsigned limit, const char *symbol)
{
	return walk_fail(w, "%u entries, limit %u (%s)", have, limit, symbol);
}

int walk_compiled_out(struct walk *w, const char *symbol)
{
	return walk_fail(w, "not supported by this build (%s is not set)", symbol);
}

bool walk_asks(struct walk *w, int tok)
{
	const jsmntok_t *t = &w->j->tok[tok];
	bool b;

	if (json_is_null(w->j, tok))
		return false;
	if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY)
		return t->size > 0;
	if (t->type == JSMN_STRING)
		return w->j->buf[t->start] != '\0';
	if (!json_bool(w->j, tok, &b))
		return b;
	return true;
}

int walk_str(struct walk *w, int tok, const char **out)
{
	const char *s = json_str(w->j, tok);

	if (!s)
		return walk_expected(w, tok, "string");
	*out = s;
	return 0;
}

int walk_bool(struct walk *w, int tok, bool *out)
{
	if (json_bool(w->j, tok, out))
		return walk_expected(w, tok, "boolean");
	return 0;
}

int walk_i64(struct walk *w, int tok, int64_t *out, int64_t min, int64_t max)
{
	int r = json_i64(w->j, tok, out);

	if (r == -1)
		return walk_expected(w, tok, "integer");
	if (r == -2 || *out < min || *out > max)
		return walk_fail(w, "%.*s out of range [%" PRId64 ", %" PRId64 "]",
				 w->j->tok[tok].end - w->j->tok[tok].start, w->j->buf + w->j->tok[tok].start,
				 min, max);
	return 0;
}

int walk_u64(struct walk *w, int tok, uint64_t *out, uint64_t max)
{
	int r = json_u64(w->j, tok, out);

	if (r == -1)
		return walk_expected(w, tok, "integer");
	if (r == -2 || *out > max)
		return walk_fail(w, "%.*s out of range [0, %" PRIu64 "]",
				 w->j->tok[tok].end - w->j->tok[tok].start, w->j->buf + w->j->tok[tok].start,
				 max);
	return 0;
}

int walk_strv(struct walk *w, int tok, struct strv *out, unsigned max, const char *symbol)
{
	struct spec *spec = w->spec;
	unsigned n, i;
	int t;

	if (!json_is_array(w->j, tok))
		return walk_expected(w, tok, "array of strings");
	n = (unsigned)w->j->tok[tok].size;
	if (n > max)
		return walk_limit(w, n, max, symbol);
	if (n + 1 > CONFIG_MAX_STRINGS - spec->nstrings)
		return walk_fail(w, "%u strings in all, limit %u (CONFIG_MAX_STRINGS)",
				 spec->nstrings + n + 1, CONFIG_MAX_STRINGS);
	out->v = &spec->strings[spec->nstrings];
	out->n = n;
	for (i = 0, t = tok + 1; i < n; i++, t = json_next(w->j, t)) {
		const char *s = json_str(w->j, t);

		if (!s) {
			size_t saved = walk_push_index(w, i);
			int r = walk_expected(w, t, "string");

			walk_pop(w, saved);
			return r;
		}
		spec->strings[spec->nstrings++] = s;
	}
	spec->strings[spec->nstrings++] = NULL;
	return 0;
}

static int walk_elements(struct walk *w, int tok, bool map, walk_each_fn each, void *ctx)
{
	unsigned n = (unsigned)w->j->tok[tok].size, i;
	int t = tok + 1;

	for (i = 0; i < n; i++) {
		const char *key = map ? json_str(w->j, t) : NULL;
		int value = map ? t + 1 : t;
		size_t saved = map ? walk_push_key(w, key) : walk_push_index(w, i);
		int r = each(w, value, i, key, ctx);

		walk_pop(w, saved);
		if (r)
			return r;
		t = json_next(w->j, value);
	}
	return 0;
}

int walk_array(struct walk *w, int tok, unsigned limit, const char *symbol, walk_each_fn each, void *ctx)
{
	if (!json_is_array(w->j, tok))
		return walk_expected(w, tok, "array");
	if ((unsigned)w->j->tok[tok].size > limit)
		return walk_limit(w, (unsigned)w->j->tok[tok].size, limit, symbol);
	return walk_elements(w, tok, false, each, ctx);
}

int walk_map(struct walk *w, int tok, unsigned limit, const char *symbol, walk_each_fn each, void *ctx)
{
	if (!json_is_object(w->j, tok))
		return walk_expected(w, tok, "object");
	if ((unsigned)w->j->tok[tok].size > limit)
		return walk_limit(w, (unsigned)w->j->tok[tok].size, limit, symbol);
	return walk_elements(w, tok, true, each, ctx);
}

int lookup_name(const char *const *table, unsigned n, const char *name)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (table[i] && !strcmp(table[i], name))
			return (int)i;
	}
	return -1;
}

static void mark_present(void *obj, unsigned has)
{
	if (has)
		*(bool *)((char *)obj + has - 1) = true;
}

static int walk_field(struct walk *w, int tok, const struct field *f, void *obj)
{
	void *dst = (char *)obj + f->off;
	int64_t i64;
	uint64_t u64;
	int r;

	switch (f->kind) {
	case F_STR:
		return walk_str(w, tok, dst);
	case F_BOOL:
		return walk_bool(w, tok, dst);
	case F_I32:
		r = walk_i64(w, tok, &i64, INT32_MIN, INT32_MAX);
		if (!r)
			*(int32_t *)dst = (int32_t)i64;
		return r;
	case F_U16:
		r = walk_u64(w, tok, &u64, UINT16_MAX);
		if (!r)
			*(uint16_t *)dst = (uint16_t)u64;
		return r;
	case F_U32:
		r = walk_u64(w, tok, &u64, UINT32_MAX);
		if (!r)
			*(uint32_t *)dst = (uint32_t)u64;
		return r;
	case F_I64:
		return walk_i64(w, tok, dst, INT64_MIN, INT64_MAX);
	case F_U64:
		return walk_u64(w, tok, dst, UINT64_MAX);
	case F_STRV:
		return walk_strv(w, tok, dst, f->max, f->symbol);
	case F_OBJ:
		return walk_object(w, tok, f->sub, dst);
	case F_FN:
		return f->fn(w, tok, obj);
	case F_OFF:
		if (walk_asks(w, tok))
			return walk_compiled_out(w, f->symbol);
		return 0;
	}
	return walk_fail(w, "internal error: field kind %d", (int)f->kind);
}

int walk_object(struct walk *w, int tok, const struct field *fields, void *obj)
{
	uint64_t seen = 0;
	unsigned n, k, i;
	int t;

	if (!json_is_object(w->j, tok))
		return walk_expected(w, tok, "object");
	n = (unsigned)w->j->tok[tok].size;
	for (k = 0, t = tok + 1; k < n; k++, t = json_next(w->j, t + 1)) {
		const char *key = json_str(w->j, t);
		size_t saved;
		int r;

		for (i = 0; fields[i].name && strcmp(fields[i].name, key); i++)
			;
		if (!fields[i].name || json_is_null(w->j, t + 1))
			continue;
		saved = walk_push_key(w, key);
		r = walk_field(w, t + 1, &fields[i], obj);
		walk_pop(w, saved);
		if (r)
			return r;
		mark_present(obj, fields[i].has);
		seen |= (uint64_t)1 << (i & 63);
	}
	for (i = 0; fields[i].name; i++) {
		if (fields[i].required && !(seen & ((uint64_t)1 << (i & 63)))) {
			size_t saved = walk_push_key(w, fields[i].name);
			int r = walk_fail(w, "required");

			walk_pop(w, saved);
			return r;
		}
	}
	return 0;
}
