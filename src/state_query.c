/* state: the recorded container as runtime.md's state JSON. */
#include "error.h"
#include "lifecycle.h"
#include "state_json.h"

static struct container rec;

static long state_one(const char *root, const char *id, char *buf, size_t cap)
{
	enum cstatus st;
	struct jw w;
	long n;

	if (state_load(root, id, STATE_NOLOCK, &rec))
		return error_code();
	st = state_status(&rec);
	jw_init(&w, buf, cap);
	state_json(&w, id, status_name(st), st == STATUS_STOPPED ? 0 : (pid_t)rec.rec.pid, rec.bundle, NULL, 0,
		   &rec);
	n = jw_finish(&w);
	if (n < 0)
		return fail(0, "the state of %s does not fit in %zu bytes", id, cap);
	return n;
}

long container_state_json(const char *root, const char *id, char *buf, size_t cap)
{
	long r = state_one(root, id, buf, cap);

	state_close(&rec);
	return r;
}
