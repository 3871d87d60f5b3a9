/* CPU and memory node lists ("0-3,7"), as cpuset and the spec write them. */
#include "bitlist.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define LONG_BITS (sizeof(unsigned long) * CHAR_BIT)

int bitlist_parse(const char *list, unsigned long *mask, size_t bits)
{
	const char *p = list;

	memset(mask, 0, (bits + LONG_BITS - 1) / LONG_BITS * sizeof(unsigned long));
	while (*p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo, i;

		if (end == p)
			return -1;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p)
				return -1;
		}
		if (hi < lo || hi >= bits)
			return -1;
		for (i = lo; i <= hi; i++)
			mask[i / LONG_BITS] |= 1UL << (i % LONG_BITS);
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}
