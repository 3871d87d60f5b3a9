#!/bin/bash
# Starts or stops the private containerd and dockerd used by the client tests,
# and tears down everything the three clients left under RUNLET_TEST_ROOT.
#
#   scripts/clients/daemons.sh start    # RUNTIME=/path/to/runtime optional
#   scripts/clients/daemons.sh stop
#   scripts/clients/daemons.sh status
#
# start: writes the configs, starts containerd then dockerd (Docker uses our
#   containerd rather than launching its own), waits for both sockets to
#   answer, and loads the busybox image into containerd, Docker and podman.
#   Docker's default runtime, named "runlet", is RUNTIME (default
#   /usr/sbin/runc); env.sh's p_docker re-registers it when a test asks for
#   another binary.
# stop: removes containers, kills the daemons by pid, kills whatever shims,
#   conmons and container processes survive, unmounts everything under
#   RUNLET_TEST_ROOT and deletes it.  Safe after a crash or a half start.
#
# Logs go to build/clients/logs/{containerd,dockerd}.log.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

R=$RUNLET_TEST_ROOT
# stop deletes R wholesale: insist on a dedicated directory.
case $R in
/*/runlet*) ;;
*) clients_die "RUNLET_TEST_ROOT must be an absolute path ending in runlet*: $R" ;;
esac
LOGS=$RUNLET_CLIENTS_DIR/logs
CTRD_SOCK=$R/containerd/containerd.sock
CTRD_PID=$R/containerd/containerd.pid
DOCKER_SOCK=$R/docker/docker.sock
# Ours, from $!: dockerd refuses to start when its own --pidfile exists.
DOCKER_PID=$R/docker/dockerd.pid
# Docker puts its containers' cgroups here, away from a host Docker's.
DOCKER_CGROUP=runlet-test-docker
START_TIMEOUT=${START_TIMEOUT:-60}

alive() {
	local pid
	[ -f "$1" ] && pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Polls "$@" until it succeeds; fails after START_TIMEOUT seconds or as
# soon as the daemon behind pid file $1 has died.
wait_for() {
	local pidfile=$1 what=$2 i
	shift 2
	for ((i = 0; i < START_TIMEOUT * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		[ -f "$pidfile" ] && ! alive "$pidfile" && clients_die "$what exited during start (see $LOGS/$what.log)"
		sleep 0.1
	done
	clients_die "$what did not answer within ${START_TIMEOUT}s (see $LOGS/$what.log)"
}

# Arrays rather than functions, so that timeout(1) can run them.
ctr_=("$RUNLET_CTR" --address "$CTRD_SOCK" --namespace "$RUNLET_CTR_NS")
docker_=(env "DOCKER_CONFIG=$R/docker/cli" "$RUNLET_DOCKER" -H "unix://$DOCKER_SOCK")
podman_=(env "CONTAINERS_CONF=$RUNLET_ETC/containers.conf"
	"CONTAINERS_STORAGE_CONF=$RUNLET_ETC/storage.conf"
	"CONTAINERS_REGISTRIES_CONF=$RUNLET_ETC/registries.conf"
	"TMPDIR=$R/podman/tmp" "$RUNLET_PODMAN")

start_containerd() {
	alive "$CTRD_PID" && return 0
	mkdir -p "$R/containerd" "$LOGS"
	# setsid: a test runner's Ctrl-C or process-group kill must not take
	# the daemon down mid-test; stop() ends it by pid.
	setsid "$RUNLET_CONTAINERD" --config "$RUNLET_ETC/containerd.toml" \
		</dev/null >>"$LOGS/containerd.log" 2>&1 &
	echo $! >"$CTRD_PID"
	wait_for "$CTRD_PID" containerd "$RUNLET_CTR" --address "$CTRD_SOCK" version
}

write_daemon_json() {
	local runtime=$1
	mkdir -p "$R/docker/cli"
	clients_write_if_changed "$R/docker/daemon.json" <<-EOF
	{
	  "data-root": "$R/docker/root",
	  "exec-root": "$R/docker/exec",
	  "pidfile": "$R/docker/exec/docker.pid",
	  "deprecated-key-path": "$R/docker/key.json",
	  "hosts": ["unix://$DOCKER_SOCK"],
	  "containerd": "$CTRD_SOCK",
	  "bridge": "none",
	  "iptables": false,
	  "ip-masq": false,
	  "userland-proxy": false,
	  "storage-driver": "overlay2",
	  "exec-opts": ["native.cgroupdriver=cgroupfs"],
	  "cgroup-parent": "$DOCKER_CGROUP",
	  "shutdown-timeout": 2,
	  "default-runtime": "runlet",
	  "runtimes": {"runlet": {"path": "$runtime"}}
	}
	EOF
}

start_dockerd() {
	alive "$DOCKER_PID" && return 0
	mkdir -p "$R/docker" "$LOGS"
	write_daemon_json "${RUNTIME:-$RUNLET_DEFAULT_RUNTIME}"
	setsid "$RUNLET_DOCKERD" --config-file "$R/docker/daemon.json" \
		</dev/null >>"$LOGS/dockerd.log" 2>&1 &
	echo $! >"$DOCKER_PID"
	wait_for "$DOCKER_PID" dockerd "${docker_[@]}" version
}

load_images() {
	mkdir -p "$R/podman/tmp"
	"${ctr_[@]}" images inspect "$RUNLET_IMAGE" >/dev/null 2>&1 ||
		"${ctr_[@]}" images import "$RUNLET_IMAGE_TAR" >/dev/null ||
		clients_die "ctr images import failed"
	"${docker_[@]}" image inspect "$RUNLET_IMAGE" >/dev/null 2>&1 ||
		"${docker_[@]}" load -q -i "$RUNLET_IMAGE_TAR" >/dev/null ||
		clients_die "docker load failed"
	# `podman load` would read the archive as OCI first, which unpacks it
	# into /var/tmp whatever TMPDIR says; docker-archive is read in place.
	"${podman_[@]}" image exists "$RUNLET_IMAGE" ||
		"${podman_[@]}" pull -q "docker-archive:$RUNLET_IMAGE_TAR" >/dev/null ||
		clients_die "podman pull docker-archive: failed"
}

# Directories the clients create outside RUNLET_TEST_ROOT at fixed paths:
# containerd 1.6 shims put their sockets in /run/containerd/s and ctr its
# fifos in /run/containerd/fifo; dockerd makes /run/docker/plugins; podman
# keeps a blob cache in /var/lib/containers/cache.  Whichever did not exist
# before the first start is removed again by stop.
HOST_DIRS="/run/containerd /run/docker /var/lib/containers"

marker() { echo "$R/made$(echo "$1" | tr / -)"; }

note_host_dirs() {
	local d
	for d in $HOST_DIRS; do
		[ -e "$d" ] || [ -e "$(marker "$d")" ] || : >"$(marker "$d")"
	done
	# podman's cgroupfs parent; see our_cgroups.
	[ -e /sys/fs/cgroup/pids/libpod_parent ] || : >"$R/made-libpod_parent"
}

remove_host_dirs() {
	local d
	for d in $HOST_DIRS; do
		[ -e "$(marker "$d")" ] && rm -rf "$d"
	done
	return 0
}

start() {
	[ "$(id -u)" = 0 ] || clients_die "must run as root"
	[ -f "$RUNLET_IMAGE_TAR" ] || clients_die "no image; run scripts/clients/setup.sh first"
	clients_write_configs
	mkdir -p "$R"
	note_host_dirs
	# A half-started setup is torn down again rather than left running.
	trap 'echo "daemons: start failed, cleaning up" >&2; stop >/dev/null 2>&1' EXIT
	local t0=$EPOCHREALTIME t1 t2
	start_containerd
	t1=$EPOCHREALTIME
	start_dockerd
	t2=$EPOCHREALTIME
	load_images
	trap - EXIT
	awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$EPOCHREALTIME" 'BEGIN {
		printf "daemons: up (containerd %.2fs, dockerd %.2fs, images %.2fs)\n", b - a, c - b, d - c }'
}

# Sends SIGTERM, waits up to $2 seconds, then SIGKILL.
kill_pid() {
	local pid=$1 secs=$2 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
}

# Removes containers through the clients while their daemons still run, so
# the daemons do their own unmounting.  Best effort: a broken runtime under
# test must not keep stop from finishing; the sweep below catches the rest.
remove_containers() {
	local ids id
	if alive "$DOCKER_PID"; then
		ids=$(timeout 20 "${docker_[@]}" ps -aq 2>/dev/null) || true
		# shellcheck disable=SC2086
		[ -z "$ids" ] || timeout 30 "${docker_[@]}" rm -f $ids >/dev/null 2>&1 || true
	fi
	if [ -d "$R/podman/storage" ]; then
		timeout 30 "${podman_[@]}" rm -af -t 0 >/dev/null 2>&1 || true
	fi
	if alive "$CTRD_PID"; then
		for id in $(timeout 10 "${ctr_[@]}" tasks ls -q 2>/dev/null); do
			# A paused task only dies once resumed.
			timeout 10 "${ctr_[@]}" tasks resume "$id" >/dev/null 2>&1 || true
			timeout 10 "${ctr_[@]}" tasks kill -s KILL "$id" >/dev/null 2>&1 || true
			timeout 10 "${ctr_[@]}" tasks delete -f "$id" >/dev/null 2>&1 || true
		done
		for id in $(timeout 10 "${ctr_[@]}" containers ls -q 2>/dev/null); do
			timeout 10 "${ctr_[@]}" containers delete "$id" >/dev/null 2>&1 || true
		done
	fi
}

# Pids of the daemons' helpers whose command line names our test root:
# containerd-shim-runc-v2 (-address ...), conmon (-b ..., -p ...) and
# podman cleanup processes, plus daemons whose pid file is gone.  Matching
# by name too keeps a caller's shell that mentions the root alive.
our_processes() {
	local d comm
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" != $$ ] || continue
		comm=$(cat "$d/comm" 2>/dev/null) || continue
		case $comm in
		containerd | containerd-shim* | dockerd | conmon | podman) ;;
		*) continue ;;
		esac
		{ tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null | grep -qF -e "$R/" -e "$RUNLET_ETC/" && echo "${d#/proc/}"
	done
	return 0
}

# Ids of the containers in our podman store, running or not.
podman_ids() {
	local d
	for d in "$R"/podman/storage/overlay-containers/*/; do
		[ -d "$d" ] && basename "$d"
	done
	return 0
}

