/* Directories of the host the runtime keeps its own files in (the state
 * root, the seccomp cache): made with their parents when missing. */
#include "dirs.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

int make_dirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || strlen(path) >= sizeof(buf))
		return -errno;
	strcpy(buf, path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(path, mode) == 0 || errno == EEXIST ? 0 : -errno;
}
