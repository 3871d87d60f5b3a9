/* Paths inside the container's root, resolved as if the root were "/":
 * symlinks and ".." never lead out of it, whatever the bundle holds and
 * whatever changes it while the container is being set up.
 *
 * openat2(RESOLVE_IN_ROOT) does it on Linux 5.6 and later; older kernels get
 * a walk one component at a time with O_NOFOLLOW, following symlinks by hand
 * inside the root.  Both give an O_PATH descriptor: mount onto it through
 * /proc/self/fd/N, never through a path the container could change. */
#ifndef RUNLET_RESOLVE_H
#define RUNLET_RESOLVE_H

#include <stdbool.h>
#include <sys/types.h>

/* An O_PATH|O_CLOEXEC descriptor of path inside rootfd, or -errno. */
int resolve_in_root(int rootfd, const char *path);

/* Same, creating what is missing: directories, and the last component as an
 * empty file when file is set. */
int resolve_create(int rootfd, const char *path, mode_t mode, bool file);

/* "/proc/self/fd/N" for fd, in buf. */
const char *fd_path(int fd, char *buf, unsigned cap);

#endif
