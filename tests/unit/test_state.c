/* Container records: src/state.c and src/crc32.c.  The record format and
 * the choice between the two copies on file images in memory, then the
 * state directory itself in a temporary directory. */
#include "state.h"
#include "bytes.h"
#include "crc32.h"

#include "unit.h"

#include <dirent.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

/* --- helpers ------------------------------------------------------------------ */

static struct container c, c2;
static unsigned char data[4096];
static size_t data_len;

/* Create-time data naming id and bundle, as create writes it. */
static void make_data(const char *id, const char *bundle)
{
	struct data_writer w = { data, sizeof(data), 0, false };

	data_put_str(&w, TAG_ID, id);
	data_put_str(&w, TAG_BUNDLE, bundle);
	data_put_u32(&w, TAG_NAMESPACES, 0x1f);
	data_put(&w, TAG_ANNOTATION, "k\0v", 4);
	assert_false(w.overflow);
	data_len = w.len;
}

static struct record sample(uint32_t seq, enum cstatus status)
{
	struct record r;
	unsigned i;

	memset(&r, 0, sizeof(r));
	r.seq = seq;
	r.status = (uint8_t)status;
	r.pid = 4242;
	r.start_time = 0x0102030405060708ull;
	for (i = 0; i < 16; i++)
		r.boot_id[i] = (uint8_t)(0xa0 + i);
	r.created = 1700000000123456789ull;
	r.reply_fd = -1;
	r.reply_ino = 0xfedcba9876543210ull;
	return r;
}

static uint32_t data_crc(void)
{
	return crc32(0, data, data_len);
}

/* A whole file image in c.buf: the copies as given (NULL: zeros), then the
 * create-time data.  Returns the image's length. */
static size_t image(const struct record *r0, const struct record *r1)
{
	memset(c.buf, 0, STATE_DATA_OFFSET);
	if (r0)
		record_encode(r0, (uint32_t)data_len, data_crc(), c.buf);
	if (r1)
		record_encode(r1, (uint32_t)data_len, data_crc(), c.buf + STATE_RECORD_SIZE);
	memcpy(c.buf + STATE_DATA_OFFSET, data, data_len);
	return STATE_DATA_OFFSET + data_len;
}

static void assert_same_record(const struct record *a, const struct record *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->pid, b->pid);
	assert_true(a->start_time == b->start_time);
	assert_memory_equal(a->boot_id, b->boot_id, 16);
	assert_true(a->created == b->created);
	assert_int_equal(a->reply_fd, b->reply_fd);
	assert_true(a->reply_ino == b->reply_ino);
}

/* Re-encodes a record with another format number and a CRC that fits. */
static void set_format(unsigned char *rec, uint16_t format)
{
	put_le16(rec + 4, format);
	memset(rec + 12, 0, 4);
	put_le32(rec + 12, crc32(0, rec, STATE_RECORD_SIZE));
}

/* --- CRC-32 ------------------------------------------------------------------------ */

static void crc32_values(void **state)
{
	(void)state;
	/* The check value of CRC-32/IEEE, as zlib computes it. */
	assert_int_equal(crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(crc32(0, "", 0), 0);
	assert_int_equal(crc32(0, "a", 1), 0xe8b7be43);
	/* In pieces, as in one go. */
	assert_int_equal(crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
}

/* --- the record ---------------------------------------------------------------------- */

static void record_round_trip(void **state)
{
	struct record in = sample(5, STATUS_RUNNING), out;
	unsigned char buf[STATE_RECORD_SIZE];
	unsigned i;

	(void)state;
	record_encode(&in, 100, 0x12345678, buf);
	memset(&out, 0, sizeof(out));
	assert_int_equal(record_decode(buf, 100, 0x12345678, &out), 0);
	assert_same_record(&in, &out);

	/* The layout is little-endian whatever the host. */
	assert_memory_equal(buf, "RLR1", 4);
	assert_int_equal(get_le16(buf + 4), STATE_FORMAT);
	assert_int_equal(buf[6], STATUS_RUNNING);
	assert_int_equal(buf[8], 5);
	assert_int_equal(buf[16], 4242 & 0xff);
	assert_int_equal(buf[17], 4242 >> 8);
	assert_int_equal(buf[24], 0x08);
	assert_int_equal(buf[31], 0x01);
	assert_int_equal(get_le32(buf + 56), 100);
	assert_int_equal(get_le32(buf + 60), 0x12345678);
	for (i = 72; i < STATE_RECORD_SIZE; i++)
		assert_int_equal(buf[i], 0);
}

static void record_bit_flips(void **state)
{
	struct record in = sample(9, STATUS_CREATED), out;
	unsigned char good[STATE_RECORD_SIZE], bad[STATE_RECORD_SIZE];
	unsigned byte, bit;

	(void)state;
	record_encode(&in, 7, 77, good);
	/* Any one flipped bit, in any byte, CRC field included. */
	for (byte = 0; byte < STATE_RECORD_SIZE; byte++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, good, sizeof(bad));
			bad[byte] ^= (unsigned char)(1u << bit);
			if (record_decode(bad, 7, 77, &out) != -EBADMSG)
				fail_msg("byte %u bit %u flipped: not refused", byte, bit);
		}
	}
	assert_int_equal(record_decode(good, 7, 77, &out), 0);
}

