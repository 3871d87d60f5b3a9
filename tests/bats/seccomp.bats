#!/usr/bin/env bats
# linux.seccomp (config-linux.md, "Seccomp"): actions, errno values,
# argument comparisons, architectures, flags, the SCMP_ACT_NOTIFY listener,
# the compiled-filter cache, exec'd processes, and the build without
# CONFIG_SECCOMP.
#
# Every test uses a cache directory of its own (--cache-dir under
# $BATS_TEST_TMPDIR), never the default one of the host.
#
# Environment, besides what helpers.bash reads:
#   RUNLET_TINY   a runtime built from configs/tiny_defconfig
#                 (default: build/cfg-tiny/runlet, as scripts/test.sh builds it)

RUNLET_BATS_ROOT="${RUNLET_BATS_ROOT:-/run/runlet-bats-seccomp}"

load helpers

RUNLET_TINY="${RUNLET_TINY:-$TOP_DIR/build/cfg-tiny/runlet}"

# x86_64 system call numbers (asm/unistd_64.h) the checks below look for.
NR_MKDIR=83
NR_MKDIRAT=258

setup() {
	common_setup
	CACHE="$BATS_TEST_TMPDIR/cache"
	add_tmp_mount
	[ "$(uname -m)" = x86_64 ] || skip_because "the profiles here name x86_64 system calls"
}

teardown() {
	local rc=0

	common_teardown || rc=$?
	rm -rf "$CACHE"
	return "$rc"
}

# --- helpers of this file ---------------------------------------------------------

# sc ARGS...: the runtime with this test's cache directory.
sc() {
	runlet --cache-dir "$CACHE" "$@"
}

# set_seccomp JSON: linux.seccomp of the bundle, exactly as written.  Not
# through jq, which keeps numbers as doubles (18446744073709551615 becomes
# 18446744073709552000); an update_config after it would do the same, and
# reformat the object, whose text is the key of the cache: tests make it
# the last edit of the config.
set_seccomp() {
	local cfg="$BUNDLE/config.json"

	update_config '.linux.seccomp = "@SECCOMP@"'
	SECCOMP_TEXT="$1" perl -0pi -e 's/"\@SECCOMP\@"/$ENV{SECCOMP_TEXT}/' "$cfg"
	jq -e '.linux.seccomp | type == "object"' "$cfg" >/dev/null || {
		echo "set_seccomp: not an object: $1" >&2
		return 1
	}
}

# profile DEFAULT_ACTION [RULE_JSON...]: a seccomp object.
profile() {
	local def="$1"
	shift
	jq -nc --arg d "$def" '{defaultAction: $d, syscalls: $ARGS.positional | map(fromjson)}' \
		--args "$@"
}

# rule ACTION NAME... : one syscalls[] entry.
rule() {
	local act="$1"
	shift
	jq -nc --arg a "$act" '{names: $ARGS.positional, action: $a}' --args "$@"
}

# The rule most tests use: chmod refused with EACCES.
deny_chmod() {
	jq -nc '{names: ["chmod", "fchmodat"], action: "SCMP_ACT_ERRNO", errnoRet: 13}'
}

# A shell line that reports how chmod fares, on a file of the container's
# own tmpfs: "chmod=0" and the mode, or the error busybox prints.
CHMOD_PROBE='touch /tmp/f && chmod 600 /tmp/f; echo "chmod=$?"; stat -c "mode=%a" /tmp/f'

# run_fg [GLOBAL_OPTION...] [-- RUN_OPTION...]: a foreground `run` of this
# test's container with this test's cache, stdout and stderr apart.
run_fg() {
	local global=() opts=()

	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		global+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	opts=("$@")
	run --separate-stderr runlet --cache-dir "$CACHE" "${global[@]}" \
		run --bundle "$BUNDLE" "${opts[@]}" "$ID"
}

# refute TEXT REGEXP: no line of TEXT matches (a bare `! grep` does not
# fail a bats test).
refute() {
	if grep -Eq -- "$2" <<<"$1"; then
		printf 'a line matches /%s/:\n%s\n' "$2" "$1" >&2
		return 1
	fi
}

# cache_files: the compiled programs in this test's cache, one a line.
cache_files() {
	find "$CACHE" -maxdepth 1 -type f -name '*.bpf' 2>/dev/null | sort
}

