/* Container records in the state directory (--root), made for flash.
 *
 * One file per container, named by its id:
 *
 *   [0, 128)    record copy 0      fixed size, CRC32, sequence number
 *   [128, 256)  record copy 1
 *   [256, ...)  create-time data   written once; its CRC is in each record
 *
 * A state change writes one 128-byte record over the older copy, so a torn
 * write leaves the newer valid copy, and a reader takes the valid copy with
 * the higher sequence number.  The create-time data (bundle, cgroup paths,
 * poststop hooks, annotations) is what `state`, `delete` and `exec` need
 * later, so they never depend on a config.json that may have changed.  A
 * record names its process by pid, start time and boot id, so that a reused
 * pid or a record from before a reboot reads as stopped.
 *
 * Writers hold an OFD lock on the file; readers take none and rely on the
 * CRCs.  The layout does not depend on Kconfig limits. */
#ifndef RUNLET_STATE_H
#define RUNLET_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define STATE_FORMAT 1
#define STATE_RECORD_SIZE 128
#define STATE_DATA_OFFSET (2 * STATE_RECORD_SIZE)
#define STATE_FILE_MAX 16384
#define STATE_ID_MAX 255

enum cstatus {
	STATUS_NONE,
	STATUS_CREATING,
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_PAUSED,
	STATUS_STOPPED,
};

struct record {
	uint32_t seq;
	uint8_t status;
	uint32_t pid;
	uint64_t start_time;	/* /proc/PID/stat field 22 */
	uint8_t boot_id[16];
	uint64_t created;	/* ns since the epoch */
	int32_t reply_fd;	/* the init's end of the start/reply pipe */
	uint64_t reply_ino;	/* its inode, to know the init from a reused pid */
};

/* Create-time data: tag, length, bytes.  Strings keep their NUL. */
enum data_tag {
	TAG_ID = 1,
	TAG_BUNDLE,
	TAG_CGROUP,		/* opaque, from cgroup_save() */
	TAG_NAMESPACES,		/* u32: bit per enum ns_type the container owns */
	TAG_ANNOTATION,		/* key NUL value NUL */
	TAG_HOOK,		/* hooks_save(): poststart and poststop hooks */
	TAG_FLAGS,		/* u32 CFLAG_* */
	TAG_ROOTFS,
	TAG_CONFIG_CRC,		/* u32: CRC32 of config.json as read at create */
	TAG_RDT_GROUP,		/* a resctrl group delete removes */
};

enum { CFLAG_TERMINAL = 1 << 0, CFLAG_PID_NS = 1 << 1, CFLAG_SECCOMP = 1 << 2 };

struct data_writer {
	unsigned char *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

void data_put(struct data_writer *w, enum data_tag tag, const void *p, size_t len);
void data_put_str(struct data_writer *w, enum data_tag tag, const char *s);
void data_put_u32(struct data_writer *w, enum data_tag tag, uint32_t v);

struct data_iter {
	const unsigned char *p;
	const unsigned char *end;
};

/* Steps to the next item; 0 at the end. */
int data_next(struct data_iter *it, unsigned *tag, const unsigned char **p, size_t *len);

struct container {
	int fd;
	char path[4096];		/* the record file */
	int slot;			/* the copy holding rec */
	struct record rec;
	const char *id;
	const char *bundle;
	const unsigned char *data;	/* create-time data */
	size_t data_len;
	unsigned char buf[STATE_FILE_MAX];
};

/* Opens the state directory, creating it (0700) when create is set. */
int state_root_open(const char *root, bool create);
/* An id is a file name: [A-Za-z0-9_+.-], not "." or "..", at most 255 bytes. */
int state_id_check(const char *id);

/* Writes the first record and the create-time data, then makes the file
 * appear under its id: all at once, or an error if the id exists or the
 * table is full.  The file stays locked by c->fd. */
int state_create(int rootfd, const char *root, const char *id, const struct record *rec,
		 const void *data, size_t len, unsigned capacity, struct container *c);

enum state_lock { STATE_NOLOCK, STATE_LOCK };
int state_load(const char *root, const char *id, enum state_lock lock, struct container *c);

/* Writes rec as the next record over the older copy; sync flushes it. */
int state_write(struct container *c, struct record *rec, bool sync);
/* Forgets the container: a last record says stopped, for a command that
 * waited on the lock meanwhile, then the file goes. */
int state_remove(struct container *c);
void state_close(struct container *c);

/* The status now: the recorded one, checked against the process. */
enum cstatus state_status(struct container *c);
const char *status_name(enum cstatus s);

/* Calls each() for every id in the state directory. */
int state_each(int rootfd, int (*each)(int rootfd, const char *id, void *ctx), void *ctx);

int boot_id_read(uint8_t out[16]);
/* Start time of pid; -ENOENT when gone, -ESRCH when a zombie. */
int proc_start_time(pid_t pid, uint64_t *out);

/* Record (de)serialisation, exposed for the tests. */
void record_encode(const struct record *rec, uint32_t data_len, uint32_t data_crc,
		   unsigned char out[STATE_RECORD_SIZE]);
int record_decode(const unsigned char in[STATE_RECORD_SIZE], uint32_t data_len, uint32_t data_crc,
		  struct record *rec);
/* Picks the newest valid copy from a whole file image; -EBADMSG if none. */
int state_parse(struct container *c, size_t len);

#endif
