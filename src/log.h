/* The one place the library writes messages.
 *
 * With --log FILE, every message goes to FILE as text or as JSON lines
 * ({"level","msg","time"}, which containerd and podman read), and errors and
 * warnings also go to stderr as one plain line.  Without --log, messages go
 * to stderr in the chosen format.  The file is opened on the first message:
 * a command that has nothing to say costs no system call for it. */
#ifndef RUNLET_LOG_H
#define RUNLET_LOG_H

#include <stdbool.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_configure(const char *path, bool json, bool debug);
bool log_debug_enabled(void);
/* Opens the log file now, so that a process about to change its root can
 * keep writing to it. */
void log_open(void);

void log_msg(enum log_level level, const char *format, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *format, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
