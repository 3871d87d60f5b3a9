#!/bin/sh
# Prepares a static musl toolchain for one target out of Debian packages:
# the distribution's GNU compiler (native or cross) driven by a gcc specs file
# that points it at musl's headers, crt files and libc.a instead of glibc.
#
#   scripts/toolchain.sh x86_64|aarch64|armhf
#
# Everything lands in $O/toolchain/ARCH/ (O defaults to build/):
#   musl.specs     gcc specs: musl headers/libs, -static and -static-pie
#   kinclude/      Linux UAPI headers only (linux/, asm/, asm-generic/)
#   sysroot/       musl-dev, musl and linux-libc-dev unpacked (cross targets)
#   toolchain.mk   make fragment with the TC_* variables for the Makefile
#
# Missing host packages are installed with apt-get (needs root).  Target
# packages are downloaded with scripts/apt-private.sh and unpacked with
# dpkg -x, so the host's dpkg database never learns about foreign
# architectures.  A second run returns at once while toolchain.mk is newer
# than this script.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
export O

die() {
	echo "toolchain.sh: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: $0 x86_64|aarch64|armhf"
ARCH=$1

# deb_arch: Debian architecture of the target packages.
# gnu_triplet: prefix of the binutils/gcc used, also what configure's --host wants.
# musl_triplet: directory name Debian's musl-dev uses for headers and libraries.
case $ARCH in
x86_64)
	deb_arch=amd64
	gnu_triplet=x86_64-linux-gnu
	musl_triplet=x86_64-linux-musl
	cross=
	cc_pkg=gcc
	emu=
	;;
aarch64)
	deb_arch=arm64
	gnu_triplet=aarch64-linux-gnu
	musl_triplet=aarch64-linux-musl
	cross=aarch64-linux-gnu-
	cc_pkg=gcc-aarch64-linux-gnu
	emu=qemu-aarch64-static
	;;
armhf)
	deb_arch=armhf
	gnu_triplet=arm-linux-gnueabihf
	musl_triplet=arm-linux-musleabihf
	cross=arm-linux-gnueabihf-
	cc_pkg=gcc-arm-linux-gnueabihf
	emu=qemu-arm-static
	;;
*)
	die "unknown ARCH '$ARCH' (expected x86_64, aarch64 or armhf)"
	;;
esac

cc=${cross}gcc
tcdir=$O/toolchain/$ARCH
sysroot=$tcdir/sysroot
dldir=$O/toolchain/dl
specs=$tcdir/musl.specs
kinclude=$tcdir/kinclude
mk=$tcdir/toolchain.mk
log=$tcdir/toolchain.log

# The x86_64 build uses the host's own musl-dev, so the host must be amd64.
if [ "$(dpkg --print-architecture)" != amd64 ]; then
	die "the build host must be Debian amd64 (this one is $(dpkg --print-architecture))"
fi

if [ "$ARCH" = x86_64 ]; then
	musl_inc=/usr/include/$musl_triplet
	musl_lib=/usr/lib/$musl_triplet
else
	musl_inc=$sysroot/usr/include/$musl_triplet
	musl_lib=$sysroot/usr/lib/$musl_triplet
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
	echo "toolchain: installing$missing"
	# A fresh system has no package lists yet: refresh them only when needed.
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1; then
		apt-get update -q >>"$log" 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1 ||
			die "apt-get install$missing failed, see $log"
	fi
}

# Downloads PKG:deb_arch into the shared download cache unless present.
fetch_deb() {
	for f in "$dldir/$1"_*_"$deb_arch".deb; do
		[ -f "$f" ] && return 0
	done
	echo "toolchain: downloading $1:$deb_arch"
	(cd "$dldir" && "$top/scripts/apt-private.sh" apt-get download -q "$1:$deb_arch") >>"$log" 2>&1 ||
		die "cannot download $1:$deb_arch, see $log"
}

# Unpacks musl and the kernel headers for a cross target.  The stamp is the
# list of .deb files used, so a changed download unpacks again.
unpack_sysroot() {
	mkdir -p "$dldir"
	for p in musl-dev musl linux-libc-dev; do
		fetch_deb "$p"
	done
	debs=$(ls "$dldir"/musl-dev_*_"$deb_arch".deb "$dldir"/musl_*_"$deb_arch".deb \
		"$dldir"/linux-libc-dev_*_"$deb_arch".deb)
	if [ -f "$sysroot/.debs" ] && [ "$(cat "$sysroot/.debs")" = "$debs" ]; then
		return 0
	fi
	rm -rf "$sysroot"
	mkdir -p "$sysroot"
	for d in $debs; do
		dpkg -x "$d" "$sysroot"
	done
	echo "$debs" >"$sysroot/.debs"
}

