#!/bin/sh
# Installs the Debian packages a task needs, when they are missing, so that
# the README's commands work on a fresh Debian 12 machine.
#
#   scripts/deps.sh build|demo|test|bench ...
set -eu

packages() {
	case $1 in
	# The compiler switched to musl, jsmn, Kconfig, and what building
	# libseccomp from Debian's source package takes.
	build) echo make gcc libc6-dev musl-tools libjsmn-dev python3-kconfiglib gperf dpkg-dev \
		linux-libc-dev ca-certificates file binutils ;;
	demo) echo busybox-static ;;
	test) echo bats jq libcmocka-dev python3-jsonschema busybox-static strace iproute2 valgrind \
		util-linux procps gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-mips-linux-gnu \
		libc6-dev-mips-cross qemu-user-static clang libclang-rt-14-dev cpio kconfig-frontends \
		libseccomp-dev pkg-config ;;
	bench) echo crun runc strace valgrind gnuplot-nox time busybox-static ;;
	*) echo "deps.sh: unknown task $1" >&2; exit 2 ;;
	esac
}

missing=
for task in "$@"; do
	for p in $(packages "$task"); do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing="$missing $p"
	done
done
[ -n "$missing" ] || exit 0

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Package lists may be absent on a fresh machine, or stale.
apt-get -q -o DPkg::Lock::Timeout=300 update >/dev/null
# shellcheck disable=SC2086
apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends $missing >/dev/null
