/* One error record per process.
 *
 * The first failure deep in a call chain says what was attempted, on what, and
 * why; every caller returns the negative code it got, and may prefix context
 * ("create abc: ").  The command line prints the record once.  No allocation:
 * the message lives in a static buffer. */
#ifndef RUNLET_ERROR_H
#define RUNLET_ERROR_H

#include <stdarg.h>

#define ERROR_MSG_MAX 1024

/* Records a failure and returns -err (or -EINVAL when err is 0).  A positive
 * err appends ": strerror(err)"; a negative one is the code alone, for
 * messages that already say why ("container x does not exist").  A record already set is kept: the first
 * failure is the one worth reading. */
int fail(int err, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Same as fail(), replacing any earlier record. */
int fail_again(int err, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Prepends context to the recorded message. */
void error_prefix(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* A record set aside while cleanup code that may fail runs. */
struct error_state {
	int code;
	char msg[ERROR_MSG_MAX];
};
void error_save(struct error_state *s);
void error_restore(const struct error_state *s);

const char *error_msg(void);
int error_code(void);
int error_set(void);
void error_clear(void);

#endif