static void record_other_data(void **state)
{
	struct record in = sample(1, STATUS_CREATED), out;
	unsigned char buf[STATE_RECORD_SIZE];

	(void)state;
	record_encode(&in, 10, 0xaaaa, buf);
	/* A record only belongs to the create-time data it was written with. */
	assert_int_equal(record_decode(buf, 11, 0xaaaa, &out), -EBADMSG);
	assert_int_equal(record_decode(buf, 10, 0xaaab, &out), -EBADMSG);
}

static void record_bad_status(void **state)
{
	struct record in = sample(1, STATUS_NONE), out;
	unsigned char buf[STATE_RECORD_SIZE];

	(void)state;
	record_encode(&in, 0, 0, buf);
	assert_int_equal(record_decode(buf, 0, 0, &out), -EBADMSG);
	in.status = STATUS_STOPPED + 1;
	record_encode(&in, 0, 0, buf);
	assert_int_equal(record_decode(buf, 0, 0, &out), -EBADMSG);
	in.status = STATUS_STOPPED;
	record_encode(&in, 0, 0, buf);
	assert_int_equal(record_decode(buf, 0, 0, &out), 0);
}

static void record_newer_format(void **state)
{
	struct record in = sample(1, STATUS_CREATED), out;
	unsigned char buf[STATE_RECORD_SIZE];

	(void)state;
	record_encode(&in, 0, 0, buf);
	set_format(buf, STATE_FORMAT + 1);
	/* A valid record of a format this runtime does not read: said so, not
	 * taken for corruption. */
	assert_int_equal(record_decode(buf, 0, 0, &out), -EPROTO);
}

/* --- choosing a copy ---------------------------------------------------------------------- */

static void parse_picks(const struct record *r0, const struct record *r1, int slot, uint32_t seq)
{
	size_t len = image(r0, r1);

	assert_int_equal(state_parse(&c, len), 0);
	assert_int_equal(c.slot, slot);
	assert_int_equal(c.rec.seq, seq);
}

static void torn_writes(void **state)
{
	struct record r5 = sample(5, STATUS_RUNNING), r6 = sample(6, STATUS_STOPPED);
	unsigned char newer[STATE_RECORD_SIZE];
	size_t len;
	unsigned i;

	(void)state;
	make_data("abc", "/bundle");

	/* copy 1 never written */
	parse_picks(&r5, NULL, 0, 5);
	assert_int_equal(c.rec.status, STATUS_RUNNING);
	assert_string_equal(c.id, "abc");
	assert_string_equal(c.bundle, "/bundle");
	assert_int_equal(c.data_len, data_len);

	/* copy 1 garbage */
	len = image(&r5, NULL);
	for (i = 0; i < STATE_RECORD_SIZE; i++)
		c.buf[STATE_RECORD_SIZE + i] = (unsigned char)(i * 37 + 11);
	assert_int_equal(state_parse(&c, len), 0);
	assert_int_equal(c.slot, 0);
	assert_int_equal(c.rec.seq, 5);

	/* copy 1 half written: the start of seq 6 over zeros, or over the
	 * seq 4 it was replacing.  (Past byte 72 the rest of a record is zero:
	 * a write torn there has in fact written all that differs.) */
	record_encode(&r6, (uint32_t)data_len, data_crc(), newer);
	for (i = 1; i < 72; i += 5) {
		struct record r4 = sample(4, STATUS_CREATED);

		r4.reply_ino = 1;

		len = image(&r5, NULL);
		memcpy(c.buf + STATE_RECORD_SIZE, newer, i);
		assert_int_equal(state_parse(&c, len), 0);
		assert_int_equal(c.slot, 0);
		assert_int_equal(c.rec.seq, 5);

		len = image(&r5, &r4);
		memcpy(c.buf + STATE_RECORD_SIZE, newer, i);
		assert_int_equal(state_parse(&c, len), 0);
		assert_int_equal(c.slot, 0);
		assert_int_equal(c.rec.seq, 5);
	}

	/* the same the other way round */
	len = image(NULL, &r5);
	memset(c.buf, 0xff, STATE_RECORD_SIZE);
	assert_int_equal(state_parse(&c, len), 0);
	assert_int_equal(c.slot, 1);
	assert_int_equal(c.rec.seq, 5);
}

