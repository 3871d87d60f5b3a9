#include "format.h"
#include "state.h"
#include "bytes.h"
#include "crc32.h"
#include "dirs.h"
#include "error.h"
#include "log.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Record layout, little-endian:
 *   0 magic "RLR1"  4 u16 format  6 u8 status  7 u8 reserved
 *   8 u32 seq  12 u32 crc (of the 128 bytes with this field zero)
 *  16 u32 pid  20 i32 reply_fd  24 u64 start_time  32 u8[16] boot_id
 *  48 u64 created  56 u32 data_len  60 u32 data_crc  64 u64 reply_ino
 *  72..127 zero */
static const unsigned char record_magic[4] = { 'R', 'L', 'R', '1' };

void record_encode(const struct record *rec, uint32_t data_len, uint32_t data_crc,
		   unsigned char out[STATE_RECORD_SIZE])
{
	memset(out, 0, STATE_RECORD_SIZE);
	memcpy(out, record_magic, 4);
	put_le16(out + 4, STATE_FORMAT);
	out[6] = rec->status;
	put_le32(out + 8, rec->seq);
	put_le32(out + 16, rec->pid);
	put_le32(out + 20, (uint32_t)rec->reply_fd);
	put_le64(out + 24, rec->start_time);
	memcpy(out + 32, rec->boot_id, 16);
	put_le64(out + 48, rec->created);
	put_le32(out + 56, data_len);
	put_le32(out + 60, data_crc);
	put_le64(out + 64, rec->reply_ino);
	put_le32(out + 12, crc32(0, out, STATE_RECORD_SIZE));
}

/* 0 for a valid record that belongs to this create-time data; -EBADMSG for
 * anything else (torn, corrupted, zeroed, from another container). */
int record_decode(const unsigned char in[STATE_RECORD_SIZE], uint32_t data_len, uint32_t data_crc,
		  struct record *rec)
{
	unsigned char copy[STATE_RECORD_SIZE];

	if (memcmp(in, record_magic, 4))
		return -EBADMSG;
	memcpy(copy, in, STATE_RECORD_SIZE);
	memset(copy + 12, 0, 4);
	if (crc32(0, copy, STATE_RECORD_SIZE) != get_le32(in + 12))
		return -EBADMSG;
	/* Format 1 is the only one so far; a newer one is refused by the
	 * caller with its number. */
	if (get_le16(in + 4) != STATE_FORMAT)
		return -EPROTO;
	if (get_le32(in + 56) != data_len || get_le32(in + 60) != data_crc)
		return -EBADMSG;
	if (in[6] < STATUS_CREATING || in[6] > STATUS_STOPPED)
		return -EBADMSG;
	rec->status = in[6];
	rec->seq = get_le32(in + 8);
	rec->pid = get_le32(in + 16);
	rec->reply_fd = (int32_t)get_le32(in + 20);
	rec->start_time = get_le64(in + 24);
	memcpy(rec->boot_id, in + 32, 16);
	rec->created = get_le64(in + 48);
	rec->reply_ino = get_le64(in + 64);
	return 0;
}

/* --- create-time data ------------------------------------------------------ */

void data_put(struct data_writer *w, enum data_tag tag, const void *p, size_t len)
{
	if (w->overflow || len > 0xffff || len + 4 > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	put_le16(w->buf + w->len, (uint16_t)tag);
	put_le16(w->buf + w->len + 2, (uint16_t)len);
	memcpy(w->buf + w->len + 4, p, len);
	w->len += len + 4;
}

void data_put_str(struct data_writer *w, enum data_tag tag, const char *s)
{
	data_put(w, tag, s, strlen(s) + 1);
}

void data_put_u32(struct data_writer *w, enum data_tag tag, uint32_t v)
{
	unsigned char b[4];

	put_le32(b, v);
	data_put(w, tag, b, 4);
}

int data_next(struct data_iter *it, unsigned *tag, const unsigned char **p, size_t *len)
{
	size_t n;

	if (it->end - it->p < 4)
		return 0;
	*tag = get_le16(it->p);
	n = get_le16(it->p + 2);
	if ((size_t)(it->end - it->p - 4) < n)
		return 0;
	*p = it->p + 4;
	*len = n;
	it->p += 4 + n;
	return 1;
}

/* Strings must end inside their item, so that they can be used in place. */
static const char *data_str(const unsigned char *p, size_t len)
{
	if (len == 0 || p[len - 1] != '\0')
		return NULL;
	return (const char *)p;
}

/* --- the file ----------------------------------------------------------------- */

int state_root_open(const char *root, bool create)
{
	int fd = openat(AT_FDCWD, root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd >= 0)
		return fd;
	if (errno != ENOENT || !create)
		return fail(errno, "open state directory %s", root);
	r = make_dirs(root, 0700);
	if (r < 0)
		return fail(-r, "create state directory %s", root);
	fd = openat(AT_FDCWD, root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "open state directory %s", root);
	return fd;
}

int state_id_check(const char *id)
{
	const char *p;

	if (!id || !*id)
		return fail(0, "container id is empty");
	if (strlen(id) > STATE_ID_MAX)
		return fail(0, "container id is longer than %d bytes", STATE_ID_MAX);
	/* Names starting with a dot are the table's own files. */
	if (id[0] == '.')
		return fail(0, "invalid container id %s: it may not start with a dot", id);
	for (p = id; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '.'))
			return fail(0, "invalid container id %s: use letters, digits and _+-.", id);
	}
	return 0;
}

