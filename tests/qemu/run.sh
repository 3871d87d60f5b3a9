#!/bin/bash
# The QEMU suite (make test-qemu): runlet against a real cgroup v2 hierarchy
# in a Debian kernel booted under QEMU, for each architecture of $ARCHES.
#
#   tests/qemu/run.sh                       x86_64
#   ARCHES="x86_64 aarch64 armhf" tests/qemu/run.sh
#
# For each architecture it builds runlet with the default configuration
# (into build/qemu-build/ARCH), assembles a payload (the binary, the guest
# scripts of tests/qemu/guest/ and the bundles of bundles.sh), and boots it
# twice with scripts/qemu/run.sh: on the initramfs itself, where
# pivot_root(2) fails and runlet must move and chroot, and with
# --tmpfs-root, where pivot_root works.
#
# Stdout is TAP: the guest's results (printed on the console with the prefix
# "TAP: ") numbered across boots and architectures, each description
# prefixed with "ARCH ROOT:", and the plan last.  A boot that gives no
# complete results is one "not ok" with the end of its console log.  Builds,
# downloads and console logs go to build/qemu-build/ARCH/*.log and
# build/qemu/ARCH/boot-cgroups*.log.  The exit status is 0 only if every
# result is ok.
#
# Environment: ARCHES; QEMU_TIMEOUT (default 900 s here), QEMU_MEM and the
# other QEMU_* variables of scripts/qemu/boot.sh; O, the build directory.
set -u

top="$(cd "$(dirname "$0")/../.." && pwd)"
here="$top/tests/qemu"
cd "$top" || exit 1

