# Helpers of the boot test's guest script (busybox sh), sourced by run.sh.
#
# Results are TAP lines printed with the prefix "TAP: ", so that the host
# can pick them out of a serial console that also carries the kernel's and
# the init scripts' messages; tests/boot/run.sh strips the prefix and
# numbers them across boots.
# shellcheck shell=dash

RUNLET=${RUNLET:-/usr/sbin/runlet}
HELPER=${HELPER:-/usr/sbin/runlet-bundles}
WORK=${WORK:-/tmp/boot-test}
CG=${CG:-/sys/fs/cgroup}

tap_n=0
tap_failed=0

tap() {
	echo "TAP: $*"
}

diag() {
	printf '%s\n' "$*" | sed 's/^/TAP: # /'
}

diag_file() {
	[ -s "$1" ] || return 0
	tail -n 30 "$1" | tr -d '\r' | sed 's/^/TAP: #   /'
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

# check DESC CMD...: one result; CMD's output is shown when it fails.
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

tap_done() {
	tap "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

# rl ARGS...: runlet with the default state directory, as the init scripts
# use it; no call may hang the boot.
rl() {
	timeout 60 "$RUNLET" "$@"
}

status_of() {
	rl state "$1" 2>/dev/null | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'
}

pid_of() {
	rl state "$1" 2>/dev/null | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p'
}

# wait_status ID STATUS [PID]: for up to 20 s; gives up early when the
# container is still unknown after 5 s, or when PID (the runlet that is
# to make it) has exited.
wait_status() {
	local i=0 st

	while [ $i -lt 200 ]; do
		st=$(status_of "$1")
		[ "$st" = "$2" ] && return 0
		[ -z "$st" ] && [ $i -ge 50 ] && break
		if [ -n "${3:-}" ] && { ! kill -0 "$3" 2>/dev/null || [ "$(proc_state "$3")" = Z ]; }; then
			st=$(status_of "$1")
			[ "$st" = "$2" ] && return 0
			echo "container $1 is '$st', not $2, and its runlet ($3) has exited"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "container $1 is '$(status_of "$1")', not $2"
	return 1
}

proc_state() {
	sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null
}

# --- assertions -------------------------------------------------------------

is() {
	[ "$2" = "$3" ] && return 0
	echo "$1: got '$2', expected '$3'"
	return 1
}

file_is() {
	is "$1" "$(cat "$1" 2>&1)" "$2"
}

file_has() {
	grep -Eq -- "$2" "$1" 2>/dev/null && return 0
	echo "no line of $1 matches /$2/:"
	cat "$1" 2>&1
	return 1
}

file_lacks() {
	grep -Eq -- "$2" "$1" 2>/dev/null || return 0
	echo "$1 has a line matching /$2/:"
	cat "$1"
	return 1
}

key_at_least() {
	local v

	v=$(sed -n "s/^$2 //p" "$1" 2>/dev/null)
	[ -n "$v" ] && [ "$v" -ge "$3" ] && return 0
	echo "$1: $2 is '$v', expected >= $3"
	cat "$1" 2>&1
	return 1
}

status_is() {
	[ "$1" = "$2" ] && return 0
	echo "exit status $1, expected $2"
	[ -z "${3:-}" ] || cat "$3"
	return 1
}

gone() {
	[ ! -e "$1" ] && return 0
	echo "$1 still exists"
	return 1
}

no_container() {
	rl state "$1" >"$WORK/state.out" 2>&1 || return 0
	echo "container $1 exists:"
	cat "$WORK/state.out"
	return 1
}

# process_gone PID: not running and not a zombie either (its parent reaped it).
process_gone() {
	local i=0

	while [ $i -lt 50 ]; do
		[ -d "/proc/$1" ] || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "process $1 is still there, state $(proc_state "$1"), parent $(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null): $(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)"
	return 1
}

# zombies [PPID]: the zombie processes (of PPID's), as "pid(ppid)".
zombies() {
	local d p pp

	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$(proc_state "$p")" = Z ] || continue
		pp=$(sed -n 's/^PPid:[[:space:]]*//p' "$d/status" 2>/dev/null)
		[ -z "${1:-}" ] || [ "$pp" = "$1" ] || continue
		printf '%s(%s) ' "$p" "$pp"
	done
}

# no_zombies [PPID]: none for 2 s in a row would be too slow; none now, or
# none after 1 s (a zombie waits for its parent's next wait).
no_zombies() {
	local z

	z=$(zombies "${1:-}")
	[ -z "$z" ] && return 0
	sleep 1
	z=$(zombies "${1:-}")
	[ -z "$z" ] && return 0
	echo "zombie processes (pid(parent)): $z"
	return 1
}
