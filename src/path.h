/* Paths taken apart as text, without touching the file system. */
#ifndef RUNLET_PATH_H
#define RUNLET_PATH_H

#include <stddef.h>

/* The absolute, clean form of path (as Go's filepath.Abs, which runc uses
 * for --bundle): relative to the working directory, with "//", "." and
 * ".." taken out; symbolic links are left as they are.  -ENAMETOOLONG when
 * it does not fit in cap, -errno when the working directory is unknown. */
int path_absolute(const char *path, char *out, size_t cap);

#endif
