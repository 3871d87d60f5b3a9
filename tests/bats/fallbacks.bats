#!/usr/bin/env bats
# The fallbacks for 4.14 kernels (src/syscalls.c): with each of openat2,
# clone3, close_range, pidfd and mount_api disabled through RUNLET_DISABLE,
# and with all of them together, the core lifecycle (create, start, exec,
# state, kill, delete) of a container with bind mounts, masked and
# read-only paths and a cgroup mount must give the container exactly the
# view it has with the kernel's newer interfaces, and runlet must not call
# the disabled system calls at all (checked with strace where it is
# installed).

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

ALL_FEATURES="openat2,clone3,close_range,pidfd,mount_api"

# The system calls behind each name of RUNLET_DISABLE.
syscalls_of() {
	case "$1" in
	openat2) echo openat2 ;;
	clone3) echo clone3 ;;
	close_range) echo close_range ;;
	pidfd) echo pidfd_open pidfd_send_signal ;;
	mount_api) echo mount_setattr open_tree move_mount fsopen fsmount fsconfig ;;
	esac
}

TRACED="openat2,clone3,close_range,pidfd_open,pidfd_send_signal,mount_setattr,open_tree,move_mount,fsopen,fsmount,fsconfig"

# The bundle: two bind mounts (read-only and read-write), masked paths (a
# /proc file, a file and a directory of the rootfs), read-only paths (a
# /proc file and a directory inside the read-write bind mount), the cgroup
# mount of `runlet spec`, and /probe.sh, which prints what the container
# sees of them without anything that changes from one run to the next.
prepare_fallback_bundle() {
	mkdir -p "$BATS_TEST_TMPDIR/ro" "$BATS_TEST_TMPDIR/rw/sub" "$BUNDLE/rootfs/mnt/ro" "$BUNDLE/rootfs/mnt/rw" \
		"$BUNDLE/rootfs/var/secret"
	echo hello >"$BATS_TEST_TMPDIR/ro/hello"
	echo hidden >"$BUNDLE/rootfs/etc/secret"
	echo hidden >"$BUNDLE/rootfs/var/secret/file"
	cat >"$BUNDLE/rootfs/probe.sh" <<-'EOF'
		#!/bin/sh
		echo "hostname: $(hostname)"
		echo "bind ro: $(cat /mnt/ro/hello)"
		touch /mnt/ro/new 2>/dev/null && echo "bind ro: writable" || echo "bind ro: read-only"
		echo data >/mnt/rw/written && echo "bind rw: $(cat /mnt/rw/written)"
		rm -f /mnt/rw/written
		touch /mnt/rw/sub/new 2>/dev/null && echo "readonly /mnt/rw/sub: writable" || echo "readonly /mnt/rw/sub: read-only"
		echo x 2>/dev/null >/proc/sysrq-trigger && echo "readonly /proc/sysrq-trigger: writable" || echo "readonly /proc/sysrq-trigger: read-only"
		for f in /proc/kcore /proc/keys /proc/timer_list; do
			[ -e $f ] && echo "masked $f: $(wc -c <$f 2>&1)"
		done
		echo "masked /etc/secret: [$(cat /etc/secret 2>&1)]"
		echo "masked /var/secret: $(ls -A /var/secret 2>&1 | wc -l) entries"
		echo "cgroup: $(ls /sys/fs/cgroup | sort | tr '\n' ' ')"
		touch /sys/fs/cgroup/new 2>/dev/null && echo "cgroup: writable" || echo "cgroup: read-only"
		echo "fds of pid 1: $(ls /proc/1/fd | sort -n | tr '\n' ' ')"
		# Mount point, its options, type and superblock options: not the
		# mount ids or the host paths, which differ from run to run.
		awk '{ for (i = 7; $i != "-"; i++); print "mount:", $5, $6, $(i + 1), $(i + 3) }' /proc/self/mountinfo | sort
	EOF
	chmod 0755 "$BUNDLE/rootfs/probe.sh"
	update_config --arg ro "$BATS_TEST_TMPDIR/ro" --arg rw "$BATS_TEST_TMPDIR/rw" '
		.mounts += [
			{"destination": "/mnt/ro", "type": "bind", "source": $ro, "options": ["rbind", "ro"]},
			{"destination": "/mnt/rw", "type": "bind", "source": $rw, "options": ["rbind", "rw"]}]
		| .linux.maskedPaths += ["/etc/secret", "/var/secret"]
		| .linux.readonlyPaths += ["/mnt/rw/sub"]'
}

