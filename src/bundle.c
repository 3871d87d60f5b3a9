#include "bundle.h"
#include "crc32.h"
#include "error.h"
#include "format.h"
#include "path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bundle_load(struct ctx *c, const char *dir, char *buf, size_t cap)
{
	const char *root;
	long len;
	int r, n;

	r = path_absolute(dir, c->bundle, sizeof(c->bundle));
	if (r)
		return fail(-r, "bundle %s", dir);
	len = spec_read_file(c->bundle, buf, cap);
	if (len < 0)
		return (int)len;
	c->config_crc = crc32(0, buf, (size_t)len);
	r = spec_parse(c->spec, buf, (size_t)len);
	if (r)
		return r;
	root = c->spec->root_path;
	if (!root || !root[0])
		return fail(0, "root.path: required");
	if (root[0] == '/')
		n = fmt(c->rootfs, sizeof(c->rootfs), "%s", root);
	else
		n = fmt(c->rootfs, sizeof(c->rootfs), "%s/%s", c->bundle, root);
	if (n < 0 || (size_t)n >= sizeof(c->rootfs))
		return fail(ENAMETOOLONG, "root.path %s", root);
	return 0;
}
