#ifndef RUNLET_TERMINAL_H
#define RUNLET_TERMINAL_H

#include "spec.h"

#include <stdbool.h>

/* The runtime: connects to --console-socket before the init is cloned, so
 * that the init can send the master over the inherited socket. */
int console_socket_connect(const char *path);
/* Opens a pty in the container's /dev/pts; with console, binds its slave
 * on /dev/console. */
int terminal_open(const struct process_cfg *p, bool console, int *master, int *slave);
int terminal_send(int sock, int master);
/* Makes slave the stdio and controlling terminal of this process. */
int terminal_take(int slave);

/* A foreground run: copies between this terminal and master until
 * on_signal (called when sigfd is readable) returns non-zero. */
int terminal_relay(int master, int sigfd, int (*on_signal)(int sigfd, void *ctx), void *ctx);
void terminal_resize(int master);
void terminal_restore(void);

#endif
