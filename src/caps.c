/* Capabilities (config.md, "capabilities"): what the process may keep,
 * dropped in as few calls as the kernel allows. */
#include "container.h"
#include "captable.h"
#include "error.h"
#include "format.h"
#include "log.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#endif

static int capget_self(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*effective = d[0].effective | ((uint64_t)d[1].effective << 32);
	*permitted = d[0].permitted | ((uint64_t)d[1].permitted << 32);
	*inheritable = d[0].inheritable | ((uint64_t)d[1].inheritable << 32);
	return 0;
}

static void list_names(uint64_t set, char *out, size_t cap)
{
	size_t n = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < 64; i++) {
		if (!(set & ((uint64_t)1 << i)))
			continue;
		if (i <= captable_last && captable[i])
			n += (size_t)fmt(out + n, cap > n ? cap - n : 0, "%s%s", n ? " " : "", captable[i]);
		else
			n += (size_t)fmt(out + n, cap > n ? cap - n : 0, "%scap %d", n ? " " : "", i);
	}
}

void caps_filter(struct process_cfg *p)
{
	uint64_t eff = 0, perm = 0, inh = 0, asked = 0, missing, no_ambient;
	char names[512];
	int s;

	if (!p->has_caps || capget_self(&eff, &perm, &inh) < 0)
		return;
	for (s = 0; s < CAP_SETS; s++)
		asked |= p->caps[s];
	/* What this runtime does not hold, no process it starts can hold. */
	missing = asked & ~perm;
	if (missing) {
		list_names(missing, names, sizeof(names));
		log_warn("capabilities not available to this runtime, not granted: %s", names);
		for (s = 0; s < CAP_SETS; s++)
			p->caps[s] &= perm;
	}
	/* The kernel raises an ambient capability only if it is both permitted
	 * and inheritable. */
	no_ambient = p->caps[CAP_SET_AMBIENT] & ~(p->caps[CAP_SET_PERMITTED] & p->caps[CAP_SET_INHERITABLE]);
	if (no_ambient) {
		list_names(no_ambient, names, sizeof(names));
		log_warn("ambient capabilities not both permitted and inheritable, not raised: %s", names);
		p->caps[CAP_SET_AMBIENT] &= ~no_ambient;
	}
}

/* The bounding set: one prctl per capability to drop, up to the first one
 * the kernel does not know (EINVAL), including those this build does not
 * know by name. */
static int drop_bounding(uint64_t keep)
{
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if (keep & ((uint64_t)1 << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				return 0;
			return fail(errno, "drop capability %d from the bounding set", cap);
		}
	}
	return 0;
}

int caps_drop_bounding(const struct process_cfg *p)
{
	if (!p->has_caps)
		return 0;
	return drop_bounding(p->caps[CAP_SET_BOUNDING]);
}

int caps_apply(const struct process_cfg *p)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int i;

	if (!p->has_caps)
		return 0;
	for (i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(p->caps[CAP_SET_EFFECTIVE] >> (32 * i));
		d[i].permitted = (uint32_t)(p->caps[CAP_SET_PERMITTED] >> (32 * i));
		d[i].inheritable = (uint32_t)(p->caps[CAP_SET_INHERITABLE] >> (32 * i));
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return fail(errno, "set the process's capabilities");
	for (i = 0; i < 64; i++) {
		if (!(p->caps[CAP_SET_AMBIENT] & ((uint64_t)1 << i)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0)
			return fail(errno, "raise the ambient capability %s",
				    i <= captable_last && captable[i] ? captable[i] : "?");
	}
	return 0;
}
