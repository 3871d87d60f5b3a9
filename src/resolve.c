#include "format.h"
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
	fmt(buf, cap, "/proc/self/fd/%d", fd);
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

/* The walk for kernels without openat2, and for creating what is missing.
 * canon holds the components resolved so far, rest what is left; a
 * symlink's target is put in front of rest, and ".." drops a component of
 * canon, never more than it has.  With create set, a missing component is
 * made (a directory, or for the last one with file set an empty file):
 * a dangling symlink gets its target made inside the root. */
static int walk_in_root(int rootfd, const char *path, bool create, mode_t mode, bool file)
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
		bool last;
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
		last = !rest[strspn(rest, "/")];
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
		if (next < 0 && errno == ENOENT && create) {
			if (last && file) {
				int f = openat(fd, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);

				if (f >= 0)
					close(f);
			} else {
				mkdirat(fd, comp, last ? mode : 0755);
			}
			next = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
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
			clen += (size_t)fmt(canon + clen, sizeof(canon) - clen, "%s%s", clen ? "/" : "", comp);
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
	return walk_in_root(rootfd, path, false, 0, false);
}

/* Usually only the last component is missing, as a mount point in a fresh
 * tmpfs is: it is made in its parent, resolved the safe way, and opened
 * there without following anything.  The parent stays open, close-on-exec,
 * as every descriptor of the mounts does until the exec: a close each
 * would be a system call for nothing.  Anything else (a missing parent, a
 * dangling symlink) is left to the walk, which makes what is missing. */
static int create_last(int rootfd, const char *path, mode_t mode, bool file)
{
	char parent[PATH_MAX];
	const char *last;
	size_t len = strlen(path);
	int pfd, r;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, path, len);
	parent[len] = '\0';
	last = strrchr(parent, '/');
	if (!last || !last[1] || !strcmp(last, "/.") || !strcmp(last, "/.."))
		return -ENOENT;
	parent[last - parent] = '\0';
	last = last + 1;
	pfd = resolve_in_root(rootfd, parent[0] ? parent : "/");
	if (pfd < 0)
		return pfd;
	/* Reopened without following anything, so that a symlink raced into
	 * its place is refused; a file is not kept open for writing, which
	 * would stop the rootfs from becoming read-only. */
	if (file) {
		r = openat(pfd, last, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
		if (r >= 0)
			close(r);
	} else {
		r = mkdirat(pfd, last, mode);
	}
	if (r >= 0)
		r = openat(pfd, last, O_PATH | O_NOFOLLOW | O_CLOEXEC | (file ? 0 : O_DIRECTORY));
	return r < 0 ? -ENOENT : r;
}

int resolve_create(int rootfd, const char *path, mode_t mode, bool file)
{
	int fd = resolve_in_root(rootfd, path);

	if (fd != -ENOENT)
		return fd;
	fd = create_last(rootfd, path, mode, file);
	if (fd != -ENOENT)
		return fd;
	return walk_in_root(rootfd, path, true, mode, file);
}
