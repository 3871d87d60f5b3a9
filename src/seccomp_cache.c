/* Compiled seccomp programs kept between runs.  Gateways start the same
 * containers on every boot, and building a filter with libseccomp costs
 * more than the rest of a create; the cache makes the second create of a
 * profile skip libseccomp entirely.
 *
 * A file per program, named by a 64-bit hash of what decides it (the
 * seccomp object's text, the architecture, the runtime and libseccomp
 * versions), written under a temporary name and renamed, and checked (key,
 * size, CRC) before use: a damaged file is a miss, rebuilt and replaced. */
#include "format.h"
#include "seccomp_filter.h"
#include "bytes.h"
#include "crc32.h"
#include "dirs.h"
#include "error.h"
#include "log.h"
#include "version.h"

#include <errno.h>
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

static uint64_t cache_key(const struct seccomp_cfg *s)
{
	char lib[32];
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv1a(h, BUILD_ARCH, sizeof(BUILD_ARCH));
	h = fnv1a(h, RUNLET_VERSION, sizeof(RUNLET_VERSION));
	filter_library_version(lib, sizeof(lib));
	h = fnv1a(h, lib, strlen(lib) + 1);
	return fnv1a(h, s->text, s->text_len);
}

static long cache_read(const char *path, uint64_t key, struct sock_filter *prog)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;
	uint32_t count;

	if (fd < 0)
		return -ENOENT;
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

static void cache_write(const char *dir, const char *path, uint64_t key, const struct sock_filter *prog,
			long count)
{
	char tmp[4200];
	size_t len = HEADER + (size_t)count * sizeof(*prog);
	int fd;

	int r = make_dirs(dir, 0700);

	if (r < 0) {
		log_debug("seccomp cache: cannot create %s: %s", dir, strerror(-r));
		return;
	}
	memcpy(file, CACHE_MAGIC, 4);
	put_le32(file + 4, CACHE_FORMAT);
	put_le64(file + 8, key);
	put_le32(file + 16, (uint32_t)count);
	memcpy(file + HEADER, prog, (size_t)count * sizeof(*prog));
	put_le32(file + 20, crc32(0, file + HEADER, (size_t)count * sizeof(*prog)));
	if ((size_t)fmt(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >= sizeof(tmp))
		return;
	fd = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, file, len) != (ssize_t)len || rename(tmp, path) < 0) {
		/* A read-only or full cache costs a rebuild next time, no more. */
		log_debug("seccomp cache: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	if (fd >= 0)
		close(fd);
}

#endif

long filter_program(const struct seccomp_cfg *s, const char *cache_dir, struct sock_filter *prog)
{
#if CONFIG_SECCOMP_CACHE
	uint64_t key = cache_key(s);
	char path[4096];
	long n;

	if (!cache_dir || !cache_dir[0])
		return filter_compile(s, prog, SECCOMP_MAX_INSNS);
	fmt(path, sizeof(path), "%s/%016llx.bpf", cache_dir, (unsigned long long)key);
	n = cache_read(path, key, prog);
	if (n > 0) {
		log_debug("seccomp cache: using %s", path);
		return n;
	}
	if (n == -EBADMSG)
		log_debug("seccomp cache: %s is damaged, rebuilding it", path);
	n = filter_compile(s, prog, SECCOMP_MAX_INSNS);
	if (n > 0)
		cache_write(cache_dir, path, key, prog, n);
	return n;
#else
	return filter_compile(s, prog, SECCOMP_MAX_INSNS);
#endif
}
