// SPDX-License-Identifier: Apache-2.0
/* A probe the client tests bind-mount into containers, for system calls that
 * busybox has no applet for.  Built static by helpers.bash.
 *
 *   sysprobe add_key     add a key to the session keyring
 *
 * Prints "ok", or the errno name (EPERM, ENOSYS, ...) and exits 1. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING -3

static const char *errno_name(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case EDQUOT: return "EDQUOT";
	case ENOKEY: return "ENOKEY";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	long r;

	if (argc != 2 || strcmp(argv[1], "add_key")) {
		fprintf(stderr, "usage: sysprobe add_key\n");
		return 2;
	}
	r = syscall(SYS_add_key, "user", "runlet-probe", "x", 1, KEY_SPEC_SESSION_KEYRING);
	if (r < 0) {
		puts(errno_name(errno));
		return 1;
	}
	puts("ok");
	return 0;
}
