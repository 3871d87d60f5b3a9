#!/usr/bin/env bats
# The runtime under Docker (20.10, through containerd's runc shim): create,
# start, exec, kill, delete, pause, resume, update and ps.

load helpers

setup_file() { clients_setup_file; }
teardown_file() { clients_teardown_file; }
setup() { clients_setup; }
teardown() { clients_teardown docker; }

# The runtime's --root under the shim (see the runtime log).
DOCKER_RUNTIME_ROOT=$RUNLET_TEST_ROOT/docker/exec/runtime-runc/moby

# Starts a detached container $N running `sleep 600`, plus any options.
docker_sleeper() {
	run -0 p_docker run -d --name "$N" "$@" "$IMAGE" sleep 600
}

docker_pid() {
	p_docker inspect -f '{{.State.Pid}}' "$N"
}

@test "docker run: output and exit status" {
	run -0 --separate-stderr p_docker run --rm "$IMAGE" echo hello
	expect_output hello
	run -3 p_docker run --rm "$IMAGE" sh -c 'exit 3'
	run -0 p_docker run --rm "$IMAGE" true
}

@test "docker run: a missing command is status 127" {
	# Docker tells "not found" (127) from other start failures (126, 125)
	# by the runtime's message: "no such file or directory".
	run -127 p_docker run --rm "$IMAGE" /no/such/command
}

@test "docker run: a command that is not executable is status 126" {
	run -126 p_docker run --rm "$IMAGE" /etc/passwd
}

@test "docker run: env, workdir, hostname, user" {
	run -0 --separate-stderr p_docker run --rm -e FOO=bar -w /tmp --hostname rlc-host \
		--user 65534:65534 "$IMAGE" sh -c 'echo "$FOO $(pwd) $(hostname) $(id -u):$(id -g)"'
	expect_output "bar /tmp rlc-host 65534:65534"
}

@test "docker run: a user by name, with its groups" {
	run -0 --separate-stderr p_docker run --rm --user nobody --group-add 1234 "$IMAGE" id
	expect_match "uid=65534(nobody) gid=65534(nogroup) groups=*1234*"
}

@test "docker run -d, ps, exec with exit status" {
	docker_sleeper
	run -0 --separate-stderr p_docker ps --filter "name=^$N\$" --format '{{.Names}} {{.Status}}'
	expect_match "$N Up *"
	run -0 --separate-stderr p_docker exec "$N" echo in-exec
	expect_output in-exec
	run -4 p_docker exec "$N" sh -c 'exit 4'
}

@test "docker exec: user, env, workdir" {
	docker_sleeper
	run -0 --separate-stderr p_docker exec --user 65534 -e X=1 -w /tmp "$N" \
		sh -c 'echo "$(id -u) $X $(pwd)"'
	expect_output "65534 1 /tmp"
}

@test "docker exec -d: detached process" {
	docker_sleeper
	run -0 p_docker exec -d "$N" sh -c 'echo done >/tmp/flag'
	wait_for 50 p_docker exec "$N" test -s /tmp/flag
}

@test "docker exec -it: terminal" {
	docker_sleeper
	run -0 in_pty p_docker exec -it "$N" sh -c 'sleep 0.3; tty; test -t 0 && echo stdin-tty; sleep 0.2'
	expect_match "*/dev/pts/*stdin-tty*"
}

@test "docker run -it: terminal" {
	run -0 in_pty p_docker run -it --rm "$IMAGE" sh -c 'sleep 0.3; tty; test -t 0 && echo stdin-tty; sleep 0.2'
	expect_match "*/dev/pts/*stdin-tty*"
}

@test "docker logs: stdout and stderr" {
	run -0 p_docker run -d --name "$N" "$IMAGE" sh -c 'echo to-out; echo to-err >&2; sleep 600'
	wait_for 50 bash -c "p_docker logs $N 2>&1 | grep -q to-err"
	run -0 p_docker logs "$N"
	expect_contains to-out
	expect_contains to-err
}

@test "docker top: the runtime's ps" {
	docker_sleeper
	run -0 --separate-stderr p_docker top "$N"
	expect_contains "sleep 600"
	p_docker exec -d "$N" sleep 601
	wait_for 50 bash -c "p_docker top $N | grep -q 'sleep 601'"
}

