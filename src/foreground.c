/* See foreground.h. */
#include "foreground.h"
#include "error.h"
#include "terminal.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* Returns 1 once the process has exited. */
static int on_signal(struct foreground *f, int sig)
{
	int status;
	pid_t p;

#if CONFIG_TERMINAL
	if (sig == SIGWINCH && f->master >= 0) {
		terminal_resize(f->master);
		return 0;
	}
#endif
	if (sig != SIGCHLD) {
		kill(f->pid, sig);
		return 0;
	}
	while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
		if (p == f->pid) {
			f->code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
			return 1;
		}
	}
	return 0;
}

#if CONFIG_TERMINAL
static int on_signalfd(int sigfd, void *ctx)
{
	struct signalfd_siginfo si;

	if (read(sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	return on_signal(ctx, (int)si.ssi_signo);
}
#endif

int foreground_wait(struct foreground *f, const sigset_t *set)
{
	siginfo_t si;

#if CONFIG_TERMINAL
	if (f->master >= 0) {
		int sigfd = signalfd(-1, set, SFD_CLOEXEC);

		if (sigfd < 0)
			return fail(errno, "signalfd");
		terminal_relay(f->master, sigfd, on_signalfd, f);
		return 0;
	}
#endif
	for (;;) {
		int sig = sigwaitinfo(set, &si);

		if (sig > 0 && on_signal(f, sig))
			return 0;
	}
}
