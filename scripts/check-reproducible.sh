#!/bin/sh
# Checks that runlet builds reproducibly: the last commit's tree (git
# archive HEAD, so that local changes do not count) is built twice, into
# two different O directories, with SOURCE_DATE_EPOCH from the commit and a
# different time zone, locale and umask the second time; the two binaries
# must be byte-identical, as built (with debug information) and stripped.
#
#   scripts/check-reproducible.sh [ARCH...]   x86_64 aarch64 armhf (default: all)
#
# The toolchain (scripts/toolchain.sh) and libseccomp
# (scripts/build-libseccomp.sh) are prepared once and shared by both
# builds, as a build machine would have them installed in one place.
# CONFIG selects the defconfig (default: default); EXTRA_CFLAGS in the
# environment reaches both builds, e.g. to try path maps:
#   EXTRA_CFLAGS='-ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(O)=O'
# Prints TAP; when the
# binaries differ, the sections that differ and the build paths found in
# them are shown.  Work files: $O/repro/ (O defaults to build/).
#
# SPDX-License-Identifier: Apache-2.0
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
work=$O/repro
config=${CONFIG:-default}
arches=${*:-x86_64 aarch64 armhf}

. "$top/tests/tap.sh"

cd "$top" || exit 1
if ! commit=$(git rev-parse HEAD 2>/dev/null); then
	echo "not ok 1 - $top is a git checkout"
	echo "1..1"
	exit 1
fi
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
export SOURCE_DATE_EPOCH
rev=$(git rev-parse --short=12 HEAD)
echo "# commit $commit, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, configs/${config}_defconfig"

rm -rf "$work/src"
mkdir -p "$work/src"
if ! git archive --format=tar HEAD | tar -C "$work/src" -xf -; then
	not_ok "git archive HEAD"
	echo "1..$n"
	exit 1
fi

cross_of() {
	case $1 in
	x86_64) echo "" ;;
	aarch64) echo aarch64-linux-gnu- ;;
	armhf) echo arm-linux-gnueabihf- ;;
	*) return 1 ;;
	esac
}

# sections A B: the names of the ELF sections whose contents differ
# (sections without contents, .bss, compare equal).
sections() {
	for s in $("${cross}readelf" -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p'); do
		rm -f "$work/s1" "$work/s2"
		"${cross}objcopy" --dump-section "$s=$work/s1" "$1" "$work/scratch" 2>/dev/null
		"${cross}objcopy" --dump-section "$s=$work/s2" "$2" "$work/scratch" 2>/dev/null
		[ -e "$work/s1" ] || [ -e "$work/s2" ] || continue
		cmp -s "$work/s1" "$work/s2" || printf ' %s' "$s"
	done
	rm -f "$work/s1" "$work/s2" "$work/scratch"
}

for arch in $arches; do
	if ! cross=$(cross_of "$arch"); then
		not_ok "$arch: a known architecture (x86_64 aarch64 armhf)"
		continue
	fi
	shared=$work/shared
	# One toolchain, one libseccomp: both builds see them at the same path.
	if ! O=$shared sh scripts/toolchain.sh "$arch" >"$work/toolchain-$arch.log" 2>&1; then
		not_ok "$arch: prepare the toolchain (scripts/toolchain.sh)"
		sed 's/^/#   /' "$work/toolchain-$arch.log" | tail -n 10
		continue
	fi
	seccomp=
	if grep -q '^CONFIG_SECCOMP=y' "configs/${config}_defconfig"; then
		seccomp=$O/sysroot/$arch
		if [ ! -f "$seccomp/lib/libseccomp.a" ] &&
			! O=$O sh scripts/build-libseccomp.sh "$arch" >"$work/libseccomp-$arch.log" 2>&1; then
			not_ok "$arch: build libseccomp (scripts/build-libseccomp.sh)"
			continue
		fi
	fi
	built=1
	for b in a second-build; do
		out=$work/$arch-$b
		rm -rf "$out"
		mkdir -p "$out"
		ln -s "$shared/toolchain" "$out/toolchain"
		if [ "$b" = a ]; then
			envs="TZ=UTC LC_ALL=C"
			mask=022
		else
			envs="TZ=Asia/Tokyo LC_ALL=C.UTF-8"
			mask=077
		fi
		# shellcheck disable=SC2086 # envs is a list of assignments
		if ! (umask $mask && env $envs make -C "$work/src" O="$out" KCONFIG_CONFIG=configs/${config}_defconfig \
			${cross:+CROSS_COMPILE=$cross} ${seccomp:+LIBSECCOMP_DIR=$seccomp} GIT_REV="$rev" \
			>"$out.log" 2>&1); then
			not_ok "$arch: build $b (O=$out)"
			sed 's/^/#   /' "$out.log" | tail -n 15
			built=0
		fi
	done
	[ "$built" = 1 ] || continue
	a=$work/$arch-a/runlet
	b=$work/$arch-second-build/runlet
	ok "$arch: built twice ($(stat -c %s "$a") bytes)"

	strip=${cross}strip
	$strip -o "$a.stripped" "$a" && $strip -o "$b.stripped" "$b"
	if cmp -s "$a.stripped" "$b.stripped"; then
		ok "$arch: the stripped binaries are identical (sha256 $(sha256sum "$a.stripped" | cut -c1-16)...)"
	else
		not_ok "$arch: the stripped binaries are identical"
		echo "#   sections that differ:$(sections "$a.stripped" "$b.stripped")"
	fi
	if cmp -s "$a" "$b"; then
		ok "$arch: the binaries as built (with debug information) are identical"
	else
		not_ok "$arch: the binaries as built (with debug information) are identical"
		echo "#   sections that differ:$(sections "$a" "$b")"
		for p in "$work/$arch-a" "$work/$arch-second-build" "$work/src"; do
			c=$(strings -a "$a" "$b" | grep -c -F "$p")
			[ "$c" = 0 ] || echo "#   $c strings name $p"
		done
		strings -a "$b" | grep -F "$work/$arch-second-build" | sort -u | head -n 5 | sed 's/^/#     /'
	fi
done

echo "1..$n"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