@test "docker kill: SIGKILL is status 137, a caught signal runs its trap" {
	docker_sleeper
	run -0 p_docker kill "$N"
	run -0 --separate-stderr p_docker wait "$N"
	expect_output 137
	p_docker rm -f "$N" >/dev/null
	run -0 p_docker run -d --name "$N" "$IMAGE" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	sleep 0.5
	run -0 p_docker kill -s USR1 "$N"
	run -0 --separate-stderr p_docker wait "$N"
	expect_output 42
}

@test "docker stop: SIGTERM, then SIGKILL after the timeout" {
	run -0 p_docker run -d --name "$N" "$IMAGE" sh -c 'trap "exit 5" TERM; while :; do sleep 0.1; done'
	sleep 0.5
	run -0 p_docker stop -t 10 "$N"
	run -0 --separate-stderr p_docker inspect -f '{{.State.ExitCode}}' "$N"
	expect_output 5
	p_docker rm -f "$N" >/dev/null
	# PID 1 ignores SIGTERM without a handler.
	docker_sleeper
	run -0 p_docker stop -t 1 "$N"
	run -0 --separate-stderr p_docker inspect -f '{{.State.ExitCode}}' "$N"
	expect_output 137
}

@test "docker restart: the container runs again" {
	run -0 p_docker run -d --name "$N" "$IMAGE" sh -c 'echo start >>/started; sleep 600'
	run -0 p_docker restart -t 0 "$N"
	run -0 --separate-stderr p_docker exec "$N" sh -c 'wc -l </started'
	expect_output 2
}

@test "docker rm -f: a running container and its runtime state go" {
	docker_sleeper
	id=$(p_docker inspect -f '{{.Id}}' "$N")
	run -0 "$RUNTIME" --root "$DOCKER_RUNTIME_ROOT" state "$id"
	expect_match '*"status":*"running"*'
	run -0 p_docker rm -f "$N"
	run "$RUNTIME" --root "$DOCKER_RUNTIME_ROOT" state "$id"
	[ "$status" != 0 ]
	expect_contains "does not exist"
}

@test "docker pause, unpause" {
	docker_sleeper
	run -0 p_docker pause "$N"
	run -0 --separate-stderr p_docker inspect -f '{{.State.Status}}' "$N"
	expect_output paused
	dir=$(host_cgroup_dir "$(docker_pid)" freezer)
	run -0 cat "$dir/freezer.state"
	expect_output FROZEN
	run -0 p_docker unpause "$N"
	run -0 cat "$dir/freezer.state"
	expect_output THAWED
	run -0 --separate-stderr p_docker exec "$N" echo thawed
	expect_output thawed
}

@test "docker update: cpu, memory and pids, seen inside" {
	docker_sleeper --cpus 1 --memory 128m
	run -0 p_docker update --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 --memory 64m --memory-swap 64m \
		--pids-limit 50 "$N"
	run -0 --separate-stderr p_docker exec "$N" sh -c \
		'cd /sys/fs/cgroup; echo $(cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares cpuset/cpuset.cpus memory/memory.limit_in_bytes pids/pids.max)'
	expect_output "50000 100000 512 0 67108864 50"
}

@test "docker run --memory: the limit, and the OOM killer (137)" {
	run -0 --separate-stderr p_docker run --rm --memory 32m "$IMAGE" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	expect_output 33554432
	run -137 p_docker run --name "$N" --memory 32m --memory-swap 32m "$IMAGE" tail /dev/zero
	run -0 --separate-stderr p_docker inspect -f '{{.State.OOMKilled}}' "$N"
	expect_output true
}

@test "docker run --pids-limit" {
	run -0 --separate-stderr p_docker run --rm --pids-limit 5 "$IMAGE" sh -c \
		'cat /sys/fs/cgroup/pids/pids.max; sh -c "for i in 1 2 3 4 5 6; do sleep 5 & done" 2>&1; echo inner=$?'
	expect_line 5
	expect_contains "can't fork"
	expect_line inner=2
}

