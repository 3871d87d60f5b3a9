# Shared by tests/clients/*.bats: the runtime driven through podman,
# containerd (ctr) and Docker.  tests/clients/run.sh sets everything up;
# to run one file by hand, after scripts/clients/setup.sh and
# `scripts/clients/daemons.sh start`:
#
#   RUNTIME=$PWD/build/runlet bats tests/clients/docker.bats
#
# Each file does
#
#	load helpers
#	setup_file() { clients_setup_file; }
#	teardown_file() { clients_teardown_file; }
#	setup() { clients_setup; }
#	teardown() { clients_teardown CLIENT; }
#
# and gets:
#   $N          a container name of the test's own (rlc-NUMBER)
#   p_podman, p_ctr, p_docker
#               the clients (scripts/clients/env.sh), each command ended
#               after RUNLET_CLIENT_TIMEOUT seconds (default 90)
#   in_pty CMD  CMD with a terminal, as `script` gives it
#   expect_*    assertions on $output that say what they wanted
#
# Environment:
#   RUNTIME               the runtime, an absolute path (default: build/runlet)
#   RUNLET_RUNTIME_LOG    a log of every runtime call (run.sh sets it): the
#                         calls made during a failed test are printed

# shellcheck shell=bash disable=SC2034,SC2154 # N, T for the tests; output, status from bats
bats_require_minimum_version 1.5.0

CLIENTS_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
RUNTIME=${RUNTIME:-$CLIENTS_TOP/build/runlet}
# shellcheck source=../../scripts/clients/env.sh
. "$CLIENTS_TOP/scripts/clients/env.sh"
RUNLET_CLIENT_TIMEOUT=${RUNLET_CLIENT_TIMEOUT:-90}
export RUNLET_CLIENT_TIMEOUT RUNLET_ETC RUNLET_PODMAN RUNLET_CTR RUNLET_DOCKER RUNLET_CTR_NS
# For the shells `script` starts (in_pty).
export -f p_podman p_ctr p_docker _p_docker_cli _p_docker_runtime _p_runtime_ok _p_timeout

SYSPROBE_SRC=$BATS_TEST_DIRNAME/sysprobe.c
SYSPROBE=$RUNLET_CLIENTS_DIR/sysprobe

# --- suite and test setup ------------------------------------------------

clients_setup_file() {
	export CLIENTS_FILE_START=$SECONDS CLIENTS_FILE_DATE
	CLIENTS_FILE_DATE=$(date +%s)
	[ -x "$RUNTIME" ] || {
		echo "# RUNTIME is not an executable: $RUNTIME" >&3
		return 1
	}
}

clients_teardown_file() {
	echo "# ${BATS_TEST_FILENAME##*/}: $((SECONDS - CLIENTS_FILE_START))s" >&3
}

clients_setup() {
	N=rlc-$BATS_TEST_NUMBER
	T=$BATS_TEST_TMPDIR
	RUNTIME_LOG_START=0
	if [ -n "${RUNLET_RUNTIME_LOG:-}" ] && [ -f "$RUNLET_RUNTIME_LOG" ]; then
		RUNTIME_LOG_START=$(wc -l <"$RUNLET_RUNTIME_LOG")
	fi
}

# Removes every container of the client (the daemons are the suite's own)
# and, when the test failed, shows the runtime calls it made.
clients_teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
		echo "last output (status ${status:-}): ${output:0:1500}"
		[ -z "${stderr:-}" ] || echo "last stderr: ${stderr:0:1500}"
		if [ -n "${RUNLET_RUNTIME_LOG:-}" ] && [ -f "$RUNLET_RUNTIME_LOG" ]; then
			echo "runtime calls during the test (R=$RUNLET_TEST_ROOT, ids cut to 12):"
			tail -n +"$((RUNTIME_LOG_START + 1))" "$RUNLET_RUNTIME_LOG" | _short_calls | tail -n 30
		fi
	fi
	"cleanup_$1"
}

