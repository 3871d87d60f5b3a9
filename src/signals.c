#include "signals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct signame {
	const char *name;
	int sig;
};

static const struct signame names[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "BUS", SIGBUS }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "FPE", SIGFPE }, { "HUP", SIGHUP }, { "ILL", SIGILL },
	{ "INT", SIGINT }, { "IO", SIGIO }, { "IOT", SIGIOT }, { "KILL", SIGKILL },
	{ "PIPE", SIGPIPE }, { "POLL", SIGPOLL }, { "PROF", SIGPROF }, { "PWR", SIGPWR },
	{ "QUIT", SIGQUIT }, { "SEGV", SIGSEGV }, { "STOP", SIGSTOP }, { "SYS", SIGSYS },
	{ "TERM", SIGTERM }, { "TRAP", SIGTRAP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "VTALRM", SIGVTALRM }, { "WINCH", SIGWINCH }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
};

int signal_parse(const char *text)
{
	char *end;
	long n;
	unsigned i;

	if (!text || !*text)
		return -1;
	if (*text >= '0' && *text <= '9') {
		n = strtol(text, &end, 10);
		return *end || n <= 0 || n >= NSIG ? -1 : (int)n;
	}
	if (!strncasecmp(text, "SIG", 3))
		text += 3;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(text, names[i].name))
			return names[i].sig;
	}
	/* RTMIN+n and RTMAX-n, as kill(1) spells them. */
	if (!strncasecmp(text, "RTMIN", 5) || !strncasecmp(text, "RTMAX", 5)) {
		int base = text[4] == 'N' || text[4] == 'n' ? SIGRTMIN : SIGRTMAX;

		if (!text[5])
			return base;
		if ((text[5] != '+' && text[5] != '-') || text[6] < '0' || text[6] > '9')
			return -1;
		n = strtol(text + 6, &end, 10);
		if (*end)
			return -1;
		n = text[5] == '+' ? base + n : base - n;
		return n >= SIGRTMIN && n <= SIGRTMAX ? (int)n : -1;
	}
	return -1;
}

const char *signal_name(int sig)
{
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].sig == sig)
			return names[i].name;
	}
	return "?";
}
