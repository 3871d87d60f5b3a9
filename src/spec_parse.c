/* config.json: the top level, root, mounts, hooks, annotations.  The process
 * object is in spec_process.c, linux in spec_linux.c, its resources in
 * spec_resources.c. */
#include "format.h"
#include "spec.h"
#include "spec_walk.h"
#include "spec_internal.h"
#include "error.h"
#include "log.h"
#include "mount_opts.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const hook_kind_names[HOOK_KINDS] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

/* --- ociVersion -------------------------------------------------------------- */

static bool semver_number(const char **p)
{
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return false;
	if (*s == '0' && s[1] >= '0' && s[1] <= '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	*p = s;
	return true;
}

static bool semver_ident_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated identifiers; numeric ones without leading zeros when
 * leading_zero_rule is set (pre-release), as SemVer 2.0.0 says. */
static bool semver_idents(const char **p, bool leading_zero_rule)
{
	const char *s = *p;

	for (;;) {
		const char *start = s;
		bool numeric = true;

		while (semver_ident_char(*s)) {
			if (*s < '0' || *s > '9')
				numeric = false;
			s++;
		}
		if (s == start)
			return false;
		if (leading_zero_rule && numeric && *start == '0' && s - start > 1)
			return false;
		if (*s != '.')
			break;
		s++;
	}
	*p = s;
	return true;
}

int spec_check_version(const char *v)
{
	const char *p = v;

	if (!semver_number(&p) || *p++ != '.' || !semver_number(&p) || *p++ != '.' || !semver_number(&p))
		return fail(0, "ociVersion: \"%s\" is not a SemVer version", v);
	if (*p == '-' && (p++, !semver_idents(&p, true)))
		return fail(0, "ociVersion: \"%s\" has a bad pre-release tag", v);
	if (*p == '+' && (p++, !semver_idents(&p, false)))
		return fail(0, "ociVersion: \"%s\" has bad build metadata", v);
	if (*p)
		return fail(0, "ociVersion: \"%s\" is not a SemVer version", v);
	if (v[0] != '1' || v[1] != '.')
		return fail(0, "ociVersion: %s is not supported: this runtime implements 1.x (1.3.0)", v);
	return 0;
}

/* --- helpers for values that must be absolute paths ---------------------------- */

int walk_abs_path(struct walk *w, int tok, const char **out)
{
	int r = walk_str(w, tok, out);

	if (r)
		return r;
	if ((*out)[0] != '/')
		return walk_fail(w, "\"%s\" is not an absolute path", *out);
	return 0;
}

/* --- root -------------------------------------------------------------------- */

static const struct field root_fields[] = {
	{ .name = "path", .kind = F_STR, .off = offsetof(struct spec, root_path), .required = true },
	{ .name = "readonly", .kind = F_BOOL, .off = offsetof(struct spec, root_readonly) },
	{ 0 }
};

/* --- mounts ------------------------------------------------------------------ */

/* The options mount(2) does not know are joined with commas in place, over
 * the text of the options array itself: the joined string is never longer
 * than the JSON it replaces, and writing trails reading. */
static int p_mount_options(struct walk *w, int tok, void *obj)
{
	struct mount_cfg *m = obj;
	char *out;
	unsigned n, i;
	int t;

	if (!json_is_array(w->j, tok))
		return walk_expected(w, tok, "array of strings");
	n = (unsigned)w->j->tok[tok].size;
	if (n > CONFIG_MAX_MOUNT_OPTIONS)
		return walk_limit(w, n, CONFIG_MAX_MOUNT_OPTIONS, "CONFIG_MAX_MOUNT_OPTIONS");
	out = w->j->buf + w->j->tok[tok].start;
	m->data = NULL;
	for (i = 0, t = tok + 1; i < n; i++, t = json_next(w->j, t)) {
		const char *opt = json_str(w->j, t);
		size_t len;
		int known;

		if (!opt) {
			size_t saved = walk_push_index(w, i);
			int r = walk_expected(w, t, "string");

			walk_pop(w, saved);
			return r;
		}
		known = mount_opt_apply(m, opt);
		if (known < 0)
			return known;
		if (known || !*opt)
			continue;
		len = strlen(opt);
		if (m->data)
			*out++ = ',';
		else
			m->data = out;
		memmove(out, opt, len);
		out += len;
		*out = '\0';
	}
	return 0;
}

const struct field idmap_fields[] = {
	{ .name = "containerID", .kind = F_U32, .off = offsetof(struct idmap, container_id), .required = true },
	{ .name = "hostID", .kind = F_U32, .off = offsetof(struct idmap, host_id), .required = true },
	{ .name = "size", .kind = F_U32, .off = offsetof(struct idmap, size), .required = true },
	{ 0 }
};

static int p_mount_idmap(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct spec *spec = w->spec;

	if (spec->nmount_idmaps >= CONFIG_MAX_ID_MAPPINGS * 2)
		return walk_fail(w, "more than %u mount ID mappings in all (2 x CONFIG_MAX_ID_MAPPINGS)",
				 CONFIG_MAX_ID_MAPPINGS * 2);
	return walk_object(w, tok, idmap_fields, &spec->mount_idmaps[spec->nmount_idmaps++]);
}

static int p_mount_mappings(struct walk *w, int tok, struct mount_cfg *m, bool uid)
{
	unsigned short off = (unsigned short)w->spec->nmount_idmaps;
	int r;

	if (!walk_asks(w, tok))
		return json_is_array(w->j, tok) ? 0 : walk_expected(w, tok, "array");
	if (!CONFIG_IDMAP_MOUNTS)
		return walk_compiled_out(w, "CONFIG_IDMAP_MOUNTS");
	r = walk_array(w, tok, CONFIG_MAX_ID_MAPPINGS, "CONFIG_MAX_ID_MAPPINGS", p_mount_idmap, NULL);
	if (r)
		return r;
	if (uid) {
		m->uid_off = off;
		m->uid_n = (unsigned short)(w->spec->nmount_idmaps - off);
	} else {
		m->gid_off = off;
		m->gid_n = (unsigned short)(w->spec->nmount_idmaps - off);
	}
	m->kind |= MNT_HAS_MAPPINGS;
	return 0;
}

static int p_mount_uid_mappings(struct walk *w, int tok, void *obj)
{
	return p_mount_mappings(w, tok, obj, true);
}

static int p_mount_gid_mappings(struct walk *w, int tok, void *obj)
{
	return p_mount_mappings(w, tok, obj, false);
}

static int p_mount_destination(struct walk *w, int tok, void *obj)
{
	struct mount_cfg *m = obj;
	int r = walk_str(w, tok, &m->destination);

	if (!r && !m->destination[0])
		return walk_fail(w, "empty destination");
	return r;
}

static const struct field mount_fields[] = {
	{ .name = "destination", .kind = F_FN, .fn = p_mount_destination, .required = true },
	{ .name = "source", .kind = F_STR, .off = offsetof(struct mount_cfg, source) },
	{ .name = "type", .kind = F_STR, .off = offsetof(struct mount_cfg, type) },
	{ .name = "options", .kind = F_FN, .fn = p_mount_options },
	{ .name = "uidMappings", .kind = F_FN, .fn = p_mount_uid_mappings },
	{ .name = "gidMappings", .kind = F_FN, .fn = p_mount_gid_mappings },
	{ 0 }
};

static int p_mount(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct mount_cfg *m = &w->spec->mounts[i];
	int r;

	memset(m, 0, sizeof(*m));
	r = walk_object(w, tok, mount_fields, m);
	if (r)
		return r;
	if ((m->kind & MNT_HAS_MAPPINGS) && (!m->uid_n || !m->gid_n))
		return walk_fail(w, "uidMappings and gidMappings go together");
	if ((m->kind & MNT_HAS_MAPPINGS) && !(m->kind & MNT_IDMAP))
		return walk_fail(w, "uidMappings need the idmap or ridmap option");
	if (m->type && !strcmp(m->type, "cgroup"))
		m->kind |= MNT_CGROUP;
	w->spec->nmounts = i + 1;
	return 0;
}

static int p_mounts(struct walk *w, int tok, void *obj)
{
	struct spec *spec = obj;

	spec->nmounts = 0;
	spec->nmount_idmaps = 0;
	return walk_array(w, tok, CONFIG_MAX_MOUNTS, "CONFIG_MAX_MOUNTS", p_mount, NULL);
}

/* --- hooks ------------------------------------------------------------------- */

#if CONFIG_HOOKS
static int p_hook_path(struct walk *w, int tok, void *obj)
{
	return walk_abs_path(w, tok, &((struct hook_cfg *)obj)->path);
}

static int p_hook_timeout(struct walk *w, int tok, void *obj)
{
	struct hook_cfg *h = obj;
	int r = walk_i64(w, tok, &h->timeout, INT64_MIN, INT64_MAX);

	if (!r && h->timeout <= 0)
		return walk_fail(w, "must be greater than zero");
	return r;
}

static const struct field hook_fields[] = {
	{ .name = "path", .kind = F_FN, .fn = p_hook_path, .required = true },
	{ .name = "args", .kind = F_STRV, .off = offsetof(struct hook_cfg, args),
	  .max = CONFIG_MAX_ARGS, .symbol = "CONFIG_MAX_ARGS" },
	{ .name = "env", .kind = F_STRV, .off = offsetof(struct hook_cfg, env),
	  .max = CONFIG_MAX_ENV, .symbol = "CONFIG_MAX_ENV" },
	{ .name = "timeout", .kind = F_FN, .fn = p_hook_timeout },
	{ 0 }
};

static int p_hook(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct hook_cfg *h = (struct hook_cfg *)ctx + i;

	memset(h, 0, sizeof(*h));
	return walk_object(w, tok, hook_fields, h);
}

static int p_hooks(struct walk *w, int tok, void *obj)
{
	struct spec *spec = obj;
	unsigned n, k;
	int t;

	if (!json_is_object(w->j, tok))
		return walk_expected(w, tok, "object");
	n = (unsigned)w->j->tok[tok].size;
	for (k = 0, t = tok + 1; k < n; k++, t = json_next(w->j, t + 1)) {
		int kind = lookup_name(hook_kind_names, HOOK_KINDS, json_str(w->j, t));
		size_t saved;
		int r;

		if (kind < 0 || json_is_null(w->j, t + 1))
			continue;
		saved = walk_push_key(w, hook_kind_names[kind]);
		r = walk_array(w, t + 1, CONFIG_MAX_HOOKS, "CONFIG_MAX_HOOKS", p_hook, spec->hooks[kind]);
		walk_pop(w, saved);
		if (r)
			return r;
		spec->nhooks[kind] = (unsigned)w->j->tok[t + 1].size;
	}
	return 0;
}
#endif

/* --- annotations -------------------------------------------------------------- */

static int p_annotation(struct walk *w, int tok, unsigned i, const char *key, void *ctx)
{
	struct spec *spec = w->spec;

	if (!key[0])
		return walk_fail(w, "empty annotation key");
	spec->annotations[i].key = key;
	spec->nannotations = i + 1;
	return walk_str(w, tok, &spec->annotations[i].value);
}

static int p_annotations(struct walk *w, int tok, void *obj)
{
	w->spec->nannotations = 0;
	return walk_map(w, tok, CONFIG_MAX_ANNOTATIONS, "CONFIG_MAX_ANNOTATIONS", p_annotation, NULL);
}

/* --- top level ---------------------------------------------------------------- */

static const struct field spec_fields[] = {
	{ .name = "ociVersion", .kind = F_STR, .off = offsetof(struct spec, oci_version), .required = true },
	{ .name = "root", .kind = F_OBJ, .off = 0, .sub = root_fields },
	{ .name = "process", .kind = F_OBJ, .off = offsetof(struct spec, process),
	  .has = HAS(struct spec, has_process), .sub = process_fields },
	{ .name = "hostname", .kind = F_STR, .off = offsetof(struct spec, hostname) },
	{ .name = "domainname", .kind = F_STR, .off = offsetof(struct spec, domainname) },
	{ .name = "mounts", .kind = F_FN, .fn = p_mounts },
#if CONFIG_HOOKS
	{ .name = "hooks", .kind = F_FN, .fn = p_hooks },
#else
	{ .name = "hooks", .kind = F_OFF, .symbol = "CONFIG_HOOKS" },
#endif
	{ .name = "annotations", .kind = F_FN, .fn = p_annotations },
	{ .name = "linux", .kind = F_OBJ, .off = offsetof(struct spec, linux),
	  .has = HAS(struct spec, has_linux), .sub = linux_fields },
	{ 0 }
};

static jsmntok_t config_tokens[CONFIG_MAX_JSON_TOKENS];

void spec_reset(struct spec *spec)
{
	/* Only what the walkers rely on being zero: a memset of the whole
	 * struct would touch every page of its tables. */
	memset(spec, 0, offsetof(struct spec, mounts));
	spec->nmounts = 0;
	spec->nmount_idmaps = 0;
	memset(spec->nhooks, 0, sizeof(spec->nhooks));
	spec->nannotations = 0;
	spec->has_linux = false;
	linux_reset(&spec->linux);
	spec->nstrings = 0;
}

int spec_json(struct json *j, char *buf, size_t len, const char *what)
{
	return json_parse(j, buf, len, config_tokens, CONFIG_MAX_JSON_TOKENS, what,
			  "CONFIG_MAX_JSON_TOKENS", CONFIG_MAX_JSON_DEPTH);
}

int spec_parse(struct spec *spec, char *buf, size_t len)
{
	struct json j;
	struct walk w = { .j = &j, .spec = spec };
	int r;

	spec_reset(spec);
	r = spec_json(&j, buf, len, "config.json");
	if (r)
		return r;
	r = walk_object(&w, 0, spec_fields, spec);
	if (r)
		return r;
	r = spec_check_version(spec->oci_version);
	if (r)
		return r;
	return linux_check(&w, spec);
}

int spec_parse_process(struct spec *spec, char *buf, size_t len)
{
	struct json j;
	struct walk w = { .j = &j, .spec = spec };
	int r;

	r = spec_json(&j, buf, len, "process");
	if (r)
		return r;
	memset(&spec->process, 0, sizeof(spec->process));
	r = walk_object(&w, 0, process_fields, &spec->process);
	if (!r)
		spec->has_process = true;
	return r;
}

long spec_read_file(const char *bundle, char *buf, size_t cap)
{
	char path[4096];
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((size_t)fmt(path, sizeof(path), "%s/config.json", bundle) >= sizeof(path))
		return fail(ENAMETOOLONG, "bundle path %s", bundle);
	/* O_NONBLOCK: a fifo planted as config.json must not hang the runtime. */
	fd = openat(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "open %s", path);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return fail(errno, "stat %s", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(0, "%s is not a regular file", path);
	}
	if (st.st_size > CONFIG_MAX_CONFIG_SIZE || (size_t)st.st_size >= cap) {
		close(fd);
		return fail(0, "%s: %lld bytes, limit %d (CONFIG_MAX_CONFIG_SIZE)", path,
			    (long long)st.st_size, CONFIG_MAX_CONFIG_SIZE);
	}
	/* The file may grow under us; read up to the limit and no further. */
	while (len < cap - 1) {
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return fail(errno, "read %s", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len >= (size_t)st.st_size)
			break;
	}
	close(fd);
	if (len > CONFIG_MAX_CONFIG_SIZE)
		return fail(0, "%s: more than %d bytes (CONFIG_MAX_CONFIG_SIZE)", path, CONFIG_MAX_CONFIG_SIZE);
	return (long)len;
}
