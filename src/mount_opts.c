#include "mount_opts.h"
#include "error.h"
#include "syscalls.h"

#include <string.h>
#include <sys/mount.h>

enum opt_action {
	SET,		/* flags |= v */
	CLEAR,		/* clear |= v */
	PROPAGATE,	/* propagation = v */
	ATTR_SET,	/* recursive: attr_set |= v, attr_clr &= ~v */
	ATTR_CLR,	/* recursive: attr_clr |= v */
	ATIME,		/* recursive atime mode: clear the field, set v */
	KIND,		/* kind |= v */
};

struct mount_opt {
	const char *name;
	enum opt_action action;
	unsigned long value;
};

/* Sorted by name: the order of config.md's table. */
static const struct mount_opt opts[] = {
	{ "async", CLEAR, MS_SYNCHRONOUS },
	{ "atime", CLEAR, MS_NOATIME },
	{ "bind", KIND, MNT_BIND },
	{ "defaults", SET, 0 },
	{ "dev", CLEAR, MS_NODEV },
	{ "diratime", CLEAR, MS_NODIRATIME },
	{ "dirsync", SET, MS_DIRSYNC },
	{ "exec", CLEAR, MS_NOEXEC },
	{ "idmap", KIND, MNT_IDMAP },
	{ "iversion", SET, MS_I_VERSION },
	{ "lazytime", SET, MS_LAZYTIME },
	{ "loud", CLEAR, MS_SILENT },
	{ "mand", SET, MS_MANDLOCK },
	{ "noatime", SET, MS_NOATIME },
	{ "nodev", SET, MS_NODEV },
	{ "nodiratime", SET, MS_NODIRATIME },
	{ "noexec", SET, MS_NOEXEC },
	{ "noiversion", CLEAR, MS_I_VERSION },
	{ "nolazytime", CLEAR, MS_LAZYTIME },
	{ "nomand", CLEAR, MS_MANDLOCK },
	{ "norelatime", CLEAR, MS_RELATIME },
	{ "nostrictatime", CLEAR, MS_STRICTATIME },
	{ "nosuid", SET, MS_NOSUID },
	{ "nosymfollow", SET, MS_NOSYMFOLLOW },
	{ "private", PROPAGATE, MS_PRIVATE },
	{ "ratime", ATIME, MOUNT_ATTR_RELATIME },
	{ "rbind", KIND, MNT_BIND | MNT_REC },
	{ "rdev", ATTR_CLR, MOUNT_ATTR_NODEV },
	{ "rdiratime", ATTR_CLR, MOUNT_ATTR_NODIRATIME },
	{ "relatime", SET, MS_RELATIME },
	{ "remount", SET, MS_REMOUNT },
	{ "rexec", ATTR_CLR, MOUNT_ATTR_NOEXEC },
	{ "ridmap", KIND, MNT_IDMAP | MNT_RIDMAP },
	{ "rnoatime", ATIME, MOUNT_ATTR_NOATIME },
	{ "rnodev", ATTR_SET, MOUNT_ATTR_NODEV },
	{ "rnodiratime", ATTR_SET, MOUNT_ATTR_NODIRATIME },
	{ "rnoexec", ATTR_SET, MOUNT_ATTR_NOEXEC },
	{ "rnorelatime", ATIME, MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", ATIME, MOUNT_ATTR_RELATIME },
	{ "rnosuid", ATTR_SET, MOUNT_ATTR_NOSUID },
	{ "rnosymfollow", ATTR_SET, MOUNT_ATTR_NOSYMFOLLOW },
	{ "ro", SET, MS_RDONLY },
	{ "rprivate", PROPAGATE, MS_PRIVATE | MS_REC },
	{ "rrelatime", ATIME, MOUNT_ATTR_RELATIME },
	{ "rro", ATTR_SET, MOUNT_ATTR_RDONLY },
	{ "rrw", ATTR_CLR, MOUNT_ATTR_RDONLY },
	{ "rshared", PROPAGATE, MS_SHARED | MS_REC },
	{ "rslave", PROPAGATE, MS_SLAVE | MS_REC },
	{ "rstrictatime", ATIME, MOUNT_ATTR_STRICTATIME },
	{ "rsuid", ATTR_CLR, MOUNT_ATTR_NOSUID },
	{ "rsymfollow", ATTR_CLR, MOUNT_ATTR_NOSYMFOLLOW },
	{ "runbindable", PROPAGATE, MS_UNBINDABLE | MS_REC },
	{ "rw", CLEAR, MS_RDONLY },
	{ "shared", PROPAGATE, MS_SHARED },
	{ "silent", SET, MS_SILENT },
	{ "slave", PROPAGATE, MS_SLAVE },
	{ "strictatime", SET, MS_STRICTATIME },
	{ "suid", CLEAR, MS_NOSUID },
	{ "symfollow", CLEAR, MS_NOSYMFOLLOW },
	{ "sync", SET, MS_SYNCHRONOUS },
	{ "tmpcopyup", KIND, MNT_TMPCOPYUP },
	{ "unbindable", PROPAGATE, MS_UNBINDABLE },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

unsigned mount_opt_count(void)
{
	return NOPTS;
}

const char *mount_opt_name(unsigned i)
{
	return i < NOPTS ? opts[i].name : NULL;
}

static const struct mount_opt *find(const char *name)
{
	unsigned lo = 0, hi = NOPTS;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		int c = strcmp(name, opts[mid].name);

		if (!c)
			return &opts[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int kind_supported(unsigned long kind, const char *name)
{
	if ((kind & MNT_TMPCOPYUP) && !CONFIG_TMPCOPYUP)
		return fail(0, "mount option %s: not supported by this build (CONFIG_TMPCOPYUP is not set)", name);
	if ((kind & MNT_IDMAP) && !CONFIG_IDMAP_MOUNTS)
		return fail(0, "mount option %s: not supported by this build (CONFIG_IDMAP_MOUNTS is not set)", name);
	return 0;
}

int mount_opt_apply(struct mount_cfg *m, const char *name)
{
	const struct mount_opt *o = find(name);

	if (!o)
		return 0;
	switch (o->action) {
	case SET:
		m->flags |= o->value;
		m->clear &= ~o->value;
		break;
	case CLEAR:
		m->clear |= o->value;
		m->flags &= ~o->value;
		break;
	case PROPAGATE:
		m->propagation = o->value;
		break;
	case ATTR_SET:
		m->attr_set |= o->value;
		m->attr_clr &= ~o->value;
		break;
	case ATTR_CLR:
		m->attr_clr |= o->value;
		m->attr_set &= ~o->value;
		break;
	case ATIME:
		m->attr_clr |= MOUNT_ATTR__ATIME;
		m->attr_set = (m->attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | o->value;
		break;
	case KIND:
		if (kind_supported(o->value, name))
			return error_code();
		m->kind |= (unsigned)o->value;
		break;
	}
	return 1;
}
