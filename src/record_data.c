/* Reading the create-time data of a record. */
#include "lifecycle.h"
#include "bytes.h"

#include <string.h>

static const unsigned char *find(const struct container *c, unsigned want, size_t *len)
{
	struct data_iter it = { c->data, c->data + c->data_len };
	const unsigned char *p;
	unsigned tag;

	while (data_next(&it, &tag, &p, len)) {
		if (tag == want)
			return p;
	}
	return NULL;
}

uint32_t record_u32(const struct container *c, unsigned tag)
{
	size_t len;
	const unsigned char *p = find(c, tag, &len);

	return p && len == 4 ? get_le32(p) : 0;
}

const char *record_str(const struct container *c, unsigned tag)
{
	size_t len;
	const unsigned char *p = find(c, tag, &len);

	return p && len && p[len - 1] == '\0' ? (const char *)p : NULL;
}

bool record_cgroup(const struct container *c, struct cgroup *cg)
{
#if CONFIG_CGROUP_V1 || CONFIG_CGROUP_V2
	size_t len;
	const unsigned char *p = find(c, TAG_CGROUP, &len);

	if (!p)
		return false;
	cgroup_load(cg, (const char *)p, len);
	return cg->n > 0;
#else
	return false;
#endif
}
