/* Capability names, from the target's <linux/capability.h> at build time. */
#ifndef RUNLET_CAPTABLE_H
#define RUNLET_CAPTABLE_H

extern const char *const captable[];
/* The highest capability number the build's kernel headers know. */
extern const int captable_last;

#endif
