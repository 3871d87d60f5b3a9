/* Mounts that need more than mount(2).
 *
 * tmpcopyup: a tmpfs over a directory, seeded with what the directory
 * held (podman asks for it with --read-only and --tmpfs).  The directory is
 * opened before the tmpfs covers it, and copied from that descriptor.
 *
 * idmap, ridmap: a bind mount whose ids are mapped through a user
 * namespace (mount_setattr(MOUNT_ATTR_IDMAP), Linux 5.12).  Only the
 * runtime, in the host's user namespace, may make one: it makes the
 * detached mount (idmap_prepare) and passes it to the init, which attaches
 * it where the config says. */
#include "container.h"
#include "error.h"
#include "format.h"
#include "resolve.h"
#include "syscalls.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if CONFIG_TMPCOPYUP
#define COPY_DEPTH 64

static int copy_tree(int from, int to, int depth);

static int copy_file(int from, int to, const char *name, const struct stat *st)
{
	static char buf[65536];
	int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = in < 0 ? -1 : openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
	ssize_t n = 0;

	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && fchown(out, st->st_uid, st->st_gid) < 0)
		n = -1;
	if (out >= 0)
		close(out);
	return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

static int copy_entry(int from, int to, const char *name, int depth)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int r = 0;

	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		return copy_file(from, to, name, &st);
	case S_IFLNK:
		n = readlinkat(from, name, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = '\0';
		if (symlinkat(target, to, name) < 0)
			return -1;
		return fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
	case S_IFDIR: {
		int sub, dst;

		if (mkdirat(to, name, st.st_mode & 07777) < 0)
			return -1;
		sub = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		dst = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = sub < 0 || dst < 0 ? -1 : copy_tree(sub, dst, depth + 1);
		if (!r)
			r = fchown(dst, st.st_uid, st.st_gid);
		if (sub >= 0)
			close(sub);
		if (dst >= 0)
			close(dst);
		return r;
	}
	default:
		if (mknodat(to, name, st.st_mode, st.st_rdev) < 0)
			return -1;
		return fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
	}
}

