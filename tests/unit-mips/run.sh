#!/bin/sh
# The unit tests (tests/unit/*.c with the library sources they test, as
# tests/unit/unit.mk lists them) built for big-endian 32-bit MIPS and run
# under qemu-mips-static: the JSON and config.json parser, the state
# records (fixed little-endian layout, CRC), the seccomp rules and their
# 64-bit arguments, the signal and path helpers, on a target whose byte
# order and word size differ from the build machine's.
#
#   tests/unit-mips/run.sh            TAP on stdout, exit 0 if all passed
#
# Debian's gcc-mips-linux-gnu (glibc, -static) builds them, with
# -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 as firmware build systems use for
# 32-bit glibc targets (without them readdir fails under qemu-user on a
# 64-bit host file system, and time_t ends in 2038).  cmocka has no mips
# package: it is built statically from Debian's source package
# (scripts/apt-private.sh, apt-get source cmocka) with cmake, or, if that
# fails, its one source file is compiled directly.  Everything lands in
# $O/unit-mips/ (O defaults to build/).  Missing host packages are
# installed with apt-get.
#
# SPDX-License-Identifier: Apache-2.0
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
dir=$O/unit-mips
cc=mips-linux-gnu-gcc
mkdir -p "$dir"
cd "$top" || exit 1

. "$top/tests/tap.sh"
# comment_file FILE: its end as TAP comments.
comment_file() {
	tail -n "${2:-20}" "$1" 2>/dev/null | sed 's/^/#   /'
}
finish() {
	echo "1..$n"
	[ "$failed" = 0 ] && [ "$n" -gt 0 ]
	exit $?
}

# --- host packages ----------------------------------------------------------

need=
for p in gcc-mips-linux-gnu libc6-dev-mips-cross qemu-user-static cmake dpkg-dev xz-utils; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || need="$need $p"
done
if [ -n "$need" ]; then
	echo "# installing$need"
	# shellcheck disable=SC2086
	if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need ||
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need; }; } \
		>"$dir/apt.log" 2>&1; then
		not_ok "install$need"
		comment_file "$dir/apt.log"
		finish
	fi
fi

# --- cmocka for mips ----------------------------------------------------------

cmocka=$dir/cmocka
lib=$cmocka/prefix/lib/libcmocka-static.a

