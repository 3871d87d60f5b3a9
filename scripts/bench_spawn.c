/* bench_spawn OUT COMMAND [ARG...]: runs COMMAND with stdin and stdout on
 * /dev/null and writes "wall_ns cpu_ns maxrss_kib exit_status" to OUT.
 *
 * scripts/bench measures through this small static program because a
 * process forked from Python carries Python's memory until its exec, and the
 * kernel counts that in the command's peak RSS.  CPU time is that of the
 * command and every descendant it waited for (a foreground run waits for its
 * container). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t)
{
	return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

static long long tv_ns(struct timeval t)
{
	return (long long)t.tv_sec * 1000000000 + (long long)t.tv_usec * 1000;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage self, kids;
	int status, null;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fputs("usage: bench_spawn OUT COMMAND [ARG...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &self) != pid)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &kids);
	out = fopen(argv[1], "w");
	if (!out)
		return 2;
	fprintf(out, "%lld %lld %ld %d\n", ns(t1) - ns(t0), tv_ns(kids.ru_utime) + tv_ns(kids.ru_stime),
		self.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return fclose(out) ? 2 : 0;
}