# lifecycle DISABLE ID OUT: create, start, exec /probe.sh (its output in
# OUT), state, kill, delete, with RUNLET_DISABLE=DISABLE; the exec, kill
# and delete run under strace when it is there (traces in OUT.trace.*).
lifecycle() {
	local disable="$1" id="$2" out="$3" tr=()

	RUNLET_DISABLE="$disable" run_detached create --bundle "$BUNDLE" "$id"
	assert_status 0
	[ "$(container_status "$id")" = created ]
	run env RUNLET_DISABLE="$disable" "$RUNLET" --root "$RUNLET_BATS_ROOT" start "$id"
	assert_status 0
	[ "$(container_status "$id")" = running ]

	if command -v strace >/dev/null; then
		tr=(strace -f -qq -e trace="$TRACED" -o)
	fi
	# shellcheck disable=SC2068 # tr is empty or a command prefix ending in -o
	RUNLET_DISABLE="$disable" timeout 30 ${tr[@]:+${tr[@]} "$out.trace.exec"} \
		"$RUNLET" --root "$RUNLET_BATS_ROOT" exec "$id" /probe.sh >"$out" 2>"$out.err" 3>&- || {
		echo "RUNLET_DISABLE=$disable: exec /probe.sh exited with $?:" >&2
		cat "$out.err" >&2
		return 1
	}
	[ "$(container_status "$id")" = running ]
	RUNLET_DISABLE="$disable" timeout 30 ${tr[@]:+${tr[@]} "$out.trace.kill"} \
		"$RUNLET" --root "$RUNLET_BATS_ROOT" kill "$id" KILL 3>&-
	wait_for_status "$id" stopped
	RUNLET_DISABLE="$disable" timeout 30 ${tr[@]:+${tr[@]} "$out.trace.delete"} \
		"$RUNLET" --root "$RUNLET_BATS_ROOT" delete "$id" 3>&-
	run runlet state "$id"
	[ "$status" -ne 0 ]
	if [ -s "$out.err" ]; then
		echo "exec /probe.sh wrote on stderr:" >&2
		cat "$out.err" >&2
		return 1
	fi
}

# traced_run DISABLE ID OUT: `runlet run` of /probe.sh in the foreground,
# the whole of create, start and the container's init under strace.
traced_run() {
	local disable="$1" id="$2" out="$3"

	command -v strace >/dev/null || return 0
	cp "$BUNDLE/config.json" "$BUNDLE/config.json.lifecycle"
	set_cmd /probe.sh
	RUNLET_DISABLE="$disable" timeout 30 strace -f -qq -e trace="$TRACED" -o "$out.trace.run" \
		"$RUNLET" --root "$RUNLET_BATS_ROOT" run --bundle "$BUNDLE" "$id" >"$out.run" 2>&1 3>&- </dev/null
	local rc=$?
	mv "$BUNDLE/config.json.lifecycle" "$BUNDLE/config.json"
	if [ "$rc" -ne 0 ]; then
		echo "run under strace exited with $rc:" >&2
		cat "$out.run" >&2
		return 1
	fi
}

# not_called DISABLE OUT: none of the system calls DISABLE names appears in
# the traces of OUT (strace prints "name(" for every call, failed or not).
not_called() {
	local disable="$1" out="$2" f s names=() bad=""

	command -v strace >/dev/null || return 0
	IFS=, read -ra names <<<"$disable"
	for f in "${names[@]}"; do
		for s in $(syscalls_of "$f"); do
			if grep -q "^[0-9]* *$s(" "$out".trace.* 2>/dev/null; then
				bad="$bad $s"
			fi
		done
	done
	[ -z "$bad" ] && return 0
	echo "RUNLET_DISABLE=$disable, yet runlet called:$bad" >&2
	grep -h -E "^[0-9]* *(${bad// /|})\(" "$out".trace.* | sed 's/^[0-9]* */  /' | head -n 20 >&2
	return 1
}

