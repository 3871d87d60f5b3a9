/* Compiled seccomp programs kept between runs.  Gateways start the same
 * containers on every boot, and building a filter with libseccomp costs
 * more than the rest of a create; the cache makes the second create of a
 * profile skip libseccomp entirely.
 *
 * A file per program, named by a 64-bit hash of what decides it (the
 * parsed profile without its listener fields, so that neither formatting
 * nor a per-container socket path makes a new file; the architecture; the
 * runtime and libseccomp versions), written under a temporary name and
 * renamed, and checked (key, size, CRC) before use: a damaged file is a
 * miss, rebuilt and replaced.  The key and CRC catch damage, not forgery:
 * a directory or file that anyone but this user could write is not
 * trusted at all. */
#include "format.h"
#include "seccomp_filter.h"
#include "bytes.h"
#include "crc32.h"
#include "dirs.h"
#include "error.h"
#include "log.h"
#include "version.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "RLSC"
#define CACHE_FORMAT 1
#define HEADER 24

#if defined(__x86_64__)
#define BUILD_ARCH "x86_64"
#elif defined(__aarch64__)
#define BUILD_ARCH "aarch64"
#elif defined(__arm__)
#define BUILD_ARCH "arm"
#elif defined(__mips__)
#define BUILD_ARCH "mips"
#elif defined(__i386__)
#define BUILD_ARCH "i386"
#else
#define BUILD_ARCH "other"
#endif

#if CONFIG_SECCOMP_CACHE
static unsigned char file[HEADER + SECCOMP_MAX_INSNS * sizeof(struct sock_filter)];

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t hash_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];

	put_le64(b, v);
	return fnv1a(h, b, sizeof(b));
}

static uint64_t hash_rule(uint64_t h, const struct seccomp_rule *r)
{
	unsigned i;

	h = hash_u64(h, r->names.n);
	for (i = 0; i < r->names.n; i++)
		h = fnv1a(h, r->names.v[i], strlen(r->names.v[i]) + 1);
	h = hash_u64(h, (uint64_t)r->action);
	h = hash_u64(h, r->has_errno ? (uint64_t)r->errno_ret : UINT64_MAX);
	h = hash_u64(h, r->nargs);
	for (i = 0; i < r->nargs; i++) {
		h = hash_u64(h, r->args[i].index);
		h = hash_u64(h, (uint64_t)r->args[i].op);
		h = hash_u64(h, r->args[i].value);
		h = hash_u64(h, r->args[i].value_two);
	}
	return h;
}

static uint64_t cache_key(const struct seccomp_cfg *s)
{
	char lib[32];
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned i;

	h = fnv1a(h, BUILD_ARCH, sizeof(BUILD_ARCH));
	h = fnv1a(h, RUNLET_VERSION, sizeof(RUNLET_VERSION));
	filter_library_version(lib, sizeof(lib));
	h = fnv1a(h, lib, strlen(lib) + 1);
	h = hash_u64(h, (uint64_t)s->default_action);
	h = hash_u64(h, s->has_default_errno ? (uint64_t)s->default_errno : UINT64_MAX);
	h = hash_u64(h, s->archs);
	h = hash_u64(h, s->flags);
	h = hash_u64(h, s->nrules);
	for (i = 0; i < s->nrules; i++)
		h = hash_rule(h, &s->rules[i]);
	return h;
}

/* Only what this user alone can write: a regular file (or a directory)
 * owned by the effective uid, without group or other write bits. */
static bool trusted(int fd, bool dir)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)) &&
	       st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* The cache directory, if it is there and trusted; -ENOENT otherwise. */
static int open_dir(const char *dir)
{
	int fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -ENOENT;
	if (!trusted(fd, true)) {
		log_debug("seccomp cache: %s may be written by others: not used", dir);
		close(fd);
		return -EPERM;
	}
	return fd;
}

static long cache_read(int dirfd, const char *name, uint64_t key, struct sock_filter *prog)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;
	uint32_t count;

	if (fd < 0)
		return -ENOENT;
	if (!trusted(fd, false)) {
		close(fd);
		return -EPERM;
	}
	n = read(fd, file, sizeof(file));
	close(fd);
	if (n < HEADER || memcmp(file, CACHE_MAGIC, 4) || get_le32(file + 4) != CACHE_FORMAT ||
	    get_le64(file + 8) != key)
		return -EBADMSG;
	count = get_le32(file + 16);
	if (count == 0 || count > SECCOMP_MAX_INSNS || (size_t)n != HEADER + count * sizeof(*prog) ||
	    crc32(0, file + HEADER, count * sizeof(*prog)) != get_le32(file + 20))
		return -EBADMSG;
	memcpy(prog, file + HEADER, count * sizeof(*prog));
	return count;
}

static void cache_write(int dirfd, const char *name, uint64_t key, const struct sock_filter *prog, long count)
{
	char tmp[64];
	size_t len = HEADER + (size_t)count * sizeof(*prog);
	int fd;

	memcpy(file, CACHE_MAGIC, 4);
	put_le32(file + 4, CACHE_FORMAT);
	put_le64(file + 8, key);
	put_le32(file + 16, (uint32_t)count);
	memcpy(file + HEADER, prog, (size_t)count * sizeof(*prog));
	put_le32(file + 20, crc32(0, file + HEADER, (size_t)count * sizeof(*prog)));
	fmt(tmp, sizeof(tmp), "%s.%d.tmp", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, file, len) != (ssize_t)len || renameat(dirfd, tmp, dirfd, name) < 0) {
		/* A read-only or full cache costs a rebuild next time, no more. */
		log_debug("seccomp cache: cannot write %s: %s", name, strerror(errno));
		unlinkat(dirfd, tmp, 0);
	}
	if (fd >= 0)
		close(fd);
}

#endif

long filter_program(const struct seccomp_cfg *s, const char *cache_dir, struct sock_filter *prog)
{
#if CONFIG_SECCOMP_CACHE
	uint64_t key;
	char name[32];
	long n;
	int dirfd;

	if (!cache_dir || !cache_dir[0])
		return filter_compile(s, prog, SECCOMP_MAX_INSNS);
	key = cache_key(s);
	fmt(name, sizeof(name), "%016llx.bpf", (unsigned long long)key);
	dirfd = open_dir(cache_dir);
	n = dirfd >= 0 ? cache_read(dirfd, name, key, prog) : dirfd;
	if (n > 0) {
		log_debug("seccomp cache: using %s/%s", cache_dir, name);
		close(dirfd);
		return n;
	}
	if (n == -EBADMSG)
		log_debug("seccomp cache: %s/%s is damaged, rebuilding it", cache_dir, name);
	n = filter_compile(s, prog, SECCOMP_MAX_INSNS);
	if (n > 0 && dirfd == -ENOENT) {
		int r = make_dirs(cache_dir, 0700);

		if (r < 0)
			log_debug("seccomp cache: cannot create %s: %s", cache_dir, strerror(-r));
		else
			dirfd = open_dir(cache_dir);
	}
	if (n > 0 && dirfd >= 0)
		cache_write(dirfd, name, key, prog, n);
	if (dirfd >= 0)
		close(dirfd);
	return n;
#else
	return filter_compile(s, prog, SECCOMP_MAX_INSNS);
#endif
}
