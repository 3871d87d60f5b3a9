/* Device rules on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program built
 * here from the rules, no libbpf.  The rules are checked last to first, as
 * the last matching rule decides under v1; nothing matching is denied, as
 * v1's list starts empty here.  The devices every container gets come
 * after the config's rules, as on v1. */
#include "cgroup.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/version.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Headers older than 4.15 lack the device program; the kernel that runs it
 * has it, with these numbers (uapi, never changed). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 15, 0)
#define BPF_PROG_TYPE_CGROUP_DEVICE 15
#define BPF_CGROUP_DEVICE 6
#define BPF_DEVCG_ACC_MKNOD 1
#define BPF_DEVCG_ACC_READ 2
#define BPF_DEVCG_ACC_WRITE 4
#define BPF_DEVCG_DEV_BLOCK 1
#define BPF_DEVCG_DEV_CHAR 2
#endif

#define MAX_INSNS 4096

static struct bpf_insn prog[MAX_INSNS];
static unsigned len;
static bool overflow;

static void emit(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (len >= MAX_INSNS) {
		overflow = true;
		return;
	}
	prog[len].code = code;
	prog[len].dst_reg = dst & 0xf;
	prog[len].src_reg = src & 0xf;
	prog[len].off = off;
	prog[len].imm = imm;
	len++;
}

/* r2 type, r3 access, r4 major, r5 minor, from struct bpf_cgroup_dev_ctx
 * {access_type = access << 16 | type, major, minor} in r1. */
static void prologue(void)
{
	emit(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
	emit(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
	emit(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_3, BPF_REG_1, 0, 0);
	emit(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
	emit(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
	emit(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
}

static int32_t access_bits(const char *access)
{
	int32_t bits = 0;

	for (; *access; access++) {
		if (*access == 'r')
			bits |= BPF_DEVCG_ACC_READ;
		else if (*access == 'w')
			bits |= BPF_DEVCG_ACC_WRITE;
		else if (*access == 'm')
			bits |= BPF_DEVCG_ACC_MKNOD;
	}
	return bits;
}

/* One rule: every test jumps to the next rule when it does not match;
 * the jumps are patched once the rule's length is known.  Returns whether
 * the rule matches everything: what follows it could never run, and the
 * verifier refuses code that cannot run. */
static bool rule(const struct dev_rule *d)
{
	unsigned start = len, i;
	int32_t bits = access_bits(d->access);

	if (d->type != 'a')
		emit(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0,
		     d->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	if (bits != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)) {
		/* An allow rule must grant all the access asked for; a deny
		 * rule refuses if it takes away any of it, as v1's list does
		 * (allow rwm, then deny w, leaves rm). */
		emit(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
		emit(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, d->allow ? ~bits : bits);
		emit(BPF_JMP | (d->allow ? BPF_JNE : BPF_JEQ) | BPF_K, BPF_REG_1, 0, 0, 0);
	}
	if (d->major != DEV_ANY)
		emit(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, (int32_t)d->major);
	if (d->minor != DEV_ANY)
		emit(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, (int32_t)d->minor);
	emit(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, d->allow ? 1 : 0);
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (i = start; i < len && !overflow; i++) {
		if (BPF_CLASS(prog[i].code) == BPF_JMP &&
		    (BPF_OP(prog[i].code) == BPF_JNE || BPF_OP(prog[i].code) == BPF_JEQ))
			prog[i].off = (int16_t)(len - i - 1);
	}
	return len - start == 2;
}

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

int cgv2_devices(const char *dir, const struct resources_cfg *res)
{
	static const char license[] = "Apache-2.0";
	union bpf_attr attr;
	bool decided = false;
	int i, prog_fd, cg_fd, r;

	len = 0;
	overflow = false;
	prologue();
	for (i = (int)cgroup_default_rule_count - 1; i >= 0 && !decided; i--)
		decided = rule(&cgroup_default_rules[i]);
	for (i = (int)res->ndevices - 1; i >= 0 && !decided; i--)
		decided = rule(&res->devices[i]);
	if (!decided) {
		emit(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
		emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	if (overflow)
		return fail(E2BIG, "linux.resources.devices: the device program exceeds %d instructions", MAX_INSNS);

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)prog;
	attr.insn_cnt = len;
	attr.license = (uint64_t)(uintptr_t)license;
	prog_fd = bpf(BPF_PROG_LOAD, &attr);
	if (prog_fd < 0 && errno == EINVAL) {
		/* Again with the verifier's words, for the error message. */
		static char log[4096];

		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		prog_fd = bpf(BPF_PROG_LOAD, &attr);
		if (prog_fd < 0)
			return fail(0, "load the device program for %s: the kernel refused it: %.300s", dir, log);
	}
	if (prog_fd < 0)
		return fail(errno, "load the device program for %s (CONFIG_BPF_SYSCALL, CONFIG_CGROUP_BPF?)", dir);
	cg_fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg_fd < 0) {
		r = errno;
		close(prog_fd);
		return fail(r, "open %s", dir);
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cg_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	r = bpf(BPF_PROG_ATTACH, &attr) < 0 ? errno : 0;
	close(cg_fd);
	close(prog_fd);
	if (r)
		return fail(r, "attach the device program to %s", dir);
	return 0;
}