static int copy_tree(int from, int to, int depth)
{
	char buf[4096] __attribute__((aligned(8)));
	long n;

	if (depth > COPY_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	while ((n = sys_getdents64(from, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			const struct linux_dirent64 *d = (const void *)(buf + off);

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (copy_entry(from, to, d->d_name, depth) < 0)
				return -1;
		}
	}
	return n < 0 ? -1 : 0;
}

static int tmpcopyup(struct ctx *c, const struct mount_cfg *m)
{
	char fp[32];
	struct stat st;
	int dest, old, fresh, r = 0;
	bool existed;

	dest = resolve_in_root(c->rootfd, m->destination);
	existed = dest >= 0;
	if (dest == -ENOENT)
		dest = resolve_create(c->rootfd, m->destination, 0755, false);
	if (dest < 0)
		return fail(-dest, "mount %s: create the mount point", m->destination);
	/* The contents to copy, reachable through this descriptor once the
	 * tmpfs hides them. */
	old = openat(AT_FDCWD, fd_path(dest, fp, sizeof(fp)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (old < 0 || fstat(old, &st) < 0) {
		close(dest);
		return fail(errno, "mount %s: tmpcopyup needs a directory", m->destination);
	}
	if (mount(m->source ? m->source : "tmpfs", fp, "tmpfs", m->flags & ~MS_RDONLY, m->data) < 0)
		r = fail(errno, "mount a tmpfs on %s", m->destination);
	close(dest);
	fresh = r ? -1 : resolve_in_root(c->rootfd, m->destination);
	if (!r && fresh < 0)
		r = fail(-fresh, "mount %s: find the tmpfs", m->destination);
	if (!r) {
		int dir = openat(AT_FDCWD, fd_path(fresh, fp, sizeof(fp)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		/* A mount point that was there keeps its mode and owner, as with
		 * runc; one made here takes the tmpfs's own (mode=). */
		if (dir < 0 || copy_tree(old, dir, 0) < 0 ||
		    (existed && (fchmod(dir, st.st_mode & 07777) < 0 || fchown(dir, st.st_uid, st.st_gid) < 0)))
			r = fail(errno, "mount %s: copy the directory into the tmpfs", m->destination);
		if (dir >= 0)
			close(dir);
		if (!r && (m->flags & MS_RDONLY) &&
		    mount(NULL, fp, NULL, MS_REMOUNT | (m->flags & ~MS_BIND), m->data) < 0)
			r = fail(errno, "mount %s: remount read-only", m->destination);
	}
	if (fresh >= 0)
		close(fresh);
	close(old);
	return r;
}
#endif

#if CONFIG_IDMAP_MOUNTS
/* A user namespace holding only the mount's own mappings: made by a child
 * that waits while its maps are written and its namespace opened. */
static int mapping_userns(const struct spec *s, const struct mount_cfg *m)
{
	char path[64], text[CONFIG_MAX_ID_MAPPINGS * 36];
	const char *files[2] = { "uid_map", "gid_map" };
	int pipefd[2], fd = -1, r = 0, k;
	pid_t child;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return fail(errno, "pipe");
	child = sys_clone(CLONE_NEWUSER);
	if (child == 0) {
		char b;

		close(pipefd[1]);
		if (read(pipefd[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(pipefd[0]);
	if (child < 0) {
		close(pipefd[1]);
		return fail(-child, "create a user namespace for a mount's mappings");
	}
	for (k = 0; k < 2 && !r; k++) {
		unsigned off = k ? m->gid_off : m->uid_off, n = k ? m->gid_n : m->uid_n, i;
		size_t len = 0;
		int mf;

		for (i = 0; i < n; i++)
			len += (size_t)fmt(text + len, sizeof(text) - len, "%u %u %u\n",
						s->mount_idmaps[off + i].container_id,
						s->mount_idmaps[off + i].host_id, s->mount_idmaps[off + i].size);
		fmt(path, sizeof(path), "/proc/%d/%s", (int)child, files[k]);
		mf = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
		if (mf < 0 || write(mf, text, len) != (ssize_t)len)
			r = fail(errno, "write %s", path);
		if (mf >= 0)
			close(mf);
	}
	fmt(path, sizeof(path), "/proc/%d/ns/user", (int)child);
	if (!r && (fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)) < 0)
		r = fail(errno, "open %s", path);
	close(pipefd[1]);
	waitpid(child, NULL, 0);
	return r ? r : fd;
}

int idmap_prepare(struct ctx *c, const struct mount_cfg *m)
{
	struct rl_mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	bool rec = m->kind & MNT_RIDMAP;
	char src[PATH_MAX], path[64];
	int tree, userns, r;

	if (!m->source)
		return fail(0, "mount %s: an idmap mount needs a source", m->destination);
	if (m->source[0] == '/')
		r = fmt(src, sizeof(src), "%s", m->source);
	else
		r = fmt(src, sizeof(src), "%s/%s", c->bundle, m->source);
	if (r < 0 || (size_t)r >= sizeof(src))
		return fail(ENAMETOOLONG, "mount %s: source %s", m->destination, m->source);
	if (m->kind & MNT_HAS_MAPPINGS) {
		userns = mapping_userns(c->spec, m);
	} else if (c->userns) {
		fmt(path, sizeof(path), "/proc/%d/ns/user", (int)c->pid);
		userns = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (userns < 0)
			userns = fail(errno, "open %s", path);
	} else {
		return fail(0, "mount %s: idmap needs uidMappings on the mount or a user namespace",
			    m->destination);
	}
	if (userns < 0)
		return userns;
	tree = sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | O_CLOEXEC | (rec ? AT_RECURSIVE : 0));
	if (tree < 0) {
		close(userns);
		if (tree == -ENOSYS)
			return fail(ENOSYS, "mount %s: idmap mounts need Linux 5.12", m->destination);
		return fail(-tree, "mount %s: clone the mount of %s", m->destination, src);
	}
	attr.userns_fd = (uint64_t)userns;
	r = sys_mount_setattr(tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr);
	close(userns);
	if (r < 0) {
		close(tree);
		return fail(-r, "mount %s: map the ids of %s", m->destination, src);
	}
	return tree;
}

static int attach_idmapped(struct ctx *c, const struct mount_cfg *m)
{
	int index = (int)(m - c->spec->mounts);
	int tree = c->mount_fds[index], dest, r;
	struct stat st;

	if (tree < 0)
		return fail(0, "mount %s: the runtime made no idmapped mount for it", m->destination);
	if (fstat(tree, &st) < 0)
		return fail(errno, "mount %s", m->destination);
	dest = resolve_create(c->rootfd, m->destination, 0755, !S_ISDIR(st.st_mode));
	if (dest < 0)
		return fail(-dest, "mount %s: create the mount point", m->destination);
	r = sys_move_mount(tree, "", dest, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	close(dest);
	close(tree);
	c->mount_fds[index] = -1;
	if (r < 0)
		return fail(-r, "mount %s: attach the idmapped mount", m->destination);
	return 0;
}
#endif

int mount_special(struct ctx *c, const struct mount_cfg *m)
{
#if CONFIG_IDMAP_MOUNTS
	if (m->kind & MNT_IDMAP)
		return attach_idmapped(c, m);
#endif
#if CONFIG_TMPCOPYUP
	if (m->kind & MNT_TMPCOPYUP)
		return tmpcopyup(c, m);
#endif
	return fail(ENOTSUP, "mount %s: not supported by this build", m->destination);
}