@test "docker run --read-only" {
	run -1 p_docker run --rm --read-only "$IMAGE" touch /x
	expect_contains "Read-only file system"
	run -0 p_docker run --rm --read-only --tmpfs /tmp "$IMAGE" touch /tmp/x
}

@test "docker run --tmpfs" {
	run -0 --separate-stderr p_docker run --rm --tmpfs /scratch:size=1m,mode=1770 "$IMAGE" sh -c \
		'grep " /scratch " /proc/mounts; stat -c %a /scratch; dd if=/dev/zero of=/scratch/f bs=1k count=2048 2>/dev/null || echo full'
	expect_match "tmpfs /scratch tmpfs *size=1024k*"
	expect_line 1770
	expect_line full
}

@test "docker run -v: bind mounts, read-write and read-only" {
	mkdir "$T/vol"
	echo from-host >"$T/vol/in"
	run -0 --separate-stderr p_docker run --rm -v "$T/vol:/data" "$IMAGE" sh -c 'cat /data/in; echo from-container >/data/out'
	expect_output from-host
	[ "$(cat "$T/vol/out")" = from-container ]
	run -1 p_docker run --rm -v "$T/vol:/data:ro" "$IMAGE" touch /data/x
	expect_contains "Read-only file system"
	run -0 --separate-stderr p_docker run --rm --mount "type=bind,src=$T/vol/in,dst=/etc/rlc-file,readonly" "$IMAGE" cat /etc/rlc-file
	expect_output from-host
}

@test "docker run --device: renamed, and /dev/fuse" {
	run -0 --separate-stderr p_docker run --rm --device /dev/zero:/dev/myzero "$IMAGE" sh -c \
		'stat -c "%F %t:%T" /dev/myzero; head -c 3 /dev/myzero | od -An -tx1'
	expect_line "character special file 1:5"
	expect_line " 00 00 00"
	[ -c /dev/fuse ] || skip "the host has no /dev/fuse"
	run -0 --separate-stderr p_docker run --rm --device /dev/fuse "$IMAGE" sh -c \
		'stat -c "%t:%T" /dev/fuse; exec 3<>/dev/fuse && echo opened'
	expect_output $'a:e5\nopened'
}

@test "docker run: a device not given is refused by the device cgroup" {
	# Docker lets mknod make any node, but not open one it did not allow.
	run -1 p_docker run --rm "$IMAGE" sh -c 'mknod /dev/rlc-fuse c 10 229 && exec 3<>/dev/rlc-fuse'
	expect_contains "Operation not permitted"
}

@test "docker run --cap-drop, --cap-add" {
	run -1 p_docker run --rm --cap-drop chown "$IMAGE" chown 1 /tmp
	expect_contains "Operation not permitted"
	run p_docker run --rm "$IMAGE" sh -c 'mkdir /tmp/m && mount -t tmpfs none /tmp/m'
	expect_contains "ermission denied"
	run -0 --separate-stderr p_docker run --rm --cap-add sys_admin "$IMAGE" sh -c 'mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted'
	expect_output mounted
}

@test "docker run: the default seccomp profile" {
	need_sysprobe
	run -0 --separate-stderr p_docker run --rm "$IMAGE" grep '^Seccomp:' /proc/self/status
	expect_match "Seccomp:*2"
	run -1 --separate-stderr p_docker run --rm -v "$SYSPROBE:/sysprobe:ro" "$IMAGE" /sysprobe add_key
	expect_match "E*"
	# unshare needs CAP_SYS_ADMIN in Docker's profile, not in the kernel.
	run -1 p_docker run --rm "$IMAGE" unshare -U true
	expect_contains "Operation not permitted"
	run -0 --separate-stderr p_docker run --rm --security-opt seccomp=unconfined \
		-v "$SYSPROBE:/sysprobe:ro" "$IMAGE" sh -c '/sysprobe add_key && unshare -U true && echo unshared'
	expect_output $'ok\nunshared'
}

@test "docker run --security-opt seccomp=profile.json" {
	write_mkdir_profile "$T/seccomp.json"
	run -1 p_docker run --rm --security-opt "seccomp=$T/seccomp.json" "$IMAGE" mkdir /tmp/d
	expect_contains "Operation not permitted"
	run -0 p_docker run --rm --security-opt "seccomp=$T/seccomp.json" "$IMAGE" touch /tmp/f
}