# flip_byte FILE OFFSET: inverts one byte in place.
flip_byte() {
	local byte

	byte="$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')"
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $((byte ^ 0xff)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# seccomp_mode PID: the Seccomp field of /proc/PID/status (2: filter).
seccomp_mode() {
	awk '/^Seccomp:/ {print $2}' "/proc/$1/status"
}

# kernel_at_least MAJOR MINOR
kernel_at_least() {
	local maj min

	IFS=. read -r maj min _ <<<"$(uname -r)"
	[ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "${min%%[!0-9]*}" -ge "$2" ]; }
}

need_kernel() {
	kernel_at_least "$1" "$2" || skip_because "needs Linux $1.$2 or newer ($3)"
}

need_python_listener() {
	command -v python3 >/dev/null || skip_because "python3 is missing"
	python3 -c 'import socket, sys; sys.exit(0 if hasattr(socket, "recv_fds") else 1)' ||
		skip_because "python3 has no socket.recv_fds (3.9 or newer needed)"
}

# start_listener ANSWER: a seccomp agent on $SOCK that takes the listener
# fds and container states sent to it and answers every notification:
# ANSWER is "continue" (SECCOMP_USER_NOTIF_FLAG_CONTINUE), "eperm" (the
# call fails with EPERM) or "success" (the call returns 0 without running).
# Everything it sees goes to $LISTENER_LOG as JSON lines.
start_listener() {
	need_kernel 5 5 "SECCOMP_USER_NOTIF_FLAG_CONTINUE"
	need_python_listener
	SOCK="$BATS_TEST_TMPDIR/agent.sock"
	if [ "${#SOCK}" -ge 100 ]; then
		SOCK="$(mktemp -u /tmp/runlet-seccomp-agent.XXXXXX)"
		on_teardown "rm -f '$SOCK'"
	fi
	LISTENER_LOG="$BATS_TEST_TMPDIR/agent.log"
	write_listener "$BATS_TEST_TMPDIR/agent.py"
	python3 "$BATS_TEST_TMPDIR/agent.py" "$SOCK" "$1" "$LISTENER_LOG" 60 \
		>"$BATS_TEST_TMPDIR/agent.out" 2>&1 </dev/null 3>&- &
	LISTENER_PID=$!
	on_teardown "kill $LISTENER_PID"
	wait_for_file "$LISTENER_LOG" listening
}

# listener_events EVENT: the logged events of that kind, as a JSON array.
listener_events() {
	jq -sc --arg e "$1" 'map(select(.event == $e))' "$LISTENER_LOG"
}

# wait_listener_events EVENT N: until N such events are logged (~5 s).
wait_listener_events() {
	retry 100 0.05 test "$(listener_events "$1" | jq length)" -ge "$2"
}

write_listener() {
	cat >"$1" <<-'EOF'
		# A seccomp agent for the tests: see start_listener in seccomp.bats.
		import errno
		import fcntl
		import json
		import os
		import select
		import socket
		import struct
		import sys
		import time

		# linux/seccomp.h
		NOTIF_RECV = 0xC0502100  # SECCOMP_IOWR(0, struct seccomp_notif): 80 bytes
		NOTIF_SEND = 0xC0182101  # SECCOMP_IOWR(1, struct seccomp_notif_resp): 24 bytes
		FLAG_CONTINUE = 1  # SECCOMP_USER_NOTIF_FLAG_CONTINUE
		# struct seccomp_notif: id, pid, flags, data {nr, arch, ip, args[6]}
		NOTIF = struct.Struct("=QII" + "iIQ6Q")
		# struct seccomp_notif_resp: id, val, error, flags
		RESP = struct.Struct("=QqiI")

		path, answer, log = sys.argv[1], sys.argv[2], sys.argv[3]
		deadline = time.monotonic() + float(sys.argv[4])


		def note(obj):
		    with open(log, "a") as f:
		        f.write(json.dumps(obj) + "\n")


		srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		srv.bind(path)
		srv.listen(8)
		poll = select.poll()
		poll.register(srv, select.POLLIN)
		note({"event": "listening"})
		while time.monotonic() < deadline:
		    for fd, ev in poll.poll(200):
		        if fd == srv.fileno():
		            conn, _ = srv.accept()
		            conn.settimeout(10)
		            try:
		                msg, fds, _, _ = socket.recv_fds(conn, 1 << 16, 8)
		                # One state per connection, then the runtime closes it.
		                rest = conn.recv(1)
		            except OSError as e:
		                note({"event": "conn-error", "error": str(e)})
		                conn.close()
		                continue
		            conn.close()
		            try:
		                state = json.loads(msg)
		            except ValueError:
		                state = None
		            note({"event": "state", "nfds": len(fds), "state": state,
		                  "raw": msg.decode(errors="replace"), "more": len(rest)})
		            for nfd in fds:
		                poll.register(nfd, select.POLLIN)
		            continue
		        if ev & select.POLLIN:
		            buf = bytearray(NOTIF.size)
		            try:
		                fcntl.ioctl(fd, NOTIF_RECV, buf)
		            except OSError as e:
		                note({"event": "recv-error", "errno": e.errno})
		                continue
		            nid, pid, flags, nr, arch, ip, *args = NOTIF.unpack(buf)
		            note({"event": "notif", "nr": nr, "pid": pid, "arch": arch, "args": args})
		            if answer == "continue":
		                resp = RESP.pack(nid, 0, 0, FLAG_CONTINUE)
		            elif answer == "success":
		                resp = RESP.pack(nid, 0, 0, 0)
		            else:
		                resp = RESP.pack(nid, 0, -errno.EPERM, 0)
		            try:
		                fcntl.ioctl(fd, NOTIF_SEND, bytearray(resp))
		            except OSError as e:
		                note({"event": "send-error", "errno": e.errno})
		        elif ev & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
		            poll.unregister(fd)
		            os.close(fd)
		            note({"event": "hangup"})
	EOF
}

# Opaque to the runtime, passed on as it is: quotes, a backslash, UTF-8.
AGENT_METADATA='bats-agent "metadata" \ é'

# notify_profile: mkdir and mkdirat notify the agent on $SOCK.
notify_profile() {
	jq -nc --arg sock "$SOCK" --arg meta "$AGENT_METADATA" '{
		defaultAction: "SCMP_ACT_ALLOW",
		listenerPath: $sock,
		listenerMetadata: $meta,
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]
	}'
}

# --- actions and errno values -----------------------------------------------------

@test "seccomp: SCMP_ACT_ERRNO returns the errnoRet asked for, EPERM without one" {
	set_cmd sh -c "$CHMOD_PROBE; mkdir /tmp/d; echo mkdir=\$?; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)" "$(rule SCMP_ACT_ERRNO mkdir mkdirat)")"
	run_fg
	assert_status 0
	# EACCES (13) for chmod, as asked; the mode is left alone.
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^chmod=1$'
	assert_output_has '^mode=644$'
	# EPERM for the rule that names no errno.
	grep -q "mkdir: can't create directory '/tmp/d': Operation not permitted" <<<"$stderr"
	assert_output_has '^mkdir=1$'
	assert_output_has '^Seccomp:[[:space:]]+2$'
	assert_output_has '^NoNewPrivs:[[:space:]]+1$'
}

