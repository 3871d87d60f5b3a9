#!/usr/bin/env bats
# The runtime under podman (4.3, through conmon): the calls podman makes are
# create, start, exec, kill, delete, pause, resume and update.

load helpers

setup_file() { clients_setup_file; }
teardown_file() { clients_teardown_file; }
setup() { clients_setup; }
teardown() { clients_teardown podman; }

# Starts a detached container $N running `sleep 600`, plus any options.
podman_sleeper() {
	run -0 p_podman run -d --name "$N" "$@" "$IMAGE" sleep 600
}

podman_pid() {
	p_podman inspect -f '{{.State.Pid}}' "$N"
}

@test "podman run: output and exit status" {
	run -0 --separate-stderr p_podman run --rm "$IMAGE" echo hello
	expect_output hello
	run -3 p_podman run --rm "$IMAGE" sh -c 'exit 3'
	run -0 p_podman run --rm "$IMAGE" true
}

@test "podman run: a missing command is status 127" {
	run -127 p_podman run --rm "$IMAGE" /no/such/command
}

@test "podman run: a command that is not executable is status 126" {
	run -126 p_podman run --rm "$IMAGE" /etc/passwd
}

@test "podman run: env, workdir, hostname, user" {
	run -0 --separate-stderr p_podman run --rm -e FOO=bar -w /tmp --hostname rlc-host \
		--user 65534:65534 "$IMAGE" sh -c 'echo "$FOO $(pwd) $(hostname) $(id -u):$(id -g)"'
	expect_output "bar /tmp rlc-host 65534:65534"
}

@test "podman run: a user by name, with its groups" {
	run -0 --separate-stderr p_podman run --rm --user nobody --group-add 1234 "$IMAGE" id
	expect_match "uid=65534(nobody) gid=65534(nogroup) groups=*1234*"
}

@test "podman run -d, ps, exec with exit status" {
	podman_sleeper
	run -0 --separate-stderr p_podman ps --filter "name=^$N\$" --format '{{.Names}} {{.Status}}'
	expect_match "$N Up *"
	run -0 --separate-stderr p_podman inspect -f '{{.State.Status}}' "$N"
	expect_output running
	run -0 --separate-stderr p_podman exec "$N" echo in-exec
	expect_output in-exec
	run -4 p_podman exec "$N" sh -c 'exit 4'
}

@test "podman exec: user, env, workdir" {
	podman_sleeper
	run -0 --separate-stderr p_podman exec --user 65534 -e X=1 -w /tmp "$N" \
		sh -c 'echo "$(id -u) $X $(pwd)"'
	expect_output "65534 1 /tmp"
}

@test "podman exec -d: detached process" {
	podman_sleeper
	run -0 p_podman exec -d "$N" sh -c 'echo done >/tmp/flag'
	wait_for 50 p_podman exec "$N" test -s /tmp/flag
}

@test "podman exec -it: terminal" {
	podman_sleeper
	run -0 in_pty p_podman exec -it "$N" sh -c 'sleep 0.3; tty; test -t 0 && echo stdin-tty; sleep 0.2'
	expect_match "*/dev/pts/*stdin-tty*"
}

@test "podman run -it: terminal" {
	run -0 in_pty p_podman run -it --rm "$IMAGE" sh -c 'sleep 0.3; tty; test -t 0 && echo stdin-tty; sleep 0.2'
	expect_match "*/dev/pts/*stdin-tty*"
}

@test "podman logs: stdout and stderr" {
	run -0 p_podman run -d --name "$N" "$IMAGE" sh -c 'echo to-out; echo to-err >&2; sleep 600'
	wait_for 50 bash -c "p_podman logs $N 2>&1 | grep -q to-err"
	run -0 p_podman logs "$N"
	expect_contains to-out
	expect_contains to-err
}

@test "podman top" {
	podman_sleeper
	run -0 --separate-stderr p_podman top "$N" pid args
	expect_contains "sleep 600"
}

