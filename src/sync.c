#include "sync.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sync_send(int fd, enum sync_type type, int value, const char *text)
{
	struct sync_msg m;
	size_t len = offsetof(struct sync_msg, text);
	ssize_t n;

	m.type = type;
	m.value = value;
	if (text) {
		size_t tl = strnlen(text, sizeof(m.text) - 1);

		memcpy(m.text, text, tl);
		m.text[tl] = '\0';
		len += tl + 1;
	}
	do
		n = send(fd, &m, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int send_with_fd(int sock, const void *buf, size_t len, int passfd)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			     .msg_controllen = sizeof(control) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	memset(control, 0, sizeof(control));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &passfd, sizeof(int));
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int sync_send_fd(int fd, enum sync_type type, int value, int passfd)
{
	struct sync_msg m = { .type = type, .value = value };

	return send_with_fd(fd, &m, offsetof(struct sync_msg, text), passfd);
}

int sync_recv(int fd, struct sync_msg *m, int *passfd)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { m, sizeof(*m) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (passfd) {
		*passfd = -1;
		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
	}
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n < offsetof(struct sync_msg, text))
		return -EPIPE;
	((char *)m)[n] = '\0';
	if ((size_t)n == offsetof(struct sync_msg, text))
		m->text[0] = '\0';
	if (passfd && mh.msg_controllen) {
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		if (cm && cm->cmsg_type == SCM_RIGHTS)
			memcpy(passfd, CMSG_DATA(cm), sizeof(int));
	}
	return (int)m->type;
}

int sync_expect(int fd, enum sync_type type, struct sync_msg *m)
{
	for (;;) {
		int t = sync_recv(fd, m, NULL);

		if (t == -EPIPE)
			return fail(0, "the container's init exited during setup");
		if (t < 0)
			return fail(-t, "read from the container's init");
		if (t == SYNC_WARN) {
			log_warn("%s", m->text);
			continue;
		}
		if (t == SYNC_ERROR)
			return fail_again(0, "%s", m->text);
		if (t != (int)type)
			return fail(0, "unexpected message %d from the container's init (waiting for %d)", t, type);
		return t;
	}
}