@test "seccomp: errnoRet 0 makes the call return success without running it" {
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW \
		'{"names":["chmod","fchmodat"],"action":"SCMP_ACT_ERRNO","errnoRet":0}')"
	run_fg
	assert_status 0
	assert_output_has '^chmod=0$'
	assert_output_has '^mode=644$'
}

@test "seccomp: defaultErrnoRet is returned by every call the allow-list leaves out" {
	local hdr=/usr/include/x86_64-linux-gnu/asm/unistd_64.h names

	[ -r "$hdr" ] || hdr=/usr/include/asm/unistd_64.h
	[ -r "$hdr" ] || skip_because "asm/unistd_64.h is missing (apt-get install linux-libc-dev)"
	# Docker's shape: every call allowed by name but chmod and fchmodat.
	names="$(sed -n 's/^#define __NR_\([a-z0-9_]*\) [0-9]*$/\1/p' "$hdr" |
		grep -vx -e chmod -e fchmodat | jq -Rsc 'split("\n") | map(select(length > 0))')"
	[ "$(jq length <<<"$names")" -gt 300 ]
	set_cmd sh -c "$CHMOD_PROBE; ls / >/dev/null && echo ls=ok"
	set_seccomp "$(jq -nc --argjson n "$names" '{defaultAction: "SCMP_ACT_ERRNO",
		defaultErrnoRet: 13, syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}')"
	run_fg
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^chmod=1$'
	assert_output_has '^mode=644$'
	assert_output_has '^ls=ok$'
}

@test "seccomp: SCMP_ACT_KILL, KILL_THREAD and KILL_PROCESS end the process with SIGSYS (run exits 159)" {
	local act

	set_cmd linux32 true
	for act in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS; do
		set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule "$act" personality)")"
		run_fg
		echo "$act: status $status" >&2
		assert_status $((128 + 31))
		[ -z "$output" ]
		run runlet state "$ID"
		[ "$status" -ne 0 ]
	done
}

@test "seccomp: SCMP_ACT_KILL in a child leaves the rest of the container running" {
	set_cmd sh -c 'linux32 true; echo "first=$?"; linux64 true; echo "second=$?"; echo alive'
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule SCMP_ACT_KILL personality)")"
	run_fg
	assert_status 0
	# A shell reports a child killed by signal N as 128+N.
	assert_output_has '^first=159$'
	assert_output_has '^second=159$'
	assert_output_has '^alive$'
}

@test "seccomp: SCMP_ACT_TRAP sends SIGSYS, which a handler can catch" {
	# kill(2) with SIGUSR1 (10) as its signal argument traps; the call
	# itself does not happen.
	set_cmd sh -c 'trap "echo trapped" SYS; trap "echo usr1" USR1; kill -USR1 $$; echo "kill=$?"; trap "echo hup" HUP; kill -HUP $$; echo end'
	set_seccomp "$(profile SCMP_ACT_ALLOW \
		'{"names":["kill"],"action":"SCMP_ACT_TRAP","args":[{"index":1,"value":10,"op":"SCMP_CMP_EQ"}]}')"
	run_fg
	assert_status 0
	assert_output_has '^trapped$'
	assert_output_has '^kill=1$'
	refute "$output" '^usr1$'
	# Other signals go through.
	assert_output_has '^hup$'
	assert_output_has '^end$'

	# Without a handler, the default action of SIGSYS ends the process.
	set_cmd linux32 true
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule SCMP_ACT_TRAP personality)")"
	run_fg
	assert_status 159
}

@test "seccomp: SCMP_ACT_LOG allows the call and logs it" {
	local klog=0 before=0

	# The kernel's record (type 1326, SECCOMP_RET_LOG = 0x7ffc0000) goes to
	# the kernel log where no audit daemon takes it.
	if grep -qw log /proc/sys/kernel/seccomp/actions_logged 2>/dev/null &&
		! pgrep -x auditd >/dev/null && dmesg >/dev/null 2>&1; then
		klog=1
		before="$(seccomp_log_lines)"
	fi
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule SCMP_ACT_LOG chmod fchmodat)")"
	run_fg
	assert_status 0
	assert_output_has '^chmod=0$'
	assert_output_has '^mode=600$'
	if [ "$klog" = 1 ]; then
		retry 20 0.1 test "$(seccomp_log_lines)" -gt "$before"
	fi
}

# The kernel log's records of a logged chmod (x86_64: 90) by busybox.
seccomp_log_lines() {
	dmesg | grep -cE 'type=1326 .*comm="chmod" exe="/bin/busybox" .*syscall=90 .*code=0x7ffc0000' || true
}

@test "seccomp: SCMP_ACT_TRACE without a tracer fails the call with ENOSYS" {
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW \
		'{"names":["chmod","fchmodat"],"action":"SCMP_ACT_TRACE","errnoRet":1234}')"
	run_fg
	assert_status 0
	grep -q "chmod: /tmp/f: Function not implemented" <<<"$stderr"
	assert_output_has '^mode=644$'
}

@test "seccomp: SCMP_ACT_ALLOW rules in an allow-by-default profile are accepted (they change nothing)" {
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule SCMP_ACT_ALLOW chmod fchmodat)" "$(deny_chmod)")"
	run_fg
	assert_status 0
	grep -q "Permission denied" <<<"$stderr"
	assert_output_has '^mode=644$'
}

# --- argument comparisons ---------------------------------------------------------

