#!/bin/bash
# Boot tests of the board integration: for each architecture of $ARCHES, a
# QEMU image made like a device's firmware (boards/qemu-ARCH/) boots, its
# BusyBox-style rcS starts the containers of /etc/runlet/bundles through
# S95runlet and runlet-bundles (boards/common/), and the guest checks that
# they run with their cgroup limits, runs bundles the way supervisors do
# (respawn, procd, systemd with a delegated cgroup), and runs the shutdown
# path (rcK), after which nothing may be left.
#
#   tests/boot/run.sh                                 x86_64 aarch64 armhf
#   ARCHES=aarch64 tests/boot/run.sh
#
# For each architecture it
#   - merges configs/default_defconfig with boards/qemu-ARCH/runlet.config
#     (boards/mkconfig.sh) and builds a static runlet with the musl cross
#     toolchain into build/boot/ARCH/;
#   - checks the booted kernel's configuration against the options
#     boards/common/kernel.config requires;
#   - makes the image's overlay: the board's rootfs-overlay, runlet,
#     runlet-bundles, rcS, rcK, S95runlet, and the demo bundle's rootfs
#     made of the image's own busybox; the test adds a bundle that ignores
#     SIGTERM and a short stop timeout;
#   - boots it twice with scripts/qemu/run.sh: on the initramfs (where
#     pivot_root fails and runlet moves and chroots) and with --tmpfs-root.
#
# Stdout is TAP: the guest's results (console lines "TAP: ...") numbered
# across boots, each prefixed "ARCH ROOT:", then the plan.  Timings go to
# "#" lines: the build, and each boot as scripts/qemu/run.sh measured it.
# Logs: build/boot/ARCH/*.log, build/qemu/ARCH/boot-runlet-boot*.log.
# Exit status 0 only if every result is ok.
#
# Environment: ARCHES; QEMU_TIMEOUT (default 600 s here) and the other
# QEMU_* variables of scripts/qemu/boot.sh; O, the build directory.
set -u

top="$(cd "$(dirname "$0")/../.." && pwd)"
here="$top/tests/boot"
cd "$top" || exit 1

