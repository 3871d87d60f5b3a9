/* bench_floor ROOTFS: the least a container start can be, for scripts/bench
 * to set beside the runtimes.  It clones with the namespaces of runlet spec's
 * bundle, pivots into ROOTFS, mounts /proc, execs /bin/true and waits: no
 * config, no state, no cgroup, no device, no capability work. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[64 * 1024];

static int child(void *rootfs)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0 || chdir(rootfs) < 0 ||
	    syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0) {
		perror("bench_floor: container setup");
		return 1;
	}
	execl("/bin/true", "true", (char *)NULL);
	perror("bench_floor: exec /bin/true");
	return 1;
}

int main(int argc, char **argv)
{
	int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | SIGCHLD;
	int status;
	pid_t pid;

	if (argc != 2) {
		fputs("usage: bench_floor ROOTFS\n", stderr);
		return 2;
	}
	pid = clone(child, stack + sizeof(stack), flags, argv[1]);
	if (pid < 0) {
		perror("bench_floor: clone");
		return 1;
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