# The runtime log, shortened for reading: no working directory, no --log
# file, test root as $R, container ids cut.
_short_calls() {
	sed -E -e 's/ cwd=[^:]*:/:/' \
		-e "s/ '--log' '[^']*'//" \
		-e "s#$RUNLET_TEST_ROOT#\$R#g" \
		-e 's/([0-9a-f]{12})[0-9a-f]{52}/\1/g' | cut -c1-400
}

# Each cleanup tries the client first; where the client hangs (a runtime
# that never answers), it kills the container's process from the host,
# unfreezing it first, and tries again.
cleanup_podman() {
	local id
	RUNLET_CLIENT_TIMEOUT=30 p_podman rm -af -t 0 >/dev/null 2>&1 && return 0
	for id in $(RUNLET_CLIENT_TIMEOUT=20 p_podman ps -aq 2>/dev/null); do
		_host_kill "$(RUNLET_CLIENT_TIMEOUT=10 p_podman inspect -f '{{.State.Pid}}' "$id" 2>/dev/null)"
	done
	RUNLET_CLIENT_TIMEOUT=30 p_podman rm -af -t 0 >/dev/null 2>&1 || true
}

cleanup_docker() {
	local ids id
	ids=$(RUNLET_CLIENT_TIMEOUT=20 p_docker ps -aq 2>/dev/null) || true
	[ -n "$ids" ] || return 0
	# shellcheck disable=SC2086 # ids
	RUNLET_CLIENT_TIMEOUT=30 p_docker rm -f $ids >/dev/null 2>&1 && return 0
	for id in $ids; do
		_host_kill "$(RUNLET_CLIENT_TIMEOUT=10 p_docker inspect -f '{{.State.Pid}}' "$id" 2>/dev/null)"
	done
	# shellcheck disable=SC2086 # ids
	RUNLET_CLIENT_TIMEOUT=30 p_docker rm -f $ids >/dev/null 2>&1 || true
}

cleanup_ctr() {
	local id pid st
	while read -r id pid st; do
		# A paused task dies only once thawed.
		[ "$st" != PAUSED ] || RUNLET_CLIENT_TIMEOUT=10 p_ctr task resume "$id" >/dev/null 2>&1 || true
		RUNLET_CLIENT_TIMEOUT=20 p_ctr task delete -f "$id" >/dev/null 2>&1 && continue
		_host_kill "$pid"
		RUNLET_CLIENT_TIMEOUT=20 p_ctr task delete -f "$id" >/dev/null 2>&1 || true
	done < <(RUNLET_CLIENT_TIMEOUT=20 p_ctr task ls 2>/dev/null | tail -n +2)
	for id in $(RUNLET_CLIENT_TIMEOUT=20 p_ctr container ls -q 2>/dev/null); do
		RUNLET_CLIENT_TIMEOUT=20 p_ctr container delete "$id" >/dev/null 2>&1 || true
	done
}

# SIGKILL to a container's process, its freezer cgroup thawed first.
_host_kill() {
	local pid=$1 dir
	[ -n "$pid" ] && [ "$pid" -gt 1 ] 2>/dev/null || return 0
	if dir=$(host_cgroup_dir "$pid" freezer 2>/dev/null); then
		echo THAWED >"$dir/freezer.state" 2>/dev/null || true
	fi
	kill -KILL "$pid" 2>/dev/null || true
}

# --- helpers ---------------------------------------------------------------

# in_pty COMMAND [ARG]...: runs COMMAND (a p_* function or a program) with a
# pseudo-terminal as its stdin, stdout and stderr, as an interactive user
# would; what the terminal showed, carriage returns removed, is on stdout.
# A client attaches to a terminal container while it starts, and can miss
# what a process prints at once or just before it ends: the tests' commands
# sleep a little first and last.
in_pty() {
	local cmd
	cmd=$(printf '%q ' "$@")
	SHELL=/bin/bash script -qec "$cmd" /dev/null </dev/null | tr -d '\r'
	return "${PIPESTATUS[0]}"
}

