# Sourced by tests that drive a runtime through podman, containerd and Docker.
#
#   scripts/clients/setup.sh && scripts/clients/daemons.sh start
#   . scripts/clients/env.sh
#   RUNTIME=$PWD/build/runlet     # absolute path; default /usr/sbin/runc
#
#   p_podman run --rm "$IMAGE" echo hello
#   p_ctr run --rm "$IMAGE" t1 echo hello      # adds --runc-binary "$RUNTIME"
#   p_docker run --rm "$IMAGE" echo hello
#
# p_podman ARGS   podman with private storage and config, --runtime "$RUNTIME".
#                 podman picks features by the runtime's basename, which must
#                 be runc, crun, runlet or runlet-log (see lib.sh).
# p_ctr ARGS      ctr on the private containerd, namespace runlet-test; to
#                 `ctr run` it adds --runc-binary "$RUNTIME" and a --runc-root
#                 under RUNLET_TEST_ROOT.  `ctr container create` has no
#                 --runc-binary in containerd 1.6: use `p_ctr run -d`.
# p_docker ARGS   docker CLI (the packaged 20.10 one) on the private dockerd,
#                 whose default runtime "runlet" is RUNTIME: when RUNTIME
#                 changed since dockerd last saw it, p_docker rewrites
#                 daemon.json and reloads dockerd (SIGHUP) first.
# runlet_log_wrapper TARGET LOG
#                 Writes $RUNLET_TEST_ROOT/bin/runlet-log, which appends its
#                 caller, cwd and argv to LOG, then execs TARGET; prints the
#                 wrapper's path, for RUNTIME=$(runlet_log_wrapper ...).
#
# IMAGE is the busybox image all three clients hold (localhost/runlet-busybox).
# RUNLET_CLIENT_TIMEOUT=SECONDS, when set, ends any one client command that
# takes longer (SIGTERM, then SIGKILL 10s later), so that a hung runtime
# fails a test instead of stalling a suite.  The client stays in the
# foreground process group, so `script -qec` can still give it a terminal.
# `docker run --privileged` asks for every capability Docker knows and so
# fails on hosts whose bounding set lacks one (e.g. CAP_SYS_RESOURCE);
# podman and ctr --privileged grant only what the bounding set holds.
# shellcheck shell=bash

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Refreshes the configs, mainly so podman's rlimits fit this shell's limits.
clients_write_configs

IMAGE=$RUNLET_IMAGE
RUNTIME=${RUNTIME:-$RUNLET_DEFAULT_RUNTIME}
export IMAGE RUNTIME RUNLET_TEST_ROOT RUNLET_CLIENTS_DIR

# Prefix for the client commands: timeout(1) when RUNLET_CLIENT_TIMEOUT is set.
_p_timeout() {
	if [ -n "${RUNLET_CLIENT_TIMEOUT:-}" ]; then
		timeout --foreground -k 10 "$RUNLET_CLIENT_TIMEOUT" "$@"
	else
		"$@"
	fi
}

# The daemons and shims resolve a relative path against their own cwd.
_p_runtime_ok() {
	case $RUNTIME in
	/*) [ -x "$RUNTIME" ] && return 0 ;;
	esac
	echo "$1: RUNTIME must be an absolute path to an executable: $RUNTIME" >&2
	return 2
}

p_podman() {
	_p_runtime_ok p_podman || return
	case ${RUNTIME##*/} in
	runc | crun | runlet | runlet-log) ;;
	*) echo "p_podman: podman would not pass --log or cgroup-less runs to '${RUNTIME##*/}'; name it runlet or runlet-log" >&2 ;;
	esac
	CONTAINERS_CONF=$RUNLET_ETC/containers.conf \
		CONTAINERS_STORAGE_CONF=$RUNLET_ETC/storage.conf \
		CONTAINERS_REGISTRIES_CONF=$RUNLET_ETC/registries.conf \
		TMPDIR=$RUNLET_TEST_ROOT/podman/tmp \
		_p_timeout "$RUNLET_PODMAN" --runtime "$RUNTIME" "$@"
}

# The shim keeps the binary it was created with, so exec, kill, pause and
# delete need no flag.  --no-pivot is refused: ctr then sends task options
# of its own that replace the container's, silently dropping --runc-binary.
p_ctr() {
	local a=(--address "$RUNLET_TEST_ROOT/containerd/containerd.sock" --namespace "$RUNLET_CTR_NS")
	if [ "${1:-}" = run ]; then
		_p_runtime_ok p_ctr || return
		case " $* " in *" --no-pivot "*)
			echo "p_ctr: ctr run --no-pivot would ignore --runc-binary" >&2
			return 2
			;;
		esac
		_p_timeout "$RUNLET_CTR" "${a[@]}" run --runc-binary "$RUNTIME" \
			--runc-root "$RUNLET_TEST_ROOT/containerd/runc" "${@:2}"
	else
		_p_timeout "$RUNLET_CTR" "${a[@]}" "$@"
	fi
}

_p_docker_cli() {
	DOCKER_CONFIG=$RUNLET_TEST_ROOT/docker/cli \
		_p_timeout "$RUNLET_DOCKER" -H "unix://$RUNLET_TEST_ROOT/docker/docker.sock" "$@"
}

# dockerd reloads "runtimes" from its config file on SIGHUP.
_p_docker_runtime() {
	local conf=$RUNLET_TEST_ROOT/docker/daemon.json pid i
	[ -f "$conf" ] || { echo "p_docker: dockerd not started (scripts/clients/daemons.sh start)" >&2; return 1; }
	grep -qF "\"runlet\": {\"path\": \"$RUNTIME\"}" "$conf" && return 0
	sed -i "s|\"runlet\": {\"path\": \"[^\"]*\"}|\"runlet\": {\"path\": \"$RUNTIME\"}|" "$conf"
	pid=$(cat "$RUNLET_TEST_ROOT/docker/dockerd.pid")
	kill -HUP "$pid"
	for ((i = 0; i < 100; i++)); do
		[ "$(_p_docker_cli info --format '{{(index .Runtimes "runlet").Path}}' 2>/dev/null)" = "$RUNTIME" ] && return 0
		sleep 0.1
	done
	echo "p_docker: dockerd did not pick up runtime $RUNTIME" >&2
	return 1
}

p_docker() {
	_p_runtime_ok p_docker && _p_docker_runtime && _p_docker_cli "$@"
}

runlet_log_wrapper() {
	local target=$1 log=$2 w=$RUNLET_TEST_ROOT/bin/runlet-log
	mkdir -p "${w%/*}" "$(dirname "$log")"
	# The caller's name tells podman, conmon and containerd-shim apart.
	cat >"$w.tmp" <<-EOF
	#!/bin/sh
	{
	  printf '%s %s[%s] cwd=%s:' "\$(date +%T.%N)" "\$(cat /proc/\$PPID/comm 2>/dev/null)" "\$PPID" "\$PWD"
	  for a in "\$@"; do printf " '%s'" "\$a"; done
	  echo
	} >>'$log'
	exec '$target' "\$@"
	EOF
	chmod 755 "$w.tmp"
	mv "$w.tmp" "$w"
	echo "$w"
}