static void newest_copy_wins(void **state)
{
	struct record a, b;

	(void)state;
	make_data("abc", "/bundle");
	a = sample(5, STATUS_CREATED);
	b = sample(6, STATUS_RUNNING);
	parse_picks(&a, &b, 1, 6);
	assert_int_equal(c.rec.status, STATUS_RUNNING);
	parse_picks(&b, &a, 0, 6);

	/* Sequence numbers wrap: 0 comes after 0xffffffff. */
	a = sample(0xffffffffu, STATUS_CREATED);
	b = sample(0, STATUS_RUNNING);
	parse_picks(&a, &b, 1, 0);
	parse_picks(&b, &a, 0, 0);
	a = sample(0xfffffffeu, STATUS_CREATED);
	b = sample(1, STATUS_RUNNING);
	parse_picks(&a, &b, 1, 1);
}

static void no_valid_copy(void **state)
{
	size_t len;

	(void)state;
	make_data("abc", "/bundle");
	len = image(NULL, NULL);
	assert_int_equal(state_parse(&c, len), -EBADMSG);
	/* shorter than the two copies */
	assert_int_equal(state_parse(&c, STATE_DATA_OFFSET - 1), -EBADMSG);
	assert_int_equal(state_parse(&c, 0), -EBADMSG);
}

static void data_must_match(void **state)
{
	struct record r = sample(5, STATUS_CREATED);
	size_t len;

	(void)state;
	make_data("abc", "/bundle");
	/* one byte of the create-time data changed after the record was written */
	len = image(&r, NULL);
	c.buf[STATE_DATA_OFFSET + 5] ^= 1;
	assert_int_equal(state_parse(&c, len), -EBADMSG);
	/* the data cut short */
	len = image(&r, NULL);
	assert_int_equal(state_parse(&c, len - 1), -EBADMSG);
	/* a record of another container, over this one's data */
	make_data("abd", "/bundle");
	record_encode(&r, (uint32_t)data_len, data_crc(), c.buf);
	make_data("abc", "/bundle");
	memcpy(c.buf + STATE_DATA_OFFSET, data, data_len);
	assert_int_equal(state_parse(&c, STATE_DATA_OFFSET + data_len), -EBADMSG);
}

static void newer_format_refused(void **state)
{
	struct record r5 = sample(5, STATUS_CREATED), r6 = sample(6, STATUS_CREATED);
	size_t len;

	(void)state;
	make_data("abc", "/bundle");
	len = image(&r5, &r6);
	set_format(c.buf + STATE_RECORD_SIZE, 2);
	/* -EPROTO, even though the other copy is one this runtime reads */
	assert_int_equal(state_parse(&c, len), -EPROTO);
}

static void id_and_bundle_required(void **state)
{
	struct data_writer w = { data, sizeof(data), 0, false };
	struct record r = sample(5, STATUS_CREATED);

	(void)state;
	data_put_str(&w, TAG_ID, "abc");
	data_len = w.len;
	assert_int_equal(state_parse(&c, image(&r, NULL)), -EBADMSG);

	/* a string without its NUL is no string */
	w.len = 0;
	data_put_str(&w, TAG_ID, "abc");
	data_put(&w, TAG_BUNDLE, "/b", 2);
	data_len = w.len;
	assert_int_equal(state_parse(&c, image(&r, NULL)), -EBADMSG);
}

/* --- create-time data ----------------------------------------------------------------------- */

