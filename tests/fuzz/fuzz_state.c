/* libFuzzer target: container records (src/state.c, src/record_data.c).
 *
 * An input is a record file image as state_load() reads it from --root/<id>.
 * It is tried three ways:
 *
 *   1. as it is: state_parse() must refuse it cleanly or give a record that
 *      holds up (a slot of 0 or 1, the id and the bundle NUL-terminated
 *      inside the data area, the newer of two valid copies);
 *   2. with the CRCs and data length of both copies made to fit, so that the
 *      fuzzer gets past the checksums to the copy selection and to the
 *      create-time data behind them;
 *   3. the whole input as create-time data alone, in a heap block of exactly
 *      its size: data_next() and the record_u32(), record_str() and
 *      record_cgroup() helpers of delete, kill, exec and list may not read
 *      past it.
 *
 * Built by tests/fuzz/fuzz.mk; see tests/fuzz/README.md. */
#include "state.h"
#include "bytes.h"
#include "cgroup.h"
#include "crc32.h"
#include "error.h"
#include "json.h"
#include "lifecycle.h"
#include "state_json.h"

#if CONFIG_HOOKS
/* For hook_load(), the reader of the recorded poststart and poststop hooks
 * that start and delete run: it is static there. */
#include "hooks.c"

/* The hook runner around it stays in the binary, unreached; it names the
 * hook kinds from the config parser, which this target does not link. */
__attribute__((weak)) const char *const hook_kind_names[HOOK_KINDS];
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TAG_LAST 16
/* Images a little longer than a record file can be, to see them cut. */
#define INPUT_MAX (STATE_FILE_MAX + 1024)

static volatile size_t sink;

static void check(int cond)
{
	if (!cond)
		abort();
}

static bool same_record(const struct record *a, const struct record *b)
{
	return a->seq == b->seq && a->status == b->status && a->pid == b->pid &&
	       a->start_time == b->start_time && !memcmp(a->boot_id, b->boot_id, 16) &&
	       a->created == b->created && a->reply_fd == b->reply_fd && a->reply_ino == b->reply_ino;
}

/* A string the parser handed out lies inside the data area and ends there. */
static void check_inside(const struct container *c, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	check(p >= c->data && p < c->data + c->data_len);
	check(memchr(p, '\0', (size_t)(c->data + c->data_len - p)) != NULL);
}

/* Every item of the create-time data, written back with data_put(), gives
 * the bytes it was read from. */
static void walk_data(const struct container *c)
{
	static unsigned char again[INPUT_MAX + 8];
	struct data_iter it = { c->data, c->data + c->data_len };
	struct data_writer w = { again, sizeof(again), 0, false };
	const unsigned char *p;
	unsigned tag;
	size_t len, used = 0;

	while (data_next(&it, &tag, &p, &len)) {
		check(p >= c->data && p + len <= c->data + c->data_len);
		check(tag <= 0xffff && len <= 0xffff);
		if (len)
			sink += p[0] + p[len - 1];
		data_put(&w, (enum data_tag)tag, p, len);
		used += len + 4;
	}
	check(used <= c->data_len);
	check(!w.overflow && w.len == used);
	check(used == 0 || !memcmp(again, c->data, used));
	/* What the iterator stopped at is too short to be an item. */
	check(it.p == c->data + used);
}

#if CONFIG_HOOKS
static void check_in(const unsigned char *p, size_t len, const char *s)
{
	check((const unsigned char *)s >= p && (const unsigned char *)s < p + len);
	check(memchr(s, '\0', (size_t)(p + len - (const unsigned char *)s)) != NULL);
}

static void load_hooks(const struct container *c)
{
	static const char *pool[CONFIG_MAX_ARGS + CONFIG_MAX_ENV + 2];
	struct data_iter it = { c->data, c->data + c->data_len };
	const unsigned char *p;
	unsigned tag, i;
	size_t len;

	while (data_next(&it, &tag, &p, &len)) {
		struct hook_cfg h;

		if (tag != TAG_HOOK || len < 1)
			continue;
		if (hook_load(p, len, &h, pool, sizeof(pool) / sizeof(pool[0])) < 0)
			continue;
		check_in(p, len, h.path);
		check(h.args.v[h.args.n] == NULL && h.env.v[h.env.n] == NULL);
		for (i = 0; i < h.args.n; i++)
			check_in(p, len, h.args.v[i]);
		for (i = 0; i < h.env.n; i++)
			check_in(p, len, h.env.v[i]);
	}
}
#endif

static void use_helpers(const struct container *c)
{
	struct cgroup cg;
	unsigned tag, i;

	for (tag = 0; tag <= TAG_LAST; tag++) {
		const char *s = record_str(c, tag);

		sink += record_u32(c, tag);
		if (s)
			check_inside(c, s);
	}
	memset(&cg, 0x5a, sizeof(cg));
	if (record_cgroup(c, &cg)) {
		check(cg.n > 0 && cg.n <= CG_MAX_HIER);
		for (i = 0; i < cg.n; i++) {
			check(memchr(cg.h[i].dir, '\0', sizeof(cg.h[i].dir)) != NULL);
			check(memchr(cg.h[i].path, '\0', sizeof(cg.h[i].path)) != NULL);
			check(memchr(cg.h[i].controllers, '\0', sizeof(cg.h[i].controllers)) != NULL);
		}
	}
#if CONFIG_HOOKS
	load_hooks(c);
#endif
}

