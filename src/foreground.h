/* Waiting in the foreground for a container's process, as `run` and `exec`
 * do for a supervisor: every signal this process gets goes on to it, its
 * terminal is relayed, and the orphans that come back to this subreaper
 * are reaped on the way. */
#ifndef RUNLET_FOREGROUND_H
#define RUNLET_FOREGROUND_H

#include <signal.h>
#include <sys/types.h>

struct foreground {
	pid_t pid;	/* the process waited for */
	int master;	/* its terminal's master to relay, or -1 */
	int code;	/* its exit status, 128+N when signal N ended it */
};

/* The signals of set are blocked already.  Returns 0 once f->pid has
 * exited, with f->code set; -errno if the wait could not be set up. */
int foreground_wait(struct foreground *f, const sigset_t *set);

#endif