# wait_for TRIES COMMAND...: runs COMMAND every 0.2s until it succeeds.
wait_for() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "gave up waiting for: $*"
	return 1
}

# The static probe of sysprobe.c, built once; skips the test where there is
# no compiler or static libc.
need_sysprobe() {
	if [ ! -x "$SYSPROBE" ] || [ "$SYSPROBE_SRC" -nt "$SYSPROBE" ]; then
		mkdir -p "${SYSPROBE%/*}"
		if ! cc -static -O2 -o "$SYSPROBE.$$" "$SYSPROBE_SRC" 2>"$BATS_TEST_TMPDIR/cc.err"; then
			skip "cannot build a static sysprobe: $(head -c 200 "$BATS_TEST_TMPDIR/cc.err")"
		fi
		mv "$SYSPROBE.$$" "$SYSPROBE"
	fi
}

# A seccomp profile that allows everything but mkdir and mkdirat (EPERM).
write_mkdir_profile() {
	cat >"$1" <<-'EOF'
	{
	  "defaultAction": "SCMP_ACT_ALLOW",
	  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
	                    "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
	  "syscalls": [
	    {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
	  ]
	}
	EOF
}

# The host's cgroup v1 directory of a process, for CONTROLLER.
host_cgroup_dir() {
	local pid=$1 ctl=$2 path
	path=$(awk -F: -v c="$ctl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
	[ -n "$path" ] || return 1
	echo "/sys/fs/cgroup/$ctl$path"
}

# cgroup_dirs_below NAME: directories below NAME, a cgroup parent, in every
# hierarchy: at the root, and below this shell's own cgroup (where a
# relative parent goes).
cgroup_dirs_below() {
	local name=$1 h ctl path
	{
		for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
			[ -d "$h$name" ] && echo "$h$name"
		done
		while IFS=: read -r _ ctl path; do
			[ "$path" != / ] || continue
			ctl=${ctl%%,*}
			ctl=${ctl#name=}
			h=/sys/fs/cgroup/${ctl:-unified}
			[ -d "$h$path/$name" ] && echo "$h$path/$name"
		done </proc/self/cgroup
	} | sort -u | while read -r h; do
		find "$h" -mindepth 1 -type d
	done
}

# --- assertions ------------------------------------------------------------
# On $output (carriage returns removed) and $status, from bats' run.

_show() {
	echo "status: $status"
	echo "output: ${output:0:2000}"
	[ -z "${stderr:-}" ] || echo "stderr: ${stderr:0:2000}"
}

expect_output() {
	local got=${output//$'\r'/}
	[ "$got" = "$1" ] && return 0
	echo "expected output: $1"
	_show
	return 1
}

# expect_match GLOB: the whole output matches the shell pattern.
expect_match() {
	local got=${output//$'\r'/}
	# shellcheck disable=SC2053 # a pattern on purpose
	[[ $got == $1 ]] && return 0
	echo "expected output matching: $1"
	_show
	return 1
}

expect_contains() {
	local got=${output//$'\r'/}
	[[ $got == *"$1"* ]] && return 0
	echo "expected output containing: $1"
	_show
	return 1
}

expect_not_contains() {
	local got=${output//$'\r'/}
	[[ $got != *"$1"* ]] && return 0
	echo "expected output without: $1"
	_show
	return 1
}

# expect_line LINE: one line of the output is exactly LINE.
expect_line() {
	local l
	while IFS= read -r l; do
		[ "${l%$'\r'}" = "$1" ] && return 0
	done <<<"$output"
	echo "expected a line: $1"
	_show
	return 1
}

expect_status() {
	[ "$status" = "$1" ] && return 0
	echo "expected status $1"
	_show
	return 1
}
