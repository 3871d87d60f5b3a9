/* The commands of the command line, one file (or two) each. */
#ifndef RUNLET_COMMANDS_H
#define RUNLET_COMMANDS_H

#include "cli.h"
#include "container.h"

int cmd_create(struct global *g, int argc, char **argv);
int cmd_start(struct global *g, int argc, char **argv);
int cmd_state(struct global *g, int argc, char **argv);
int cmd_kill(struct global *g, int argc, char **argv);
int cmd_delete(struct global *g, int argc, char **argv);
int cmd_run(struct global *g, int argc, char **argv);
int cmd_list(struct global *g, int argc, char **argv);
int cmd_spec(struct global *g, int argc, char **argv);
int cmd_exec(struct global *g, int argc, char **argv);
int cmd_ps(struct global *g, int argc, char **argv);
int cmd_pause(struct global *g, int argc, char **argv);
int cmd_resume(struct global *g, int argc, char **argv);
int cmd_update(struct global *g, int argc, char **argv);
int cmd_events(struct global *g, int argc, char **argv);
int cmd_features(struct global *g, int argc, char **argv);

/* create's work, shared with run: load the bundle and create. */
int cli_create(struct global *g, struct create_opts *o, const char *bundle, struct ctx *c);

#endif