static void data_items(void **state)
{
	struct data_writer w = { data, sizeof(data), 0, false };
	struct data_iter it;
	const unsigned char *p;
	unsigned tag;
	size_t len;

	(void)state;
	data_put_str(&w, TAG_ID, "id-1");
	data_put_u32(&w, TAG_FLAGS, 0xdeadbeef);
	data_put(&w, TAG_ROOTFS, "", 0);
	data_put(&w, TAG_ANNOTATION, "key\0value", 10);
	assert_false(w.overflow);
	assert_int_equal(w.len, (4 + 5) + (4 + 4) + 4 + (4 + 10));

	it.p = data;
	it.end = data + w.len;
	assert_int_equal(data_next(&it, &tag, &p, &len), 1);
	assert_int_equal(tag, TAG_ID);
	assert_int_equal(len, 5);
	assert_string_equal((const char *)p, "id-1");
	assert_int_equal(data_next(&it, &tag, &p, &len), 1);
	assert_int_equal(tag, TAG_FLAGS);
	assert_int_equal(len, 4);
	assert_int_equal(get_le32(p), 0xdeadbeef);
	assert_int_equal(data_next(&it, &tag, &p, &len), 1);
	assert_int_equal(tag, TAG_ROOTFS);
	assert_int_equal(len, 0);
	assert_int_equal(data_next(&it, &tag, &p, &len), 1);
	assert_int_equal(tag, TAG_ANNOTATION);
	assert_memory_equal(p, "key\0value", 10);
	assert_int_equal(data_next(&it, &tag, &p, &len), 0);
	assert_int_equal(data_next(&it, &tag, &p, &len), 0);
}

static void data_truncated(void **state)
{
	struct data_writer w = { data, sizeof(data), 0, false };
	struct data_iter it;
	const unsigned char *p;
	unsigned tag, n;
	size_t len, first, cut;

	(void)state;
	data_put_str(&w, TAG_ID, "first");
	first = w.len;
	data_put_str(&w, TAG_BUNDLE, "/second/item");
	/* Cut anywhere inside the second item, header or bytes: the first
	 * comes back, the second does not. */
	for (cut = first; cut < w.len; cut++) {
		it.p = data;
		it.end = data + cut;
		n = 0;
		while (data_next(&it, &tag, &p, &len)) {
			assert_int_equal(tag, TAG_ID);
			n++;
		}
		assert_int_equal(n, 1);
	}
}

static void data_overflow(void **state)
{
	unsigned char small[12];
	struct data_writer w = { small, sizeof(small), 0, false };
	static unsigned char huge[0x10000];

	(void)state;
	data_put_u32(&w, TAG_FLAGS, 1);
	assert_int_equal(w.len, 8);
	/* 4 + 1 bytes do not fit in the 4 left: nothing is written */
	data_put(&w, TAG_ROOTFS, "x", 1);
	assert_true(w.overflow);
	assert_int_equal(w.len, 8);

	/* an item's length is 16 bits */
	w.buf = huge;
	w.cap = sizeof(huge);
	w.len = 0;
	w.overflow = false;
	data_put(&w, TAG_ROOTFS, huge, 0x10000);
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

/* --- the state directory -------------------------------------------------------------------- */

static char dir[64];
static char root[128];
static int rootfd = -1;

static int dir_setup(void **state)
{
	char path[128];

	(void)state;
	error_clear();
	unit_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(root, sizeof(root), "%s", path);
	rootfd = state_root_open(path, true);
	return rootfd < 0 ? -1 : 0;
}

static int dir_teardown(void **state)
{
	(void)state;
	state_close(&c);
	state_close(&c2);
	if (rootfd >= 0)
		close(rootfd);
	rootfd = -1;
	unit_rm_rf(dir);
	return 0;
}

static struct record current_process(enum cstatus status)
{
	struct record r;
	uint64_t start;

	memset(&r, 0, sizeof(r));
	r.status = (uint8_t)status;
	r.pid = (uint32_t)getpid();
	assert_int_equal(proc_start_time(getpid(), &start), 0);
	r.start_time = start;
	assert_int_equal(boot_id_read(r.boot_id), 0);
	r.created = 1;
	r.reply_fd = -1;
	return r;
}

static int create(const char *id, unsigned capacity, struct container *into)
{
	struct record r = current_process(STATUS_CREATED);

	make_data(id, "/bundles/b");
	error_clear();
	into->fd = -1;
	if (state_create(rootfd, root, id, &r, data, data_len, capacity, into) < 0) {
		/* state_create closed it, and leaves the number behind */
		into->fd = -1;
		return error_code();
	}
	return 0;
}

static void root_open_creates(void **state)
{
	char path[160];
	struct stat st;
	int fd;

	(void)state;
	/* missing parents are made too */
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	fd = state_root_open(path, true);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	/* and opened again as it is */
	fd = state_root_open(path, true);
	assert_true(fd >= 0);
	close(fd);

	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_fails_with(state_root_open(path, false), "open state directory");
	assert_int_equal(error_code(), -ENOENT);
	assert_int_equal(stat(path, &st), -1);
}

static void create_and_load(void **state)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	(void)state;
	assert_ok(create("ctr-1", 8, &c));
	assert_true(c.fd >= 0);
	assert_int_equal(c.slot, 0);
	assert_int_equal(c.rec.status, STATUS_CREATED);
	assert_string_equal(c.id, "ctr-1");

	assert_ok(state_load(root, "ctr-1", STATE_NOLOCK, &c2));
	assert_same_record(&c.rec, &c2.rec);
	assert_string_equal(c2.id, "ctr-1");
	assert_string_equal(c2.bundle, "/bundles/b");
	assert_int_equal(c2.data_len, data_len);
	assert_memory_equal(c2.data, data, data_len);

	/* the file: two copies and the data, and nothing else left around */
	assert_int_equal(fstatat(rootfd, "ctr-1", &st, 0), 0);
	assert_int_equal(st.st_size, STATE_DATA_OFFSET + data_len);
	assert_int_equal(st.st_mode & 0777, 0600);
	d = fdopendir(dup(rootfd));
	assert_non_null(d);
	rewinddir(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			assert_string_equal(e->d_name, "ctr-1");
	}
	closedir(d);
}

