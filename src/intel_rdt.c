/* linux.intelRdt: a resctrl group for the container (config-linux.md,
 * "IntelRdt"), made by the runtime once the init exists, removed by delete
 * when the runtime made it. */
#include "container.h"
#include "error.h"
#include "format.h"
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define RESCTRL "/sys/fs/resctrl"
#define RDTGROUP_SUPER_MAGIC 0x7655821

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[512];
	size_t len = strlen(text);
	int fd;

	fmt(path, sizeof(path), "%s/%s", dir, file);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "intelRdt: open %s", path);
	if (write(fd, text, len) != (ssize_t)len) {
		int e = errno;

		close(fd);
		return fail(e, "intelRdt: write \"%s\" to %s", text, path);
	}
	close(fd);
	return 0;
}

/* An existing group must already hold the schema the config asks for. */
static int check_schema(const char *dir, const char *want)
{
	char path[512], have[4096];
	ssize_t n;
	int fd;

	if (!want)
		return 0;
	fmt(path, sizeof(path), "%s/schemata", dir);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "intelRdt: open %s", path);
	n = read(fd, have, sizeof(have) - 1);
	close(fd);
	have[n > 0 ? n : 0] = '\0';
	if (!strstr(have, want))
		return fail(0, "intelRdt: %s does not hold \"%s\"", path, want);
	return 0;
}

static void group_dir(const struct ctx *c, char *dir, size_t cap)
{
	const struct intel_rdt_cfg *r = &c->spec->linux.intel_rdt;
	const char *clos = r->clos_id ? r->clos_id : c->o->id;

	if (!strcmp(clos, "/"))
		fmt(dir, cap, "%s", RESCTRL);
	else
		fmt(dir, cap, "%s/%s", RESCTRL, clos);
}

/* What delete removes: the group when it is the container's own (no
 * closID), and the monitoring group; decided before anything is made, so
 * that a create killed half way leaves delete what to undo. */
void rdt_record(const struct ctx *c, struct data_writer *w)
{
	const struct intel_rdt_cfg *r = &c->spec->linux.intel_rdt;
	char dir[256], mon[320];

	if (!c->spec->linux.has_intel_rdt)
		return;
	group_dir(c, dir, sizeof(dir));
	if (r->enable_monitoring) {
		fmt(mon, sizeof(mon), "%s/mon_groups/%s", dir, c->o->id);
		data_put_str(w, TAG_RDT_GROUP, mon);
	}
	if (!r->clos_id)
		data_put_str(w, TAG_RDT_GROUP, dir);
}

int rdt_apply(struct ctx *c)
{
	const struct intel_rdt_cfg *r = &c->spec->linux.intel_rdt;
	bool schemas = r->l3_cache_schema || r->mem_bw_schema || r->schemata.n;
	char dir[256], pid[16], mon[320];
	struct statfs sf;
	bool made = false;
	unsigned i;
	int e;

	if (!c->spec->linux.has_intel_rdt)
		return 0;
	if (statfs(RESCTRL, &sf) < 0 || sf.f_type != RDTGROUP_SUPER_MAGIC)
		return fail(ENOTSUP, "linux.intelRdt: no resctrl file system mounted at " RESCTRL);
	if (r->clos_id && strchr(r->clos_id, '/') && strcmp(r->clos_id, "/"))
		return fail(0, "linux.intelRdt.closID %s: not a group name", r->clos_id);
	group_dir(c, dir, sizeof(dir));
	if (!r->clos_id) {
		if (mkdir(dir, 0755) < 0)
			return fail(errno, "linux.intelRdt: create %s", dir);
		made = true;
	} else if (strcmp(r->clos_id, "/") && schemas && mkdir(dir, 0755) == 0) {
		made = true;
	} else if (access(dir, F_OK) < 0) {
		return fail(errno, "linux.intelRdt: the group %s", dir);
	}
	if (!made && ((e = check_schema(dir, r->l3_cache_schema)) || (e = check_schema(dir, r->mem_bw_schema))))
		return e;
	if (made && r->l3_cache_schema && (e = write_file(dir, "schemata", r->l3_cache_schema)))
		return e;
	if (made && r->mem_bw_schema && (e = write_file(dir, "schemata", r->mem_bw_schema)))
		return e;
	for (i = 0; i < r->schemata.n; i++) {
		if ((e = write_file(dir, "schemata", r->schemata.v[i])))
			return e;
	}
	fmt(pid, sizeof(pid), "%d", (int)c->pid);
	if ((e = write_file(dir, "tasks", pid)))
		return e;
	if (r->enable_monitoring) {
		fmt(mon, sizeof(mon), "%s/mon_groups/%s", dir, c->o->id);
		if (mkdir(mon, 0755) < 0)
			return fail(errno, "linux.intelRdt: create the monitoring group %s", mon);
		if ((e = write_file(mon, "tasks", pid)))
			return e;
	}
	return 0;
}

/* delete: the recorded groups, monitoring group first. */
void rdt_remove(const struct container *rec)
{
	struct data_iter it = { rec->data, rec->data + rec->data_len };
	const unsigned char *p;
	unsigned tag;
	size_t len;

	while (data_next(&it, &tag, &p, &len)) {
		if (tag == TAG_RDT_GROUP && len && p[len - 1] == '\0')
			rmdir((const char *)p);
	}
}