# check_fallback DISABLE: the container's view with DISABLE equals the one
# without, and the disabled calls are never made.
check_fallback() {
	local disable="$1" base="$BATS_TEST_TMPDIR/base" got="$BATS_TEST_TMPDIR/fallback" id2 id3 id4

	prepare_fallback_bundle
	new_id id2
	new_id id3
	new_id id4

	lifecycle "" "$ID" "$base"
	[ -s "$base" ]
	grep -q "^bind ro: hello$" "$base"
	grep -q "^bind ro: read-only$" "$base"
	grep -q "^bind rw: data$" "$base"
	grep -q "^readonly /mnt/rw/sub: read-only$" "$base"
	grep -q "^masked /etc/secret: \[\]$" "$base"
	grep -q "^masked /var/secret: 0 entries$" "$base"
	grep -q "^cgroup: read-only$" "$base"

	lifecycle "$disable" "$id2" "$got"
	if ! diff -u "$base" "$got" >"$BATS_TEST_TMPDIR/diff"; then
		echo "with RUNLET_DISABLE=$disable the container sees something else:" >&2
		cat "$BATS_TEST_TMPDIR/diff" >&2
		return 1
	fi

	traced_run "" "$id3" "$base"
	traced_run "$disable" "$id4" "$got"
	not_called "$disable" "$got"
	if [ -f "$got.run" ] && ! diff -u "$base.run" "$got.run" >"$BATS_TEST_TMPDIR/diff.run"; then
		# The probe is pid 1 here: its own descriptors may differ only
		# if the fallback leaked one, which is a failure too.
		echo "run: with RUNLET_DISABLE=$disable the container sees something else:" >&2
		cat "$BATS_TEST_TMPDIR/diff.run" >&2
		return 1
	fi
}

@test "the probe sees the same without fallbacks twice (the comparison is stable)" {
	local again="$BATS_TEST_TMPDIR/again" id2

	prepare_fallback_bundle
	new_id id2
	lifecycle "" "$ID" "$BATS_TEST_TMPDIR/base"
	lifecycle "" "$id2" "$again"
	diff -u "$BATS_TEST_TMPDIR/base" "$again"
}

# used_calls OUT: the traced system calls made in the traces of OUT.
used_calls() {
	cat "$1".trace.* 2>/dev/null | sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' | sort -u | tr '\n' ' '
}

@test "the new interfaces are used when nothing is disabled (the checks below are not vacuous)" {
	command -v strace >/dev/null || skip_because "strace is not installed"
	local out="$BATS_TEST_TMPDIR/base" s used missing=""

	prepare_fallback_bundle
	new_id id2
	lifecycle "" "$ID" "$out"
	traced_run "" "$id2" "$out"
	used=" $(used_calls "$out")"
	# openat2: paths in the rootfs; close_range: the init's descriptors;
	# pidfd_open: exec joins the namespaces; mount_setattr: read-only mounts.
	for s in openat2 close_range pidfd_open mount_setattr; do
		[[ "$used" == *" $s "* ]] || missing="$missing $s"
	done
	if [ -n "$missing" ]; then
		echo "never called on this kernel ($(uname -r)):$missing (called:$used)" >&2
		return 1
	fi
}

@test "clone3 is used where the kernel has it (else RUNLET_DISABLE=clone3 changes nothing)" {
	command -v strace >/dev/null || skip_because "strace is not installed"
	local out="$BATS_TEST_TMPDIR/base"

	prepare_fallback_bundle
	new_id id2
	lifecycle "" "$ID" "$out"
	traced_run "" "$id2" "$out"
	if [[ " $(used_calls "$out") " != *" clone3 "* ]]; then
		echo "runlet never calls clone3 on this kernel ($(uname -r)): only clone(2) is used," >&2
		echo "so the clone3 fallback that RUNLET_DISABLE=clone3 selects is never exercised" >&2
		return 1
	fi
}

@test "RUNLET_DISABLE=openat2: same container, openat2 never called" {
	check_fallback openat2
}

@test "RUNLET_DISABLE=clone3: same container, clone3 never called" {
	check_fallback clone3
}

@test "RUNLET_DISABLE=close_range: same container, close_range never called" {
	check_fallback close_range
}

@test "RUNLET_DISABLE=pidfd: same container, pidfd_open and pidfd_send_signal never called" {
	check_fallback pidfd
}

@test "RUNLET_DISABLE=mount_api: same container, no mount_setattr, open_tree or move_mount" {
	check_fallback mount_api
}

@test "RUNLET_DISABLE with all five: same container, none of them called" {
	check_fallback "$ALL_FEATURES"
}