# personality(2) is the call busybox drives with a chosen argument:
# linux32 calls personality(PER_LINUX32 = 8), linux64 personality(0).
# Each case: op value valueTwo, then whether each is refused (1) or not (0).
@test "seccomp: argument comparisons on personality(2), 64-bit values included" {
	local op value two want32 want64 arg

	set_cmd sh -c 'linux32 true 2>/dev/null; echo "p32=$?"; linux64 true 2>/dev/null; echo "p64=$?"'
	while read -r op value two want32 want64; do
		[ -n "$op" ] || continue
		# Written out: jq would round the large values.
		arg="{\"index\":0,\"value\":$value,\"valueTwo\":$two,\"op\":\"$op\"}"
		set_seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[$arg]}]}"
		grep -qF "\"value\":$value," "$BUNDLE/config.json"
		run_fg
		echo "case $op $value $two: status $status, ${output//$'\n'/ }" >&2
		assert_status 0
		assert_output_has "^p32=$want32$"
		assert_output_has "^p64=$want64$"
	done <<-'EOF'
		SCMP_CMP_EQ          8                     0 1 0
		SCMP_CMP_EQ          0                     0 0 1
		SCMP_CMP_NE          0                     0 1 0
		SCMP_CMP_GT          0                     0 1 0
		SCMP_CMP_GE          8                     0 1 0
		SCMP_CMP_LT          8                     0 0 1
		SCMP_CMP_LE          7                     0 0 1
		SCMP_CMP_MASKED_EQ   255                   8 1 0
		SCMP_CMP_MASKED_EQ   8                     0 0 1
		SCMP_CMP_MASKED_EQ   18446744073709551615  8 1 0
		SCMP_CMP_EQ          4294967304            0 0 0
		SCMP_CMP_MASKED_EQ   18446744069414584320  0 1 1
		SCMP_CMP_GT          4294967295            0 0 0
		SCMP_CMP_EQ          18446744073709551615  0 0 0
	EOF
}

@test "seccomp: two comparisons of the same argument match when either does" {
	set_cmd sh -c 'linux32 true 2>/dev/null; echo "p32=$?"; linux64 true 2>/dev/null; echo "p64=$?"'
	set_seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],
		"action":"SCMP_ACT_ERRNO","args":[
			{"index":0,"value":8,"op":"SCMP_CMP_EQ"},
			{"index":0,"value":131080,"op":"SCMP_CMP_EQ"}]}]}'
	run_fg
	assert_status 0
	assert_output_has '^p32=1$'
	assert_output_has '^p64=0$'
}

@test "seccomp: comparisons of two arguments must both match" {
	# kill(pid, SIGUSR1) refused only for the shell's own pid (1).
	set_cmd sh -c 'trap "echo usr1" USR1; trap "echo usr2" USR2; kill -USR1 $$ 2>/dev/null; echo "self1=$?"; kill -USR2 $$; sleep 1000 & p=$!; kill -USR1 $p; echo "other1=$?"; kill -KILL $p; wait; true'
	set_seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],
		"action":"SCMP_ACT_ERRNO","args":[
			{"index":0,"value":1,"op":"SCMP_CMP_EQ"},
			{"index":1,"value":10,"op":"SCMP_CMP_EQ"}]}]}'
	run_fg
	assert_status 0
	assert_output_has '^self1=1$'
	assert_output_has '^usr2$'
	assert_output_has '^other1=0$'
	refute "$output" '^usr1$'
}

# --- names, architectures, flags ------------------------------------------------

@test "seccomp: a system call name libseccomp does not know is skipped, with a debug line" {
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW \
		'{"names":["runlet_no_such_call","chmod","fchmodat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}' \
		"$(rule SCMP_ACT_KILL runlet_another_unknown_call)")"
	run_fg --debug
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	grep -q "seccomp: no system call runlet_no_such_call on this architecture, skipped" <<<"$stderr"
	grep -q "seccomp: no system call runlet_another_unknown_call on this architecture, skipped" <<<"$stderr"

	# Without --debug nothing is said.
	rm -rf "$CACHE"
	run_fg
	assert_status 0
	refute "$stderr" runlet_no_such_call
}

@test "seccomp: architectures with SCMP_ARCH_X86 and SCMP_ARCH_X32 added give a larger filter that works" {
	local native multi

	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(jq -nc --argjson r "$(deny_chmod)" \
		'{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"], syscalls: [$r]}')"
	run_fg
	assert_status 0
	assert_output_has '^mode=644$'
	native="$(cache_files)"
	[ "$(wc -l <<<"$native")" -eq 1 ]

	set_seccomp "$(jq -nc --argjson r "$(deny_chmod)" '{defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], syscalls: [$r]}')"
	run_fg
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^mode=644$'
	multi="$(cache_files | grep -vxF "$native")"
	[ -n "$multi" ]
	# The program checks each architecture's number of chmod.
	[ "$(stat -c %s "$multi")" -gt "$(stat -c %s "$native")" ]
}

@test "seccomp: architectures libseccomp 2.5.4 lacks are refused with a message naming libseccomp 2.6" {
	local arch

	for arch in SCMP_ARCH_LOONGARCH64 SCMP_ARCH_M68K SCMP_ARCH_SH SCMP_ARCH_SHEB; do
		set_seccomp "$(jq -nc --arg a "$arch" '{defaultAction: "SCMP_ACT_ALLOW",
			architectures: ["SCMP_ARCH_X86_64", $a]}')"
		run_detached --cache-dir "$CACHE" create --bundle "$BUNDLE" "$ID"
		assert_status 1
		assert_one_error_line "$arch needs libseccomp 2\.6"
		run runlet state "$ID"
		[ "$status" -ne 0 ]
	done
	[ -z "$(cache_files)" ]
}

