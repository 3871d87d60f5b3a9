#include "format.h"
#include "log.h"
#include "json_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_path;
static bool log_json;
static bool log_debug_on;
static int log_fd = -1;

static const char *const level_names[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warning",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

void log_configure(const char *path, bool json, bool debug)
{
	log_path = path;
	log_json = json;
	log_debug_on = debug;
}

bool log_debug_enabled(void)
{
	return log_debug_on;
}

void log_open(void)
{
	if (log_fd >= 0 || !log_path)
		return;
	log_fd = openat(AT_FDCWD, log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void timestamp(char *buf, size_t cap)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	fmt_time_utc(buf, cap, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

static size_t format_line(char *line, size_t cap, enum log_level level, const char *msg)
{
	char ts[64];
	struct jw w;
	long n;

	timestamp(ts, sizeof(ts));
	if (!log_json) {
		n = fmt(line, cap, "%s %s: %s\n", ts, level_names[level], msg);
		return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
	}
	jw_init(&w, line, cap - 1);
	jw_obj_begin(&w);
	jw_key(&w, "level");
	jw_str(&w, level_names[level]);
	jw_key(&w, "msg");
	jw_str(&w, msg);
	jw_key(&w, "time");
	jw_str(&w, ts);
	jw_obj_end(&w);
	n = jw_finish(&w);
	if (n < 0)
		return 0;
	line[n++] = '\n';
	return (size_t)n;
}

static void write_plain(enum log_level level, const char *msg)
{
	char line[1300];
	int len = fmt(line, sizeof(line), "runlet: %s%s%s\n",
			   level == LOG_ERROR ? "" : level_names[level],
			   level == LOG_ERROR ? "" : ": ", msg);
	char *p;

	/* One message, one line: a hook's output may bring its own breaks. */
	for (p = line; *p && p[1]; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	if (len > 0)
		write_all(STDERR_FILENO, line, (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1);
}

static void vlog(enum log_level level, const char *format, va_list ap)
{
	char msg[1200];
	char line[1600];
	int saved = errno;

	if (level == LOG_DEBUG && !log_debug_on)
		return;
	fmt_v(msg, sizeof(msg), format, ap);

	if (log_path) {
		log_open();
		if (log_fd >= 0)
			write_all(log_fd, line, format_line(line, sizeof(line), level, msg));
		/* A log file is for the engine; a person reads stderr. */
		if (level <= LOG_WARN)
			write_plain(level, msg);
	} else if (log_json) {
		write_all(STDERR_FILENO, line, format_line(line, sizeof(line), level, msg));
	} else {
		write_plain(level, msg);
	}
	errno = saved;
}

void log_msg(enum log_level level, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vlog(level, format, ap);
	va_end(ap);
}

void log_error(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vlog(LOG_ERROR, format, ap);
	va_end(ap);
}

void log_warn(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vlog(LOG_WARN, format, ap);
	va_end(ap);
}

void log_debug(const char *format, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, format);
	vlog(LOG_DEBUG, format, ap);
	va_end(ap);
}
