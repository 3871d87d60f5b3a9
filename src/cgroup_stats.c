/* Statistics and OOM notifications of a container's cgroup, for `events`,
 * in the shape runc prints them. */
#include "cgroup.h"
#include "error.h"
#include "format.h"
#include "json_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

/* v2 writes "max" for no limit; runc reports it as the largest value. */
static uint64_t read_u64(const char *dir, const char *file)
{
	char buf[32];

	if (!dir || cg_read(dir, file, buf, sizeof(buf)) <= 0)
		return 0;
	if (!strncmp(buf, "max", 3))
		return UINT64_MAX;
	return strtoull(buf, NULL, 10);
}

/* The value of key in a "key value" per line file (cpu.stat, memory.stat). */
static uint64_t read_key(const char *dir, const char *file, const char *key)
{
	char buf[4096], *p;
	size_t n = strlen(key);

	if (!dir || cg_read(dir, file, buf, sizeof(buf)) <= 0)
		return 0;
	for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, n) && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
	}
	return 0;
}

static void put(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

static void raw_map(struct jw *w, const char *dir, const char *file)
{
	static char buf[8192];
	char *line, *save = NULL;

	jw_key(w, "raw");
	jw_obj_begin(w);
	if (dir && cg_read(dir, file, buf, sizeof(buf)) > 0) {
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');

			if (!sp)
				continue;
			*sp = '\0';
			put(w, line, strtoull(sp + 1, NULL, 10));
		}
	}
	jw_obj_end(w);
}

static void percpu(struct jw *w, const char *dir)
{
	char buf[4096], *p, *end;

	jw_key(w, "percpu");
	jw_arr_begin(w);
	if (dir && cg_read(dir, "cpuacct.usage_percpu", buf, sizeof(buf)) > 0) {
		for (p = buf;; p = end) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			jw_uint(w, v);
		}
	}
	jw_arr_end(w);
}

static void usage(struct jw *w, const char *key, uint64_t limit, uint64_t used, uint64_t max, uint64_t failcnt)
{
	jw_key(w, key);
	jw_obj_begin(w);
	put(w, "limit", limit);
	put(w, "usage", used);
	put(w, "max", max);
	put(w, "failcnt", failcnt);
	jw_obj_end(w);
}

static void stats_v1(const struct cgroup *cg, struct jw *w)
{
	char cpu[CG_PATH_MAX + 64], acct[CG_PATH_MAX + 64], mem[CG_PATH_MAX + 64], pids[CG_PATH_MAX + 64];
	const char *c = cgroup_dir(cg, "cpu", cpu, sizeof(cpu));
	const char *a = cgroup_dir(cg, "cpuacct", acct, sizeof(acct));
	const char *m = cgroup_dir(cg, "memory", mem, sizeof(mem));
	const char *p = cgroup_dir(cg, "pids", pids, sizeof(pids));
	uint64_t tick = (uint64_t)(1000000000 / sysconf(_SC_CLK_TCK));

	jw_key(w, "cpu");
	jw_obj_begin(w);
	jw_key(w, "usage");
	jw_obj_begin(w);
	put(w, "total", read_u64(a, "cpuacct.usage"));
	percpu(w, a);
	put(w, "kernel", read_key(a, "cpuacct.stat", "system") * tick);
	put(w, "user", read_key(a, "cpuacct.stat", "user") * tick);
	jw_obj_end(w);
	jw_key(w, "throttling");
	jw_obj_begin(w);
	put(w, "periods", read_key(c, "cpu.stat", "nr_periods"));
	put(w, "throttledPeriods", read_key(c, "cpu.stat", "nr_throttled"));
	put(w, "throttledTime", read_key(c, "cpu.stat", "throttled_time"));
	jw_obj_end(w);
	jw_obj_end(w);
	jw_key(w, "memory");
	jw_obj_begin(w);
	usage(w, "usage", read_u64(m, "memory.limit_in_bytes"), read_u64(m, "memory.usage_in_bytes"),
	      read_u64(m, "memory.max_usage_in_bytes"), read_u64(m, "memory.failcnt"));
	usage(w, "swap", read_u64(m, "memory.memsw.limit_in_bytes"), read_u64(m, "memory.memsw.usage_in_bytes"),
	      read_u64(m, "memory.memsw.max_usage_in_bytes"), read_u64(m, "memory.memsw.failcnt"));
	usage(w, "kernel", read_u64(m, "memory.kmem.limit_in_bytes"), read_u64(m, "memory.kmem.usage_in_bytes"),
	      read_u64(m, "memory.kmem.max_usage_in_bytes"), read_u64(m, "memory.kmem.failcnt"));
	raw_map(w, m, "memory.stat");
	jw_obj_end(w);
	jw_key(w, "pids");
	jw_obj_begin(w);
	put(w, "current", read_u64(p, "pids.current"));
	put(w, "limit", read_u64(p, "pids.max"));
	jw_obj_end(w);
}