static void create_existing(void **state)
{
	(void)state;
	assert_ok(create("dup", 8, &c));
	assert_int_equal(create("dup", 8, &c2), -EEXIST);
	assert_string_equal(error_msg(), "container dup already exists: File exists");
	/* the first record is untouched */
	state_close(&c2);
	error_clear();
	assert_ok(state_load(root, "dup", STATE_NOLOCK, &c2));
	assert_same_record(&c.rec, &c2.rec);
	assert_string_equal(c2.bundle, "/bundles/b");
}

static void create_capacity(void **state)
{
	struct container extra;

	(void)state;
	/* files starting with a dot are not containers */
	assert_int_equal(mkdirat(rootfd, ".lock-dir", 0700), 0);
	assert_ok(create("one", 2, &c));
	assert_ok(create("two", 2, &c2));
	assert_int_equal(create("three", 2, &extra), -ENOSPC);
	assert_error_contains("limit 2 (CONFIG_STATE_CAPACITY)");
	assert_error_contains("state table full: 2 containers");
	assert_int_equal(faccessat(rootfd, "three", F_OK, 0), -1);
	/* a place freed is a place again */
	assert_ok(state_remove(&c2));
	state_close(&c2);
	assert_ok(create("three", 2, &c2));
}

static void write_alternates(void **state)
{
	struct record r;
	uint32_t seq0;
	int i;

	(void)state;
	assert_ok(create("w", 8, &c));
	seq0 = c.rec.seq;
	for (i = 1; i <= 4; i++) {
		r = c.rec;
		r.status = i % 2 ? STATUS_RUNNING : STATUS_PAUSED;
		r.pid = 1000u + (uint32_t)i;
		assert_ok(state_write(&c, &r, i == 4));
		assert_int_equal(c.slot, i % 2);
		assert_int_equal(c.rec.seq, seq0 + (uint32_t)i);
		assert_int_equal(r.seq, seq0 + (uint32_t)i);

		state_close(&c2);
		assert_ok(state_load(root, "w", STATE_NOLOCK, &c2));
		assert_int_equal(c2.slot, i % 2);
		assert_int_equal(c2.rec.seq, seq0 + (uint32_t)i);
		assert_int_equal(c2.rec.pid, 1000 + i);
	}
}