# Cgroup directories (in every hierarchy) that hold our containers: Docker's
# private parent, ctr's /<namespace>/<id>, and podman's libpod_parent when
# the first start found none (else only the libpod-<id> of our podman
# store, since a host podman shares that parent and its conmon group).
our_cgroups() {
	local h id
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$h$DOCKER_CGROUP" ] && echo "$h$DOCKER_CGROUP"
		[ -d "$h$RUNLET_CTR_NS" ] && echo "$h$RUNLET_CTR_NS"
		if [ -e "$R/made-libpod_parent" ]; then
			[ -d "${h}libpod_parent" ] && echo "${h}libpod_parent"
			continue
		fi
		for id in $(podman_ids); do
			[ -d "${h}libpod_parent/libpod-$id" ] && echo "${h}libpod_parent/libpod-$id"
		done
	done
	# Docker's cgroup parent is a relative path, which runc-like runtimes
	# take as relative to their own cgroup: where the daemons run in a
	# cgroup of their own (a CI job's), Docker's containers are below it.
	local ctl path d
	while IFS=: read -r _ ctl path; do
		[ "$path" != / ] || continue
		ctl=${ctl%%,*}
		ctl=${ctl#name=}
		if [ -n "$ctl" ]; then
			d=/sys/fs/cgroup/$ctl
		elif [ -d /sys/fs/cgroup/unified ]; then
			d=/sys/fs/cgroup/unified
		else
			d=/sys/fs/cgroup
		fi
		[ -d "$d$path/$DOCKER_CGROUP" ] && echo "$d$path/$DOCKER_CGROUP"
	done </proc/self/cgroup
	return 0
}

# Kills every process in the given cgroup trees.  A frozen (paused)
# container would not die from SIGKILL until thawed.
kill_cgroups() {
	local cg f pid i
	for cg in "$@"; do
		find "$cg" -name freezer.state 2>/dev/null | while read -r f; do
			echo THAWED >"$f" 2>/dev/null || true
		done
		find "$cg" -name cgroup.freeze 2>/dev/null | while read -r f; do
			echo 0 >"$f" 2>/dev/null || true
		done
	done
	for ((i = 0; i < 50; i++)); do
		local left=
		for cg in "$@"; do
			# shellcheck disable=SC2044 # pids have no blanks
			for pid in $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null); do
				left=1
				kill -KILL "$pid" 2>/dev/null || true
			done
		done
		[ -n "$left" ] || break
		sleep 0.1
	done
	for cg in "$@"; do
		find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
}