static int lock_fd(int fd, bool wait)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	while (fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static bool locked_by_other(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return false;
	return fl.l_type != F_UNLCK;
}

static long write_at(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	do
		n = pwrite(fd, buf, len, off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

static unsigned char scratch[32768];

/* Entries that do not start with a dot are containers. */
static int count_records(int rootfd, unsigned *count)
{
	long n;

	*count = 0;
	if (lseek(rootfd, 0, SEEK_SET) < 0)
		return -errno;
	while ((n = sys_getdents64(rootfd, scratch, sizeof(scratch))) > 0) {
		long off = 0;

		while (off < n) {
			const struct linux_dirent64 *d = (const void *)(scratch + off);

			if (d->d_name[0] != '.')
				(*count)++;
			off += d->d_reclen;
		}
	}
	return n < 0 ? (int)n : 0;
}

static int link_record(int rootfd, int fd, const char *id)
{
	char path[32];

	if (linkat(fd, "", rootfd, id, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT && errno != EPERM && errno != EINVAL)
		return -errno;
	fmt(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, path, rootfd, id, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	return -errno;
}

/* Without O_TMPFILE (jffs2, old kernels) the record is written under a dot
 * name, which the table does not count, then linked. */
static int open_unnamed(int rootfd, const char *id, char *tmpname, size_t cap)
{
	int fd = openat(rootfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	tmpname[0] = '\0';
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -errno;
	fmt(tmpname, cap, ".new.%s", id);
	fd = openat(rootfd, tmpname, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
	return fd < 0 ? -errno : fd;
}

static int finish_create(int rootfd, int fd, const char *id, const char *tmpname, unsigned capacity)
{
	unsigned count;
	int r;

	/* Counting and linking under one lock, so that two creates cannot both
	 * take the last place. */
	if (flock(rootfd, LOCK_EX) < 0)
		return fail(errno, "lock the state directory");
	r = count_records(rootfd, &count);
	if (r < 0) {
		fail(-r, "read the state directory");
	} else if (count >= capacity) {
		r = fail(ENOSPC, "state table full: %u containers, limit %u (CONFIG_STATE_CAPACITY)",
			 count, capacity);
	} else {
		r = tmpname[0] ? linkat(rootfd, tmpname, rootfd, id, 0) < 0 ? -errno : 0
			       : link_record(rootfd, fd, id);
		if (r == -EEXIST)
			fail(EEXIST, "container %s already exists", id);
		else if (r < 0)
			fail(-r, "record container %s", id);
	}
	flock(rootfd, LOCK_UN);
	if (tmpname[0])
		unlinkat(rootfd, tmpname, 0);
	return r;
}

int state_create(int rootfd, const char *root, const char *id, const struct record *rec,
		 const void *data, size_t len, unsigned capacity, struct container *c)
{
	char tmpname[STATE_ID_MAX + 8];
	uint32_t crc = crc32(0, data, len);
	int fd, r;

	if (len > STATE_FILE_MAX - STATE_DATA_OFFSET)
		return fail(0, "container %s: %zu bytes of create-time data, limit %d (hooks or annotations too large)",
			    id, len, STATE_FILE_MAX - STATE_DATA_OFFSET);
	c->fd = -1;
	if ((size_t)fmt(c->path, sizeof(c->path), "%s/%s", root, id) >= sizeof(c->path))
		return fail(ENAMETOOLONG, "the record of %s in %s", id, root);
	fd = open_unnamed(rootfd, id, tmpname, sizeof(tmpname));
	if (fd < 0)
		return fail(-fd, "create a record for %s", id);
	c->fd = fd;
	r = lock_fd(fd, false);
	if (r < 0)
		goto err;
	/* Copy 1 is written as zeros: invalid, so copy 0 is the one read. */
	memset(c->buf, 0, STATE_DATA_OFFSET);
	record_encode(rec, (uint32_t)len, crc, c->buf);
	memcpy(c->buf + STATE_DATA_OFFSET, data, len);
	r = (int)write_at(fd, c->buf, STATE_DATA_OFFSET + len, 0);
	if (r < 0)
		goto err;
	r = finish_create(rootfd, fd, id, tmpname, capacity);
	if (r < 0) {
		close(fd);
		c->fd = -1;
		return r;
	}
	return state_parse(c, STATE_DATA_OFFSET + len);
err:
	if (tmpname[0])
		unlinkat(rootfd, tmpname, 0);
	close(fd);
	c->fd = -1;
	return fail(-r, "write the record of %s", id);
}

static void decode_data(struct container *c)
{
	struct data_iter it = { c->data, c->data + c->data_len };
	const unsigned char *p;
	unsigned tag;
	size_t len;

	c->id = c->bundle = NULL;
	while (data_next(&it, &tag, &p, &len)) {
		if (tag == TAG_ID)
			c->id = data_str(p, len);
		else if (tag == TAG_BUNDLE)
			c->bundle = data_str(p, len);
	}
}

int state_parse(struct container *c, size_t len)
{
	struct record recs[2];
	uint32_t data_len, data_crc;
	int valid[2], i;

	if (len < STATE_DATA_OFFSET)
		return -EBADMSG;
	data_len = (uint32_t)(len - STATE_DATA_OFFSET);
	data_crc = crc32(0, c->buf + STATE_DATA_OFFSET, data_len);
	for (i = 0; i < 2; i++) {
		valid[i] = record_decode(c->buf + i * STATE_RECORD_SIZE, data_len, data_crc, &recs[i]);
		if (valid[i] == -EPROTO)
			return -EPROTO;
	}
	if (valid[0] && valid[1])
		return -EBADMSG;
	/* Sequence numbers compare modulo 2^32. */
	if (!valid[0] && (valid[1] || (int32_t)(recs[0].seq - recs[1].seq) > 0))
		i = 0;
	else
		i = 1;
	c->slot = i;
	c->rec = recs[i];
	c->data = c->buf + STATE_DATA_OFFSET;
	c->data_len = data_len;
	decode_data(c);
	if (!c->id || !c->bundle)
		return -EBADMSG;
	return 0;
}

/* A delete that held the lock before us has unlinked the file by the time
 * we have it: what we opened is then no container at all, whatever a new
 * create may have made under the same name since. */
static int lock_locked_record(struct container *c, const char *id)
{
	struct stat st;
	int r = lock_fd(c->fd, true);

	if (r < 0) {
		state_close(c);
		return fail(-r, "lock the record of %s", id);
	}
	if (fstat(c->fd, &st) < 0 || st.st_nlink == 0) {
		state_close(c);
		return fail(-ENOENT, "container %s does not exist", id);
	}
	return 0;
}

int state_load(const char *root, const char *id, enum state_lock lock, struct container *c)
{
	ssize_t n;
	int fd, r;

	c->fd = -1;
	if ((size_t)fmt(c->path, sizeof(c->path), "%s/%s", root, id) >= sizeof(c->path))
		return fail(ENAMETOOLONG, "the record of %s in %s", id, root);
	fd = openat(AT_FDCWD, c->path, (lock == STATE_LOCK ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return fail(-ENOENT, "container %s does not exist", id);
		return fail(errno, "open the record of %s", id);
	}
	c->fd = fd;
	if (lock == STATE_LOCK && (r = lock_locked_record(c, id)) < 0)
		return r;
	do
		n = pread(fd, c->buf, sizeof(c->buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r = errno;
		state_close(c);
		return fail(r, "read the record of %s", id);
	}
	r = state_parse(c, (size_t)n);
	if (r < 0) {
		/* The file stays open, so that delete --force can remove it;
		 * its data, unchecked, may still lead delete to the cgroup. */
		c->id = id;
		c->rec.status = STATUS_NONE;
		c->data = c->buf + STATE_DATA_OFFSET;
		c->data_len = (size_t)n > STATE_DATA_OFFSET ? (size_t)n - STATE_DATA_OFFSET : 0;
	}
	if (r == -EPROTO)
		return fail(-EPROTO, "the record of %s has format %u; this runtime reads format %d "
				     "(delete --force removes it)", id, get_le16(c->buf + 4), STATE_FORMAT);
	if (r < 0)
		return fail(-EBADMSG, "the record of %s is corrupted (delete --force removes it)", id);
	return 0;
}

int state_write(struct container *c, struct record *rec, bool sync)
{
	unsigned char out[STATE_RECORD_SIZE];
	int slot = c->slot ^ 1;
	int r;

	rec->seq = c->rec.seq + 1;
	record_encode(rec, (uint32_t)c->data_len, crc32(0, c->data, c->data_len), out);
	r = (int)write_at(c->fd, out, sizeof(out), (off_t)slot * STATE_RECORD_SIZE);
	if (r < 0)
		return fail(-r, "write the record of %s", c->id);
	if (sync && fdatasync(c->fd) < 0)
		return fail(errno, "flush the record of %s", c->id);
	memcpy(c->buf + slot * STATE_RECORD_SIZE, out, sizeof(out));
	c->slot = slot;
	c->rec = *rec;
	return 0;
}

/* Safe by path: every remover holds the record's lock and checks its links
 * first (lock_locked_record), and no create can link a new file under a
 * name that still exists. */
int state_remove(struct container *c)
{
	if (unlinkat(AT_FDCWD, c->path, 0) < 0 && errno != ENOENT)
		return fail(errno, "remove the record of %s", c->id);
	return 0;
}

void state_close(struct container *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* --- status ------------------------------------------------------------------ */

int boot_id_read(uint8_t out[16])
{
	char text[40];
	int fd = openat(AT_FDCWD, "/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int i, k = 0;

	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 32)
		return -EIO;
	memset(out, 0, 16);
	for (i = 0; i < n && k < 32; i++) {
		char ch = text[i];
		int v;

		if (ch >= '0' && ch <= '9')
			v = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v = ch - 'a' + 10;
		else
			continue;
		out[k / 2] |= (uint8_t)(v << (k & 1 ? 0 : 4));
		k++;
	}
	return k == 32 ? 0 : -EIO;
}

int proc_start_time(pid_t pid, uint64_t *out)
{
	char path[32], text[1024];
	const char *p;
	int fd, field;
	ssize_t n;

	fmt(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	text[n] = '\0';
	/* The command name may hold spaces and parentheses: fields count from
	 * the last ')'.  Field 3 is the state, field 22 the start time. */
	p = strrchr(text, ')');
	if (!p || p[1] != ' ')
		return -ENOENT;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return -ESRCH;
	for (field = 3; field < 22 && *p; p++) {
		if (*p == ' ')
			field++;
	}
	*out = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		*out = *out * 10 + (uint64_t)(*p - '0');
	return 0;
}

static bool same_boot(const struct record *rec)
{
	uint8_t now[16];

	if (boot_id_read(now) < 0)
		return true;
	return !memcmp(now, rec->boot_id, 16);
}

/* A start killed between its signal and its record leaves "created" on a
 * process that runs: the init's reply pipe, closed by its exec, tells. */
static bool init_waits(const struct record *r)
{
	char path[64];
	struct stat st;

	fmt(path, sizeof(path), "/proc/%u/fd/%d", r->pid, r->reply_fd);
	return stat(path, &st) == 0 && st.st_ino == r->reply_ino;
}

enum cstatus state_status(struct container *c)
{
	uint64_t start;

	switch (c->rec.status) {
	case STATUS_CREATING:
		return locked_by_other(c->fd) ? STATUS_CREATING : STATUS_STOPPED;
	case STATUS_CREATED:
	case STATUS_RUNNING:
	case STATUS_PAUSED:
		if (!c->rec.pid || proc_start_time((pid_t)c->rec.pid, &start) < 0 ||
		    start != c->rec.start_time || !same_boot(&c->rec))
			return STATUS_STOPPED;
		if (c->rec.status == STATUS_CREATED && !init_waits(&c->rec))
			return STATUS_RUNNING;
		return (enum cstatus)c->rec.status;
	default:
		return STATUS_STOPPED;
	}
}

const char *status_name(enum cstatus s)
{
	static const char *const names[] = {
		[STATUS_NONE] = "unknown",
		[STATUS_CREATING] = "creating",
		[STATUS_CREATED] = "created",
		[STATUS_RUNNING] = "running",
		[STATUS_PAUSED] = "paused",
		[STATUS_STOPPED] = "stopped",
	};

	return s <= STATUS_STOPPED ? names[s] : "unknown";
}

int state_each(int rootfd, int (*each)(int rootfd, const char *id, void *ctx), void *ctx)
{
	long n;
	int r;

	/* each() may open records by name, never read this directory, so the
	 * listing can be walked as it comes. */
	if (lseek(rootfd, 0, SEEK_SET) < 0)
		return fail(errno, "read the state directory");
	while ((n = sys_getdents64(rootfd, scratch, sizeof(scratch))) > 0) {
		long off = 0;

		while (off < n) {
			const struct linux_dirent64 *d = (const void *)(scratch + off);

			off += d->d_reclen;
			if (d->d_name[0] == '.')
				continue;
			r = each(rootfd, d->d_name, ctx);
			if (r)
				return r;
		}
	}
	if (n < 0)
		return fail((int)-n, "read the state directory");
	return 0;
}
