/* linux.memoryPolicy: set_mempolicy(2) for the container's init, which its
 * process keeps across exec. */
#include "bitlist.h"
#include "container.h"
#include "error.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_NODES 1024
#define MPOL_FLAGS_SHIFT 13	/* MPOL_F_NUMA_BALANCING, then RELATIVE, STATIC */

int mempolicy_apply(const struct linux_cfg *l)
{
	static unsigned long nodes[MAX_NODES / (8 * sizeof(unsigned long))];
	const struct mempolicy_cfg *m = &l->memory_policy;
	unsigned long maxnode = 0;
	int mode;

	if (!l->has_memory_policy)
		return 0;
	mode = m->mode | (int)(m->flags << MPOL_FLAGS_SHIFT);
	if (m->nodes && m->nodes[0]) {
		if (bitlist_parse(m->nodes, nodes, MAX_NODES) < 0)
			return fail(0, "linux.memoryPolicy.nodes: \"%s\" is not a node list", m->nodes);
		maxnode = MAX_NODES;
	}
	if (syscall(SYS_set_mempolicy, mode, maxnode ? nodes : NULL, maxnode) < 0)
		return fail(errno, "linux.memoryPolicy: set_mempolicy");
	return 0;
}
