#include "cgroup.h"
#include "error.h"
#include "format.h"
#include "log.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

/* Besides its own rules, a container may use the devices every container
 * needs, and mknod any device (access decides, not mknod), as under runc. */
const struct dev_rule cgroup_default_rules[] = {
	{ true, 'c', DEV_ANY, DEV_ANY, "m" },
	{ true, 'b', DEV_ANY, DEV_ANY, "m" },
	{ true, 'c', 1, 3, "rwm" },	/* null */
	{ true, 'c', 1, 8, "rwm" },	/* random */
	{ true, 'c', 1, 7, "rwm" },	/* full */
	{ true, 'c', 5, 0, "rwm" },	/* tty */
	{ true, 'c', 1, 5, "rwm" },	/* zero */
	{ true, 'c', 1, 9, "rwm" },	/* urandom */
	{ true, 'c', 136, DEV_ANY, "rwm" },	/* pts */
	{ true, 'c', 5, 2, "rwm" },	/* ptmx */
};
const unsigned cgroup_default_rule_count = sizeof(cgroup_default_rules) / sizeof(cgroup_default_rules[0]);

/* --- files -------------------------------------------------------------------- */

/* Every command that writes cgroup files exits soon after: a descriptor
 * that would only be closed costs a system call for nothing. */
int cg_open(const char *dir, const char *file)
{
	char path[CG_PATH_MAX + 128];
	int fd;

	fmt(path, sizeof(path), "%s/%s", dir, file);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
	return fd < 0 ? fail(errno, "open %s", path) : fd;
}

int cg_write_fd(int fd, const char *dir, const char *file, const char *value)
{
	size_t len = strlen(value);
	ssize_t n = write(fd, value, len);

	if (n < 0 || (size_t)n != len)
		return fail(n < 0 ? errno : EIO, "write \"%s\" to %s/%s", value, dir, file);
	return 0;
}

int cg_write(const char *dir, const char *file, const char *value)
{
	int fd = cg_open(dir, file);

	return fd < 0 ? fd : cg_write_fd(fd, dir, file, value);
}

long cg_read(const char *dir, const char *file, char *buf, size_t cap)
{
	char path[CG_PATH_MAX + 128];
	size_t len = 0;
	ssize_t n;
	int fd;

	fmt(path, sizeof(path), "%s/%s", dir, file);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Files of cgroupfs and procfs come whole in one read, up to a page;
	 * only a longer one needs more. */
	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += (size_t)n;
		if (n < 4096)
			break;
	}
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

/* rdma.max takes one device per write, in the same form on v1 and v2. */
int cgroup_write_rdma(const char *dir, const struct resources_cfg *res)
{
	char line[128];
	unsigned i;
	int r;

	for (i = 0; i < res->nrdma; i++) {
		const struct rdma_cfg *d = &res->rdma[i];
		char handles[24] = "", objects[24] = "";

		if (d->has_handles)
			fmt(handles, sizeof(handles), " hca_handle=%u", d->handles);
		if (d->has_objects)
			fmt(objects, sizeof(objects), " hca_object=%u", d->objects);
		fmt(line, sizeof(line), "%s%s%s", d->device, handles, objects);
		if ((r = cg_write(dir, "rdma.max", line)))
			return r;
	}
	return 0;
}

/* --- layout -------------------------------------------------------------------- */

static int join_path(char *out, size_t cap, const char *base, const char *rel)
{
	char tmp[CG_PATH_MAX];
	int n;

	if (rel[0] == '/')
		n = fmt(tmp, sizeof(tmp), "%s", rel);
	else if (!strcmp(base, "/"))
		n = fmt(tmp, sizeof(tmp), "/%s", rel);
	else
		n = fmt(tmp, sizeof(tmp), "%s/%s", base, rel);
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n >= cap)
		return fail(ENAMETOOLONG, "cgroup path %s", rel);
	memcpy(out, tmp, (size_t)n + 1);
	return 0;
}

/* A cgroup path names a place in the hierarchy, never outside it. */
static int check_path(const char *path)
{
	const char *p = path;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return fail(0, "linux.cgroupsPath: \"%s\" has a . or .. component", path);
		p += len;
		while (*p == '/')
			p++;
	}
	return 0;
}

