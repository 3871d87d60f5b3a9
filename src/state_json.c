#include "state_json.h"

#include <string.h>

static void record_annotations(struct jw *w, const struct container *c)
{
	struct data_iter it = { c->data, c->data + c->data_len };
	const unsigned char *p;
	unsigned tag;
	size_t len;

	while (data_next(&it, &tag, &p, &len)) {
		const char *key = (const char *)p;
		size_t klen = strnlen(key, len);

		/* key NUL value NUL, both inside the item. */
		if (tag != TAG_ANNOTATION || klen + 2 > len || p[len - 1] != '\0')
			continue;
		jw_key(w, key);
		jw_str(w, key + klen + 1);
	}
}

void state_json(struct jw *w, const char *id, const char *status, pid_t pid, const char *bundle,
		const struct kv *ann, unsigned nann, const struct container *c)
{
	unsigned i;

	jw_obj_begin(w);
	jw_key(w, "ociVersion");
	jw_str(w, OCI_VERSION);
	jw_key(w, "id");
	jw_str(w, id);
	jw_key(w, "status");
	jw_str(w, status);
	/* A stopped container has no process: pid 0, as runc prints it. */
	jw_key(w, "pid");
	jw_int(w, pid);
	jw_key(w, "bundle");
	jw_str(w, bundle);
	jw_key(w, "annotations");
	jw_obj_begin(w);
	for (i = 0; i < nann; i++) {
		jw_key(w, ann[i].key);
		jw_str(w, ann[i].value);
	}
	if (c)
		record_annotations(w, c);
	jw_obj_end(w);
	jw_obj_end(w);
}
