/* libFuzzer target: the config.json parser on arbitrary bytes.
 *
 * Each input goes, as the runtime reads them, through
 *   spec_parse()            config.json (create, run, exec)
 *   spec_parse_process()    exec --process FILE, after the config (as exec)
 *   spec_parse_resources()  update --resources FILE
 * each on its own heap copy of exactly len + 1 bytes, so that AddressSanitizer
 * sees any read or write past the end that the parsers' contract forbids.
 * After a successful parse every string the tables point at is read once:
 * a pointer outside the input (or into a freed copy) is caught there.
 *
 * Built by tests/fuzz/fuzz.mk; see tests/fuzz/README.md. */
#include "spec.h"
#include "error.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct spec spec;
static volatile size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void touch_strv(const struct strv *sv)
{
	unsigned i;

	if (!sv->v) {
		if (sv->n)
			abort();	/* a count without a vector */
		return;
	}
	for (i = 0; i < sv->n; i++) {
		if (!sv->v[i])
			abort();	/* a hole in an argv */
		touch(sv->v[i]);
	}
	if (sv->v[sv->n])
		abort();	/* argv and envp go to execve as they are */
}

static void touch_process(const struct process_cfg *p)
{
	touch(p->cwd);
	touch_strv(&p->args);
	touch_strv(&p->env);
	touch(p->user.username);
	touch(p->apparmor_profile);
	touch(p->selinux_label);
	touch(p->cpu_initial);
	touch(p->cpu_final);
	if (p->user.ngids > CONFIG_MAX_ADDITIONAL_GIDS)
		abort();
}

static void touch_resources(const struct resources_cfg *r)
{
	unsigned i, k;

	if (r->ndevices > CONFIG_MAX_DEVICE_RULES || r->nhugepages > CONFIG_MAX_KV ||
	    r->nnet_prio > CONFIG_MAX_KV || r->nrdma > CONFIG_MAX_KV || r->nunified > CONFIG_MAX_KV)
		abort();
	touch(r->cpus);
	touch(r->mems);
	for (i = 0; i < r->ndevices; i++)
		sink += strnlen(r->devices[i].access, sizeof(r->devices[i].access));
	for (k = 0; k < BLKIO_LISTS; k++) {
		if (r->nblkio[k] > CONFIG_MAX_BLKIO_DEVICES)
			abort();
	}
	for (i = 0; i < r->nhugepages; i++)
		touch(r->hugepages[i].page_size);
	for (i = 0; i < r->nnet_prio; i++)
		touch(r->net_prio[i].name);
	for (i = 0; i < r->nrdma; i++)
		touch(r->rdma[i].device);
	for (i = 0; i < r->nunified; i++) {
		touch(r->unified[i].key);
		touch(r->unified[i].value);
	}
}

static void touch_spec(const struct spec *s)
{
	const struct linux_cfg *l = &s->linux;
	unsigned i, k;

	touch(s->oci_version);
	touch(s->root_path);
	touch(s->hostname);
	touch(s->domainname);
	if (s->has_process)
		touch_process(&s->process);
	if (s->nmounts > CONFIG_MAX_MOUNTS || s->nannotations > CONFIG_MAX_ANNOTATIONS ||
	    s->nstrings > CONFIG_MAX_STRINGS)
		abort();
	for (i = 0; i < s->nmounts; i++) {
		const struct mount_cfg *m = &s->mounts[i];

		touch(m->destination);
		touch(m->source);
		touch(m->type);
		touch(m->data);
		if ((unsigned)m->uid_off + m->uid_n > CONFIG_MAX_ID_MAPPINGS * 2 ||
		    (unsigned)m->gid_off + m->gid_n > CONFIG_MAX_ID_MAPPINGS * 2)
			abort();
	}
	for (k = 0; k < HOOK_KINDS; k++) {
		if (s->nhooks[k] > CONFIG_MAX_HOOKS)
			abort();
		for (i = 0; i < s->nhooks[k]; i++) {
			touch(s->hooks[k][i].path);
			touch_strv(&s->hooks[k][i].args);
			touch_strv(&s->hooks[k][i].env);
		}
	}
	for (i = 0; i < s->nannotations; i++) {
		touch(s->annotations[i].key);
		touch(s->annotations[i].value);
	}
	if (!s->has_linux)
		return;
	for (k = 0; k < NS_TYPES; k++)
		touch(l->ns[k].path);
	if (l->nuid_mappings > CONFIG_MAX_ID_MAPPINGS || l->ngid_mappings > CONFIG_MAX_ID_MAPPINGS ||
	    l->ndevices > CONFIG_MAX_DEVICES || l->nnet_devices > CONFIG_MAX_KV ||
	    l->nsysctl > CONFIG_MAX_KV)
		abort();
	for (i = 0; i < l->ndevices; i++)
		touch(l->devices[i].path);
	for (i = 0; i < l->nnet_devices; i++) {
		touch(l->net_devices[i].key);
		touch(l->net_devices[i].value);
	}
	touch(l->cgroups_path);
	if (l->has_resources)
		touch_resources(&l->resources);
	for (i = 0; i < l->nsysctl; i++) {
		touch(l->sysctl[i].key);
		touch(l->sysctl[i].value);
	}
	if (l->has_seccomp) {
		touch(l->seccomp.listener_path);
		touch(l->seccomp.listener_metadata);
#if CONFIG_SECCOMP
		if (l->seccomp.nrules > CONFIG_MAX_SECCOMP_RULES)
			abort();
		for (i = 0; i < l->seccomp.nrules; i++) {
			touch_strv(&l->seccomp.rules[i].names);
			if (l->seccomp.rules[i].nargs > SECCOMP_MAX_ARGS)
				abort();
		}
#endif
	}
	touch_strv(&l->masked_paths);
	touch_strv(&l->readonly_paths);
	touch(l->mount_label);
	if (l->has_intel_rdt) {
		touch(l->intel_rdt.clos_id);
		touch(l->intel_rdt.l3_cache_schema);
		touch(l->intel_rdt.mem_bw_schema);
		touch_strv(&l->intel_rdt.schemata);
	}
	if (l->has_memory_policy)
		touch(l->memory_policy.nodes);
}

/* The input in a heap block of exactly len + 1 bytes, as the parsers ask. */
static char *copy_of(const uint8_t *data, size_t len)
{
	char *buf = malloc(len + 1);

	if (!buf)
		abort();
	if (len)
		memcpy(buf, data, len);
	/* The parsers may not rely on what the spare byte holds. */
	buf[len] = (char)0xa5;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *config, *process, *resources;

	if (size > CONFIG_MAX_CONFIG_SIZE)
		return -1;

	/* create: the whole config. */
	config = copy_of(data, size);
	error_clear();
	if (spec_parse(&spec, config, size) == 0) {
		if (error_set())
			abort();	/* success with an error recorded */
		touch_spec(&spec);
	} else if (!error_set() || !error_msg()[0]) {
		abort();		/* a refusal must say why */
	}

	/* exec --process: on top of the config just parsed, as exec does. */
	process = copy_of(data, size);
	error_clear();
	if (spec_parse_process(&spec, process, size) == 0) {
		if (!spec.has_process)
			abort();
		touch_process(&spec.process);
	} else if (!error_set()) {
		abort();
	}

	/* update --resources: a fresh table, as update has. */
	resources = copy_of(data, size);
	error_clear();
	spec_reset(&spec);
	if (spec_parse_resources(&spec, resources, size) == 0)
		touch_resources(&spec.linux.resources);
	else if (!error_set())
		abort();

	free(resources);
	free(process);
	free(config);
	return 0;
}