static void write_torn(void **state)
{
	unsigned char junk[STATE_RECORD_SIZE];
	struct record r;
	int fd;

	(void)state;
	assert_ok(create("t", 8, &c));
	r = c.rec;
	r.status = STATUS_RUNNING;
	assert_ok(state_write(&c, &r, true));	/* seq+1 into copy 1 */
	r.status = STATUS_STOPPED;
	assert_ok(state_write(&c, &r, true));	/* seq+2 into copy 0 */
	assert_int_equal(c.slot, 0);

	/* The newest write torn on disk: the one before comes back. */
	memset(junk, 0x5a, sizeof(junk));
	fd = openat(rootfd, "t", O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, 40, 0), 40);
	close(fd);
	assert_ok(state_load(root, "t", STATE_NOLOCK, &c2));
	assert_int_equal(c2.slot, 1);
	assert_int_equal(c2.rec.status, STATUS_RUNNING);
	assert_int_equal(c2.rec.seq, c.rec.seq - 1);

	/* Writing on from there goes over the torn copy. */
	state_close(&c);
	c = c2;
	c2.fd = -1;
	state_close(&c);
	assert_ok(state_load(root, "t", STATE_LOCK, &c));
	r = c.rec;
	r.status = STATUS_PAUSED;
	assert_ok(state_write(&c, &r, false));
	assert_int_equal(c.slot, 0);
	assert_ok(state_load(root, "t", STATE_NOLOCK, &c2));
	assert_int_equal(c2.rec.status, STATUS_PAUSED);
}

static void load_corrupted(void **state)
{
	unsigned char zeros[STATE_DATA_OFFSET];
	int fd;

	(void)state;
	assert_ok(create("bad", 8, &c));
	state_close(&c);
	memset(zeros, 0, sizeof(zeros));
	fd = openat(rootfd, "bad", O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, zeros, sizeof(zeros), 0), (ssize_t)sizeof(zeros));
	close(fd);

	assert_int_equal(state_load(root, "bad", STATE_NOLOCK, &c), -EBADMSG);
	assert_error_contains("the record of bad is corrupted (delete --force removes it)");
	/* still open, named, and removable */
	assert_true(c.fd >= 0);
	assert_string_equal(c.id, "bad");
	assert_int_equal(c.rec.status, STATUS_NONE);
	assert_ok(state_remove(&c));
	assert_int_equal(faccessat(rootfd, "bad", F_OK, 0), -1);
}

static void load_newer_format(void **state)
{
	unsigned char rec[STATE_RECORD_SIZE];
	int fd;

	(void)state;
	assert_ok(create("new", 8, &c));
	memcpy(rec, c.buf, sizeof(rec));
	set_format(rec, 7);
	fd = openat(rootfd, "new", O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, rec, sizeof(rec), 0), (ssize_t)sizeof(rec));
	close(fd);
	error_clear();
	assert_int_equal(state_load(root, "new", STATE_NOLOCK, &c2), -EPROTO);
	assert_string_equal(error_msg(), "the record of new has format 7; this runtime reads format 1 (delete --force removes it)");
}

static void load_missing_and_remove(void **state)
{
	(void)state;
	assert_fails_with(state_load(root, "nobody", STATE_NOLOCK, &c), "container nobody does not exist");
	assert_int_equal(error_code(), -ENOENT);

	assert_ok(create("gone", 8, &c));
	assert_ok(state_remove(&c));
	assert_fails_with(state_load(root, "gone", STATE_NOLOCK, &c2), "container gone does not exist");
	/* removing twice is fine */
	error_clear();
	assert_ok(state_remove(&c));
}

static void create_too_much_data(void **state)
{
	static unsigned char lots[STATE_FILE_MAX];
	struct record r = sample(1, STATUS_CREATED);
	char msg[160];

	(void)state;
	snprintf(msg, sizeof(msg), "container big: %d bytes of create-time data, limit %d",
		 STATE_FILE_MAX - STATE_DATA_OFFSET + 1, STATE_FILE_MAX - STATE_DATA_OFFSET);
	assert_fails_with(state_create(rootfd, root, "big", &r, lots, STATE_FILE_MAX - STATE_DATA_OFFSET + 1, 8, &c),
			  msg);
	assert_int_equal(faccessat(rootfd, "big", F_OK, 0), -1);
}

struct seen {
	char ids[8][STATE_ID_MAX + 1];
	unsigned n;
	unsigned stop_after;
};