@test "seccomp: flags LOG, SPEC_ALLOW and TSYNC are accepted, alone and together" {
	local flags

	set_cmd sh -c "$CHMOD_PROBE; grep '^Seccomp:' /proc/self/status"
	for flags in '["SECCOMP_FILTER_FLAG_LOG"]' '["SECCOMP_FILTER_FLAG_SPEC_ALLOW"]' \
		'["SECCOMP_FILTER_FLAG_TSYNC"]' \
		'["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"]' '[]'; do
		set_seccomp "$(jq -nc --argjson f "$flags" --argjson r "$(deny_chmod)" \
			'{defaultAction: "SCMP_ACT_ALLOW", flags: $f, syscalls: [$r]}')"
		run_fg
		echo "flags $flags: status $status" >&2
		assert_status 0
		grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
		assert_output_has '^mode=644$'
		assert_output_has '^Seccomp:[[:space:]]+2$'
	done
}

@test "seccomp: WAIT_KILLABLE_RECV without a notifying rule fails at create or not at all" {
	need_kernel 5 19 "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"
	# The kernel takes the flag only with a listener.  A runtime may drop it
	# or refuse the profile, but a create that succeeds must give a
	# container that starts.
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(jq -nc --argjson r "$(deny_chmod)" '{defaultAction: "SCMP_ACT_ALLOW",
		flags: ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"], syscalls: [$r]}')"
	run_detached --cache-dir "$CACHE" create --bundle "$BUNDLE" "$ID"
	if [ "$status" -ne 0 ]; then
		assert_one_error_line "WAIT_KILLABLE_RECV"
		return 0
	fi
	run --separate-stderr runlet start "$ID"
	assert_status 0
}

@test "seccomp: malformed seccomp objects are refused at create, naming the field" {
	local obj want

	while IFS='|' read -r obj want; do
		[ -n "$obj" ] || continue
		set_seccomp "$obj"
		run_detached --cache-dir "$CACHE" create --bundle "$BUNDLE" "$ID"
		echo "case $obj: status $status, $stderr" >&2
		assert_status 1
		assert_one_error_line "$want"
		run runlet state "$ID"
		[ "$status" -ne 0 ]
	done <<-'EOF'
		{"defaultAction":"SCMP_ACT_FOO"}|unknown action SCMP_ACT_FOO
		{"syscalls":[]}|defaultAction
		{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ALLOW","errnoRet":1}]}|errnoRet given for SCMP_ACT_ALLOW
		{"defaultAction":"SCMP_ACT_ALLOW","defaultErrnoRet":1}|defaultErrnoRet given for SCMP_ACT_ALLOW
		{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[],"action":"SCMP_ACT_ERRNO"}]}|at least one name
		{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]}|arguments 0 to 5
		{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_FOO"}]}]}|unknown operator SCMP_CMP_FOO
		{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_FOO"]}|unknown architecture SCMP_ARCH_FOO
		{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_FOO"]}|unknown flag SECCOMP_FILTER_FLAG_FOO
		{"defaultAction":"SCMP_ACT_ALLOW","listenerMetadata":"x"}|listenerMetadata needs listenerPath
	EOF
}

# --- noNewPrivileges and exec -----------------------------------------------------

@test "seccomp: with noNewPrivileges false the filter is loaded before the capabilities go" {
	update_config '.process.noNewPrivileges = false'
	set_cmd sh -c "$CHMOD_PROBE; grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/self/status"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_fg
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^mode=644$'
	assert_output_has '^Seccomp:[[:space:]]+2$'
	assert_output_has '^NoNewPrivs:[[:space:]]+0$'
	# CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE: the spec's default set.
	assert_output_has "^CapEff:[[:space:]]+$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)$"
}

@test "seccomp: a process run by exec gets the container's filter" {
	local pid

	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_detached --cache-dir "$CACHE" run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	[ "$(seccomp_mode "$pid")" = 2 ]

	run --separate-stderr sc exec "$ID" sh -c "$CHMOD_PROBE; grep -E '^(Seccomp|Seccomp_filters|NoNewPrivs):' /proc/self/status"
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^mode=644$'
	assert_output_has '^Seccomp:[[:space:]]+2$'
	assert_output_has '^Seccomp_filters:[[:space:]]+1$'
	assert_output_has '^NoNewPrivs:[[:space:]]+1$'

	# And with a cache directory that holds nothing: compiled again.
	run --separate-stderr runlet --cache-dir "$BATS_TEST_TMPDIR/other-cache" exec "$ID" sh -c "$CHMOD_PROBE"
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	rm -rf "$BATS_TEST_TMPDIR/other-cache"
}

@test "seccomp: exec into a container with noNewPrivileges false gets the filter too" {
	update_config '.process.noNewPrivileges = false'
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_detached --cache-dir "$CACHE" run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	run --separate-stderr sc exec "$ID" sh -c "$CHMOD_PROBE; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^Seccomp:[[:space:]]+2$'
	assert_output_has '^NoNewPrivs:[[:space:]]+0$'
}

@test "seccomp: a process of another user gets the filter, with noNewPrivileges true and false" {
	local nnp

	for nnp in true false; do
		update_config --argjson n "$nnp" '.process.noNewPrivileges = $n
			| .process.user = {uid: 1000, gid: 1000}'
		set_cmd sh -c "id -u; $CHMOD_PROBE; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"
		set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
		run_fg
		echo "noNewPrivileges $nnp: status $status" >&2
		assert_status 0
		assert_output_has '^1000$'
		grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
		assert_output_has '^mode=644$'
		assert_output_has '^Seccomp:[[:space:]]+2$'
		assert_output_has "^NoNewPrivs:[[:space:]]+$([ "$nnp" = true ] && echo 1 || echo 0)$"
	done

	# exec --user into it.
	set_cmd sleep 1000
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_detached --cache-dir "$CACHE" run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	run --separate-stderr sc exec --user 1000:1000 "$ID" sh -c "id -u; $CHMOD_PROBE; grep '^Seccomp:' /proc/self/status"
	assert_status 0
	assert_output_has '^1000$'
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^Seccomp:[[:space:]]+2$'
}

# --- the notify listener ----------------------------------------------------------

@test "seccomp: the listener gets the fd and the container process state, and answers with EPERM" {
	local pid state

	start_listener eperm
	update_config '.annotations = {"org.example.seccomp": "agent test"}'
	set_cmd sh -c 'mkdir /tmp/d; echo "mkdir=$?"; test -d /tmp/d && echo exists; true'
	set_seccomp "$(notify_profile)"
	run_fg -- --pid-file "$BATS_TEST_TMPDIR/pid"
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	grep -q "mkdir: can't create directory '/tmp/d': Operation not permitted" <<<"$stderr"
	assert_output_has '^mkdir=1$'
	refute "$output" '^exists$'

	wait_listener_events state 1
	[ "$(listener_events state | jq length)" -eq 1 ]
	state="$(listener_events state | jq -c '.[0]')"
	echo "state: $state" >&2
	# One fd, one state, and the connection closed after it.
	jq -e '.nfds == 1 and .more == 0' <<<"$state"
	# config-linux.md, "The Container Process State".
	jq -e --argjson pid "$pid" --arg id "$ID" --arg bundle "$(readlink -f "$BUNDLE")" \
		--arg meta "$AGENT_METADATA" '.state
		| (.ociVersion | test("^1\\.[0-9]+\\.[0-9]+"))
		and .fds == ["seccompFd"]
		and .pid == $pid
		and .metadata == $meta
		and .state.ociVersion == .ociVersion
		and .state.id == $id
		and (.state.status | IN("creating", "created", "running"))
		and .state.pid == $pid
		and .state.bundle == $bundle
		and .state.annotations == {"org.example.seccomp": "agent test"}' <<<"$state"
	if [ -f "$SCHEMA_DIR/state-schema.json" ]; then
		validate_state "$(jq -c .state.state <<<"$state")"
	fi
	# The notification: mkdir or mkdirat, from the container's shell's child.
	wait_listener_events notif 1
	listener_events notif | jq -e --argjson a "$NR_MKDIR" --argjson b "$NR_MKDIRAT" \
		'all(.[]; .nr == $a or .nr == $b) and all(.[]; .arch == 3221225534)'
}

@test "seccomp: a notification answered with SECCOMP_USER_NOTIF_FLAG_CONTINUE runs the call" {
	start_listener continue
	set_cmd sh -c 'mkdir /tmp/d; echo "mkdir=$?"; test -d /tmp/d && echo exists; true'
	set_seccomp "$(notify_profile)"
	run_fg
	assert_status 0
	assert_output_has '^mkdir=0$'
	assert_output_has '^exists$'
	wait_listener_events notif 1
}

@test "seccomp: a notification answered with a value returns it without running the call" {
	start_listener success
	set_cmd sh -c 'mkdir /tmp/d; echo "mkdir=$?"; test -d /tmp/d && echo exists; true'
	set_seccomp "$(notify_profile)"
	run_fg
	assert_status 0
	assert_output_has '^mkdir=0$'
	refute "$output" '^exists$'
}

@test "seccomp: with noNewPrivileges false the listener still gets the fd, and the filter holds" {
	start_listener eperm
	update_config '.process.noNewPrivileges = false'
	set_cmd sh -c 'mkdir /tmp/d; echo "mkdir=$?"'
	set_seccomp "$(notify_profile)"
	run_fg
	assert_status 0
	assert_output_has '^mkdir=1$'
	wait_listener_events state 1
	listener_events state | jq -e --arg id "$ID" '.[0].state.state.id == $id and .[0].nfds == 1'
}

@test "seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV with a notifying profile" {
	need_kernel 5 19 "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"
	start_listener continue
	set_cmd sh -c 'mkdir /tmp/d; echo "mkdir=$?"; test -d /tmp/d && echo exists; true'
	set_seccomp "$(notify_profile | jq -c '.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]')"
	run_fg
	assert_status 0
	assert_output_has '^mkdir=0$'
	assert_output_has '^exists$'
	wait_listener_events notif 1
}

@test "seccomp: SECCOMP_FILTER_FLAG_TSYNC with a notifying profile" {
	need_kernel 5 7 "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"
	# The kernel takes TSYNC with NEW_LISTENER only with TSYNC_ESRCH, which
	# libseccomp adds by itself.
	start_listener continue
	set_cmd sh -c 'mkdir /tmp/d; echo "mkdir=$?"; test -d /tmp/d && echo exists; true'
	set_seccomp "$(notify_profile | jq -c '.flags = ["SECCOMP_FILTER_FLAG_TSYNC"]')"
	run_fg
	assert_status 0
	assert_output_has '^mkdir=0$'
	assert_output_has '^exists$'
}

@test "seccomp: exec into a notifying container sends the exec'd process's fd to the listener" {
	local pid

	start_listener continue
	update_config '.annotations = {"org.example.seccomp": "agent test"}'
	set_seccomp "$(notify_profile)"
	run_detached --cache-dir "$CACHE" run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	wait_listener_events state 1

	run --separate-stderr sc exec --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" \
		sh -c 'mkdir /tmp/e; echo "mkdir=$?"; test -d /tmp/e && echo exists; true'
	assert_status 0
	assert_output_has '^mkdir=0$'
	assert_output_has '^exists$'
	wait_listener_events state 2
	listener_events state | jq -e --argjson init "$pid" --argjson p "$(cat "$BATS_TEST_TMPDIR/exec.pid")" --arg id "$ID" '
		.[1].nfds == 1
		and .[1].state.pid == $p
		and .[1].state.state.id == $id
		and .[1].state.state.pid == $init
		and .[1].state.state.status == "running"
		and .[1].state.state.annotations == {"org.example.seccomp": "agent test"}
		and .[1].state.metadata == .[0].state.metadata'
}

@test "seccomp: create fails cleanly when nobody listens on listenerPath" {
	need_python_listener
	SOCK="$BATS_TEST_TMPDIR/nobody.sock"
	set_seccomp "$(notify_profile)"
	run_detached --cache-dir "$CACHE" create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "seccomp listener .*nobody\.sock"
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "seccomp: SCMP_ACT_NOTIFY as the default action is refused at create, or works" {
	# The init sends the listener fd with sendmsg(2) after loading the
	# filter: were sendmsg itself notified, nobody could answer it.
	start_listener continue
	set_cmd true
	set_seccomp "$(jq -nc --arg sock "$SOCK" '{defaultAction: "SCMP_ACT_NOTIFY", listenerPath: $sock,
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ALLOW"}]}')"
	run_detached --cache-dir "$CACHE" create --bundle "$BUNDLE" "$ID"
	if [ "$status" -ne 0 ]; then
		assert_one_error_line "SCMP_ACT_NOTIFY"
		return 0
	fi
	RUNLET_TIMEOUT=5 run --separate-stderr runlet start "$ID"
	assert_status 0
}

@test "seccomp: SCMP_ACT_NOTIFY on sendmsg is refused at create, or works" {
	start_listener continue
	set_cmd true
	set_seccomp "$(jq -nc --arg sock "$SOCK" '{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $sock,
		syscalls: [{names: ["sendmsg"], action: "SCMP_ACT_NOTIFY"}]}')"
	run_detached --cache-dir "$CACHE" create --bundle "$BUNDLE" "$ID"
	if [ "$status" -ne 0 ]; then
		assert_one_error_line "sendmsg"
		return 0
	fi
	RUNLET_TIMEOUT=5 run --separate-stderr runlet start "$ID"
	assert_status 0
}

# --- the compiled-filter cache ----------------------------------------------------

@test "seccomp cache: the first create stores the program, the second does not call libseccomp" {
	local file trace

	command -v strace >/dev/null || skip_because "strace is missing"
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	trace="$BATS_TEST_TMPDIR/trace"

	# libseccomp's program is exported through a memfd named "seccomp"
	# (src/seccomp.c, export_program): a compile shows as that call.
	run --separate-stderr strace -f -qq -o "$trace.1" -e trace=memfd_create \
		timeout 10 "$RUNLET" --root "$RUNLET_BATS_ROOT" --cache-dir "$CACHE" --debug \
		run --bundle "$BUNDLE" "$ID" 3>&-
	assert_status 0
	grep -q "Permission denied" <<<"$stderr"
	grep -q 'memfd_create("seccomp"' "$trace.1"
	refute "$stderr" "seccomp cache: using"

	# One file, named by the 64-bit key, readable by root alone.
	file="$(cache_files)"
	[ "$(wc -l <<<"$file")" -eq 1 ]
	[[ "$(basename "$file")" =~ ^[0-9a-f]{16}\.bpf$ ]]
	[ "$(stat -c %a "$file")" = 600 ]
	[ "$(stat -c %a "$CACHE")" = 700 ]
	[ "$(head -c 4 "$file")" = RLSC ]
	cp "$file" "$BATS_TEST_TMPDIR/first.bpf"

	run --separate-stderr strace -f -qq -o "$trace.2" -e trace=memfd_create \
		timeout 10 "$RUNLET" --root "$RUNLET_BATS_ROOT" --cache-dir "$CACHE" --debug \
		run --bundle "$BUNDLE" "$ID" 3>&-
	assert_status 0
	grep -q "Permission denied" <<<"$stderr"
	grep -q "seccomp cache: using $file" <<<"$stderr"
	refute "$(cat "$trace.2")" 'memfd_create\("seccomp"'
	# Read, not rewritten.
	cmp "$file" "$BATS_TEST_TMPDIR/first.bpf"
	[ "$(cache_files | wc -l)" -eq 1 ]
}

@test "seccomp cache: a changed profile gets a file of its own" {
	local first

	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_fg
	assert_status 0
	first="$(cache_files)"
	[ "$(wc -l <<<"$first")" -eq 1 ]
	cp "$first" "$BATS_TEST_TMPDIR/first.bpf"

	# errnoRet 1 instead of 13: another program.
	set_seccomp "$(profile SCMP_ACT_ALLOW '{"names":["chmod","fchmodat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}')"
	run_fg --debug
	assert_status 0
	grep -q "chmod: /tmp/f: Operation not permitted" <<<"$stderr"
	refute "$stderr" "seccomp cache: using"
	[ "$(cache_files | wc -l)" -eq 2 ]
	cmp "$first" "$BATS_TEST_TMPDIR/first.bpf"

	# Back to the first: its file is used.
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_fg --debug
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	grep -q "seccomp cache: using $first" <<<"$stderr"
}

@test "seccomp cache: a damaged file is rebuilt and the container still gets the filter" {
	local file size damage

	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_fg
	assert_status 0
	file="$(cache_files)"
	cp "$file" "$BATS_TEST_TMPDIR/good.bpf"
	size="$(stat -c %s "$file")"

	for damage in program key count crc magic truncate append empty; do
		cp "$BATS_TEST_TMPDIR/good.bpf" "$file"
		case $damage in
		program) flip_byte "$file" $((size - 5)) ;;
		key) flip_byte "$file" 9 ;;
		count) flip_byte "$file" 16 ;;
		crc) flip_byte "$file" 21 ;;
		magic) flip_byte "$file" 0 ;;
		truncate) truncate -s $((size - 8)) "$file" ;;
		append) printf '\0\0\0\0\0\0\0\0' >>"$file" ;;
		empty) : >"$file" ;;
		esac
		if cmp -s "$file" "$BATS_TEST_TMPDIR/good.bpf"; then
			echo "damage $damage left the file as it was" >&2
			return 1
		fi
		run_fg --debug
		echo "damage $damage: status $status" >&2
		assert_status 0
		grep -q "seccomp cache: .* is damaged, rebuilding it" <<<"$stderr"
		grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
		assert_output_has '^mode=644$'
		cmp "$file" "$BATS_TEST_TMPDIR/good.bpf"
	done
}