# build_cmocka: cmake with a cross toolchain file, static library only.
build_cmocka() {
	src=$cmocka/src
	if [ ! -f "$src/src/cmocka.c" ]; then
		rm -rf "$cmocka/dl" "$src"
		mkdir -p "$cmocka/dl"
		(cd "$cmocka/dl" && O=$O "$top/scripts/apt-private.sh" apt-get source --download-only -q cmocka) || return 1
		dpkg-source -x --no-check "$cmocka"/dl/cmocka_*.dsc "$src" || return 1
	fi
	cat >"$cmocka/mips.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips)
set(CMAKE_C_COMPILER $cc)
set(CMAKE_FIND_ROOT_PATH /usr/mips-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
	rm -rf "$cmocka/build" "$cmocka/prefix"
	mkdir -p "$cmocka/build"
	(cd "$cmocka/build" &&
		cmake -DCMAKE_TOOLCHAIN_FILE="$cmocka/mips.cmake" -DCMAKE_BUILD_TYPE=Release \
			-DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
			-DCMAKE_INSTALL_PREFIX="$cmocka/prefix" "$src" &&
		make -j2 install) || return 1
	[ -f "$lib" ]
}

# compile_cmocka: the fallback, cmocka.c with the few settings cmake would
# have found for glibc.
compile_cmocka() {
	src=$cmocka/src
	[ -f "$src/src/cmocka.c" ] || return 1
	mkdir -p "$cmocka/prefix/lib" "$cmocka/prefix/include" "$cmocka/direct"
	cat >"$cmocka/direct/config.h" <<'EOF'
#define HAVE_INTTYPES_H 1
#define HAVE_MALLOC_H 1
#define HAVE_SETJMP_H 1
#define HAVE_SIGNAL_H 1
#define HAVE_STDARG_H 1
#define HAVE_STDDEF_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_STRINGS_H 1
#define HAVE_SIGLONGJMP 1
#define HAVE_STRSIGNAL 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_GCC_THREAD_LOCAL_STORAGE 1
EOF
	cp "$src/include/cmocka.h" "$src/include/cmocka_pbc.h" "$cmocka/prefix/include/" &&
		$cc -O2 -DHAVE_CONFIG_H -I"$cmocka/direct" -I"$src/include" -c "$src/src/cmocka.c" \
			-o "$cmocka/direct/cmocka.o" &&
		ar rcs "$lib" "$cmocka/direct/cmocka.o"
}

if [ ! -f "$lib" ]; then
	if build_cmocka >"$dir/cmocka.log" 2>&1; then
		ok "cmocka built for mips from Debian's source package (cmake, static)"
	elif compile_cmocka >>"$dir/cmocka.log" 2>&1; then
		ok "cmocka built for mips from Debian's source package (cmocka.c compiled directly; cmake failed)"
	else
		not_ok "cmocka built for mips from Debian's source package"
		comment_file "$dir/cmocka.log"
		finish
	fi
else
	ok "cmocka for mips is built ($lib)"
fi

# --- the unit tests ---------------------------------------------------------------

# unit.mk compiles with CC and links with UNIT_LDFLAGS and UNIT_LIBS; the
# extra flags ride on CC so that unit.mk's own flags stay as they are.
mcc="$cc -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 -I$cmocka/prefix/include"
if make -f tests/unit/unit.mk O="$dir" KCONFIG_CONFIG=configs/default_defconfig CC="$mcc" \
	UNIT_LDFLAGS=-static UNIT_LIBS="$lib" build >"$dir/build.log" 2>&1; then
	ok "the unit tests build for mips (tests/unit/unit.mk, default_defconfig, static glibc)"
else
	not_ok "the unit tests build for mips (tests/unit/unit.mk, default_defconfig, static glibc)"
	comment_file "$dir/build.log" 30
	finish
fi
bins=$(sed -n 's/^TESTS := //p' tests/unit/unit.mk)
udir=$dir/unit/$cc

# ELF header: class 1 (32-bit), data 2 (big-endian), machine 8 (MIPS).
first=$udir/$(echo "$bins" | cut -d' ' -f1)
ident=$(od -An -tu1 -N20 "$first" 2>/dev/null | tr -s ' \n' ' ')
# shellcheck disable=SC2086 # the bytes, one word each
set -- $ident
if [ "${5:-}" = 1 ] && [ "${6:-}" = 2 ] && [ "${19:-}" = 0 ] && [ "${20:-}" = 8 ]; then
	ok "the test binaries are 32-bit big-endian MIPS ELF"
else
	not_ok "the test binaries are 32-bit big-endian MIPS ELF (ident: $ident)"
fi

for t in $bins; do
	echo "# $t (qemu-mips-static)"
	CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 qemu-mips-static "$udir/$t" >"$udir/$t.out" 2>&1
	rc=$?
	nok=0
	# Renumbered into one stream; cmocka's skips ("not ok N # SKIP") as
	# "ok # SKIP", its plans and diagnostics as comments.
	while IFS= read -r line; do
		case $line in
		"ok "*)
			ok "$t: $(echo "$line" | sed 's/^ok [0-9]* *-* *//')"
			;;
		"not ok "*"# SKIP"*)
			n=$((n + 1))
			echo "ok $n - $t: $(echo "$line" | sed 's/^not ok [0-9]* *//; s/^# SKIP *//') # SKIP"
			;;
		"not ok "*)
			not_ok "$t: $(echo "$line" | sed 's/^not ok [0-9]* *-* *//')"
			nok=$((nok + 1))
			;;
		1..*) ;;
		*) echo "#   $line" ;;
		esac
	done <"$udir/$t.out"
	if [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
		not_ok "$t exited with status $rc under qemu-mips-static"
	fi
done
finish
