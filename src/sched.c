/* process.scheduler and process.ioPriority (config.md). */
#include "container.h"
#include "error.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* sched_setattr(2); libc has no wrapper. */
struct sched_attr_v1 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

int sched_apply(const struct process_cfg *p)
{
	if (p->sched.set) {
		struct sched_attr_v1 a;

		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.sched_policy = (uint32_t)p->sched.policy;
		a.sched_flags = p->sched.flags;
		a.sched_nice = p->sched.nice;
		a.sched_priority = (uint32_t)p->sched.priority;
		a.sched_runtime = p->sched.runtime;
		a.sched_deadline = p->sched.deadline;
		a.sched_period = p->sched.period;
		if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
			return fail(errno, "process.scheduler: sched_setattr");
	}
	if (p->has_ioprio &&
	    syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (p->ioprio_class << IOPRIO_CLASS_SHIFT) | p->ioprio_level) < 0)
		return fail(errno, "process.ioPriority: ioprio_set");
	return 0;
}