static void add_hier(struct cgroup *cg, const char *controllers, const char *own, bool v2)
{
	struct cg_hier *h;
	const char *dir = controllers;

	if (cg->n >= CG_MAX_HIER)
		return;
	if (!strncmp(dir, "name=", 5))
		dir += 5;
	h = &cg->h[cg->n++];
	memset(h, 0, sizeof(*h));
	fmt(h->dir, sizeof(h->dir), "%s", dir);
	fmt(h->controllers, sizeof(h->controllers), "%s", controllers);
	fmt(h->own, sizeof(h->own), "%s", own);
	h->v2 = v2;
}

static bool v2_mounted(void)
{
	struct statfs sf;

	return statfs(CONFIG_CGROUP_ROOT "/unified", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* /proc/self/cgroup lists every hierarchy and this process's place in it;
 * mount points follow the usual <root>/<controllers> convention. */
static int read_layout(struct cgroup *cg)
{
	char text[4096], *line, *save = NULL;
	char v2_own[CG_PATH_MAX] = "";
	bool has_v2 = false, has_v1 = false;
	long n;

	n = cg_read("/proc/self", "cgroup", text, sizeof(text));
	if (n < 0)
		return fail((int)-n, "read /proc/self/cgroup");
	cg->n = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c1 = *c2 = '\0';
		if (!strcmp(line, "0") && c1[1] == '\0') {
			has_v2 = true;
			fmt(v2_own, sizeof(v2_own), "%s", c2 + 1);
			continue;
		}
		if (!c1[1] || (!strncmp(c1 + 1, "name=", 5) && strcmp(c1 + 1, "name=systemd")))
			continue;
		has_v1 = true;
		if (CONFIG_CGROUP_V1)
			add_hier(cg, c1 + 1, c2 + 1, false);
	}
	if (has_v1 && !CONFIG_CGROUP_V1)
		return fail(0, "this host uses cgroup v1; this build has no cgroup v1 support (CONFIG_CGROUP_V1)");
	if (!has_v1 && has_v2 && !CONFIG_CGROUP_V2)
		return fail(0, "this host uses cgroup v2; this build has no cgroup v2 support (CONFIG_CGROUP_V2)");
	/* The kernel lists the v2 hierarchy once it was mounted anywhere; a
	 * hybrid host uses it only where it is mounted now. */
	if (has_v2 && CONFIG_CGROUP_V2 && (!has_v1 || v2_mounted()))
		add_hier(cg, has_v1 ? "unified" : "", v2_own, true);
	if (cg->n == 0)
		return fail(0, "no cgroup hierarchy found in /proc/self/cgroup");
	/* The v2 entry of a hybrid host was added under its mount name; it
	 * has no controllers field of its own. */
	if (has_v1 && has_v2 && CONFIG_CGROUP_V2)
		cg->h[cg->n - 1].controllers[0] = '\0';
	return 0;
}

int cgroup_resolve(struct cgroup *cg, const char *cgroups_path, const char *id)
{
	unsigned i;
	int r = read_layout(cg);

	if (r)
		return r;
	if (cgroups_path && !cgroups_path[0])
		cgroups_path = NULL;
	for (i = 0; i < cg->n; i++) {
		struct cg_hier *h = &cg->h[i];

		r = join_path(h->path, sizeof(h->path), h->own, cgroups_path ? cgroups_path : id);
		if (r)
			return r;
		r = check_path(h->path);
		if (r)
			return r;
		if (!strcmp(h->path, "/"))
			return fail(0, "linux.cgroupsPath: the root cgroup cannot hold a container");
	}
	return 0;
}

/* Saved as "dir NUL path NUL" pairs, an empty path meaning the same as the
 * one before: on most hosts every hierarchy has the same path. */
size_t cgroup_save(const struct cgroup *cg, char *buf, size_t cap)
{
	size_t len = 0;
	unsigned i;

	for (i = 0; i < cg->n; i++) {
		bool same = i > 0 && !strcmp(cg->h[i].path, cg->h[i - 1].path);
		int n = fmt(buf + len, cap - len, "%s%c%s%c", cg->h[i].dir, 0,
				 same ? "" : cg->h[i].path, 0);

		if (n < 0 || (size_t)n >= cap - len)
			return 0;
		len += (size_t)n;
	}
	return len;
}

/* A recorded hierarchy names a directory under the cgroup root and an
 * absolute path below it, never a way out: a damaged record must not lead
 * delete to another directory. */
static bool sane_hier(const char *dir, const char *path)
{
	return !strchr(dir, '/') && strcmp(dir, ".") && strcmp(dir, "..") &&
	       (!path[0] || (path[0] == '/' && !strstr(path, "/../") &&
			     (strlen(path) < 3 || strcmp(path + strlen(path) - 3, "/.."))));
}

int cgroup_load(struct cgroup *cg, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	cg->n = 0;
	while (p < end && cg->n < CG_MAX_HIER) {
		const char *dir = p, *path = dir + strnlen(dir, (size_t)(end - dir)) + 1;
		struct cg_hier *h;

		if (path >= end)
			break;
		p = path + strnlen(path, (size_t)(end - path)) + 1;
		if (p > end)
			break;
		if (!sane_hier(dir, path)) {
			cg->n = 0;
			return -EBADMSG;
		}
		h = &cg->h[cg->n++];
		memset(h, 0, sizeof(*h));
		fmt(h->dir, sizeof(h->dir), "%s", dir);
		fmt(h->path, sizeof(h->path), "%s", path[0] || cg->n < 2 ? path : h[-1].path);
		h->v2 = !strcmp(dir, "unified") || !dir[0];
		if (!h->v2)
			fmt(h->controllers, sizeof(h->controllers), "%s%s",
				 !strcmp(dir, "systemd") ? "name=" : "", dir);
	}
	return 0;
}

static void hier_dir(const struct cg_hier *h, char *buf, size_t cap)
{
	fmt(buf, cap, "%s%s%s%s", CONFIG_CGROUP_ROOT, h->dir[0] ? "/" : "", h->dir,
		 h->path);
}

bool cgroup_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static bool has_controller(const struct cg_hier *h, const char *name)
{
	return cgroup_list_has(h->controllers, name);
}

const char *cgroup_dir(const struct cgroup *cg, const char *controller, char *buf, size_t cap)
{
	unsigned i;

	for (i = 0; i < cg->n; i++) {
		const struct cg_hier *h = &cg->h[i];

		if ((controller[0] ? has_controller(h, controller) : h->v2)) {
			hier_dir(h, buf, cap);
			return buf;
		}
	}
	return NULL;
}

/* The hierarchy to read process lists from: v2, else freezer, else any. */
static const struct cg_hier *procs_hier(const struct cgroup *cg)
{
	unsigned i;

	for (i = 0; i < cg->n; i++) {
		if (cg->h[i].v2 && !cg->h[i].dir[0])
			return &cg->h[i];
	}
	for (i = 0; i < cg->n; i++) {
		if (has_controller(&cg->h[i], "freezer"))
			return &cg->h[i];
	}
	return cg->n ? &cg->h[0] : NULL;
}

/* --- create, enter, destroy ------------------------------------------------------- */

static int mkdir_parents(const struct cg_hier *h, char *dir, size_t base_len, bool *created)
{
	char *p;

	*created = false;
	if (mkdir(dir, 0755) == 0) {
		*created = true;
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return fail(errno, "create cgroup %s", dir);
	/* Make the missing ancestors, each one a cgroup that cpuset must seed. */
	for (p = dir + base_len + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0755) == 0) {
			if (CONFIG_CGROUP_V1 && has_controller(h, "cpuset") && cgv1_init_cpuset(dir))
				return error_code();
		} else if (errno != EEXIST) {
			return fail(errno, "create cgroup %s", dir);
		}
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return fail(errno, "create cgroup %s", dir);
	*created = true;
	return 0;
}

static int check_empty(const char *dir)
{
	char buf[16];
	long n = cg_read(dir, "cgroup.procs", buf, sizeof(buf));

	if (n < 0)
		return fail((int)-n, "read %s/cgroup.procs", dir);
	if (n > 0)
		return fail(EBUSY, "cgroup %s already has processes", dir);
	return 0;
}

static int create_one(struct cg_hier *h, const struct resources_cfg *res)
{
	char dir[CG_PATH_MAX + 128];
	size_t base_len = strlen(CONFIG_CGROUP_ROOT) + (h->dir[0] ? strlen(h->dir) + 1 : 0);
	int r;

	hier_dir(h, dir, sizeof(dir));
	/* On a hybrid host only when something there is asked for (hugetlb,
	 * unified keys): the host's unified hierarchy is otherwise left as
	 * it is, and the default bundle pays no system call for it. */
	if (h->v2 && CONFIG_CGROUP_V2 && (!h->dir[0] || res->nhugepages || res->nunified)) {
		char root[CG_PATH_MAX];

		fmt(root, sizeof(root), "%s%s%s", CONFIG_CGROUP_ROOT, h->dir[0] ? "/" : "", h->dir);
		r = cgv2_enable_controllers(root, h->path);
		if (r)
			return r;
	}
	r = mkdir_parents(h, dir, base_len, &h->created);
	if (r)
		return r;
	if (!h->created && (r = check_empty(dir)))
		return r;
	if (CONFIG_CGROUP_V1 && !h->v2) {
		if (h->created && has_controller(h, "cpuset") && (r = cgv1_init_cpuset(dir)))
			return r;
		if (has_controller(h, "devices") && (r = cgv1_devices(dir, res)))
			return r;
		return cgv1_apply(dir, h->controllers, res);
	}
	if (CONFIG_CGROUP_V2 && h->v2)
		return cgv2_apply(dir, res, h->dir[0] != '\0');
	return 0;
}

int cgroup_create(struct cgroup *cg, const struct resources_cfg *res)
{
	unsigned i;
	int r;

	for (i = 0; i < cg->n; i++) {
		r = create_one(&cg->h[i], res);
		if (r) {
			error_prefix("cgroup: ");
			return r;
		}
	}
	return 0;
}

static int enter(const struct cgroup *cg, const char *v1_file, const char *who, bool skip_v2)
{
	char dir[CG_PATH_MAX + 128];
	unsigned i;
	int r;

	for (i = 0; i < cg->n; i++) {
		if (skip_v2 && cg->h[i].v2)
			continue;
		hier_dir(&cg->h[i], dir, sizeof(dir));
		r = cg_write(dir, cg->h[i].v2 ? "cgroup.procs" : v1_file, who);
		if (r)
			return r;
	}
	return 0;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid, bool skip_v2)
{
	char num[16];

	fmt(num, sizeof(num), "%d", (int)pid);
	return enter(cg, "cgroup.procs", num, skip_v2);
}

/* A pid written to a v1 cgroup.procs takes a global lock whose writer waits
 * for an RCU grace period, 10 ms and more when none is under way; "0"
 * written to tasks moves the calling thread without it.  The init is
 * single-threaded: the thread is the whole process. */
int cgroup_enter_self(const struct cgroup *cg, bool skip_v2)
{
	return enter(cg, "tasks", "0", skip_v2);
}

int cgroup_v2_dirfd(const struct cgroup *cg)
{
	char dir[CG_PATH_MAX + 128];
	unsigned i;

	for (i = 0; i < cg->n; i++) {
		if (cg->h[i].v2) {
			hier_dir(&cg->h[i], dir, sizeof(dir));
			return openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
	}
	return -1;
}

int cgroup_pids(const struct cgroup *cg, pid_t *pids, unsigned max)
{
	static char text[65536];
	const struct cg_hier *h = procs_hier(cg);
	char dir[CG_PATH_MAX + 128];
	unsigned n = 0;
	char *p;
	long len;

	if (!h)
		return 0;
	hier_dir(h, dir, sizeof(dir));
	len = cg_read(dir, "cgroup.procs", text, sizeof(text));
	if (len < 0)
		return (int)len;
	for (p = text; *p && n < max;) {
		long v = 0;

		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		if (v > 0)
			pids[n++] = (pid_t)v;
		while (*p && (*p < '0' || *p > '9'))
			p++;
	}
	return (int)n;
}

int cgroup_signal_all(const struct cgroup *cg, int sig)
{
	static pid_t pids[4096];
	int n = cgroup_pids(cg, pids, sizeof(pids) / sizeof(pids[0])), i;

	if (n < 0)
		return n == -ENOENT ? 0 : fail(-n, "list the processes of the container's cgroup");
	for (i = 0; i < n; i++)
		kill(pids[i], sig);
	return n;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Removes what it can; returns how many directories still hold
 * processes, or -errno. */
static int remove_dirs(const struct cgroup *cg, unsigned tries_left)
{
	char dir[CG_PATH_MAX + 128];
	unsigned i;
	int busy = 0;

	for (i = 0; i < cg->n; i++) {
		hier_dir(&cg->h[i], dir, sizeof(dir));
		if (rmdir(dir) == 0 || errno == ENOENT)
			continue;
		if (errno != EBUSY || !tries_left)
			return fail(errno, "remove cgroup %s", dir);
		busy++;
	}
	return busy;
}

int cgroup_destroy(const struct cgroup *cg, bool kill_left)
{
	unsigned tries;
	int busy;

	/* A stopped container's cgroups are empty: removing them is all. */
	busy = remove_dirs(cg, 1);
	if (busy <= 0)
		return busy;
	if (kill_left) {
		/* Frozen tasks do not die until thawed (v1). */
		cgroup_freeze(cg, false);
		error_clear();
		for (tries = 0; tries < 200 && cgroup_signal_all(cg, SIGKILL) > 0; tries++)
			pause_ms(tries < 10 ? 1 : 10);
	}
	/* A process that just died may still be leaving its cgroup. */
	for (tries = 100; (busy = remove_dirs(cg, tries)) > 0; tries--)
		pause_ms(tries > 90 ? 1 : 10);
	return busy;
}

int cgroup_undo(const struct cgroup *cg)
{
	static struct cgroup mine;
	unsigned i;

	mine.n = 0;
	for (i = 0; i < cg->n; i++) {
		if (cg->h[i].created)
			mine.h[mine.n++] = cg->h[i];
	}
	return mine.n ? cgroup_destroy(&mine, true) : 0;
}

int cgroup_freeze(const struct cgroup *cg, bool frozen)
{
	char dir[CG_PATH_MAX + 128], state[32];
	unsigned tries;
	int r;

	if (CONFIG_CGROUP_V2 && cgroup_dir(cg, "", dir, sizeof(dir)) && procs_hier(cg)->v2) {
		r = cg_write(dir, "cgroup.freeze", frozen ? "1" : "0");
		if (r)
			return r;
		for (tries = 0; tries < 1000; tries++) {
			if (cg_read(dir, "cgroup.events", state, sizeof(state)) < 0)
				break;
			if (strstr(state, frozen ? "frozen 1" : "frozen 0"))
				return 0;
			pause_ms(1);
		}
		return fail(ETIMEDOUT, "%s %s", frozen ? "freeze" : "thaw", dir);
	}
	if (!cgroup_dir(cg, "freezer", dir, sizeof(dir)))
		return fail(ENOTSUP, "no freezer cgroup for the container");
	r = cg_write(dir, "freezer.state", frozen ? "FROZEN" : "THAWED");
	if (r)
		return r;
	for (tries = 0; tries < 1000; tries++) {
		if (cg_read(dir, "freezer.state", state, sizeof(state)) < 0)
			return fail(errno, "read %s/freezer.state", dir);
		if (!strncmp(state, frozen ? "FROZEN" : "THAWED", 6))
			return 0;
		/* A task stuck on its way to the freezer needs a nudge. */
		if (frozen && tries % 10 == 9)
			cg_write(dir, "freezer.state", "FROZEN");
		pause_ms(1);
	}
	return fail(ETIMEDOUT, "%s %s", frozen ? "freeze" : "thaw", dir);
}

int cgroup_update(const struct cgroup *cg, const struct resources_cfg *res)
{
	char dir[CG_PATH_MAX + 128];
	unsigned i;
	int r;

	for (i = 0; i < cg->n; i++) {
		const struct cg_hier *h = &cg->h[i];

		hier_dir(h, dir, sizeof(dir));
		if (CONFIG_CGROUP_V1 && !h->v2)
			r = cgv1_apply(dir, h->controllers, res);
		else if (CONFIG_CGROUP_V2 && h->v2)
			r = cgv2_apply(dir, res, h->dir[0] != '\0');
		else
			r = 0;
		if (r)
			return r;
	}
	return 0;
}
