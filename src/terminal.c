/* process.terminal: a pseudo-terminal whose slave becomes the process's
 * stdio and controlling terminal, also reachable as /dev/console; its
 * master goes to the caller's console socket (SCM_RIGHTS, as runc sends
 * it), or back to a foreground run, which relays it. */
#include "format.h"
#include "terminal.h"
#include "sync.h"
#include "error.h"
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int console_socket_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return fail(ENAMETOOLONG, "console socket %s", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(errno, "console socket: socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		return fail(e, "connect to the console socket %s", path);
	}
	return fd;
}

int terminal_send(int sock, int master)
{
	static const char name[] = "/dev/ptmx";
	int r = send_with_fd(sock, name, sizeof(name) - 1, master);

	return r ? fail(-r, "send the terminal to the console socket") : 0;
}

/* The slave of master, opened without going through a path where the
 * kernel has TIOCGPTPEER (4.13), else by its number in /dev/pts. */
static int open_slave(int master, char *name, size_t cap)
{
	unsigned n;
	int fd;

	if (ioctl(master, TIOCGPTN, &n) < 0)
		return fail(errno, "terminal: TIOCGPTN");
	fmt(name, cap, "/dev/pts/%u", n);
	fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	fd = openat(AT_FDCWD, name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "terminal: open %s", name);
	return fd;
}

/* /dev/console is the terminal too (config-linux.md, "Default Devices"). */
static int bind_console(const char *slave)
{
	int fd = openat(AT_FDCWD, "/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 && errno != EEXIST)
		return fail(errno, "terminal: create /dev/console");
	if (fd >= 0)
		close(fd);
	if (mount(slave, "/dev/console", NULL, MS_BIND, NULL) < 0)
		return fail(errno, "terminal: bind %s on /dev/console", slave);
	return 0;
}

/* Makes the slave the process's stdio and controlling terminal. */
int terminal_take(int slave)
{
	int fd;

	if (setsid() < 0)
		return fail(errno, "terminal: setsid");
	for (fd = 0; fd < 3; fd++) {
		if (dup2(slave, fd) < 0)
			return fail(errno, "terminal: dup2");
	}
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return fail(errno, "terminal: make it the controlling terminal");
	if (slave > 2)
		close(slave);
	return 0;
}

int terminal_open(const struct process_cfg *p, bool console, int *master_out, int *slave_out)
{
	struct winsize ws = { 0 };
	char name[32];
	int unlock = 0, master, slave;

	master = openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return fail(errno, "terminal: open /dev/ptmx (is devpts mounted on /dev/pts?)");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0) {
		close(master);
		return fail(errno, "terminal: unlock the pty");
	}
	slave = open_slave(master, name, sizeof(name));
	if (slave < 0) {
		close(master);
		return slave;
	}
	if (p->has_console_size) {
		ws.ws_row = (unsigned short)p->console_height;
		ws.ws_col = (unsigned short)p->console_width;
		ioctl(master, TIOCSWINSZ, &ws);
	}
	if (console && bind_console(name)) {
		close(master);
		close(slave);
		return error_code();
	}
	*master_out = master;
	*slave_out = slave;
	return 0;
}

/* --- the foreground relay ------------------------------------------------- */

static struct termios saved;
static bool raw;

static void make_raw(void)
{
	struct termios t;

	if (!isatty(0) || tcgetattr(0, &saved) < 0)
		return;
	t = saved;
	cfmakeraw(&t);
	/* Output processing stays, so that the host terminal's newlines look
	 * right on the last line printed. */
	t.c_oflag = saved.c_oflag;
	if (tcsetattr(0, TCSANOW, &t) == 0)
		raw = true;
}

void terminal_restore(void)
{
	if (raw)
		tcsetattr(0, TCSANOW, &saved);
	raw = false;
}

void terminal_resize(int master)
{
	struct winsize ws;

	/* A terminal that does not know its size leaves consoleSize alone. */
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		ioctl(master, TIOCSWINSZ, &ws);
}

static bool copy(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));
	char *p = buf;

	if (n <= 0)
		return n < 0 && errno == EINTR;
	while (n > 0) {
		ssize_t w = write(to, p, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= w;
	}
	return true;
}

int terminal_relay(int master, int sigfd, int (*on_signal)(int sigfd, void *ctx), void *ctx)
{
	struct pollfd fds[3] = { { master, POLLIN, 0 }, { 0, POLLIN, 0 }, { sigfd, POLLIN, 0 } };
	bool in_open = true;
	int done = 0;

	make_raw();
	terminal_resize(master);
	while (!done) {
		fds[1].fd = in_open ? 0 : -1;
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[2].revents & POLLIN)
			done = on_signal(sigfd, ctx);
		if (fds[1].revents & (POLLIN | POLLHUP) && !copy(0, master))
			in_open = false;
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR) && !copy(master, 1))
			fds[0].fd = -1;
	}
	/* What the process printed before it exited. */
	while (fds[0].fd >= 0 && poll(fds, 1, 0) > 0 && copy(master, 1))
		;
	terminal_restore();
	return done;
}