ARCHES="${ARCHES:-x86_64}"
O="${O:-$top/build}"
case "$O" in /*) ;; *) O="$top/$O" ;; esac
export O
# Emulation of a 32-bit ARM on a busy 2-core machine is slow.
export QEMU_TIMEOUT="${QEMU_TIMEOUT:-900}"
export QEMU_QUIET=1
unset QEMU_APPEND

# shellcheck source=tests/qemu/bundles.sh
. "$here/bundles.sh"

n=0
failed=0

# result ok|"not ok" DESC
result() {
	n=$((n + 1))
	[ "$1" = ok ] || failed=$((failed + 1))
	echo "$1 $n - $2"
}

# comment_tail FILE [LINES]: the end of FILE as TAP comments.
comment_tail() {
	[ -f "$1" ] || { echo "# ($1 does not exist)"; return; }
	tail -n "${2:-25}" "$1" | tr -d '\r' | sed 's/^/#   /'
}

now_ms() {
	date +%s%3N
}

secs() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'
}

host_arch() {
	case "$(uname -m)" in
	x86_64) echo x86_64 ;;
	aarch64 | arm64) echo aarch64 ;;
	armv7* | armv8l) echo armhf ;;
	*) uname -m ;;
	esac
}

cross_prefix() {
	[ "$1" = "$(host_arch)" ] && return 0
	case "$1" in
	x86_64) echo x86_64-linux-gnu- ;;
	aarch64) echo aarch64-linux-gnu- ;;
	armhf) echo arm-linux-gnueabihf- ;;
	*) return 1 ;;
	esac
}

# build ARCH: runlet for ARCH with the default configuration.
build() {
	local arch="$1" cross

	cross="$(cross_prefix "$arch")" || {
		echo "no cross compiler known for $arch"
		return 1
	}
	make -C "$top" O="$O/qemu-build/$arch" KCONFIG_CONFIG=configs/default_defconfig \
		${cross:+CROSS_COMPILE=$cross}
}

# boot ARCH MODE PAYLOAD: one boot; its results on stdout as TAP.
boot() {
	local arch="$1" mode="$2" payload="$3" name log runlog t0 t1 rc plan got fails line status desc bootline
	local opts=(--modules "brd loop")

	name="$(basename "$payload")"
	if [ "$mode" = tmpfs ]; then
		opts+=(--tmpfs-root)
		name="$name-tmpfs"
	fi
	log="$O/qemu/$arch/boot-$name.log"
	runlog="$O/qemu-build/$arch/run-$name.log"
	rm -f "$log"
	t0="$(now_ms)"
	"$top/scripts/qemu/run.sh" "$arch" "$payload" "${opts[@]}" >"$runlog" 2>&1
	rc=$?
	t1="$(now_ms)"
	# boot.sh ends with "boot: ARCH RESULT (SECONDS s)".
	bootline="$(grep -a -o 'boot: .*' "$runlog" | tail -n 1)"
	echo "# $arch $mode: boot $(sed -n 's/.*(\([0-9.]*\) s)$/\1/p' <<<"$bootline") s" \
		"($(secs "$t0" "$t1") s with fetch and image)," \
		"$(sed -e "s/^boot: $arch //" -e 's/ ([0-9.]* s)$//' <<<"$bootline"); console log $log"

	plan=""
	got=0
	fails=0
	if [ -f "$log" ]; then
		# Serial lines end in CR LF; only the guest's TAP lines count.
		while IFS= read -r line; do
			case "$line" in
			"ok "* | "not ok "*)
				status="ok"
				[ "${line#not ok }" = "$line" ] || status="not ok"
				desc="${line#"$status" }"
				desc="$(sed -E 's/^[0-9]+ ?(- )?//' <<<"$desc")"
				result "$status" "$arch $mode: $desc"
				got=$((got + 1))
				[ "$status" = ok ] || fails=$((fails + 1))
				;;
			1..*) plan="${line#1..}" ;;
			"#"*) echo "$line" ;;
			*) echo "# $line" ;;
			esac
		done < <(tr -d '\r' <"$log" | grep -a -o 'TAP: .*' | sed 's/^TAP: //')
	fi
	if [ -z "$plan" ]; then
		result "not ok" "$arch $mode: boot failed ($(grep -a -o 'boot: .*' "$runlog" | tail -n 1 || echo "exit status $rc"))"
		echo "# the end of the console log ($log):"
		comment_tail "$log" 30
		echo "# the end of the harness's output ($runlog):"
		comment_tail "$runlog" 10
		return
	fi
	if [ "$plan" != "$got" ]; then
		result "not ok" "$arch $mode: the guest reported $plan results, $got arrived intact"
		comment_tail "$log" 30
	elif [ "$rc" != 0 ] && [ "$fails" = 0 ]; then
		result "not ok" "$arch $mode: the boot failed although every result was ok (exit status $rc)"
		comment_tail "$runlog" 10
	fi
}

for arch in $ARCHES; do
	bdir="$O/qemu-build/$arch"
	mkdir -p "$bdir"
	t0="$(now_ms)"
	if ! build "$arch" >"$bdir/build.log" 2>&1; then
		result "not ok" "$arch: build runlet (make O=$bdir KCONFIG_CONFIG=configs/default_defconfig)"
		comment_tail "$bdir/build.log" 20
		continue
	fi
	t1="$(now_ms)"
	echo "# $arch: runlet built in $(secs "$t0" "$t1") s: $(file -b "$bdir/runlet" | cut -d, -f1-2)"

	# The bundles come from the host's own runlet: `spec` prints the same
	# config whatever the target.
	native="$O/qemu-build/$(host_arch)/runlet"
	if [ ! -x "$native" ]; then
		mkdir -p "$O/qemu-build/$(host_arch)"
		build "$(host_arch)" >"$O/qemu-build/$(host_arch)/build.log" 2>&1
	fi
	payload="$bdir/cgroups"
	rm -rf "$payload"
	mkdir -p "$payload"
	if ! make_bundles "$native" "$payload/bundles" >"$bdir/bundles.log" 2>&1; then
		result "not ok" "$arch: make the bundles"
		comment_tail "$bdir/bundles.log" 20
		continue
	fi
	cp "$here"/guest/*.sh "$payload/"
	chmod 0755 "$payload/run.sh"
	cp "$bdir/runlet" "$payload/runlet"
	{
		echo "QEMU_DEV_MAJOR=$QEMU_DEV_MAJOR"
		echo "QEMU_DEV_MINOR=$QEMU_DEV_MINOR"
		echo "QEMU_HUGE_LIMIT=$QEMU_HUGE_LIMIT"
		echo "QEMU_HUGE_SIZE=$QEMU_HUGE_SIZE"
	} >"$payload/params.sh"

	if ! "$top/scripts/qemu/fetch.sh" "$arch" >"$bdir/fetch.log" 2>&1; then
		result "not ok" "$arch: fetch the kernel and busybox (scripts/qemu/fetch.sh)"
		comment_tail "$bdir/fetch.log" 20
		continue
	fi
	# "fetch: x86_64 kernel 6.1.0-50-cloud-amd64 (linux-image-..._6.1.176-1_amd64.deb), ..."
	echo "# $arch: $(grep -a -o 'kernel .*' "$bdir/fetch.log" | tail -n 1 | sed 's/\.deb),.*/)/')"

	boot "$arch" initramfs "$payload"
	boot "$arch" tmpfs "$payload"
done

echo "1..$n"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
