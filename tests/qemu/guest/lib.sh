# Helpers of the in-guest test scripts (busybox sh).  Sourced by run.sh.
#
# Results are TAP lines, each printed with the prefix "TAP: " so that the
# host can pick them out of a serial console that also carries the kernel's
# and the harness's messages:
#
#   TAP: ok 3 - pids.max is 5
#   TAP: not ok 4 - memory.max enforced
#   TAP: #   diagnostics of the failure
#   TAP: ok 5 - io.max written # SKIP no block device: ...
#   TAP: 1..5                       (last: the guest's own plan)
#
# tests/qemu/run.sh strips the prefix and numbers the results across boots
# and architectures.
# shellcheck shell=dash

RUNLET=${RUNLET:-/payload/runlet}
STATE=${STATE:-/run/runlet}
BUNDLES=${BUNDLES:-/payload/bundles}
ROOTFS=${ROOTFS:-/payload/rootfs}
WORK=${WORK:-/tmp/runlet-tests}
CG=${CG:-/sys/fs/cgroup}

tap_n=0
tap_failed=0

tap() {
	echo "TAP: $*"
}

# diag TEXT: a TAP comment (several lines allowed).
diag() {
	printf '%s\n' "$*" | sed 's/^/TAP: # /'
}

# diag_file FILE: FILE's last 40 lines as TAP comments.
diag_file() {
	[ -s "$1" ] || return 0
	tail -n 40 "$1" | tr -d '\r' | sed 's/^/TAP: #   /'
}

pass() {
	tap_n=$((tap_n + 1))
	tap "ok $tap_n - $1"
}

fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	tap "not ok $tap_n - $1"
}

# skip DESC REASON
skip() {
	tap_n=$((tap_n + 1))
	tap "ok $tap_n - $1 # SKIP $2"
}

# check DESC CMD...: one assertion; CMD's output is shown when it fails.
check() {
	local desc="$1"

	shift
	if "$@" >"$WORK/check.out" 2>&1; then
		pass "$desc"
	else
		fail "$desc"
		diag_file "$WORK/check.out"
	fi
}

# The plan comes last: the number of results the guest printed.
tap_done() {
	tap "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

# --- the runtime ----------------------------------------------------------

# rl ARGS...: runlet with the tests' state directory.  No call may hang the
# boot: after RL_TIMEOUT seconds it is killed (SIGKILL: run forwards the
# other signals to the container, whose init may ignore them).
RL_TIMEOUT=${RL_TIMEOUT:-60}
rl() {
	timeout -s KILL "$RL_TIMEOUT" "$RUNLET" --root "$STATE" "$@"
}

# run_ct OUT ARGS...: rl ARGS with stdout and stderr in OUT; sets $rc.
# shellcheck disable=SC2034 # rc is for the caller
run_ct() {
	local out="$1"

	shift
	rl "$@" >"$out" 2>&1
	rc=$?
}

# bundle NAME: a copy of the prepared bundle NAME under $WORK (configs are
# patched there, never in the payload).
bundle() {
	rm -rf "$WORK/bundles/$1"
	mkdir -p "$WORK/bundles"
	cp -a "$BUNDLES/$1" "$WORK/bundles/$1"
	echo "$WORK/bundles/$1"
}

# status_of ID: created, running, paused, stopped, or nothing.
status_of() {
	rl state "$1" 2>/dev/null | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'
}

# ct_status_is ID STATUS
ct_status_is() {
	local st

	st=$(status_of "$1")
	[ "$st" = "$2" ] && return 0
	echo "container $1 is '$st', not $2:"
	rl state "$1" 2>&1
	return 1
}

# wait_status ID STATUS: for up to 10 s.
wait_status() {
	local i=0

	while [ $i -lt 100 ]; do
		[ "$(status_of "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "container $1 is '$(status_of "$1")', not $2"
	return 1
}

# --- assertions (for check) -----------------------------------------------

# is WHAT GOT WANT
is() {
	[ "$2" = "$3" ] && return 0
	echo "$1: got '$2', expected '$3'"
	return 1
}

# file_is FILE WANT: FILE holds exactly WANT (one line).
file_is() {
	local got

	got=$(cat "$1" 2>&1)
	is "$1" "$got" "$2"
}

# file_has FILE ERE: some line of FILE matches.
file_has() {
	grep -Eq -- "$2" "$1" 2>/dev/null && return 0
	echo "no line of $1 matches /$2/:"
	cat "$1" 2>&1
	return 1
}

# file_lacks FILE ERE
file_lacks() {
	grep -Eq -- "$2" "$1" 2>/dev/null || return 0
	echo "$1 has a line matching /$2/:"
	cat "$1"
	return 1
}

# key_at_least FILE KEY N: the "KEY VALUE" line of FILE has VALUE >= N.
key_at_least() {
	local v

	v=$(sed -n "s/^$2 //p" "$1" 2>/dev/null)
	[ -n "$v" ] && [ "$v" -ge "$3" ] && return 0
	echo "$1: $2 is '$v', expected >= $3:"
	cat "$1" 2>&1
	return 1
}

# status_is GOT WANT [OUTPUT-FILE]: an exit status.
status_is() {
	[ "$1" = "$2" ] && return 0
	echo "exit status $1, expected $2"
	[ -z "${3:-}" ] || cat "$3"
	return 1
}

# status_not GOT BAD [OUTPUT-FILE]
status_not() {
	[ "$1" != "$2" ] && return 0
	echo "exit status $1"
	[ -z "${3:-}" ] || cat "$3"
	return 1
}

gone() {
	[ ! -e "$1" ] && return 0
	echo "$1 still exists:"
	find "$1" -maxdepth 1 2>&1 | head -n 20
	return 1
}

present() {
	[ -e "$1" ] && return 0
	echo "$1 does not exist"
	return 1
}

# no_container ID: runlet does not know ID.
no_container() {
	rl state "$1" >"$WORK/state.out" 2>&1 || return 0
	echo "container $1 exists:"
	cat "$WORK/state.out"
	return 1
}

# alive PID: the process runs (a zombie has died: only its parent's wait
# is missing, and that parent may be this VM's init).
alive() {
	local state

	state=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# pids_dead PID...
pids_dead() {
	local p left=""

	for p in "$@"; do
		alive "$p" && left="$left $p"
	done
	[ -z "$left" ] && return 0
	echo "processes still alive:$left"
	for p in $left; do
		echo "$p: $(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null)"
	done
	return 1
}

# --- the rootfs -------------------------------------------------------------

# make_rootfs: a read-only busybox rootfs shared by every bundle, from the
# image's own /bin/busybox.
make_rootfs() {
	local a

	rm -rf "$ROOTFS"
	mkdir -p "$ROOTFS/bin" "$ROOTFS/sbin" "$ROOTFS/usr/bin" "$ROOTFS/usr/sbin" \
		"$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev" "$ROOTFS/etc" "$ROOTFS/root" "$ROOTFS/tmp" || return 1
	cp /bin/busybox "$ROOTFS/bin/busybox" || return 1
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$ROOTFS/bin/$a"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$ROOTFS/etc/passwd"
	echo "root:x:0:" >"$ROOTFS/etc/group"
	echo "runlet-guest-rootfs" >"$ROOTFS/etc/rootfs-marker"
	[ -x "$ROOTFS/bin/sh" ]
}