@test "seccomp cache: another profile's program under this profile's name is not used" {
	local mine theirs

	# Two profiles, two files; then the file of the one that allows
	# everything is put where the denying profile looks.
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule SCMP_ACT_ERRNO runlet_no_such_call)")"
	run_fg
	assert_status 0
	theirs="$(cache_files)"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_fg
	assert_status 0
	mine="$(cache_files | grep -vxF "$theirs")"
	cp "$mine" "$BATS_TEST_TMPDIR/mine.bpf"
	cp "$theirs" "$mine"

	run_fg --debug
	assert_status 0
	grep -q "is damaged, rebuilding it" <<<"$stderr"
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	cmp "$mine" "$BATS_TEST_TMPDIR/mine.bpf"
}

@test "seccomp cache: a program in a directory others can write is not trusted" {
	local mine theirs

	command -v python3 >/dev/null || skip_because "python3 is missing"
	# The key and the CRC catch damage, not forgery: whoever can write the
	# directory can write a file that passes them.  Here: the program of a
	# profile that allows everything, under the key of one that denies chmod.
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(rule SCMP_ACT_ERRNO runlet_no_such_call)")"
	run_fg
	assert_status 0
	theirs="$(cache_files)"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run_fg
	assert_status 0
	mine="$(cache_files | grep -vxF "$theirs")"
	python3 - "$mine" "$theirs" <<-'EOF'
		import struct, sys, zlib
		mine, theirs = (open(p, "rb").read() for p in sys.argv[1:3])
		count = struct.unpack_from("<I", theirs, 16)[0]
		prog = theirs[24:24 + 8 * count]
		forged = mine[:16] + struct.pack("<II", count, zlib.crc32(prog)) + prog
		open(sys.argv[1], "wb").write(forged)
	EOF
	# The premise: in the runtime's own directory (0700, root's) the forged
	# file passes every check and is used.
	run_fg --debug
	assert_status 0
	grep -q "seccomp cache: using $mine" <<<"$stderr"
	assert_output_has '^mode=600$'

	# Once the directory is writable by others, its files are not used.
	chmod 0777 "$CACHE"
	chown 65534:65534 "$mine"
	run_fg --debug
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	assert_output_has '^mode=644$'
}

