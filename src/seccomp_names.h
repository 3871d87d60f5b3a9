/* The names of config-linux.md's seccomp object, shared by the parser, the
 * filter builder and `features`. */
#ifndef RUNLET_SECCOMP_NAMES_H
#define RUNLET_SECCOMP_NAMES_H

enum seccomp_action {
	SECCOMP_ACT_KILL,
	SECCOMP_ACT_KILL_PROCESS,
	SECCOMP_ACT_KILL_THREAD,
	SECCOMP_ACT_TRAP,
	SECCOMP_ACT_ERRNO,
	SECCOMP_ACT_TRACE,
	SECCOMP_ACT_ALLOW,
	SECCOMP_ACT_LOG,
	SECCOMP_ACT_NOTIFY,
	SECCOMP_ACTIONS,
};

/* Operators in libseccomp's order: SCMP_CMP_NE is 1, the table index + 1. */
#define SECCOMP_OPS 7
/* The architectures libseccomp 2.5.4 knows. */
#define SECCOMP_ARCHS 19
#define SECCOMP_FLAGS 4

extern const char *const seccomp_action_names[SECCOMP_ACTIONS];
extern const char *const seccomp_op_names[SECCOMP_OPS];
extern const char *const seccomp_arch_names[SECCOMP_ARCHS];
extern const char *const seccomp_flag_names[SECCOMP_FLAGS];

#endif
