/* Text formatting without stdio.
 *
 * musl's printf brings its floating point and FILE machinery, about 15 KiB
 * of a binary that never prints a float.  This is the subset runlet uses:
 * %s %c %d %i %u %x %o %% with the flags '-', '0' and '#', a width, a
 * precision ('.N', or '.*' with an int argument), and the length modifiers
 * l, ll and z.  Anything else is a programming error caught by the
 * compiler's format checking and printed as '?'. */
#ifndef RUNLET_FORMAT_H
#define RUNLET_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* As vsnprintf: always terminates when size > 0, returns the length the
 * whole text would have had. */
int fmt_v(char *buf, size_t size, const char *f, va_list ap);
int fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));

/* RFC 3339 in UTC with nanoseconds: 2026-11-29T22:44:01.123456789Z. */
int fmt_time_utc(char *buf, size_t size, uint64_t ns);

#endif
