/* Messages between the runtime and the container's init while it is being
 * created, over a SOCK_SEQPACKET socketpair: one message per send, and a
 * read of zero bytes when the other side died. */
#ifndef RUNLET_SYNC_H
#define RUNLET_SYNC_H

#include <stdint.h>

enum sync_type {
	SYNC_GO = 1,		/* runtime -> init: carry on */
	SYNC_PID,		/* init -> runtime: value is the init's pid after a second fork */
	SYNC_HOOKS,		/* init -> runtime: run prestart and createRuntime hooks now */
	SYNC_READY,		/* init -> runtime: created, waiting for start */
	SYNC_ERROR,		/* init -> runtime: text says what failed; value is -errno */
	SYNC_WARN,		/* init -> runtime: text to log as a warning */
	SYNC_CONSOLE,		/* init -> runtime: the pty master comes with this message */
	SYNC_MOUNT_FD,		/* runtime -> init: an idmapped mount for mounts[value] */
	SYNC_SECCOMP_FD,	/* exec'd process -> runtime: its seccomp listener fd */
};

struct sync_msg {
	uint32_t type;
	int32_t value;
	char text[1024];
};

#include <stddef.h>

int sync_send(int fd, enum sync_type type, int value, const char *text);
/* len bytes of buf with passfd attached (SCM_RIGHTS), on any unix socket:
 * the console socket and the seccomp listener take them too.  -errno. */
int send_with_fd(int sock, const void *buf, size_t len, int passfd);
/* Sends fd along with the message (SCM_RIGHTS). */
int sync_send_fd(int fd, enum sync_type type, int value, int passfd);
/* Returns the type, or -EPIPE when the peer is gone.  An fd that came with
 * the message is stored in *passfd (or -1). */
int sync_recv(int fd, struct sync_msg *m, int *passfd);
/* Waits for a message of one type; SYNC_ERROR becomes the error record. */
int sync_expect(int fd, enum sync_type type, struct sync_msg *m);

#endif
