/* linux.seccomp: compiling (seccomp.c), caching (seccomp_cache.c) and
 * loading the filter, and the notify listener of config-linux.md. */
#ifndef RUNLET_SECCOMP_FILTER_H
#define RUNLET_SECCOMP_FILTER_H

#include "spec.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The kernel's limit for one filter (BPF_MAXINSNS). */
#define SECCOMP_MAX_INSNS 4096

/* The compiled program of s: from the cache in cache_dir when it holds
 * it, else built with libseccomp and stored there.  Returns the number of
 * instructions in prog, or -errno. */
long filter_program(const struct seccomp_cfg *s, const char *cache_dir, struct sock_filter *prog);

/* Built with libseccomp, whatever the cache holds. */
long filter_compile(const struct seccomp_cfg *s, struct sock_filter *out, size_t max);
/* seccomp(2)'s flags for s, with NEW_LISTENER when an action notifies. */
unsigned long filter_flags(const struct seccomp_cfg *s);
bool filter_wants_listener(const struct seccomp_cfg *s);
/* Loads prog into this process: 0, or the listener fd. */
int filter_load(const struct sock_filter *prog, size_t n, unsigned long flags);

/* Connects to s->listener_path (a host path: before pivot_root). */
int listener_connect(const struct seccomp_cfg *s);
/* Sends the listener fd and the container process state (config-linux.md,
 * "The Container Process State") over sock. */
int listener_send(int sock, int notify_fd, pid_t pid, const char *metadata, const char *state_json);

const char *filter_library_version(char *buf, size_t cap);

#endif