static int collect(int fd, const char *id, void *ctx)
{
	struct seen *s = ctx;

	assert_true(fd == rootfd);
	assert_true(s->n < 8);
	strcpy(s->ids[s->n++], id);
	return s->stop_after && s->n == s->stop_after ? 42 : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void each_lists_ids(void **state)
{
	static const char *const ids[] = { "a", "b.c", "z_9+-" };
	struct seen s;
	struct container tmp;
	unsigned i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_ok(create(ids[i], 8, &tmp));
		state_close(&tmp);
	}
	assert_int_equal(mkdirat(rootfd, ".hidden", 0700), 0);

	memset(&s, 0, sizeof(s));
	assert_int_equal(state_each(rootfd, collect, &s), 0);
	assert_int_equal(s.n, 3);
	qsort(s.ids, s.n, sizeof(s.ids[0]), by_name);
	for (i = 0; i < 3; i++)
		assert_string_equal(s.ids[i], ids[i]);

	/* a non-zero answer stops the walk and is returned */
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(state_each(rootfd, collect, &s), 42);
	assert_int_equal(s.n, 2);

	/* twice in a row: the listing starts over */
	memset(&s, 0, sizeof(s));
	assert_int_equal(state_each(rootfd, collect, &s), 0);
	assert_int_equal(s.n, 3);
}

/* count_records() and state_each() take every dot name for one of the
 * table's own files: an id starting with a dot would hide a container from
 * `list` and from CONFIG_STATE_CAPACITY, so such ids are refused. */
static void dot_ids_are_listed(void **state)
{
	struct seen s;

	(void)state;
	error_clear();
	if (state_id_check(".x") < 0)
		return;	/* refused: no hidden container possible */
	assert_ok(create(".x", 8, &c));
	memset(&s, 0, sizeof(s));
	assert_int_equal(state_each(rootfd, collect, &s), 0);
	if (s.n != 1)
		fail_msg("BUG: container \".x\" was created but state_each() lists %u containers", s.n);
}

static void id_check(void **state)
{
	static const char *const good[] = { "a", "abc-DEF_012.+x", "a...", "a..b", "-", "+" };
	static const char *const bad[] = { "", ".", "..", "...", ".x", "a/b", "/", "a b", "a\nb", "\xc3\xa9", "a:b", "a*" };
	char id[STATE_ID_MAX + 2];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		error_clear();
		if (state_id_check(good[i]) < 0)
			fail_msg("\"%s\" refused: %s", good[i], error_msg());
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error_clear();
		if (state_id_check(bad[i]) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
	}
	error_clear();
	assert_int_equal(state_id_check(NULL), -EINVAL);

	memset(id, 'a', STATE_ID_MAX);
	id[STATE_ID_MAX] = '\0';
	error_clear();
	assert_int_equal(state_id_check(id), 0);
	id[STATE_ID_MAX] = 'a';
	id[STATE_ID_MAX + 1] = '\0';
	assert_fails_with(state_id_check(id), "container id is longer than 255 bytes");
}

/* --- processes ---------------------------------------------------------------------------------- */

static void start_time_of_self(void **state)
{
	uint64_t a = 0, b = 0;

	(void)state;
	assert_int_equal(proc_start_time(getpid(), &a), 0);
	assert_true(a > 0);
	assert_int_equal(proc_start_time(getpid(), &b), 0);
	assert_true(a == b);
	/* init started before this process */
	assert_int_equal(proc_start_time(1, &b), 0);
	assert_true(b <= a);
}

static void start_time_of_dead_and_zombie(void **state)
{
	uint64_t t;
	pid_t pid;
	int status, i;
	char path[64], stat_text[512];

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);

	/* a zombie until reaped */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 1000; i++) {
		char *rp;

		unit_read_file(path, stat_text, sizeof(stat_text));
		rp = strrchr(stat_text, ')');
		if (rp && rp[2] == 'Z')
			break;
		usleep(1000);
	}
	assert_int_equal(proc_start_time(pid, &t), -ESRCH);

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(proc_start_time(pid, &t), -ENOENT);
	assert_int_equal(proc_start_time(0x3fffffff, &t), -ENOENT);
}

static void boot_id(void **state)
{
	uint8_t id[16], again[16];
	static const uint8_t zero[16];

	(void)state;
	assert_int_equal(boot_id_read(id), 0);
	assert_int_equal(boot_id_read(again), 0);
	assert_memory_equal(id, again, 16);
	assert_memory_not_equal(id, zero, 16);
}

