#ifndef RUNLET_EXE_GUARD_H
#define RUNLET_EXE_GUARD_H

/* Makes sure no process entering a container can reach a writable runtime
 * binary (CVE-2019-5736).  Returns at once when the binary is on a
 * read-only file system, as in firmware, or already a sealed copy;
 * otherwise re-executes the command from a sealed memfd copy and does not
 * return, unless that fails. */
int exe_guard(char **argv);

#endif