/* `state` and `list --format json` print the record as JSON: it must be
 * JSON that a strict parser takes back. */
static void print_state(const struct container *c)
{
	static char out[STATE_FILE_MAX + 1024];
	static jsmntok_t tok[STATE_FILE_MAX];
	struct json j;
	struct jw w;
	long n;

	jw_init(&w, out, sizeof(out) - 1);
	state_json(&w, c->id, status_name((enum cstatus)c->rec.status), (pid_t)c->rec.pid, c->bundle,
		   NULL, 0, c);
	n = jw_finish(&w);
	if (n < 0)
		return;		/* too large: cmd_state reports it */
	error_clear();
	/* Every token takes at least two bytes of the output, so the pool
	 * holds them all. */
	if (json_parse(&j, out, (size_t)n, tok, sizeof(tok) / sizeof(tok[0]), "state",
		       "the fuzzer's token pool", 8))
		abort();
}

/* state_parse() on c->buf[0..len), and what a good answer must hold. */
static void parse_image(struct container *c, size_t len)
{
	struct record other, again;
	unsigned char out[STATE_RECORD_SIZE];
	uint32_t crc;
	int r = state_parse(c, len);

	if (r)
		return;
	check(len >= STATE_DATA_OFFSET);
	check(c->slot == 0 || c->slot == 1);
	check(c->data == c->buf + STATE_DATA_OFFSET && c->data_len == len - STATE_DATA_OFFSET);
	check(c->rec.status >= STATUS_CREATING && c->rec.status <= STATUS_STOPPED);
	check(c->id && c->bundle);
	check_inside(c, c->id);
	check_inside(c, c->bundle);
	/* The copy read decodes to the record given, and encodes back to it. */
	crc = crc32(0, c->data, c->data_len);
	check(record_decode(c->buf + c->slot * STATE_RECORD_SIZE, (uint32_t)c->data_len, crc, &again) == 0);
	check(same_record(&again, &c->rec));
	record_encode(&c->rec, (uint32_t)c->data_len, crc, out);
	check(record_decode(out, (uint32_t)c->data_len, crc, &again) == 0);
	check(same_record(&again, &c->rec));
	/* The other copy, when valid too, is not the newer one. */
	if (record_decode(c->buf + (c->slot ^ 1) * STATE_RECORD_SIZE, (uint32_t)c->data_len, crc, &other) == 0)
		check(!((int32_t)(other.seq - c->rec.seq) > 0));
	walk_data(c);
	use_helpers(c);
	print_state(c);
}

/* Gives a copy that starts with the magic the format and data fields that
 * fit, and a CRC that holds. */
static void repair(unsigned char *rec, uint32_t data_len, uint32_t data_crc)
{
	if (memcmp(rec, "RLR1", 4))
		return;
	put_le16(rec + 4, STATE_FORMAT);
	put_le32(rec + 56, data_len);
	put_le32(rec + 60, data_crc);
	memset(rec + 12, 0, 4);
	put_le32(rec + 12, crc32(0, rec, STATE_RECORD_SIZE));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* On the heap and exactly its size: buf is its last member. */
	struct container *c = malloc(sizeof(*c));
	size_t len = size < STATE_FILE_MAX ? size : STATE_FILE_MAX;
	unsigned char *alone;

	if (size > INPUT_MAX) {
		free(c);
		return -1;
	}
	check(c != NULL);
	memset(c, 0, offsetof(struct container, buf));
	c->fd = -1;

	/* 1: as read from the file (pread of at most STATE_FILE_MAX bytes). */
	memcpy(c->buf, data, len);
	error_clear();
	parse_image(c, len);

	/* 2: the checksums made to fit. */
	if (len >= STATE_DATA_OFFSET) {
		uint32_t dlen = (uint32_t)(len - STATE_DATA_OFFSET);
		uint32_t dcrc = crc32(0, c->buf + STATE_DATA_OFFSET, dlen);

		memcpy(c->buf, data, len);
		repair(c->buf, dlen, dcrc);
		repair(c->buf + STATE_RECORD_SIZE, dlen, dcrc);
		parse_image(c, len);
	}

	/* 3: the input as create-time data alone. */
	alone = malloc(size ? size : 1);
	check(alone != NULL);
	if (size)
		memcpy(alone, data, size);
	memset(c, 0, offsetof(struct container, buf));
	c->fd = -1;
	c->data = alone;
	c->data_len = size;
	walk_data(c);
	use_helpers(c);
	free(alone);
	free(c);
	return 0;
}
