#include "resolve.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40

const char *fd_path(int fd, char *buf, unsigned cap)
{
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
	return buf;
}

/* Re-walks the canonical path from the root, one component at a time. */
static int walk_canonical(int rootfd, const char *canon)
{
	int fd = openat(rootfd, ".", O_PATH | O_CLOEXEC);
	char comp[NAME_MAX + 1];
	const char *p = canon;

	while (fd >= 0 && *p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int next;

		memcpy(comp, p, len);
		comp[len] = '\0';
		next = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p += len;
		if (*p == '/')
			p++;
	}
	return fd < 0 ? -errno : fd;
}

/* The fallback for kernels without openat2.  canon holds the components
 * resolved so far, rest what is left; a symlink's target is put in front
 * of rest, and ".." drops a component of canon, never more than it has. */
static int walk_in_root(int rootfd, const char *path)
{
	char canon[PATH_MAX] = "", rest[PATH_MAX * 2], comp[NAME_MAX + 1], target[PATH_MAX];
	size_t clen = 0;
	int links = 0, fd;

	if (strlen(path) >= sizeof(rest))
		return -ENAMETOOLONG;
	strcpy(rest, path);
	fd = openat(rootfd, ".", O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		char *p = rest;
		size_t len;
		struct stat st;
		int next;
		ssize_t n;

		while (*p == '/')
			p++;
		if (!*p)
			return fd;
		len = strcspn(p, "/");
		if (len > NAME_MAX) {
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		memmove(rest, p + len, strlen(p + len) + 1);
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(canon, '/');

			clen = slash ? (size_t)(slash - canon) : 0;
			canon[clen] = '\0';
			close(fd);
			fd = walk_canonical(rootfd, canon);
			if (fd < 0)
				return fd;
			continue;
		}
		next = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (fstat(next, &st) < 0) {
			int e = errno;

			close(next);
			close(fd);
			return -e;
		}
		if (!S_ISLNK(st.st_mode)) {
			if (clen + len + 2 > sizeof(canon)) {
				close(next);
				close(fd);
				return -ENAMETOOLONG;
			}
			clen += (size_t)snprintf(canon + clen, sizeof(canon) - clen, "%s%s", clen ? "/" : "", comp);
			close(fd);
			fd = next;
			continue;
		}
		n = readlinkat(next, "", target, sizeof(target) - 1);
		close(next);
		if (n < 0 || ++links > MAX_LINKS || (size_t)n + strlen(rest) + 2 > sizeof(rest)) {
			close(fd);
			return n < 0 ? -errno : links > MAX_LINKS ? -ELOOP : -ENAMETOOLONG;
		}
		target[n] = '\0';
		/* rest = target + "/" + rest */
		memmove(rest + n + 1, rest, strlen(rest) + 1);
		memcpy(rest, target, (size_t)n);
		rest[n] = '/';
		if (target[0] == '/') {
			clen = 0;
			canon[0] = '\0';
			close(fd);
			fd = openat(rootfd, ".", O_PATH | O_CLOEXEC);
			if (fd < 0)
				return -errno;
		}
	}
}

int resolve_in_root(int rootfd, const char *path)
{
	struct rl_open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RL_RESOLVE_IN_ROOT | RL_RESOLVE_NO_MAGICLINKS,
	};
	int tries, fd = -ENOSYS;

	/* EAGAIN: a rename raced the resolution; the kernel asks to retry. */
	for (tries = 0; tries < 8; tries++) {
		fd = sys_openat2(rootfd, path, &how);
		if (fd != -EAGAIN)
			break;
	}
	if (fd != -ENOSYS && fd != -E2BIG && fd != -EPERM)
		return fd;
	return walk_in_root(rootfd, path);
}

static int split_last(const char *path, char *parent, size_t cap, const char **last)
{
	size_t len = strlen(path);
	const char *slash;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= cap)
		return -ENAMETOOLONG;
	memcpy(parent, path, len);
	parent[len] = '\0';
	slash = strrchr(parent, '/');
	if (!slash) {
		*last = parent;
		return 0;
	}
	*last = path + (slash - parent) + 1;
	parent[slash - parent] = '\0';
	if (!parent[0])
		strcpy(parent, "/");
	return 0;
}

int resolve_create(int rootfd, const char *path, mode_t mode, bool file)
{
	char parent[PATH_MAX], last[NAME_MAX + 1];
	const char *lp;
	int fd = resolve_in_root(rootfd, path), pfd, r;

	if (fd != -ENOENT)
		return fd;
	r = split_last(path, parent, sizeof(parent), &lp);
	if (r < 0)
		return r;
	if (strlen(lp) > NAME_MAX || !lp[0] || !strcmp(lp, "..") || !strcmp(lp, "."))
		return -ENOENT;
	strcpy(last, lp);
	pfd = resolve_create(rootfd, parent, 0755, false);
	if (pfd < 0)
		return pfd;
	if (file) {
		int f = openat(pfd, last, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);

		r = f < 0 && errno != EEXIST ? -errno : 0;
		if (f >= 0)
			close(f);
	} else {
		r = mkdirat(pfd, last, mode) < 0 && errno != EEXIST ? -errno : 0;
	}
	close(pfd);
	if (r < 0)
		return r;
	return resolve_in_root(rootfd, path);
}
