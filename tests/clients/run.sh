#!/bin/bash
# The client suite: runlet driven through podman, containerd (ctr) and
# Docker.  Prints TAP on stdout; progress and daemon messages go to stderr.
#
#   tests/clients/run.sh                    all of podman, containerd, docker
#   tests/clients/run.sh docker podman      only these files
#
# Sets the machine up (scripts/clients/setup.sh: packages, image, configs),
# starts a private containerd and dockerd (scripts/clients/daemons.sh),
# runs tests/clients/*.bats with RUNTIME pointing at a copy of the runtime,
# and stops the daemons and removes their state on any exit.
#
# Environment:
#   RUNLET                 the runtime to test (default: build/runlet)
#   RUNLET_TEST_ROOT       state of the daemons (default: /run/runlet-test)
#   RUNLET_CLIENT_TIMEOUT  seconds one client command may take (default: 90)
#   BATS_ARGS              more arguments for bats, e.g. "-f pause"
#
# Every runtime call is logged to build/clients/logs/runtime.log; a failed
# test shows the calls it made.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/clients
cd "$top" || exit 1
. scripts/clients/lib.sh

elapsed() {
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'
}

# Messages of the scripts become TAP comments.
comment() {
	sed -u 's/^/# /'
}

bail() {
	echo "Bail out! $*"
	exit 1
}

[ "$(id -u)" = 0 ] || bail "run as root: the tests start containers"
command -v bats >/dev/null || bail "bats is not installed"

files=()
for c in "${@:-podman containerd docker}"; do
	for f in $c; do
		[ -f "$here/$f.bats" ] || bail "no such client suite: $f (podman, containerd, docker)"
		files+=("$here/$f.bats")
	done
done

runlet=${RUNLET:-$top/build/runlet}
[ -x "$runlet" ] || bail "no runtime at $runlet (build it with make)"

stopped=
stop_daemons() {
	[ -z "$stopped" ] || return 0
	stopped=1
	local t0=$EPOCHREALTIME
	scripts/clients/daemons.sh stop 2>&1 | comment
	echo "# teardown: $(elapsed "$t0")"
}
trap 'stop_daemons' EXIT
trap 'exit 130' INT TERM HUP

t_all=$EPOCHREALTIME
t0=$EPOCHREALTIME
# What a crashed earlier run left behind goes first.
scripts/clients/daemons.sh stop >/dev/null 2>&1
scripts/clients/setup.sh 2>&1 | comment
[ "${PIPESTATUS[0]}" = 0 ] || bail "scripts/clients/setup.sh failed"

# A copy, so that a rebuild during the run changes nothing; podman picks
# the runtime's features by its basename, which must stay "runlet".
bindir=$RUNLET_TEST_ROOT/bin
mkdir -p "$bindir" || bail "cannot create $bindir"
if ! cp "$runlet" "$bindir/runlet.tmp" || ! mv "$bindir/runlet.tmp" "$bindir/runlet"; then
	bail "cannot copy $runlet"
fi
echo "# runtime: $("$bindir/runlet" --version | head -n 1)"

# The logging wrapper is called runlet-log, a name podman also knows.
mkdir -p "$RUNLET_CLIENTS_DIR/logs"
export RUNLET_RUNTIME_LOG=$RUNLET_CLIENTS_DIR/logs/runtime.log
: >"$RUNLET_RUNTIME_LOG"
RUNTIME=$(. scripts/clients/env.sh && runlet_log_wrapper "$bindir/runlet" "$RUNLET_RUNTIME_LOG") ||
	bail "cannot write the runtime log wrapper"
export RUNTIME

RUNTIME=$RUNTIME scripts/clients/daemons.sh start 2>&1 | comment
[ "${PIPESTATUS[0]}" = 0 ] || bail "scripts/clients/daemons.sh start failed (logs: $RUNLET_CLIENTS_DIR/logs)"
echo "# setup: $(elapsed "$t0") (packages, image, daemons)"

# shellcheck disable=SC2086 # BATS_ARGS is a list of words
bats --tap ${BATS_ARGS:-} "${files[@]}"
rc=$?
stop_daemons
echo "# clients: $(elapsed "$t_all") in all"
exit $rc
