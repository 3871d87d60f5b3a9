#include "pid_file.h"
#include "error.h"
#include "format.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int pid_file_write(const char *path, pid_t pid)
{
	char num[16];
	int n = fmt(num, sizeof(num), "%d", (int)pid);
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return fail(errno, "open the pid file %s", path);
	if (write(fd, num, (size_t)n) != n) {
		int e = errno;

		close(fd);
		return fail(e, "write the pid file %s", path);
	}
	close(fd);
	return 0;
}