# Debian's musl-gcc.specs (like upstream's) always links with Scrt1.o and
# -dynamic-linker, so -static-pie gives a dynamically linked PIE.  This keeps
# its include and library handling, with the paths rewritten to where musl is
# here, and takes the crt file choice from gcc's own Linux specs:
#   -static      crt1.o  + crtbeginT.o, no PIE
#   -static-pie  rcrt1.o + crtbeginS.o, -static -pie --no-dynamic-linker
#   default      Scrt1.o + crtbeginS.o, PIE using musl's dynamic linker
# Appending (+) to cpp_options and cc1 instead of %rename keeps the file
# harmless when it is given twice (once in CFLAGS, once in LDFLAGS).
write_specs() {
	stock=$musl_lib/musl-gcc.specs
	[ -f "$stock" ] || die "$stock not found (musl-dev missing?)"
	ldso=$(sed -n 's/.*-dynamic-linker \([^ ]*\).*/\1/p' "$stock")
	[ -n "$ldso" ] || die "no dynamic linker named in $stock"

	# Debian's aarch64 gcc passes the Cortex-A53 erratum workaround to the
	# linker by default; keep it, since the link spec is replaced below.
	arch_link=
	if [ "$ARCH" = aarch64 ]; then
		arch_link='%{!mno-fix-cortex-a53-843419:--fix-cortex-a53-843419}'
	fi

	cat >"$specs.tmp" <<EOF
*cpp_options:
+ -nostdinc -isystem $musl_inc -isystem include%s

*cc1:
+ -nostdinc -isystem $musl_inc -isystem include%s

*link_libgcc:
-L$musl_lib -L .%s

*libgcc:
libgcc.a%s %:if-exists(libgcc_eh.a%s)

*startfile:
%{shared:;static:$musl_lib/crt1.o;static-pie:$musl_lib/rcrt1.o;!no-pie:$musl_lib/Scrt1.o;:$musl_lib/crt1.o} $musl_lib/crti.o %{static:crtbeginT.o%s;shared|static-pie|!no-pie:crtbeginS.o%s;:crtbegin.o%s}

*endfile:
%{static:crtend.o%s;shared|static-pie|!no-pie:crtendS.o%s;:crtend.o%s} $musl_lib/crtn.o

*link:
-nostdlib %{shared:-shared} %{static|static-pie:-static} %{static-pie:-pie --no-dynamic-linker -z text} %{!shared:%{!static:%{!static-pie:-dynamic-linker $ldso}}} %{rdynamic:-export-dynamic} $arch_link

EOF
	mv "$specs.tmp" "$specs"
}

# Only the kernel's UAPI directories: pointing -isystem at /usr/include (or
# the cross include dir) would bring glibc's headers in front of musl's.
write_kinclude() {
	if [ "$ARCH" = x86_64 ]; then
		kroot=/usr/include
	else
		kroot=$sysroot/usr/include
	fi
	for d in "$kroot/linux" "$kroot/asm-generic" "$kroot/$gnu_triplet/asm"; do
		[ -d "$d" ] || die "$d not found (linux-libc-dev missing?)"
	done
	rm -rf "$kinclude"
	mkdir -p "$kinclude"
	ln -s "$kroot/linux" "$kinclude/linux"
	ln -s "$kroot/asm-generic" "$kinclude/asm-generic"
	ln -s "$kroot/$gnu_triplet/asm" "$kinclude/asm"
}

# A program touching what runlet needs from libc and the UAPI headers.
write_check_source() {
	cat >"$1" <<'EOF'
#define _GNU_SOURCE
#ifdef __GLIBC__
#error glibc headers are visible
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <asm/unistd.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

static int counter;

int main(void)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY, .resolve = RESOLVE_NO_SYMLINKS };
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));

	/* Pulls in libgcc's outline atomics on aarch64. */
	__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
	printf("pid %d openat2 %s mount_attr %zu cap %d seccomp %d bpf %d clone3 %d\n",
	       (int)getpid(), fd >= 0 ? "ok" : strerror(errno), sizeof(attr),
	       _LINUX_CAPABILITY_VERSION_3 != 0, SECCOMP_RET_ERRNO != 0,
	       BPF_PROG_LOAD, __NR_clone3 != 0);
	return counter == 1 ? 0 : 1;
}
EOF
}

