#ifndef RUNLET_PID_FILE_H
#define RUNLET_PID_FILE_H

#include <sys/types.h>

/* --pid-file of create, run and exec: the pid in decimal, no newline, as
 * runc writes it and containerd's shim reads it. */
int pid_file_write(const char *path, pid_t pid);

#endif
