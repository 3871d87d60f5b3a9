/* Helpers shared by the unit tests.
 *
 * error.h comes before cmocka.h: cmocka defines a fail() macro, and the
 * library's fail() must be declared before that macro exists.  Tests use
 * cmocka's fail() and fail_msg(); the library's record is read through
 * error_msg() and error_code(). */
#ifndef RUNLET_TEST_UNIT_H
#define RUNLET_TEST_UNIT_H

#include "error.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cmocka's skip() gives no reason; TAP readers get it as a comment. */
static inline void skip_because(const char *why)
{
	print_message("# skip: %s\n", why);
	skip();
}

#ifndef UNIT_SPEC_DIR
#define UNIT_SPEC_DIR "tests/spec"
#endif

/* The library keeps the first error of a process; each check starts clean. */
static inline int unit_clear_error(void **state)
{
	(void)state;
	error_clear();
	return 0;
}

/* expr must return 0 (or a non-negative value); the recorded error is shown
 * when it does not. */
#define assert_ok(expr)                                                                     \
	do {                                                                                \
		long unit_r_ = (long)(expr);                                                \
		if (unit_r_ < 0)                                                            \
			fail_msg("%s returned %ld: %s", #expr, unit_r_, error_msg());      \
	} while (0)

/* expr must fail, and the recorded message must contain text. */
#define assert_fails_with(expr, text)                                                       \
	do {                                                                                \
		long unit_r_;                                                               \
		error_clear();                                                              \
		unit_r_ = (long)(expr);                                                     \
		if (unit_r_ >= 0)                                                           \
			fail_msg("%s succeeded; expected an error containing \"%s\"", #expr, \
				 (text));                                                   \
		if (!strstr(error_msg(), (text)))                                           \
			fail_msg("%s: error \"%s\" does not contain \"%s\"", #expr,        \
				 error_msg(), (text));                                      \
	} while (0)

/* The recorded message must contain text. */
#define assert_error_contains(text)                                                         \
	do {                                                                                \
		if (!strstr(error_msg(), (text)))                                           \
			fail_msg("error \"%s\" does not contain \"%s\"", error_msg(), (text)); \
	} while (0)

/* Reads a whole file into buf (cap bytes, NUL-terminated); its length. */
static inline size_t unit_read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		fail_msg("open %s: %s", path, strerror(errno));
	n = fread(buf, 1, cap - 1, f);
	if (ferror(f) || !feof(f))
		fail_msg("read %s: error or larger than %zu bytes", path, cap - 1);
	fclose(f);
	buf[n] = '\0';
	return n;
}

static inline void unit_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		fail_msg("write %s: %s", path, strerror(errno));
	close(fd);
}

/* A fresh directory under /tmp, in buf (at least 64 bytes). */
static inline char *unit_mkdtemp(char *buf)
{
	strcpy(buf, "/tmp/runlet-unit.XXXXXX");
	if (!mkdtemp(buf))
		fail_msg("mkdtemp: %s", strerror(errno));
	return buf;
}

static inline int unit_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* rm -rf path, without following symlinks. */
static inline void unit_rm_rf(const char *path)
{
	nftw(path, unit_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
