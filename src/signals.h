#ifndef RUNLET_SIGNALS_H
#define RUNLET_SIGNALS_H

/* "KILL", "SIGKILL", "9" -> 9; -1 for anything else. */
int signal_parse(const char *text);
const char *signal_name(int sig);

#endif
