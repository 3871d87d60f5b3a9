#!/usr/bin/env bats
# Namespaces (config-linux.md, "Namespaces"): new ones, joined ones, and
# the settings that need one (hostname, ID mappings, time offsets).

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# ns_inode TYPE [PID]: "type:[inode]" of a host process (default: this one).
ns_inode() {
	readlink "/proc/${2:-self}/ns/$1"
}

@test "pid namespace: the container's process is pid 1 and sees only its own" {
	set_cmd sh -c 'echo $$; ls -d /proc/[0-9]* | wc -l'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = 1 ]
	# sh and ls, or sh, ls and wc: nothing of the host.
	[ "${lines[1]}" -le 3 ]
}

@test "without a pid namespace the container sees the host's processes" {
	remove_ns pid
	set_cmd sh -c 'echo $$; test -d /proc/1 && cat /proc/1/comm'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" -gt 1 ]
	[ "${lines[1]}" = "$(cat /proc/1/comm)" ]
}

@test "network namespace: only lo" {
	set_cmd sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is lo
}

@test "uts namespace: the hostname and domainname of the config" {
	update_config '.hostname = "bats-host" | .domainname = "bats.example"'
	set_cmd sh -c 'hostname; cat /proc/sys/kernel/domainname'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = bats-host ]
	[ "${lines[1]}" = bats.example ]
	# The host's own names are untouched.
	[ "$(hostname)" != bats-host ]
}

@test "new namespaces differ from the host's, and one left out is the host's" {
	local t
	remove_ns uts
	update_config 'del(.hostname)'
	set_cmd sh -c 'for t in pid net ipc uts mnt; do readlink /proc/self/ns/$t; done'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq 5 ]
	for t in pid net ipc mnt; do
		if printf '%s\n' "${lines[@]}" | grep -qxF "$(ns_inode "$t")"; then
			echo "the container shares the host's $t namespace" >&2
			return 1
		fi
	done
	# uts is not in the config: the host's.
	[ "${lines[3]}" = "$(ns_inode uts)" ]
}

@test "ipc namespace: the host's System V objects are not visible" {
	local shmid
	# A segment on the host, that the container must not see.
	shmid="$(ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')"
	[ -n "$shmid" ]
	on_teardown "ipcrm -m $shmid"
	grep -q "$shmid" /proc/sysvipc/shm

	set_cmd cat /proc/sysvipc/shm
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ] # the header alone

	remove_ns ipc
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has "^ *[0-9-]+ +$shmid "
}

@test "mount namespace: the container has its own mounts and none of the host's" {
	# Every mount point comes from the config: /, and what is under
	# /proc, /dev and /sys (the masked and read-only paths among them).
	set_cmd sh -c 'cut -d" " -f5 /proc/self/mountinfo'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = / ]
	assert_output_has '^/proc$'
	assert_output_has '^/dev/pts$'
	if grep -Ev '^/$|^/(proc|dev|sys)(/|$)' <<<"$output"; then
		echo "mounts of the host are visible in the container" >&2
		return 1
	fi
	# teardown checks that no mount of the bundle is left on the host.
}

@test "cgroup namespace: /proc/self/cgroup shows the container's cgroups as /" {
	add_ns cgroup
	set_cmd cat /proc/self/cgroup
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${#lines[@]}" -gt 0 ]
	if grep -v ':/$' <<<"$output"; then
		echo "some cgroup is not / in the cgroup namespace" >&2
		return 1
	fi
}

@test "without a cgroup namespace /proc/self/cgroup shows the container's cgroup paths" {
	set_cmd cat /proc/self/cgroup
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has "/$ID\$"
}

@test "user namespace: uidMappings and gidMappings" {
	local d

	# The mapped root must reach its rootfs: open up the path to it, and
	# give the rootfs to the mapped root as runc's tests do.
	d="$BUNDLE"
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d="$(dirname "$d")"
	done
	chown -R -h 100000:100000 "$BUNDLE/rootfs"
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	set_cmd sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; stat -c %u /bin/busybox'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(echo ${lines[0]})" = "0 100000 65536" ]
	[ "$(echo ${lines[1]})" = "0 100000 65536" ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 0 ]
}

@test "user namespace: the process runs as the mapped host uid" {
	local d
	d="$BUNDLE"
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d="$(dirname "$d")"
	done
	chown -R -h 100000:100000 "$BUNDLE/rootfs"
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	set_cmd sleep 1000
	runlet run --detach --pid-file "$BATS_TEST_TMPDIR/pid" --bundle "$BUNDLE" "$ID"
	local pid
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 100000 ]
	[ "$(ns_inode user "$pid")" != "$(ns_inode user)" ]
}

@test "a network namespace joined by path (a process's /proc/PID/ns/net)" {
	unshare --net sleep 1000 3>&- &
	local holder=$!
	on_teardown "kill -9 $holder"
	retry 100 0.05 test "$(ns_inode net "$holder")" != "$(ns_inode net)"

	add_ns network "/proc/$holder/ns/net"
	set_cmd readlink /proc/self/ns/net
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(ns_inode net "$holder")"
}

@test "a network namespace joined by path (ip netns), with its addresses" {
	local ns="bats-$ID"
	ip netns add "$ns" || skip_because "ip netns add failed on this host"
	on_teardown "ip netns delete $ns"
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add 10.123.45.67/32 dev lo

	add_ns network "/run/netns/$ns"
	set_cmd ip -4 addr show dev lo
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has 'inet 10\.123\.45\.67/32'
}

@test "a uts namespace joined by path keeps its hostname" {
	unshare --uts sh -c 'hostname bats-joined; exec sleep 1000' 3>&- &
	local holder=$!
	on_teardown "kill -9 $holder"
	retry 100 0.05 test "$(ns_inode uts "$holder")" != "$(ns_inode uts)"
	retry 100 0.05 nsenter -t "$holder" -u sh -c 'test "$(hostname)" = bats-joined'

	update_config 'del(.hostname)'
	add_ns uts "/proc/$holder/ns/uts"
	set_cmd hostname
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is bats-joined
}

@test "a namespace path of the wrong type is refused" {
	add_ns network /proc/self/ns/uts
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'not a network namespace'
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "a namespace path that does not exist is refused" {
	add_ns network /proc/self/ns/no-such-namespace
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'network namespace /proc/self/ns/no-such-namespace'
}

@test "time namespace: the boottime and monotonic offsets" {
	[ -e /proc/self/ns/time ] || skip_because "this kernel has no time namespace"
	local day=86400 host_up
	add_ns time
	update_config --argjson s "$((400 * day))" \
		'.linux.timeOffsets = {"boottime": {"secs": $s, "nanosecs": 0},
		                       "monotonic": {"secs": $s, "nanosecs": 0}}'
	set_cmd cat /proc/uptime
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	host_up="$(cut -d. -f1 /proc/uptime)"
	local up="${output%%.*}"
	[ "$up" -ge $((host_up + 400 * day - 5)) ]
	[ "$up" -le $((host_up + 400 * day + 60)) ]
}

@test "time namespace without offsets: a namespace of its own" {
	[ -e /proc/self/ns/time ] || skip_because "this kernel has no time namespace"
	add_ns time
	set_cmd readlink /proc/self/ns/time
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ -n "$output" ]
	[ "$output" != "$(ns_inode time)" ]
}
