#!/usr/bin/env bats
# The runtime under containerd 1.6 (ctr, through the runc v2 shim): create,
# start, exec, kill, delete, pause, resume and ps.  ctr has no update, no
# logs and no user, hostname or tmpfs options; `ctr run` mounts no cgroup
# file system, so limits are read from the host.

load helpers

setup_file() { clients_setup_file; }
teardown_file() { clients_teardown_file; }
setup() { clients_setup; }
teardown() { clients_teardown ctr; }

# The runtime's --root under the shim: the --runc-root p_ctr gives, and
# the namespace.
CTR_RUNTIME_ROOT=$RUNLET_TEST_ROOT/containerd/runc/$RUNLET_CTR_NS

# Starts a detached task $N running `sleep 600`, plus any options.
ctr_sleeper() {
	run -0 p_ctr run -d "$@" "$IMAGE" "$N" sleep 600
}

ctr_pid() {
	p_ctr task ls | awk -v n="$N" '$1 == n { print $2 }'
}

ctr_status() {
	p_ctr task ls | awk -v n="$N" '$1 == n { print $3 }'
}

# The task's cgroup directory on the host for controller $1.
ctr_cgroup() {
	host_cgroup_dir "$(ctr_pid)" "$1"
}

@test "ctr run: output and exit status" {
	run -0 --separate-stderr p_ctr run --rm "$IMAGE" "$N" echo hello
	expect_output hello
	run -3 p_ctr run --rm "$IMAGE" "$N" sh -c 'exit 3'
	run -0 p_ctr run --rm "$IMAGE" "$N" true
}

@test "ctr run --rm: the container and its runtime state go" {
	run -0 p_ctr run --rm "$IMAGE" "$N" true
	run -0 p_ctr container ls -q
	expect_not_contains "$N"
	run "$RUNTIME" --root "$CTR_RUNTIME_ROOT" state "$N"
	[ "$status" != 0 ]
	expect_contains "does not exist"
	# The shim deletes twice, and takes "does not exist" in the "msg" of
	# the JSON log of the first as success.
	run "$RUNTIME" --root "$CTR_RUNTIME_ROOT" --log "$T/log.json" --log-format json delete "$N"
	[ "$status" != 0 ]
	run -0 grep '"msg":.*does not exist' "$T/log.json"
}

@test "ctr run: a missing command fails" {
	run p_ctr run --rm "$IMAGE" "$N" /no/such/command
	[ "$status" != 0 ]
	output=${output,,}
	expect_contains "/no/such/command: no such file or directory"
}

@test "ctr run: env and cwd" {
	run -0 --separate-stderr p_ctr run --rm --env FOO=bar --cwd /tmp "$IMAGE" "$N" sh -c 'echo "$FOO $(pwd)"'
	expect_output "bar /tmp"
}

@test "ctr run -d, task ls, exec with exit status" {
	ctr_sleeper
	run -0 ctr_status
	expect_output RUNNING
	run -0 --separate-stderr p_ctr task exec --exec-id e1 "$N" echo in-exec
	expect_output in-exec
	run -4 p_ctr task exec --exec-id e2 "$N" sh -c 'exit 4'
}

@test "ctr task exec: user and cwd" {
	ctr_sleeper
	run -0 --separate-stderr p_ctr task exec --exec-id e1 --user 65534 --cwd /tmp "$N" sh -c 'echo "$(id -u) $(pwd)"'
	expect_output "65534 /tmp"
}

@test "ctr task exec --detach" {
	ctr_sleeper
	run -0 p_ctr task exec -d --exec-id e1 "$N" sh -c 'echo done >/tmp/flag'
	wait_for 50 p_ctr task exec --exec-id e2 "$N" test -s /tmp/flag
}

@test "ctr task exec --tty" {
	ctr_sleeper
	run -0 in_pty p_ctr task exec -t --exec-id e1 "$N" sh -c 'sleep 0.3; tty; test -t 0 && echo stdin-tty; sleep 0.2'
	expect_match "*/dev/pts/*stdin-tty*"
}

@test "ctr run --tty" {
	run -0 in_pty p_ctr run -t --rm "$IMAGE" "$N" sh -c 'sleep 0.3; tty; test -t 0 && echo stdin-tty; sleep 0.2'
	expect_match "*/dev/pts/*stdin-tty*"
}

@test "ctr task ps: the runtime's ps" {
	ctr_sleeper
	pid=$(ctr_pid)
	run -0 p_ctr task exec -d --exec-id e1 "$N" sleep 601
	wait_for 50 bash -c "[ \$(p_ctr task ps $N | grep -c '^[0-9]') = 2 ]"
	run -0 p_ctr task ps "$N"
	expect_contains "$pid"
}