static void stats_v2(const char *d, struct jw *w)
{
	jw_key(w, "cpu");
	jw_obj_begin(w);
	jw_key(w, "usage");
	jw_obj_begin(w);
	put(w, "total", read_key(d, "cpu.stat", "usage_usec") * 1000);
	jw_key(w, "percpu");
	jw_arr_begin(w);
	jw_arr_end(w);
	put(w, "kernel", read_key(d, "cpu.stat", "system_usec") * 1000);
	put(w, "user", read_key(d, "cpu.stat", "user_usec") * 1000);
	jw_obj_end(w);
	jw_key(w, "throttling");
	jw_obj_begin(w);
	put(w, "periods", read_key(d, "cpu.stat", "nr_periods"));
	put(w, "throttledPeriods", read_key(d, "cpu.stat", "nr_throttled"));
	put(w, "throttledTime", read_key(d, "cpu.stat", "throttled_usec") * 1000);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_key(w, "memory");
	jw_obj_begin(w);
	usage(w, "usage", read_u64(d, "memory.max"), read_u64(d, "memory.current"), read_u64(d, "memory.peak"),
	      read_key(d, "memory.events", "max"));
	usage(w, "swap", read_u64(d, "memory.swap.max"), read_u64(d, "memory.swap.current"), 0,
	      read_key(d, "memory.swap.events", "max"));
	raw_map(w, d, "memory.stat");
	jw_obj_end(w);
	jw_key(w, "pids");
	jw_obj_begin(w);
	put(w, "current", read_u64(d, "pids.current"));
	put(w, "limit", read_u64(d, "pids.max"));
	jw_obj_end(w);
}

static bool v2_only(const struct cgroup *cg)
{
	return cg->n == 1 && cg->h[0].v2 && !cg->h[0].dir[0];
}

void cgroup_stats(const struct cgroup *cg, struct jw *w)
{
	char dir[CG_PATH_MAX + 64];

	jw_obj_begin(w);
	if (CONFIG_CGROUP_V2 && v2_only(cg) && cgroup_dir(cg, "", dir, sizeof(dir)))
		stats_v2(dir, w);
	else
		stats_v1(cg, w);
	jw_obj_end(w);
}

/* v1: an eventfd registered on memory.oom_control; v2: inotify on
 * memory.events, whose oom_kill count tells what happened. */
int cgroup_oom_open(const struct cgroup *cg)
{
	char dir[CG_PATH_MAX + 64], path[CG_PATH_MAX + 96], reg[64];
	int efd, cfd;

	if (CONFIG_CGROUP_V2 && v2_only(cg) && cgroup_dir(cg, "", dir, sizeof(dir))) {
		int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

		fmt(path, sizeof(path), "%s/memory.events", dir);
		if (fd < 0 || inotify_add_watch(fd, path, IN_MODIFY) < 0)
			return fail(errno, "watch %s", path);
		return fd;
	}
	if (!cgroup_dir(cg, "memory", dir, sizeof(dir)))
		return fail(ENOTSUP, "no memory cgroup to watch for OOM");
	fmt(path, sizeof(path), "%s/memory.oom_control", dir);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	cfd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (efd < 0 || cfd < 0)
		return fail(errno, "open %s", path);
	fmt(reg, sizeof(reg), "%d %d", efd, cfd);
	if (cg_write(dir, "cgroup.event_control", reg))
		return error_code();
	return efd;
}

int cgroup_oom_count(const struct cgroup *cg, int fd, uint64_t *last)
{
	char dir[CG_PATH_MAX + 64], buf[256];
	uint64_t n;

	if (CONFIG_CGROUP_V2 && v2_only(cg) && cgroup_dir(cg, "", dir, sizeof(dir))) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		n = read_key(dir, "memory.events", "oom_kill");
		if (n > *last) {
			uint64_t d = n - *last;

			*last = n;
			return (int)d;
		}
		return 0;
	}
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return (int)n;
}
