/* config.json and the other JSON inputs, through jsmn, without allocation.
 *
 * The text is first checked against the JSON grammar (RFC 8259), because
 * jsmn accepts text that JSON forbids ({"a":1,}, [1,,2], 01, two top-level
 * values): a config another runtime would refuse must not be half-understood
 * here.  jsmn then fills the caller's token pool.  Strings are unescaped and
 * NUL-terminated in place, so every string token is a C string inside the
 * caller's buffer. */
#ifndef RUNLET_JSON_H
#define RUNLET_JSON_H

#ifndef JSMN_H
#define JSMN_HEADER
#include <jsmn.h>
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json {
	char *buf;
	size_t len;
	jsmntok_t *tok;
	int ntok;
};

/* Parses buf[0..len) (buf must have room for len + 1 bytes).  what names the
 * input in errors ("config.json"); limit_sym names the Kconfig symbol of the
 * token pool size in the error when the pool is too small. */
int json_parse(struct json *j, char *buf, size_t len, jsmntok_t *pool, unsigned pool_size,
	       const char *what, const char *limit_sym, unsigned max_depth);

/* Index of the token after the subtree rooted at i. */
int json_next(const struct json *j, int i);

const char *json_type_name(const struct json *j, int i);
bool json_is_null(const struct json *j, int i);
bool json_is_object(const struct json *j, int i);
bool json_is_array(const struct json *j, int i);
/* The string of token i, or NULL when it is not a string. */
const char *json_str(const struct json *j, int i);

/* 0 on success; -1 when the token is not of the type; -2 when out of range. */
int json_bool(const struct json *j, int i, bool *out);
int json_i64(const struct json *j, int i, int64_t *out);
int json_u64(const struct json *j, int i, uint64_t *out);

/* Value token of key in object obj, or -1. */
int json_find(const struct json *j, int obj, const char *key);

#endif
