/* Mounts that need more than mount(2): tmpcopyup and ID-mapped mounts. */
#include "container.h"
#include "error.h"

#include <errno.h>

int mount_special(struct ctx *c, const struct mount_cfg *m)
{
	return fail(ENOTSUP, "mount %s: tmpcopyup and idmap are not implemented yet", m->destination);
}