# Mount points under the test root, deepest first (mountinfo field 5,
# with octal escapes such as \040 for spaces undone).
our_mounts() {
	awk -v r="$R" '{ m = $5; gsub(/\\040/, " ", m); if (m == r || index(m, r "/") == 1) print m }' \
		/proc/self/mountinfo | sort -r
}

unmount_all() {
	local m i
	for ((i = 0; i < 5; i++)); do
		[ -n "$(our_mounts)" ] || return 0
		while IFS= read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		done < <(our_mounts)
	done
	[ -z "$(our_mounts)" ] || clients_die "still mounted under $R: $(our_mounts | tr '\n' ' ')"
}

# podman passes no --root, so runtimes keep its containers' state in their
# default root (/run/runc for runc); podman's cleanup would have removed it
# had the container exited normally.
remove_podman_runtime_state() {
	local id d
	for id in $(podman_ids); do
		for d in /run/runc /run/runlet /run/crun; do
			[ -d "$d/$id" ] && rm -rf "${d:?}/$id"
		done
	done
	return 0
}

stop() {
	[ "$(id -u)" = 0 ] || clients_die "must run as root"
	local pid cgs
	remove_containers
	alive "$DOCKER_PID" && kill_pid "$(cat "$DOCKER_PID")" 15
	alive "$CTRD_PID" && kill_pid "$(cat "$CTRD_PID")" 10
	# Shims outlive containerd by design, and conmon outlives podman.
	for pid in $(our_processes); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	mapfile -t cgs < <(our_cgroups)
	[ ${#cgs[@]} = 0 ] || kill_cgroups "${cgs[@]}"
	unmount_all
	remove_podman_runtime_state
	remove_host_dirs
	rm -rf "$R"
	echo "daemons: stopped"
}

status() {
	local rc=0
	if alive "$CTRD_PID"; then echo "containerd: running (pid $(cat "$CTRD_PID"))"; else echo "containerd: stopped"; rc=1; fi
	if alive "$DOCKER_PID"; then echo "dockerd: running (pid $(cat "$DOCKER_PID"))"; else echo "dockerd: stopped"; rc=1; fi
	return $rc
}

case ${1:-} in
start) start ;;
stop) stop ;;
status) status ;;
*) clients_die "usage: $0 start|stop|status" ;;
esac