ARCHES="${ARCHES:-x86_64 aarch64 armhf}"
O="${O:-$top/build}"
case "$O" in /*) ;; *) O="$top/$O" ;; esac
export O
export QEMU_TIMEOUT="${QEMU_TIMEOUT:-600}"
export QEMU_QUIET=1
unset QEMU_APPEND

n=0
failed=0
summary=()

result() {
	n=$((n + 1))
	[ "$1" = ok ] || failed=$((failed + 1))
	echo "$1 $n - $2"
}

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

cross_prefix() {
	case "$1" in
	x86_64) [ "$(uname -m)" = x86_64 ] || echo x86_64-linux-gnu- ;;
	aarch64) [ "$(uname -m)" = aarch64 ] || echo aarch64-linux-gnu- ;;
	armhf) echo arm-linux-gnueabihf- ;;
	*) return 1 ;;
	esac
}

# build ARCH DIR: the board's configuration and runlet, into DIR.
build() {
	local arch="$1" dir="$2" cross

	cross="$(cross_prefix "$arch")" || { echo "no cross compiler known for $arch"; return 1; }
	sh "$top/boards/mkconfig.sh" "qemu-$arch" "$dir/runlet.config" || return 1
	make -C "$top" O="$dir" KCONFIG_CONFIG="$dir/runlet.config" ${cross:+CROSS_COMPILE=$cross}
}

# kernel_check ARCH: the options kernel.config sets, in the booted kernel.
kernel_check() {
	local cfg="$O/qemu/$1/config" k v got missing=""

	while IFS='=' read -r k v; do
		got="$(grep -E "^$k=" "$cfg" | cut -d= -f2)"
		[ "$got" = "$v" ] || missing="$missing $k=$v(${got:-n})"
	done < <(grep -E '^CONFIG_' "$top/boards/common/kernel.config")
	[ -z "$missing" ] || { echo "missing:$missing"; return 1; }
}

# rootfs DIR BUSYBOX: a busybox rootfs for the demo bundle.  The applet
# links come from the build host's busybox when there is one (Debian's
# busybox-static is the same version on every architecture), else from a
# short list.
rootfs() {
	local dir="$1" bb="$2" a applets

	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,root,tmp}
	chmod 1777 "$dir/tmp"
	cp "$bb" "$dir/bin/busybox"
	chmod 0755 "$dir/bin/busybox"
	if command -v busybox >/dev/null 2>&1 && busybox --list >/dev/null 2>&1; then
		applets="$(busybox --list)"
	else
		applets="sh ash cat echo ls sleep mount umount id hostname ps kill wc head tail grep sed mkdir rm touch env uname true false nice"
	fi
	for a in $applets; do
		[ "$a" = busybox ] || ln -sf busybox "$dir/bin/$a"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
	echo "root:x:0:" >"$dir/etc/group"
	echo "runlet-boot-rootfs" >"$dir/etc/rootfs-marker"
}

# derive BASE OUT FILTER...: a config.json from the board's demo bundle.
derive() {
	local base="$1" out="$2"

	shift 2
	mkdir -p "$(dirname "$out")"
	jq --tab "$@" "$base" >"$out"
}

# assemble ARCH DIR: the image overlays and the payload.
assemble() {
	local arch="$1" dir="$2" board="$top/boards/qemu-$1" demo ov tov pl

	ov="$dir/overlay"
	tov="$dir/overlay-test"
	pl="$dir/runlet-boot"
	rm -rf "$ov" "$tov" "$pl"

	# What a firmware build would install (scripts/buildroot/ does the same).
	mkdir -p "$ov/usr/sbin" "$ov/etc/init.d"
	cp -a "$board/rootfs-overlay/." "$ov/"
	install -m 0755 "$dir/runlet" "$ov/usr/sbin/runlet"
	install -m 0755 "$top/boards/common/runlet-bundles" "$ov/usr/sbin/runlet-bundles"
	install -m 0755 "$top/boards/common/init/rcS" "$ov/etc/init.d/rcS"
	install -m 0755 "$top/boards/common/init/rcK" "$ov/etc/init.d/rcK"
	install -m 0755 "$top/boards/common/init/sysv-runlet" "$ov/etc/init.d/S95runlet"
	rootfs "$ov/etc/runlet/bundles/demo/rootfs" "$O/qemu/$arch/busybox" || return 1

	# The test's additions: a container that ignores SIGTERM, a short
	# stop timeout, runlet's debug log.
	demo="$ov/etc/runlet/bundles/demo/config.json"
	mkdir -p "$tov/etc/default"
	{
		cat "$board/rootfs-overlay/etc/default/runlet"
		echo "# Added by tests/boot/run.sh"
		echo "RUNLET_STOP_TIMEOUT=3"
		echo 'RUNLET_OPTS="--log /run/runlet-debug.log --debug"'
	} >"$tov/etc/default/runlet"
	derive "$demo" "$tov/etc/runlet/bundles/stubborn/config.json" '
		.root.path = "/etc/runlet/bundles/demo/rootfs"
		| .hostname = "stubborn"
		| .linux.cgroupsPath = "/runlet/stubborn"
		| .process.args = ["sh", "-c", "trap \"\" TERM; echo stubborn: up; while :; do sleep 1; done"]' || return 1

	# The supervised bundles, run by the payload.
	mkdir -p "$pl/bundles"
	derive "$demo" "$pl/bundles/fg/config.json" '
		.root.path = "/etc/runlet/bundles/demo/rootfs"
		| .hostname = "fg"
		| .linux.cgroupsPath = "/runlet/fg"
		| .process.args = ["sh", "-c", "trap \"echo fg: TERM; exit 3\" TERM; trap \"echo fg: USR1\" USR1; echo fg: up; while :; do sleep 1 & wait $!; done"]' || return 1
	derive "$demo" "$pl/bundles/orphans/config.json" '
		.root.path = "/etc/runlet/bundles/demo/rootfs"
		| .hostname = "orphans"
		| .linux.cgroupsPath = "/runlet/orphans"
		| .linux.namespaces |= map(select(.type != "pid"))
		| .process.args = ["sh", "-c", "trap \"exit 0\" TERM; echo orphans: up; while :; do (sleep 0.3 &); sleep 0.2 & wait $!; done"]' || return 1
	derive "$demo" "$pl/bundles/sysd/config.json" '
		.root.path = "/etc/runlet/bundles/demo/rootfs"
		| .hostname = "sysd"
		| .linux.cgroupsPath = "/runlet.slice/runlet@sysd.service/container"
		| .process.args = ["sh", "-c", "trap \"exit 3\" TERM; while :; do sleep 1 & wait $!; done"]' || return 1
	cp "$here/guest/run.sh" "$here/guest/lib.sh" "$pl/"
	chmod 0755 "$pl/run.sh"
}

# boot ARCH MODE DIR: one boot; its results on stdout as TAP.
boot() {
	local arch="$1" mode="$2" dir="$3" name log runlog t0 t1 rc plan got fails line status desc took
	local opts=(--overlay "$dir/overlay" --overlay "$dir/overlay-test")

	name="runlet-boot"
	if [ "$mode" = tmpfs ]; then
		opts+=(--tmpfs-root)
		name="$name-tmpfs"
	fi
	log="$O/qemu/$arch/boot-$name.log"
	runlog="$dir/run-$name.log"
	rm -f "$log"
	t0="$(now_ms)"
	"$top/scripts/qemu/run.sh" "$arch" "$dir/runlet-boot" "${opts[@]}" >"$runlog" 2>&1
	rc=$?
	t1="$(now_ms)"
	took="$(grep -a -o 'boot [0-9.]* s' "$runlog" | tail -n 1 | sed 's/boot //')"
	echo "# $arch $mode: boot ${took:-?} (image and boot $(secs "$t0" "$t1") s); console log $log"
	summary+=("$arch $mode: boot ${took:-?}")

	plan=""
	got=0
	fails=0
	if [ -f "$log" ]; then
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
		comment_tail "$log" 40
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
	dir="$O/boot/$arch"
	mkdir -p "$dir"
	t0="$(now_ms)"
	if ! build "$arch" "$dir" >"$dir/build.log" 2>&1; then
		result "not ok" "$arch: build runlet for boards/qemu-$arch (see $dir/build.log)"
		comment_tail "$dir/build.log" 20
		continue
	fi
	t1="$(now_ms)"
	echo "# $arch: runlet built in $(secs "$t0" "$t1") s: $(file -b "$dir/runlet" | cut -d, -f1-2)"
	summary+=("$arch: build $(secs "$t0" "$t1") s")

	if ! "$top/scripts/qemu/fetch.sh" "$arch" >"$dir/fetch.log" 2>&1; then
		result "not ok" "$arch: fetch the kernel and busybox (scripts/qemu/fetch.sh)"
		comment_tail "$dir/fetch.log" 20
		continue
	fi
	echo "# $arch: $(grep -a -o 'kernel .*' "$dir/fetch.log" | tail -n 1 | sed 's/\.deb),.*/)/')"
	if out="$(kernel_check "$arch")"; then
		result ok "$arch: the kernel has every option boards/common/kernel.config requires"
	else
		result "not ok" "$arch: the kernel has every option boards/common/kernel.config requires"
		echo "# $out"
	fi

	if ! assemble "$arch" "$dir" >"$dir/assemble.log" 2>&1; then
		result "not ok" "$arch: assemble the image overlay and the payload"
		comment_tail "$dir/assemble.log" 20
		continue
	fi

	boot "$arch" initramfs "$dir"
	boot "$arch" tmpfs "$dir"
done

for s in "${summary[@]}"; do
	echo "# time: $s"
done
echo "1..$n"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
