#include "error.h"
#include "format.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char msg[ERROR_MSG_MAX];
static int code;

static int record(int err, const char *format, va_list ap)
{
	int n = fmt_v(msg, sizeof(msg), format, ap);

	if (n < 0)
		n = 0;
	if (err > 0 && (size_t)n < sizeof(msg))
		fmt(msg + n, sizeof(msg) - n, ": %s", strerror(err));
	code = err > 0 ? -err : err < 0 ? err : -EINVAL;
	return code;
}

int fail(int err, const char *format, ...)
{
	va_list ap;
	int ret;

	if (code)
		return err > 0 ? -err : err < 0 ? err : code;
	va_start(ap, format);
	ret = record(err, format, ap);
	va_end(ap);
	return ret;
}

int fail_again(int err, const char *format, ...)
{
	va_list ap;
	int ret;

	va_start(ap, format);
	ret = record(err, format, ap);
	va_end(ap);
	return ret;
}

void error_prefix(const char *format, ...)
{
	char old[ERROR_MSG_MAX];
	va_list ap;
	int n;

	if (!code)
		return;
	memcpy(old, msg, sizeof(old));
	va_start(ap, format);
	n = fmt_v(msg, sizeof(msg), format, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(msg))
		fmt(msg + n, sizeof(msg) - n, "%s", old);
}

const char *error_msg(void)
{
	return code ? msg : "no error";
}

int error_code(void)
{
	return code;
}

int error_set(void)
{
	return code != 0;
}

void error_clear(void)
{
	code = 0;
	msg[0] = '\0';
}

void error_save(struct error_state *s)
{
	s->code = code;
	memcpy(s->msg, msg, sizeof(msg));
}

void error_restore(const struct error_state *s)
{
	code = s->code;
	memcpy(msg, s->msg, sizeof(msg));
}