@test "ctr task kill: SIGKILL is status 137, a caught signal runs its trap" {
	ctr_sleeper
	run -0 p_ctr task kill -s KILL "$N"
	wait_for 50 bash -c "[ \"\$(p_ctr task ls | awk '\$1 == \"$N\" { print \$3 }')\" = STOPPED ]"
	run -0 p_ctr task delete "$N"
	expect_contains "exit code 137"
	run -0 p_ctr container delete "$N"
	run -0 p_ctr run -d "$IMAGE" "$N" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	sleep 0.5
	run -0 p_ctr task kill -s USR1 "$N"
	wait_for 50 bash -c "[ \"\$(p_ctr task ls | awk '\$1 == \"$N\" { print \$3 }')\" = STOPPED ]"
	run -0 p_ctr task delete "$N"
	expect_contains "exit code 42"
}

@test "ctr task delete: refused while running, --force kills" {
	ctr_sleeper
	run p_ctr task delete "$N"
	[ "$status" != 0 ]
	run -0 ctr_status
	expect_output RUNNING
	run -0 p_ctr task delete -f "$N"
	run -0 p_ctr task ls -q
	expect_not_contains "$N"
	run "$RUNTIME" --root "$CTR_RUNTIME_ROOT" state "$N"
	expect_contains "does not exist"
}

@test "ctr task pause, resume" {
	ctr_sleeper
	run -0 p_ctr task pause "$N"
	run -0 ctr_status
	expect_output PAUSED
	dir=$(ctr_cgroup freezer)
	run -0 cat "$dir/freezer.state"
	expect_output FROZEN
	run -0 p_ctr task resume "$N"
	run -0 ctr_status
	expect_output RUNNING
	run -0 cat "$dir/freezer.state"
	expect_output THAWED
	run -0 --separate-stderr p_ctr task exec --exec-id e1 "$N" echo thawed
	expect_output thawed
}

@test "ctr task metrics" {
	ctr_sleeper --memory-limit 67108864
	run -0 --separate-stderr p_ctr task metrics "$N"
	expect_match "*memory.limit_in_bytes*67108864*"
	expect_match "*pids.current*1*"
}

@test "ctr events: start and exit" {
	timeout 30 "$RUNLET_CTR" --address "$RUNLET_TEST_ROOT/containerd/containerd.sock" events >"$T/events" 2>&1 &
	evpid=$!
	sleep 0.5
	run -3 p_ctr run --rm "$IMAGE" "$N" sh -c 'exit 3'
	sleep 0.5
	kill "$evpid"
	wait "$evpid" || true
	run -0 grep "$N" "$T/events"
	expect_contains /tasks/create
	expect_contains /tasks/start
	expect_contains /tasks/exit
	expect_contains '"exit_status":3'
}

@test "ctr run --memory-limit: the limit, and the OOM killer (137)" {
	ctr_sleeper --memory-limit 33554432
	run -0 cat "$(ctr_cgroup memory)/memory.limit_in_bytes"
	expect_output 33554432
	p_ctr task kill -s KILL "$N"
	p_ctr task delete -f "$N" >/dev/null 2>&1 || true
	p_ctr container delete "$N"
	run -137 p_ctr run --rm --memory-limit 33554432 "$IMAGE" "$N" tail /dev/zero
}

@test "ctr run --cpus, --cpu-shares, --cpu-quota and --cpu-period" {
	ctr_sleeper --cpus 0.5 --cpu-shares 512
	dir=$(ctr_cgroup cpu)
	run -0 cat "$dir/cpu.cfs_quota_us" "$dir/cpu.cfs_period_us" "$dir/cpu.shares"
	expect_output $'50000\n100000\n512'
	p_ctr task kill -s KILL "$N"
	p_ctr task delete -f "$N" >/dev/null 2>&1 || true
	p_ctr container delete "$N"
	ctr_sleeper --cpu-quota 20000 --cpu-period 50000
	dir=$(ctr_cgroup cpu)
	run -0 cat "$dir/cpu.cfs_quota_us" "$dir/cpu.cfs_period_us"
	expect_output $'20000\n50000'
}

@test "ctr run --read-only" {
	run -1 p_ctr run --rm --read-only "$IMAGE" "$N" touch /x
	expect_contains "Read-only file system"
}

@test "ctr run --mount: bind mounts, read-write and read-only" {
	mkdir "$T/vol"
	echo from-host >"$T/vol/in"
	run -0 --separate-stderr p_ctr run --rm --mount "type=bind,src=$T/vol,dst=/data,options=rbind:rw" \
		"$IMAGE" "$N" sh -c 'cat /data/in; echo from-container >/data/out'
	expect_output from-host
	[ "$(cat "$T/vol/out")" = from-container ]
	run -1 p_ctr run --rm --mount "type=bind,src=$T/vol,dst=/data,options=rbind:ro" "$IMAGE" "$N" touch /data/x
	expect_contains "Read-only file system"
	run -0 --separate-stderr p_ctr run --rm --mount "type=tmpfs,src=tmpfs,dst=/scratch,options=size=1m" \
		"$IMAGE" "$N" grep " /scratch " /proc/mounts
	expect_match "tmpfs /scratch tmpfs *size=1024k*"
}

@test "ctr run --device /dev/fuse" {
	[ -c /dev/fuse ] || skip "the host has no /dev/fuse"
	run -0 --separate-stderr p_ctr run --rm --device /dev/fuse "$IMAGE" "$N" sh -c \
		'stat -c "%t:%T" /dev/fuse; exec 3<>/dev/fuse && echo opened'
	expect_output $'a:e5\nopened'
}

