#!/bin/sh
# Builds a static libseccomp for one target with the musl toolchain from
# scripts/toolchain.sh, from Debian's source package (upstream tarball plus
# Debian's patches), and installs it into $O/sysroot/ARCH/:
#   include/seccomp.h  include/seccomp-syscalls.h
#   lib/libseccomp.a   lib/pkgconfig/libseccomp.pc
#
#   scripts/build-libseccomp.sh x86_64|aarch64|armhf
#
# Debian's own libseccomp.a is built against glibc (it references
# __fprintf_chk and friends) and does not link with musl, hence this script.
# Sources are cached under $O/src-cache/libseccomp/, the build tree is
# $O/build-libseccomp/ARCH/ and its log $O/build-libseccomp/ARCH.log.
# Nothing is done while lib/libseccomp.a is newer than this script.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
export O

die() {
	echo "build-libseccomp.sh: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: $0 x86_64|aarch64|armhf"
ARCH=$1
case $ARCH in
x86_64 | aarch64 | armhf) ;;
*) die "unknown ARCH '$ARCH' (expected x86_64, aarch64 or armhf)" ;;
esac

prefix=$O/sysroot/$ARCH
srccache=$O/src-cache/libseccomp
builddir=$O/build-libseccomp/$ARCH
log=$O/build-libseccomp/$ARCH.log
mk=$O/toolchain/$ARCH/toolchain.mk

if [ -f "$prefix/lib/libseccomp.a" ] && [ -n "$(find "$prefix/lib/libseccomp.a" -newer "$0")" ]; then
	echo "libseccomp: $ARCH up to date ($prefix/lib/libseccomp.a)"
	exit 0
fi

# Installs the Debian packages given that are not installed yet.
install_pkgs() {
	missing=
	for p in "$@"; do
		dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	[ "$(id -u)" -eq 0 ] || die "missing host packages:$missing (install them or run as root)"
	echo "libseccomp: installing$missing"
	# A fresh system has no package lists yet: refresh them only when needed.
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1; then
		apt-get update -q >>"$log" 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1 ||
			die "apt-get install$missing failed, see $log"
	fi
}

# Prints the value of VAR from toolchain.mk.
tc() {
	sed -n "s/^$1 := //p" "$mk"
}

# Runs a build step quietly; on failure shows the end of the log.
step() {
	if ! "$@" >>"$log" 2>&1; then
		echo "build-libseccomp.sh: '$*' failed; last lines of $log:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
}

# Fetches the source package once; apt-private.sh keeps the host's apt
# configuration untouched while adding the deb-src entries.
fetch_source() {
	for f in "$srccache"/libseccomp_*.dsc; do
		[ -f "$f" ] && return 0
	done
	mkdir -p "$srccache"
	echo "libseccomp: downloading the Debian source package"
	(cd "$srccache" && "$top/scripts/apt-private.sh" apt-get source -q --download-only libseccomp) >>"$log" 2>&1 ||
		die "cannot download the libseccomp source package, see $log"
}

# A program that links the library the way runlet will: static(-pie) musl.
write_check_source() {
	cat >"$1" <<'EOF'
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>

int main(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (ctx == NULL ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0) < 0)
		return 1;
	printf("libseccomp %u.%u.%u, getppid is syscall %d\n",
	       seccomp_version()->major, seccomp_version()->minor,
	       seccomp_version()->micro, SCMP_SYS(getppid));
	seccomp_release(ctx);
	return 0;
}
EOF
}

mkdir -p "$O/build-libseccomp"
: >"$log"
start=$(date +%s)

"$top/scripts/toolchain.sh" "$ARCH"
[ -f "$mk" ] || die "$mk missing after scripts/toolchain.sh $ARCH"

# gperf regenerates the syscall table that Debian's patch updates; make and
# dpkg-dev (dpkg-source) are missing from a minimal system.
install_pkgs gperf make dpkg-dev

fetch_source
set -- "$srccache"/libseccomp_*.dsc
dsc=$1

rm -rf "$builddir"
echo "libseccomp: unpacking $(basename "$dsc")"
step dpkg-source -x "$dsc" "$builddir"

# The specs file goes into CC itself so that every configure test, the
# preprocessor and libtool see musl; -fPIE makes the archive usable in a
# static-pie, and the section flags let the final link drop unused code.
cc="$(tc TC_CC) $(tc TC_CFLAGS)"
cflags="-Os -fPIE -ffunction-sections -fdata-sections"
triplet=$(tc TC_TRIPLET)

echo "libseccomp: configuring for $triplet"
cd "$builddir"
step ./configure --host="$triplet" --prefix="$prefix" \
	--enable-static --disable-shared --disable-python \
	CC="$cc" CFLAGS="$cflags" LDFLAGS="-static"

# Only the library, its headers and the pkg-config file: the tools and
# tests are not needed on the target.
echo "libseccomp: building"
step make -j"$(nproc)" -C include
step make -j"$(nproc)" -C src

# Link against the build tree first, so that a library that does not link
# is never installed (its date is what marks this step as done).
echo "libseccomp: checking that it links"
chk=$builddir/check
mkdir -p "$chk"
write_check_source "$chk/check.c"
# shellcheck disable=SC2046,SC2086
step $cc -Os -I"$builddir/include" $(tc TC_STATIC_LDFLAGS) -o "$chk/check" "$chk/check.c" \
	"$builddir/src/.libs/libseccomp.a"
emu=$(tc TC_EMU)
if [ -z "$emu" ] || command -v "$emu" >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	step $emu "$chk/check"
fi

step make -C include install
step make -C src install
step make install-pkgconfDATA
# The libtool archive only holds build paths; static users do not need it.
rm -f "$prefix/lib/libseccomp.la"

echo "libseccomp: $ARCH installed in $prefix ($(($(date +%s) - start)) s)"