@test "seccomp cache: a cache directory that cannot be written costs a compile, not the container" {
	set_cmd sh -c "$CHMOD_PROBE"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	# A path under a regular file: neither the directory nor the file can be made.
	: >"$BATS_TEST_TMPDIR/not-a-dir"
	run --separate-stderr runlet --cache-dir "$BATS_TEST_TMPDIR/not-a-dir/cache" --debug \
		run --bundle "$BUNDLE" "$ID"
	assert_status 0
	grep -q "chmod: /tmp/f: Permission denied" <<<"$stderr"
	grep -q "seccomp cache: cannot" <<<"$stderr"
	[ -f "$BATS_TEST_TMPDIR/not-a-dir" ]
	[ ! -s "$BATS_TEST_TMPDIR/not-a-dir" ]
}

# --- the build without seccomp ----------------------------------------------------

@test "seccomp: a build without CONFIG_SECCOMP refuses linux.seccomp and runs nothing" {
	local features

	[ -x "$RUNLET_TINY" ] ||
		skip_because "no tiny build at $RUNLET_TINY (make O=build/cfg-tiny KCONFIG_CONFIG=configs/tiny_defconfig)"
	features="$("$RUNLET_TINY" features 2>/dev/null || true)"
	if [ -n "$features" ] && jq -e '.linux.seccomp.enabled == true' <<<"$features" >/dev/null; then
		skip_because "$RUNLET_TINY has seccomp"
	fi
	set_cmd sh -c "touch /tmp/ran-$ID"
	set_seccomp "$(profile SCMP_ACT_ALLOW "$(deny_chmod)")"
	run --separate-stderr timeout -k 5 "$RUNLET_TIMEOUT" "$RUNLET_TINY" --root "$RUNLET_BATS_ROOT" \
		run --bundle "$BUNDLE" "$ID" 3>&-
	assert_status 1
	assert_one_error_line "linux\.seccomp.*CONFIG_SECCOMP"
	run --separate-stderr timeout -k 5 "$RUNLET_TIMEOUT" "$RUNLET_TINY" --root "$RUNLET_BATS_ROOT" \
		create --bundle "$BUNDLE" "$ID" 3>&-
	assert_status 1
	assert_one_error_line "linux\.seccomp.*CONFIG_SECCOMP"
	run runlet state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(container_procs "$ID")" ]
	[ ! -e "$BUNDLE/rootfs/tmp/ran-$ID" ]

	# The same bundle without linux.seccomp runs on that build.
	update_config 'del(.linux.seccomp)'
	set_cmd true
	run --separate-stderr timeout -k 5 "$RUNLET_TIMEOUT" "$RUNLET_TINY" --root "$RUNLET_BATS_ROOT" \
		run --bundle "$BUNDLE" "$ID" 3>&-
	assert_status 0
}
