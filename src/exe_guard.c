/* CVE-2019-5736: a process in a container could open the runtime's binary
 * through /proc/PID/exe of a runtime process that joined the container,
 * and overwrite it once no runtime runs.  Firmware ships runlet on a
 * read-only squashfs, where this cannot happen; checking that costs one
 * statfs.  Elsewhere runlet copies itself into a sealed memfd, once, before
 * any other work, and runs from the copy: the copy cannot be written, and
 * its pages are charged to the caller's cgroup, not to the container's. */
#include "exe_guard.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

extern char **environ;

static int sealed_copy(int exe)
{
	struct stat st;
	off_t off = 0;
	int mfd = (int)syscall(SYS_memfd_create, "runlet", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (mfd < 0)
		return fail(errno, "copy the runtime into a memfd");
	if (fstat(exe, &st) < 0)
		return fail(errno, "stat the runtime's binary");
	while (off < st.st_size) {
		ssize_t n = sendfile(mfd, exe, &off, (size_t)(st.st_size - off));

		if (n <= 0)
			return fail(n < 0 ? errno : EIO, "copy the runtime into a memfd");
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return fail(errno, "seal the runtime's copy");
	return mfd;
}

int exe_guard(char **argv)
{
	struct statfs sf;
	int exe, mfd, seals;

	if (statfs("/proc/self/exe", &sf) == 0 && (sf.f_flags & ST_RDONLY))
		return 0;
	exe = openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return fail(errno, "open /proc/self/exe");
	/* Already the sealed copy (this is the second run), or a binary on a
	 * read-only file system after all: under valgrind the path names the
	 * tool while the open gives the program. */
	seals = fcntl(exe, F_GET_SEALS);
	if ((seals > 0 && (seals & F_SEAL_WRITE)) || (fstatfs(exe, &sf) == 0 && (sf.f_flags & ST_RDONLY))) {
		close(exe);
		return 0;
	}
	mfd = sealed_copy(exe);
	close(exe);
	if (mfd < 0)
		return mfd;
	syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
	return fail(errno, "run the runtime's sealed copy");
}
