#ifndef RUNLET_DIRS_H
#define RUNLET_DIRS_H

#include <sys/types.h>

/* mkdir -p: 0, or -errno from the component that failed. */
int make_dirs(const char *path, mode_t mode);

#endif