@test "ctr run: a device not given is refused by the device cgroup" {
	run -1 p_ctr run --rm "$IMAGE" "$N" sh -c 'mknod /dev/rlc-fuse c 10 229 && exec 3<>/dev/rlc-fuse'
	expect_contains "Operation not permitted"
}

@test "ctr run --cap-drop, --cap-add" {
	run -1 p_ctr run --rm --cap-drop CAP_CHOWN "$IMAGE" "$N" chown 1 /tmp
	expect_contains "Operation not permitted"
	run p_ctr run --rm "$IMAGE" "$N" sh -c 'mkdir /tmp/m && mount -t tmpfs none /tmp/m'
	expect_contains "ermission denied"
	run -0 --separate-stderr p_ctr run --rm --cap-add CAP_SYS_ADMIN "$IMAGE" "$N" sh -c \
		'mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted'
	expect_output mounted
}

@test "ctr run --seccomp: the default profile" {
	need_sysprobe
	probe=(--mount "type=bind,src=$SYSPROBE,dst=/sysprobe,options=rbind:ro")
	run -0 --separate-stderr p_ctr run --rm --seccomp "$IMAGE" "$N" grep '^Seccomp:' /proc/self/status
	expect_match "Seccomp:*2"
	run -1 --separate-stderr p_ctr run --rm --seccomp "${probe[@]}" "$IMAGE" "$N" /sysprobe add_key
	expect_match "E*"
	run -1 p_ctr run --rm --seccomp "$IMAGE" "$N" unshare -U true
	expect_contains "Operation not permitted"
	# ctr loads no profile unless asked.
	run -0 --separate-stderr p_ctr run --rm "${probe[@]}" "$IMAGE" "$N" sh -c '/sysprobe add_key && unshare -U true && echo unshared'
	expect_output $'ok\nunshared'
}

@test "ctr run --seccomp-profile" {
	write_mkdir_profile "$T/seccomp.json"
	run -1 p_ctr run --rm --seccomp --seccomp-profile "$T/seccomp.json" "$IMAGE" "$N" mkdir /tmp/d
	expect_contains "Operation not permitted"
	run -0 p_ctr run --rm --seccomp --seccomp-profile "$T/seccomp.json" "$IMAGE" "$N" touch /tmp/f
}

@test "ctr run: no-new-privileges unless --allow-new-privs" {
	run -0 --separate-stderr p_ctr run --rm "$IMAGE" "$N" grep NoNewPrivs /proc/self/status
	expect_match "NoNewPrivs:*1"
	run -0 --separate-stderr p_ctr run --rm --allow-new-privs "$IMAGE" "$N" grep NoNewPrivs /proc/self/status
	expect_match "NoNewPrivs:*0"
}

@test "ctr run --privileged" {
	run -0 --separate-stderr p_ctr run --rm --privileged "$IMAGE" "$N" sh -c \
		'mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted; test -c /dev/fuse && echo fuse; grep CapEff /proc/self/status'
	expect_line mounted
	[ ! -c /dev/fuse ] || expect_line fuse
	expect_line "CapEff:	$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)"
}

@test "ctr run --net-host" {
	run -0 --separate-stderr p_ctr run --rm --net-host "$IMAGE" "$N" readlink /proc/self/ns/net
	expect_output "$(readlink /proc/self/ns/net)"
	run -0 --separate-stderr p_ctr run --rm "$IMAGE" "$N" readlink /proc/self/ns/net
	expect_not_contains "$(readlink /proc/self/ns/net)"
}

@test "ctr run --with-ns: join another task's pid namespace" {
	ctr_sleeper
	pid=$(ctr_pid)
	run -0 --separate-stderr p_ctr run --rm --with-ns "pid:/proc/$pid/ns/pid" "$IMAGE" "$N-2" ps -o pid,args
	expect_match "*1 sleep 600*"
}

@test "ctr run --uidmap, --gidmap: a user namespace" {
	run -0 --separate-stderr p_ctr run --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$IMAGE" "$N" \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
	expect_output "$(printf '%10s %10s %10s\n' 0 100000 65536 0 100000 65536)"$'\n0'
}

@test "ctr task update" {
	"$RUNLET_CTR" task update --help >/dev/null 2>&1 || skip "ctr $("$RUNLET_CTR" --version | awk '{ print $3 }') has no task update"
	ctr_sleeper --memory-limit 134217728
	run -0 p_ctr task update --memory-limit 67108864 "$N"
	run -0 cat "$(ctr_cgroup memory)/memory.limit_in_bytes"
	expect_output 67108864
}

@test "ctr: no runtime state and no cgroup is left behind" {
	# Runs last: every earlier test has removed its containers.
	run -0 --separate-stderr "$RUNTIME" --root "$CTR_RUNTIME_ROOT" list -q
	expect_output ""
	run -0 cgroup_dirs_below "$RUNLET_CTR_NS"
	expect_output ""
}
