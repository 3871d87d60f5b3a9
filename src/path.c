/* Lexical path cleaning: one getcwd at most, no readlink per component as
 * realpath(3) does. */
#include "path.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Appends one component to the clean absolute path in out (length *len),
 * or takes the last one away for "..". */
static int push(char *out, size_t cap, size_t *len, const char *name, size_t n)
{
	if (n == 0 || (n == 1 && name[0] == '.'))
		return 0;
	if (n == 2 && name[0] == '.' && name[1] == '.') {
		while (*len > 1 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 1)
			(*len)--;
		out[*len] = '\0';
		return 0;
	}
	if (*len + (*len > 1) + n + 1 > cap)
		return -ENAMETOOLONG;
	if (*len > 1)
		out[(*len)++] = '/';
	memcpy(out + *len, name, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

static int push_all(char *out, size_t cap, size_t *len, const char *path)
{
	while (*path) {
		const char *end = strchr(path, '/');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		int r = push(out, cap, len, path, n);

		if (r)
			return r;
		path += n + (end != NULL);
	}
	return 0;
}

int path_absolute(const char *path, char *out, size_t cap)
{
	char cwd[4096];
	size_t len = 1;
	int r;

	if (cap < 2)
		return -ENAMETOOLONG;
	out[0] = '/';
	out[1] = '\0';
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		r = push_all(out, cap, &len, cwd);
		if (r)
			return r;
	}
	return push_all(out, cap, &len, path);
}