@test "podman kill: SIGKILL is status 137, a caught signal runs its trap" {
	podman_sleeper
	run -0 p_podman kill "$N"
	run -0 --separate-stderr p_podman wait "$N"
	expect_output 137
	p_podman rm -f -t 0 "$N" >/dev/null
	run -0 p_podman run -d --name "$N" "$IMAGE" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	sleep 0.5
	run -0 p_podman kill -s USR1 "$N"
	run -0 --separate-stderr p_podman wait "$N"
	expect_output 42
}

@test "podman stop: SIGTERM, then SIGKILL after the timeout" {
	run -0 p_podman run -d --name "$N" "$IMAGE" sh -c 'trap "exit 5" TERM; while :; do sleep 0.1; done'
	sleep 0.5
	run -0 p_podman stop -t 10 "$N"
	run -0 --separate-stderr p_podman inspect -f '{{.State.ExitCode}}' "$N"
	expect_output 5
	# PID 1 ignores SIGTERM without a handler.
	run -0 p_podman start "$N"
	p_podman rm -f -t 0 "$N" >/dev/null
	podman_sleeper
	run -0 p_podman stop -t 1 "$N"
	run -0 --separate-stderr p_podman inspect -f '{{.State.ExitCode}}' "$N"
	expect_output 137
}

@test "podman restart: the container runs again" {
	run -0 p_podman run -d --name "$N" "$IMAGE" sh -c 'echo start >>/started; sleep 600'
	run -0 p_podman restart -t 0 "$N"
	run -0 --separate-stderr p_podman exec "$N" sh -c 'wc -l </started'
	expect_output 2
}

@test "podman rm -f: a running container and its runtime state go" {
	podman_sleeper
	id=$(p_podman inspect -f '{{.Id}}' "$N")
	run -0 p_podman rm -f -t 0 "$N"
	run p_podman container exists "$N"
	expect_status 1
	# podman passes no --root: the runtime's default one.
	run "$RUNTIME" state "$id"
	[ "$status" != 0 ]
	expect_contains "does not exist"
}

@test "podman pause, unpause" {
	podman_sleeper
	run -0 p_podman pause "$N"
	run -0 --separate-stderr p_podman inspect -f '{{.State.Status}}' "$N"
	expect_output paused
	dir=$(host_cgroup_dir "$(podman_pid)" freezer)
	run -0 cat "$dir/freezer.state"
	expect_output FROZEN
	run -0 p_podman unpause "$N"
	run -0 cat "$dir/freezer.state"
	expect_output THAWED
	run -0 --separate-stderr p_podman exec "$N" echo thawed
	expect_output thawed
}

@test "podman update: cpu and memory, seen inside" {
	podman_sleeper --cpus 1 --memory 128m
	run -0 p_podman update --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 --memory 64m --memory-swap 64m "$N"
	run -0 --separate-stderr p_podman exec "$N" sh -c \
		'cd /sys/fs/cgroup; echo $(cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares cpuset/cpuset.cpus memory/memory.limit_in_bytes)'
	expect_output "50000 100000 512 0 67108864"
}

@test "podman run --memory: the limit, and the OOM killer (137)" {
	run -0 --separate-stderr p_podman run --rm --memory 32m "$IMAGE" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	expect_output 33554432
	run -137 p_podman run --rm --memory 32m --memory-swap 32m "$IMAGE" tail /dev/zero
	# The shell outlives the biggest process, which the kernel kills.
	run -0 --separate-stderr p_podman run --rm --memory 32m --memory-swap 32m "$IMAGE" sh -c \
		'tail /dev/zero; echo status=$?; grep oom_kill /sys/fs/cgroup/memory/memory.oom_control'
	expect_line status=137
	expect_line "oom_kill 1"
}

@test "podman run --pids-limit" {
	run -0 --separate-stderr p_podman run --rm --pids-limit 5 "$IMAGE" sh -c \
		'cat /sys/fs/cgroup/pids/pids.max; sh -c "for i in 1 2 3 4 5 6; do sleep 5 & done" 2>&1; echo inner=$?'
	expect_line 5
	expect_contains "can't fork"
	expect_line inner=2
}

