/* update: new resources for a running container, from JSON (as Docker and
 * podman send them) or from runc's flags. */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct container rec;
static struct spec spec;
static char json[65536];

static int read_resources(const char *path)
{
	int fd = strcmp(path, "-") ? openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC) : 0;
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return fail(errno, "update: open %s", path);
	while (len < sizeof(json) - 1 && (n = read(fd, json + len, sizeof(json) - 1 - len)) > 0)
		len += (size_t)n;
	if (fd)
		close(fd);
	if (len >= sizeof(json) - 1)
		return fail(0, "update: %s is larger than %zu bytes", path, sizeof(json) - 1);
	return spec_parse_resources(&spec, json, len);
}

/* 512, 64k, 256m, 1g: bytes in powers of 1024, as runc takes them; -1
 * for unlimited. */
static int parse_size(const char *opt, const char *text, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text)
		return fail(0, "update --%s: expected a number, got %s", opt, text);
	switch (*end | 0x20) {
	case 'k':
		v *= 1024;
		end++;
		break;
	case 'm':
		v *= 1024 * 1024;
		end++;
		break;
	case 'g':
		v *= 1024LL * 1024 * 1024;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end)
		return fail(0, "update --%s: expected a number, got %s", opt, text);
	*out = v;
	return 0;
}

struct flag {
	const char *name;
	const char *value;
};

static int apply_flags(const struct flag *f, unsigned n)
{
	struct resources_cfg *r = &spec.linux.resources;
	unsigned i;
	int64_t v = 0;

	for (i = 0; i < n; i++) {
		const char *name = f[i].name, *text = f[i].value;

		if (!text)
			continue;
		if (!strcmp(name, "cpuset-cpus")) {
			r->cpus = text;
			r->has_cpu = true;
			continue;
		}
		if (!strcmp(name, "cpuset-mems")) {
			r->mems = text;
			r->has_cpu = true;
			continue;
		}
		if (parse_size(name, text, &v))
			return error_code();
		if (!strcmp(name, "memory")) {
			r->has_memory = r->has_mem_limit = true;
			r->mem_limit = v;
		} else if (!strcmp(name, "memory-swap")) {
			r->has_memory = r->has_mem_swap = true;
			r->mem_swap = v;
		} else if (!strcmp(name, "memory-reservation")) {
			r->has_memory = r->has_mem_reservation = true;
			r->mem_reservation = v;
		} else if (!strcmp(name, "kernel-memory")) {
			r->has_memory = r->has_mem_kernel = true;
			r->mem_kernel = v;
		} else if (!strcmp(name, "kernel-memory-tcp")) {
			r->has_memory = r->has_mem_kernel_tcp = true;
			r->mem_kernel_tcp = v;
		} else if (!strcmp(name, "cpu-shares")) {
			r->has_cpu = r->has_cpu_shares = true;
			r->cpu_shares = (uint64_t)v;
		} else if (!strcmp(name, "cpu-quota")) {
			r->has_cpu = r->has_cpu_quota = true;
			r->cpu_quota = v;
		} else if (!strcmp(name, "cpu-period")) {
			r->has_cpu = r->has_cpu_period = true;
			r->cpu_period = (uint64_t)v;
		} else if (!strcmp(name, "cpu-rt-runtime")) {
			r->has_cpu = r->has_cpu_rt_runtime = true;
			r->cpu_rt_runtime = v;
		} else if (!strcmp(name, "cpu-rt-period")) {
			r->has_cpu = r->has_cpu_rt_period = true;
			r->cpu_rt_period = (uint64_t)v;
		} else if (!strcmp(name, "pids-limit")) {
			r->has_pids = true;
			r->pids_limit = v;
		} else if (!strcmp(name, "blkio-weight")) {
			if (v < 0 || v > 65535)
				return fail(0, "update --blkio-weight: %lld out of range", (long long)v);
			r->has_blkio = r->has_blkio_weight = true;
			r->blkio_weight = (uint16_t)v;
		}
	}
	return 0;
}

static int update(const char *root, const char *id)
{
	struct cgroup cg;
	enum cstatus st;

	if (state_load(root, id, STATE_LOCK, &rec))
		return error_code();
	st = state_status(&rec);
	if (st == STATUS_STOPPED)
		return fail(0, "container %s is stopped", id);
	if (!record_cgroup(&rec, &cg))
		return fail(ENOTSUP, "container %s has no cgroup", id);
	return cgroup_update(&cg, &spec.linux.resources);
}

int cmd_update(struct global *g, int argc, char **argv)
{
	struct flag flags[] = {
		{ "memory", NULL }, { "memory-swap", NULL }, { "memory-reservation", NULL },
		{ "kernel-memory", NULL }, { "kernel-memory-tcp", NULL }, { "cpu-shares", NULL },
		{ "cpu-quota", NULL }, { "cpu-period", NULL }, { "cpu-rt-runtime", NULL },
		{ "cpu-rt-period", NULL }, { "cpuset-cpus", NULL }, { "cpuset-mems", NULL },
		{ "pids-limit", NULL }, { "blkio-weight", NULL },
	};
	const char *resources = NULL;
	bool help = false;
	struct opt opts[sizeof(flags) / sizeof(flags[0]) + 2];
	unsigned k, n = sizeof(flags) / sizeof(flags[0]);
	int i = 1, r;

	for (k = 0; k < n; k++)
		opts[k] = (struct opt){ flags[k].name, 0, OPT_STR, &flags[k].value };
	opts[n] = (struct opt){ "resources", 'r', OPT_STR, &resources };
	opts[n + 1] = (struct opt){ NULL, 0, OPT_BOOL, NULL };
	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("update", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("update"));
		return 0;
	}
	if (argc - i != 1)
		return cli_usage_error("update", "expected one container id");
	spec_reset(&spec);
	if ((resources && read_resources(resources)) || apply_flags(flags, n))
		return cli_fail();
	r = update(g->root, argv[i]);
	state_close(&rec);
	return r ? cli_fail() : 0;
}
