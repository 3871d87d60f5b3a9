#!/bin/bash
# Smoke test of a runtime under podman, ctr and Docker: a foreground run with
# output and exit code, then a detached container with exec, pause/resume,
# kill and removal.  Needs setup.sh and `daemons.sh start` first.
#
#   RUNTIME=/abs/path/to/runtime scripts/clients/smoke.sh [podman|ctr|docker]...
#
# Prints one line per check and closes with "N passed, N failed"; exits 1 on
# any failure.
# shellcheck disable=SC2016 # steps run by `bash -c` expand $IMAGE there
set -uo pipefail

. "$(dirname "$0")/env.sh"

passed=0
failed=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT

# check NAME EXPECTED COMMAND...: COMMAND's stdout, or "rc=N" when it fails
# without output, must equal EXPECTED.
check() {
	local name=$1 want=$2 got rc
	shift 2
	got=$("$@" 2>"$err")
	rc=$?
	[ -n "$got" ] || [ $rc = 0 ] || got="rc=$rc"
	got=${got%$'\r'}
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name: want '$want', got '$got' $(head -c 300 "$err" | tr '\n' ' ')"
	fi
}

smoke_podman() {
	check "podman run echo" hello p_podman run --rm "$IMAGE" echo hello
	check "podman run exit 3" rc=3 p_podman run --rm "$IMAGE" sh -c 'exit 3'
	p_podman rm -f -t 0 smoke-p >/dev/null 2>&1
	check "podman run -d" "" bash -c 'p_podman run -d --name smoke-p "$IMAGE" sleep 600 >/dev/null'
	check "podman exec" in-exec p_podman exec smoke-p echo in-exec
	check "podman exec exit 4" rc=4 p_podman exec smoke-p sh -c 'exit 4'
	check "podman pause" "" bash -c 'p_podman pause smoke-p >/dev/null'
	check "podman unpause" "" bash -c 'p_podman unpause smoke-p >/dev/null'
	check "podman kill" "" bash -c 'p_podman kill smoke-p >/dev/null'
	check "podman rm" "" bash -c 'p_podman rm -f -t 0 smoke-p >/dev/null'
}

smoke_ctr() {
	check "ctr run echo" hello p_ctr run --rm "$IMAGE" smoke-c1 echo hello
	check "ctr run exit 3" rc=3 p_ctr run --rm "$IMAGE" smoke-c1 sh -c 'exit 3'
	p_ctr task rm -f smoke-c >/dev/null 2>&1
	p_ctr container rm smoke-c >/dev/null 2>&1
	check "ctr run -d" "" p_ctr run -d "$IMAGE" smoke-c sleep 600
	check "ctr exec" in-exec p_ctr task exec --exec-id e1 smoke-c echo in-exec
	check "ctr exec exit 4" rc=4 p_ctr task exec --exec-id e2 smoke-c sh -c 'exit 4'
	check "ctr pause" "" p_ctr task pause smoke-c
	check "ctr resume" "" p_ctr task resume smoke-c
	check "ctr kill" "" p_ctr task kill -s KILL smoke-c
	# The exit is reported asynchronously; delete waits for it.
	check "ctr task rm" "" bash -c 'sleep 0.3; p_ctr task rm smoke-c >/dev/null 2>&1 || p_ctr task rm -f smoke-c'
	check "ctr container rm" "" p_ctr container rm smoke-c
}

smoke_docker() {
	check "docker run echo" hello p_docker run --rm "$IMAGE" echo hello
	check "docker run exit 3" rc=3 p_docker run --rm "$IMAGE" sh -c 'exit 3'
	p_docker rm -f smoke-d >/dev/null 2>&1
	check "docker run -d" "" bash -c 'p_docker run -d --name smoke-d "$IMAGE" sleep 600 >/dev/null'
	check "docker exec" in-exec p_docker exec smoke-d echo in-exec
	check "docker exec exit 4" rc=4 p_docker exec smoke-d sh -c 'exit 4'
	check "docker pause" "" bash -c 'p_docker pause smoke-d >/dev/null'
	check "docker unpause" "" bash -c 'p_docker unpause smoke-d >/dev/null'
	check "docker kill" "" bash -c 'p_docker kill smoke-d >/dev/null'
	check "docker rm" "" bash -c 'p_docker rm smoke-d >/dev/null'
}

# check runs some steps through bash -c, which needs the functions.
export -f p_podman p_ctr p_docker _p_docker_cli _p_docker_runtime _p_runtime_ok _p_timeout
export RUNLET_ETC RUNLET_PODMAN RUNLET_CTR RUNLET_DOCKER RUNLET_CTR_NS

[ $# -gt 0 ] || set -- podman ctr docker
for client; do
	case $client in
	podman | ctr | docker) "smoke_$client" ;;
	*) clients_die "unknown client: $client" ;;
	esac
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