@test "docker run --security-opt no-new-privileges" {
	run -0 --separate-stderr p_docker run --rm --security-opt no-new-privileges "$IMAGE" grep NoNewPrivs /proc/self/status
	expect_match "NoNewPrivs:*1"
	run -0 --separate-stderr p_docker run --rm "$IMAGE" grep NoNewPrivs /proc/self/status
	expect_match "NoNewPrivs:*0"
}

@test "docker run --sysctl: net and ipc" {
	run -0 --separate-stderr p_docker run --rm --sysctl net.ipv4.ip_forward=1 \
		--sysctl kernel.shm_rmid_forced=1 "$IMAGE" \
		cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced
	expect_output $'1\n1'
}

@test "docker run --ulimit" {
	run -0 --separate-stderr p_docker run --rm --ulimit nofile=1000:1001 --ulimit nproc=500:501 "$IMAGE" \
		sh -c 'echo $(ulimit -Sn) $(ulimit -Hn) $(ulimit -Su) $(ulimit -Hu)'
	expect_output "1000 1001 500 501"
}

@test "docker run --init" {
	run -0 --separate-stderr p_docker run --rm --init "$IMAGE" sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo pid=$$'
	expect_match "/sbin/docker-init -- sh -c *"
	expect_not_contains "pid=1"
}

@test "docker run --cgroupns private and host" {
	run -0 --separate-stderr p_docker run --rm --cgroupns private "$IMAGE" grep memory /proc/self/cgroup
	expect_output "4:memory:/"
	run -0 --separate-stderr p_docker run --rm --cgroupns host "$IMAGE" grep memory /proc/self/cgroup
	# Docker's cgroup parent is a relative path: runc takes it as relative
	# to its own cgroup in each hierarchy.
	expect_match "4:memory:*/runlet-test-docker/*"
}

@test "docker events" {
	since=$(($(date +%s) - 1))
	run -0 p_docker run --name "$N" "$IMAGE" true
	run -0 --separate-stderr p_docker events --since "$since" --until "$(($(date +%s) + 1))" \
		--filter "container=$N" --format '{{.Action}}'
	expect_line create
	expect_line start
	expect_line die
}

@test "docker stats --no-stream" {
	docker_sleeper --memory 64m
	run -0 --separate-stderr p_docker stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.PIDs}}' "$N"
	expect_match "$N *B / 64MiB 1"
}

@test "docker run --privileged" {
	# Capabilities the host's bounding set lacks are skipped with a warning.
	run -0 --separate-stderr p_docker run --rm --privileged "$IMAGE" sh -c \
		'mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted; grep ^Seccomp: /proc/self/status; test -c /dev/fuse && echo fuse'
	expect_line mounted
	expect_match "*Seccomp:*0*"
	[ ! -c /dev/fuse ] || expect_line fuse
}

@test "docker run --pid, --ipc and --network container:NAME" {
	docker_sleeper --ipc shareable
	run -0 --separate-stderr p_docker run --rm --pid "container:$N" --ipc "container:$N" --network "container:$N" \
		"$IMAGE" sh -c 'ps -o pid,comm; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net'
	pid=$(docker_pid)
	# The sleeper is the pid namespace's init.
	expect_match "*1 sleep*"
	expect_line "$(readlink "/proc/$pid/ns/ipc")"
	expect_line "$(readlink "/proc/$pid/ns/net")"
}

@test "docker run --oom-score-adj, --shm-size" {
	run -0 --separate-stderr p_docker run --rm --oom-score-adj 500 --shm-size 2m "$IMAGE" sh -c \
		'cat /proc/self/oom_score_adj; grep " /dev/shm " /proc/mounts'
	expect_match $'500\nshm /dev/shm tmpfs *size=2048k*'
}

@test "docker: no runtime state and no cgroup is left behind" {
	# Runs last: every earlier test has removed its containers.
	run -0 --separate-stderr "$RUNTIME" --root "$DOCKER_RUNTIME_ROOT" list -q
	expect_output ""
	run -0 cgroup_dirs_below runlet-test-docker
	expect_output ""
}
