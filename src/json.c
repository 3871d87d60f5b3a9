/* jsmn's implementation is compiled here, in strict mode, and only here. */
#define JSMN_STRICT
#include <jsmn.h>

#include "json.h"
#include "error.h"

#include <errno.h>
#include <string.h>

/* --- strict grammar check ------------------------------------------------ */

struct scan {
	const char *start;
	const char *p;
	const char *end;
	unsigned depth;
	unsigned max_depth;
	unsigned long tokens;
	const char *why;
};

static int scan_value(struct scan *s);

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int bad(struct scan *s, const char *why)
{
	s->why = why;
	return -1;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int scan_string(struct scan *s)
{
	s->p++;
	while (s->p < s->end) {
		unsigned char c = (unsigned char)*s->p;

		if (c == '"') {
			s->p++;
			s->tokens++;
			return 0;
		}
		if (c < 0x20)
			return bad(s, "control character in string");
		if (c != '\\') {
			s->p++;
			continue;
		}
		if (s->end - s->p < 2)
			break;
		switch (s->p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			s->p += 2;
			continue;
		case 'u':
			if (s->end - s->p < 6 || !is_hex(s->p[2]) || !is_hex(s->p[3]) ||
			    !is_hex(s->p[4]) || !is_hex(s->p[5]))
				return bad(s, "bad \\u escape");
			if (!memcmp(s->p + 2, "0000", 4))
				return bad(s, "NUL character in string");
			s->p += 6;
			continue;
		default:
			return bad(s, "bad escape in string");
		}
	}
	return bad(s, "unterminated string");
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int scan_digits(struct scan *s)
{
	if (s->p >= s->end || !is_digit(*s->p))
		return bad(s, "bad number");
	while (s->p < s->end && is_digit(*s->p))
		s->p++;
	return 0;
}

static int scan_number(struct scan *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0') {
		s->p++;
		if (s->p < s->end && is_digit(*s->p))
			return bad(s, "number with a leading zero");
	} else if (scan_digits(s)) {
		return -1;
	}
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (scan_digits(s))
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (scan_digits(s))
			return -1;
	}
	s->tokens++;
	return 0;
}

static int scan_literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
		return bad(s, "unexpected character");
	s->p += n;
	s->tokens++;
	return 0;
}

static int scan_container(struct scan *s, char close)
{
	bool object = close == '}';

	if (++s->depth > s->max_depth)
		return bad(s, "nested too deeply");
	s->tokens++;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (object) {
			if (s->p >= s->end || *s->p != '"')
				return bad(s, "expected a string key");
			if (scan_string(s))
				return -1;
			skip_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return bad(s, "expected ':'");
			s->p++;
		}
		if (scan_value(s))
			return -1;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			skip_ws(s);
			continue;
		}
		if (s->p < s->end && *s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		return bad(s, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int scan_value(struct scan *s)
{
	skip_ws(s);
	if (s->p >= s->end)
		return bad(s, "unexpected end of input");
	switch (*s->p) {
	case '{':
		return scan_container(s, '}');
	case '[':
		return scan_container(s, ']');
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (*s->p == '-' || is_digit(*s->p))
			return scan_number(s);
		return bad(s, "unexpected character");
	}
}

static int grammar_error(const struct scan *s, const char *what)
{
	unsigned line = 1, col = 1;
	const char *q;

	for (q = s->start; q < s->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return fail(0, "%s: invalid JSON at line %u column %u: %s", what, line, col, s->why);
}

/* --- unescaping in place -------------------------------------------------- */

static unsigned hex4(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else
			v |= (unsigned)(c - 'A' + 10);
	}
	return v;
}

static char *put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		*out++ = (char)cp;
	} else if (cp < 0x800) {
		*out++ = (char)(0xc0 | (cp >> 6));
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*out++ = (char)(0xe0 | (cp >> 12));
		*out++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*out++ = (char)(0xf0 | (cp >> 18));
		*out++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*out++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	}
	return out;
}

/* Decoded text is never longer than its escaped form, so it fits where the
 * escaped form was; a lone surrogate becomes U+FFFD, as Go's decoder does. */
static void unescape(char *s, char *end)
{
	char *in = s, *out = s;

	while (in < end) {
		unsigned cp;

		if (*in != '\\') {
			*out++ = *in++;
			continue;
		}
		switch (in[1]) {
		case 'b': *out++ = '\b'; in += 2; continue;
		case 'f': *out++ = '\f'; in += 2; continue;
		case 'n': *out++ = '\n'; in += 2; continue;
		case 'r': *out++ = '\r'; in += 2; continue;
		case 't': *out++ = '\t'; in += 2; continue;
		case 'u': break;
		default: *out++ = in[1]; in += 2; continue;
		}
		cp = hex4(in + 2);
		in += 6;
		if (cp >= 0xd800 && cp < 0xdc00 && end - in >= 6 && in[0] == '\\' && in[1] == 'u') {
			unsigned lo = hex4(in + 2);

			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				in += 6;
			}
		}
		if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd;
		out = put_utf8(out, cp);
	}
	*out = '\0';
}