@test "podman run --read-only" {
	run -1 p_podman run --rm --read-only "$IMAGE" touch /x
	expect_contains "Read-only file system"
	# podman adds writable tmpfs mounts on /tmp, /var/tmp and /run.
	run -0 p_podman run --rm --read-only "$IMAGE" touch /tmp/x
}

@test "podman run --tmpfs" {
	run -0 --separate-stderr p_podman run --rm --tmpfs /scratch:size=1m,mode=1770 "$IMAGE" sh -c \
		'grep " /scratch " /proc/mounts; stat -c %a /scratch; dd if=/dev/zero of=/scratch/f bs=1k count=2048 2>/dev/null || echo full'
	expect_match "tmpfs /scratch tmpfs *size=1024k*"
	expect_line 1770
	expect_line full
}

@test "podman run -v: bind mounts, read-write and read-only" {
	mkdir "$T/vol"
	echo from-host >"$T/vol/in"
	run -0 --separate-stderr p_podman run --rm -v "$T/vol:/data" "$IMAGE" sh -c 'cat /data/in; echo from-container >/data/out'
	expect_output from-host
	[ "$(cat "$T/vol/out")" = from-container ]
	run -1 p_podman run --rm -v "$T/vol:/data:ro" "$IMAGE" touch /data/x
	expect_contains "Read-only file system"
}

@test "podman run --device: renamed, and /dev/fuse" {
	run -0 --separate-stderr p_podman run --rm --device /dev/zero:/dev/myzero "$IMAGE" sh -c \
		'stat -c "%F %t:%T" /dev/myzero; head -c 3 /dev/myzero | od -An -tx1'
	expect_line "character special file 1:5"
	expect_line " 00 00 00"
	[ -c /dev/fuse ] || skip "the host has no /dev/fuse"
	run -0 --separate-stderr p_podman run --rm --device /dev/fuse "$IMAGE" sh -c \
		'stat -c "%t:%T" /dev/fuse; exec 3<>/dev/fuse && echo opened'
	expect_output $'a:e5\nopened'
}

@test "podman run: a device not given is refused by the device cgroup" {
	# podman lets mknod make any node, but not open one it did not allow.
	run -1 p_podman run --rm "$IMAGE" sh -c 'mknod /dev/rlc-fuse c 10 229 && exec 3<>/dev/rlc-fuse'
	expect_contains "Operation not permitted"
}

@test "podman run --cap-drop, --cap-add" {
	run -1 p_podman run --rm --cap-drop chown "$IMAGE" chown 1 /tmp
	expect_contains "Operation not permitted"
	run p_podman run --rm "$IMAGE" sh -c 'mkdir /tmp/m && mount -t tmpfs none /tmp/m'
	expect_contains "ermission denied"
	run -0 --separate-stderr p_podman run --rm --cap-add sys_admin "$IMAGE" sh -c 'mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted'
	expect_output mounted
}

@test "podman run: the default seccomp profile" {
	need_sysprobe
	run -0 --separate-stderr p_podman run --rm "$IMAGE" grep '^Seccomp:' /proc/self/status
	expect_match "Seccomp:*2"
	run -1 --separate-stderr p_podman run --rm -v "$SYSPROBE:/sysprobe:ro" "$IMAGE" /sysprobe add_key
	expect_match "E*"
	run -0 --separate-stderr p_podman run --rm --security-opt seccomp=unconfined \
		-v "$SYSPROBE:/sysprobe:ro" "$IMAGE" /sysprobe add_key
	expect_output ok
}

@test "podman run --security-opt seccomp=profile.json" {
	write_mkdir_profile "$T/seccomp.json"
	run -1 p_podman run --rm --security-opt "seccomp=$T/seccomp.json" "$IMAGE" mkdir /tmp/d
	expect_contains "Operation not permitted"
	run -0 p_podman run --rm --security-opt "seccomp=$T/seccomp.json" "$IMAGE" touch /tmp/f
}

@test "podman run --security-opt no-new-privileges" {
	run -0 --separate-stderr p_podman run --rm --security-opt no-new-privileges "$IMAGE" grep NoNewPrivs /proc/self/status
	expect_match "NoNewPrivs:*1"
	run -0 --separate-stderr p_podman run --rm "$IMAGE" grep NoNewPrivs /proc/self/status
	expect_match "NoNewPrivs:*0"
}

