/* Writes record file images for the fuzz_state corpus, with the runtime's
 * own encoder, so that they follow the format as it is:
 *
 *   gen_state_seeds DIR
 *
 * One file per case: each status, both copies valid (newer in either slot,
 * across the sequence wrap), one copy zeroed or torn, the create-time data
 * with cgroups of each host layout, annotations and hooks, a truncated
 * data area, and an image of a newer format. */
#include "state.h"
#include "bytes.h"
#include "crc32.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char image[STATE_FILE_MAX];
static unsigned char data[STATE_FILE_MAX];
static const char *dir;
static unsigned count;

static void put_file(const char *name, const unsigned char *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "gen_state_seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	count++;
}

static struct record sample(uint32_t seq, enum cstatus status)
{
	struct record r;
	unsigned i;

	memset(&r, 0, sizeof(r));
	r.seq = seq;
	r.status = (uint8_t)status;
	r.pid = status == STATUS_CREATING ? 0 : 31337;
	r.start_time = 123456789;
	for (i = 0; i < 16; i++)
		r.boot_id[i] = (uint8_t)(0x10 * i + 7);
	r.created = 1700000000000000000ull;
	r.reply_fd = 7;
	r.reply_ino = 424242;
	return r;
}

/* Create-time data as create writes it; layout picks the cgroup form. */
static size_t make_data(int layout, bool extras)
{
	struct data_writer w = { data, sizeof(data), 0, false };
	static const char v2[] = "\0/runlet/c1";
	static const char v1[] = "cpu,cpuacct\0/runlet/c1\0memory\0\0pids\0\0devices\0\0name=systemd\0/x";
	static const char hybrid[] = "memory\0/runlet/c1\0unified\0\0";

	data_put_str(&w, TAG_ID, "c1");
	data_put_str(&w, TAG_BUNDLE, "/run/bundles/c1");
	data_put_str(&w, TAG_ROOTFS, "/run/bundles/c1/rootfs");
	data_put_u32(&w, TAG_NAMESPACES, 0x1f);
	data_put_u32(&w, TAG_CONFIG_CRC, 0xdeadbeef);
	data_put_u32(&w, TAG_FLAGS, CFLAG_PID_NS | CFLAG_SECCOMP);
	if (layout == 1)
		data_put(&w, TAG_CGROUP, v2, sizeof(v2));
	else if (layout == 2)
		data_put(&w, TAG_CGROUP, v1, sizeof(v1));
	else if (layout == 3)
		data_put(&w, TAG_CGROUP, hybrid, sizeof(hybrid));
	if (extras) {
		/* key NUL value NUL */
		static const char ann[] = "org.example.key\0a \"value\"\n";
		/* kind, u32 timeout, u16 args, u16 env, then path, args, env */
		static const unsigned char hook[] = { 5, 10, 0, 0, 0, 2, 0, 1, 0,
			'/', 'b', 'i', 'n', '/', 's', 'h', 0, 's', 'h', 0, '-', 'c', 0, 'A', '=', 'B', 0 };
		static const unsigned char hook_start[] = { 4, 0, 0, 0, 0, 0, 0, 0, 0, '/', 'h', 0 };

		data_put(&w, TAG_ANNOTATION, ann, sizeof(ann));
		data_put(&w, TAG_ANNOTATION, "k\0", 3);
		data_put(&w, TAG_HOOK, hook, sizeof(hook));
		data_put(&w, TAG_HOOK, hook_start, sizeof(hook_start));
		data_put_str(&w, TAG_RDT_GROUP, "runlet-c1");
	}
	return w.len;
}

/* An image: copy 0 and copy 1 (NULL: zeros), then the data. */
static size_t make_image(const struct record *r0, const struct record *r1, size_t dlen)
{
	uint32_t crc = crc32(0, data, dlen);

	memset(image, 0, STATE_DATA_OFFSET);
	if (r0)
		record_encode(r0, (uint32_t)dlen, crc, image);
	if (r1)
		record_encode(r1, (uint32_t)dlen, crc, image + STATE_RECORD_SIZE);
	memcpy(image + STATE_DATA_OFFSET, data, dlen);
	return STATE_DATA_OFFSET + dlen;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "none", "creating", "created", "running", "paused", "stopped" };
	struct record a, b;
	char name[64];
	size_t dlen, len;
	int s, layout;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_state_seeds DIR\n");
		return 2;
	}
	dir = argv[1];

	for (layout = 0; layout < 4; layout++) {
		dlen = make_data(layout, layout == 1);
		for (s = STATUS_CREATING; s <= STATUS_STOPPED; s++) {
			a = sample(1, (enum cstatus)s);
			len = make_image(&a, NULL, dlen);
			snprintf(name, sizeof(name), "first-%s-cg%d", names[s], layout);
			put_file(name, image, len);
		}
	}
	dlen = make_data(1, true);

	/* Both copies valid: the newer in slot 1, in slot 0, across the wrap. */
	a = sample(1, STATUS_CREATING);
	b = sample(2, STATUS_CREATED);
	put_file("both-newer-1", image, make_image(&a, &b, dlen));
	a = sample(3, STATUS_RUNNING);
	put_file("both-newer-0", image, make_image(&a, &b, dlen));
	a = sample(0xffffffffu, STATUS_RUNNING);
	b = sample(0, STATUS_STOPPED);
	put_file("both-wrap", image, make_image(&a, &b, dlen));
	a = sample(7, STATUS_RUNNING);
	b = sample(7, STATUS_PAUSED);
	put_file("both-same-seq", image, make_image(&a, &b, dlen));

	/* The newer copy torn: half of it old bytes. */
	a = sample(4, STATUS_CREATED);
	b = sample(5, STATUS_RUNNING);
	len = make_image(&a, &b, dlen);
	memset(image + STATE_RECORD_SIZE + 64, 0, 64);
	put_file("torn-copy-1", image, len);
	/* Only copy 1 valid. */
	len = make_image(NULL, &b, dlen);
	put_file("only-copy-1", image, len);
	/* The data area changed under the records. */
	len = make_image(&a, &b, dlen);
	image[STATE_DATA_OFFSET + 10] ^= 0x40;
	put_file("data-flipped", image, len);
	/* Cut inside the data area, and at the end of the records. */
	len = make_image(&a, &b, dlen);
	put_file("data-cut", image, STATE_DATA_OFFSET + dlen / 2);
	put_file("records-only", image, STATE_DATA_OFFSET);
	put_file("one-record", image, STATE_RECORD_SIZE);
	/* A format this runtime does not read. */
	len = make_image(&a, NULL, dlen);
	put_le16(image + 4, STATE_FORMAT + 1);
	memset(image + 12, 0, 4);
	put_le32(image + 12, crc32(0, image, STATE_RECORD_SIZE));
	put_file("format-2", image, len);
	/* A record without an id or a bundle item. */
	{
		struct data_writer w = { data, sizeof(data), 0, false };

		data_put_str(&w, TAG_ID, "c1");
		data_put_u32(&w, TAG_FLAGS, 0);
		put_file("no-bundle", image, make_image(&a, NULL, w.len));
	}
	printf("%u record images in %s\n", count, dir);
	return 0;
}