# Whether target binaries can be run here: natively, or under qemu-user
# when qemu-user-static is installed (it is big, so it stays optional).
can_run() {
	[ -z "$emu" ] || command -v "$emu" >/dev/null 2>&1
}

run_target() {
	$emu "$1"
}

# Builds the check program -static and -static-pie.  -static must work;
# the result for -static-pie is stored in static_pie (yes/no).
check_toolchain() {
	chk=$tcdir/check
	rm -rf "$chk"
	mkdir -p "$chk"
	write_check_source "$chk/check.c"
	flags="-specs=$specs -isystem $kinclude -Os -Wall -Werror"

	# shellcheck disable=SC2086
	$cc $flags -static -o "$chk/check-static" "$chk/check.c" >>"$log" 2>&1 ||
		die "-static test build failed, see $log"
	if ${cross}readelf -l "$chk/check-static" | grep -q INTERP; then
		die "-static test binary has a program interpreter"
	fi
	if can_run; then
		run_target "$chk/check-static" >>"$log" 2>&1 ||
			die "-static test binary failed to run, see $log"
		ran=yes
	else
		ran="no ($emu not installed)"
	fi

	# A dynamically linked PIE also has type DYN: the missing INTERP is
	# what tells a static-pie apart.
	static_pie=no
	# shellcheck disable=SC2086
	if $cc $flags -static-pie -o "$chk/check-static-pie" "$chk/check.c" >>"$log" 2>&1 &&
		${cross}readelf -h "$chk/check-static-pie" | grep -q 'Type:.*DYN' &&
		! ${cross}readelf -l "$chk/check-static-pie" | grep -q INTERP; then
		static_pie=yes
		if can_run && ! run_target "$chk/check-static-pie" >>"$log" 2>&1; then
			static_pie=no
		fi
	fi

	size=
	for f in check-static check-static-pie; do
		[ -f "$chk/$f" ] || continue
		${cross}strip -o "$chk/$f.stripped" "$chk/$f"
		size="$size $f $(wc -c <"$chk/$f.stripped")"
	done
	echo "toolchain: $ARCH ok, static-pie=$static_pie, ran=$ran, stripped bytes:$size"
}

write_mk() {
	if [ "$static_pie" = yes ]; then
		static_ldflags=-static-pie
	else
		static_ldflags=-static
	fi
	cat >"$mk.tmp" <<EOF
# Generated by scripts/toolchain.sh $ARCH; do not edit.
# Debian's GNU compiler with a specs file that switches it to musl.
# Debian's gcc builds position-independent code by default, so objects
# compiled with TC_CFLAGS link both -static and -static-pie.
TC_ARCH := $ARCH
TC_TRIPLET := $gnu_triplet
TC_MUSL_TRIPLET := $musl_triplet
TC_CROSS_COMPILE := $cross
TC_CC := $cc
TC_AR := ${cross}ar
TC_STRIP := ${cross}strip
TC_SPECS := $specs
TC_KINCLUDE := $kinclude
TC_CFLAGS := -specs=$specs -isystem $kinclude
TC_LDFLAGS := -specs=$specs
# yes when a -static-pie test binary came out without a program interpreter
# (and ran, where it could be run).
TC_STATIC_PIE := $static_pie
TC_STATIC_LDFLAGS := $static_ldflags
# Where scripts/build-*.sh install third-party static libraries.
TC_DEPS_PREFIX := $O/sysroot/$ARCH
# Runs target binaries on the build host (empty: natively).
TC_EMU := $emu
EOF
	mv "$mk.tmp" "$mk"
}

# Quick path: nothing to do while the outputs are newer than this script
# and the compiler, libc and kernel headers they point at are still there.
if [ -f "$mk" ] && [ -n "$(find "$mk" -newer "$0")" ] && [ -f "$specs" ] &&
	command -v "$cc" >/dev/null 2>&1 && [ -f "$musl_lib/libc.a" ] &&
	[ -f "$kinclude/linux/mount.h" ]; then
	echo "toolchain: $ARCH up to date ($mk)"
	exit 0
fi

mkdir -p "$tcdir"
: >"$log"
if [ "$ARCH" = x86_64 ]; then
	install_pkgs gcc musl-dev linux-libc-dev
else
	install_pkgs "$cc_pkg"
	unpack_sysroot
fi
write_specs
write_kinclude
check_toolchain
write_mk
echo "toolchain: wrote $mk"