@test "podman run --sysctl: net and ipc" {
	run -0 --separate-stderr p_podman run --rm --sysctl net.ipv4.ip_forward=1 \
		--sysctl kernel.shm_rmid_forced=1 "$IMAGE" \
		cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced
	expect_output $'1\n1'
}

@test "podman run --ulimit: nofile and nproc" {
	# Either alone would make podman ask for 1048576 of the other, more
	# than an unprivileged hard limit allows.
	run -0 --separate-stderr p_podman run --rm --ulimit nofile=1000:1001 --ulimit nproc=500:501 "$IMAGE" \
		sh -c 'echo $(ulimit -Sn) $(ulimit -Hn) $(ulimit -Su) $(ulimit -Hu)'
	expect_output "1000 1001 500 501"
}

@test "podman run --init" {
	[ -x /usr/libexec/podman/catatonit ] || skip "no catatonit (scripts/clients/setup.sh installs it)"
	run -0 --separate-stderr p_podman run --rm --init "$IMAGE" sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo pid=$$'
	expect_line "/run/podman-init -- sh -c tr \"\\0\" \" \" </proc/1/cmdline; echo; echo pid=\$\$ "
	expect_not_contains "pid=1"
}

@test "podman run --cgroupns private and host" {
	run -0 --separate-stderr p_podman run --rm --cgroupns private "$IMAGE" grep memory /proc/self/cgroup
	expect_output "4:memory:/"
	run -0 --separate-stderr p_podman run --rm --cgroupns host "$IMAGE" grep memory /proc/self/cgroup
	expect_match "4:memory:/libpod_parent/libpod-*"
}

@test "podman events" {
	since=$(date +%s)
	run -0 p_podman run --name "$N" "$IMAGE" true
	run -0 --separate-stderr p_podman events --stream=false --since "$since" --filter "container=$N" --format '{{.Status}}'
	expect_line start
	expect_line died
}

@test "podman stats --no-stream" {
	podman_sleeper --memory 64m
	run -0 --separate-stderr p_podman stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.PIDs}}' "$N"
	expect_match "$N *B / 67.11MB 1"
}

@test "podman run --privileged" {
	run -0 --separate-stderr p_podman run --rm --privileged "$IMAGE" sh -c \
		'mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted; grep ^Seccomp: /proc/self/status; test -c /dev/fuse && echo fuse'
	expect_line mounted
	expect_match "*Seccomp:*0*"
	[ ! -c /dev/fuse ] || expect_line fuse
}

@test "podman run --pid, --ipc and --network container:NAME" {
	podman_sleeper
	run -0 --separate-stderr p_podman run --rm --pid "container:$N" --ipc "container:$N" --network "container:$N" \
		"$IMAGE" sh -c 'ps -o pid,comm; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net'
	pid=$(podman_pid)
	# The sleeper is the pid namespace's init.
	expect_match "*1 sleep*"
	expect_line "$(readlink "/proc/$pid/ns/ipc")"
	expect_line "$(readlink "/proc/$pid/ns/net")"
}

@test "podman: no runtime state and no cgroup is left behind" {
	# Runs last: every earlier test has removed its containers.  podman
	# passes no --root: the runtime's default root may hold others'.
	p_podman events --stream=false --since "$CLIENTS_FILE_DATE" --filter event=create --format '{{.ID}}' \
		| sort -u >"$T/ids"
	[ -s "$T/ids" ] || skip "podman logged no create events"
	run -0 --separate-stderr "$RUNTIME" list -q
	left=$(grep -Fx -f "$T/ids" <<<"$output" || true)
	[ -z "$left" ] || { echo "runtime state left: $left"; false; }
	left=
	while read -r id; do
		for d in /sys/fs/cgroup/*/libpod_parent/libpod-"$id"; do
			[ ! -d "$d" ] || left="$left $d"
		done
	done <"$T/ids"
	[ -z "$left" ] || { echo "cgroups left:$left"; false; }
}