static void status_checks_the_process(void **state)
{
	pid_t pid;
	int wstatus;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fd = -1;

	/* the process as recorded: the status as recorded */
	c.rec = current_process(STATUS_RUNNING);
	assert_int_equal(state_status(&c), STATUS_RUNNING);
	c.rec.status = STATUS_PAUSED;
	assert_int_equal(state_status(&c), STATUS_PAUSED);

	/* created: while its reply pipe is open, the init waits; once it is
	 * closed (the exec), the process runs whatever the record says */
	{
		struct stat st;
		int p[2];

		assert_int_equal(pipe(p), 0);
		assert_int_equal(fstat(p[1], &st), 0);
		c.rec.status = STATUS_CREATED;
		c.rec.reply_fd = p[1];
		c.rec.reply_ino = st.st_ino;
		assert_int_equal(state_status(&c), STATUS_CREATED);
		close(p[0]);
		close(p[1]);
		assert_int_equal(state_status(&c), STATUS_RUNNING);
	}

	/* same pid, another start time: a reused pid */
	c.rec.start_time++;
	assert_int_equal(state_status(&c), STATUS_STOPPED);

	/* same pid and start time, another boot */
	c.rec = current_process(STATUS_RUNNING);
	c.rec.boot_id[3] ^= 0x40;
	assert_int_equal(state_status(&c), STATUS_STOPPED);

	/* no pid at all */
	c.rec = current_process(STATUS_RUNNING);
	c.rec.pid = 0;
	assert_int_equal(state_status(&c), STATUS_STOPPED);

	/* a process that has exited */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, &wstatus, 0), pid);
	c.rec = current_process(STATUS_RUNNING);
	c.rec.pid = (uint32_t)pid;
	assert_int_equal(state_status(&c), STATUS_STOPPED);

	/* stopped stays stopped */
	c.rec = current_process(STATUS_STOPPED);
	assert_int_equal(state_status(&c), STATUS_STOPPED);
}

static void status_creating_needs_the_lock(void **state)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int holder;

	(void)state;
	/* create holds the record's lock while it works */
	assert_ok(create("lk", 8, &c));
	c2.fd = openat(rootfd, "lk", O_RDONLY | O_CLOEXEC);
	assert_true(c2.fd >= 0);
	c2.rec = c.rec;
	c2.rec.status = STATUS_CREATING;
	assert_int_equal(state_status(&c2), STATUS_CREATING);

	/* a create that died left it unlocked */
	state_close(&c);
	assert_int_equal(state_status(&c2), STATUS_STOPPED);

	/* any other open file description's lock counts */
	holder = openat(rootfd, "lk", O_RDWR | O_CLOEXEC);
	assert_true(holder >= 0);
	assert_int_equal(fcntl(holder, F_OFD_SETLK, &fl), 0);
	assert_int_equal(state_status(&c2), STATUS_CREATING);
	close(holder);
	assert_int_equal(state_status(&c2), STATUS_STOPPED);
}

static void status_names(void **state)
{
	(void)state;
	assert_string_equal(status_name(STATUS_CREATING), "creating");
	assert_string_equal(status_name(STATUS_CREATED), "created");
	assert_string_equal(status_name(STATUS_RUNNING), "running");
	assert_string_equal(status_name(STATUS_PAUSED), "paused");
	assert_string_equal(status_name(STATUS_STOPPED), "stopped");
	assert_string_equal(status_name(STATUS_NONE), "unknown");
	assert_string_equal(status_name((enum cstatus)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32_values),
		cmocka_unit_test(record_round_trip),
		cmocka_unit_test(record_bit_flips),
		cmocka_unit_test(record_other_data),
		cmocka_unit_test(record_bad_status),
		cmocka_unit_test(record_newer_format),
		cmocka_unit_test(torn_writes),
		cmocka_unit_test(newest_copy_wins),
		cmocka_unit_test(no_valid_copy),
		cmocka_unit_test(data_must_match),
		cmocka_unit_test(newer_format_refused),
		cmocka_unit_test(id_and_bundle_required),
		cmocka_unit_test(data_items),
		cmocka_unit_test(data_truncated),
		cmocka_unit_test(data_overflow),
		cmocka_unit_test_setup_teardown(root_open_creates, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(create_and_load, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(create_existing, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(create_capacity, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(write_alternates, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(write_torn, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(load_corrupted, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(load_newer_format, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(load_missing_and_remove, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(create_too_much_data, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(each_lists_ids, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(dot_ids_are_listed, dir_setup, dir_teardown),
		cmocka_unit_test(id_check),
		cmocka_unit_test(start_time_of_self),
		cmocka_unit_test(start_time_of_dead_and_zombie),
		cmocka_unit_test(boot_id),
		cmocka_unit_test(status_checks_the_process),
		cmocka_unit_test_setup_teardown(status_creating_needs_the_lock, dir_setup, dir_teardown),
		cmocka_unit_test(status_names),
	};

	c.fd = c2.fd = -1;
	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