int json_parse(struct json *j, char *buf, size_t len, jsmntok_t *pool, unsigned pool_size,
	       const char *what, const char *limit_sym, unsigned max_depth)
{
	struct scan s = { buf, buf, buf + len, 0, max_depth, 0, NULL };
	jsmn_parser parser;
	int n, i;

	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		return fail(0, "%s: NUL byte in JSON text", what);
	if (scan_value(&s))
		return grammar_error(&s, what);
	skip_ws(&s);
	if (s.p != s.end) {
		s.why = "text after the JSON value";
		return grammar_error(&s, what);
	}
	if (s.tokens > pool_size)
		return fail(0, "%s: %lu JSON tokens, limit %u (%s)", what, s.tokens, pool_size, limit_sym);

	/* Strict jsmn wants a delimiter after a scalar, even a lone one at the
	 * end: give it the room the caller keeps for the NUL. */
	buf[len] = '\n';
	jsmn_init(&parser);
	n = jsmn_parse(&parser, buf, len + 1, pool, pool_size);
	buf[len] = '\0';
	if (n < 0)
		return fail(0, "%s: JSON tokenizer failed (%d)", what, n);
	j->buf = buf;
	j->len = len;
	j->tok = pool;
	j->ntok = n;
	for (i = 0; i < n; i++) {
		if (pool[i].type == JSMN_STRING)
			unescape(buf + pool[i].start, buf + pool[i].end);
	}
	return 0;
}

/* --- access ---------------------------------------------------------------- */

int json_next(const struct json *j, int i)
{
	int pending = 1;

	while (pending > 0 && i < j->ntok) {
		pending += j->tok[i].size;
		pending--;
		i++;
	}
	return i;
}

const char *json_type_name(const struct json *j, int i)
{
	const jsmntok_t *t = &j->tok[i];
	char c = j->buf[t->start];

	switch (t->type) {
	case JSMN_OBJECT: return "object";
	case JSMN_ARRAY: return "array";
	case JSMN_STRING: return "string";
	default: break;
	}
	if (c == 't' || c == 'f')
		return "boolean";
	if (c == 'n')
		return "null";
	return "number";
}

bool json_is_null(const struct json *j, int i)
{
	return j->tok[i].type == JSMN_PRIMITIVE && j->buf[j->tok[i].start] == 'n';
}

bool json_is_object(const struct json *j, int i)
{
	return j->tok[i].type == JSMN_OBJECT;
}

bool json_is_array(const struct json *j, int i)
{
	return j->tok[i].type == JSMN_ARRAY;
}

const char *json_str(const struct json *j, int i)
{
	if (j->tok[i].type != JSMN_STRING)
		return NULL;
	return j->buf + j->tok[i].start;
}

int json_bool(const struct json *j, int i, bool *out)
{
	char c = j->buf[j->tok[i].start];

	if (j->tok[i].type != JSMN_PRIMITIVE || (c != 't' && c != 'f'))
		return -1;
	*out = c == 't';
	return 0;
}

/* Integers only: JSON's 1.0 or 1e3 is not an integer to Go's decoder either. */
static int parse_integer(const struct json *j, int i, bool *neg, uint64_t *mag)
{
	const char *p = j->buf + j->tok[i].start;
	const char *end = j->buf + j->tok[i].end;
	uint64_t v = 0;

	if (j->tok[i].type != JSMN_PRIMITIVE || (*p != '-' && !is_digit(*p)))
		return -1;
	*neg = *p == '-';
	if (*neg)
		p++;
	for (; p < end; p++) {
		if (!is_digit(*p))
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -2;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*mag = v;
	return 0;
}

int json_i64(const struct json *j, int i, int64_t *out)
{
	bool neg;
	uint64_t mag;
	int r = parse_integer(j, i, &neg, &mag);

	if (r)
		return r;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -2;
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
		return 0;
	}
	if (mag > INT64_MAX)
		return -2;
	*out = (int64_t)mag;
	return 0;
}

int json_u64(const struct json *j, int i, uint64_t *out)
{
	bool neg;
	uint64_t mag;
	int r = parse_integer(j, i, &neg, &mag);

	if (r)
		return r;
	if (neg && mag)
		return -2;
	*out = mag;
	return 0;
}

int json_find(const struct json *j, int obj, const char *key)
{
	int i, k, n;

	if (j->tok[obj].type != JSMN_OBJECT)
		return -1;
	n = j->tok[obj].size;
	i = obj + 1;
	for (k = 0; k < n; k++) {
		const char *name = json_str(j, i);

		if (name && !strcmp(name, key))
			return i + 1;
		i = json_next(j, i + 1);
	}
	return -1;
}
