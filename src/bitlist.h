#ifndef RUNLET_BITLIST_H
#define RUNLET_BITLIST_H

#include <stddef.h>

/* Sets in mask (of size bits) the numbers of a list like "0-3,7"; -1 for
 * a malformed list or a number past size. */
int bitlist_parse(const char *list, unsigned long *mask, size_t bits);

#endif
