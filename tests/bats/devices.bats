#!/usr/bin/env bats
# Devices: the default ones, linux.devices, the device cgroup rules of
# linux.resources.devices, and the /dev symlinks of runtime-linux.md.

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

add_caps() {
	local c
	for c in "$@"; do
		update_config --arg c "$c" '.process.capabilities |= with_entries(.value += [$c])'
	done
}

@test "the default devices exist with their numbers and mode 0666" {
	set_cmd sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf '%s\n' \
		'/dev/null character special file 1:3 666' \
		'/dev/zero character special file 1:5 666' \
		'/dev/full character special file 1:7 666' \
		'/dev/random character special file 1:8 666' \
		'/dev/urandom character special file 1:9 666' \
		'/dev/tty character special file 5:0 666')"
}

@test "the default devices work, as a user without capabilities too" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_cmd sh -c 'echo x >/dev/null && echo null-ok; head -c 5 /dev/zero | wc -c; head -c 8 /dev/urandom | wc -c;
		echo x >/dev/full 2>/dev/null || echo full-failed'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf 'null-ok\n5\n8\nfull-failed')"
}

@test "the /dev symlinks: fd, stdin, stdout, stderr, ptmx" {
	set_cmd sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf '%s\n' \
		'fd -> /proc/self/fd' \
		'stdin -> /proc/self/fd/0' \
		'stdout -> /proc/self/fd/1' \
		'stderr -> /proc/self/fd/2' \
		'ptmx -> pts/ptmx')"
}

@test "/dev/stdout reaches the container's standard output" {
	set_cmd sh -c 'echo via-dev-stdout >/dev/stdout'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is via-dev-stdout
}

@test "linux.devices adds a device with its mode, owner and group" {
	update_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229,
		"fileMode": 432, "uid": 1000, "gid": 5}]'
	set_cmd stat -c '%F %t:%T %a %u %g' /dev/fuse
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	# 432 is 0660; 10:229 in hex is a:e5.
	assert_output_is "character special file a:e5 660 1000 5"
}

@test "linux.devices in a directory of its own, and a fifo" {
	update_config '.linux.devices = [
		{"path": "/dev/net/tun", "type": "c", "major": 10, "minor": 200},
		{"path": "/dev/bats-fifo", "type": "p", "fileMode": 420}]'
	set_cmd sh -c 'stat -c "%n %F %t:%T" /dev/net/tun; stat -c "%n %F %a" /dev/bats-fifo'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf '%s\n' \
		'/dev/net/tun character special file a:c8' \
		'/dev/bats-fifo fifo 644')"
}

@test "a device the cgroup does not allow: mknod works, open fails with EPERM" {
	[ -d /sys/fs/cgroup/devices ] || [ -f /sys/fs/cgroup/cgroup.controllers ] ||
		skip_because "no device cgroup on this host"
	add_caps CAP_MKNOD
	# /dev/mem (1:1): nothing in the default rules allows it.
	set_cmd sh -c 'mknod /dev/bats-mem c 1 1 && echo mknod-ok; cat /dev/bats-mem 2>&1 >/dev/null | head -n 1'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = mknod-ok ]
	[[ "${lines[1]}" == *"Operation not permitted"* ]]
}

@test "a device in linux.devices without a cgroup rule cannot be opened" {
	[ -e /dev/net/tun ] || skip_because "no /dev/net/tun on this host"
	update_config '.linux.devices = [{"path": "/dev/net/tun", "type": "c", "major": 10, "minor": 200}]'
	set_cmd sh -c 'exec 3</dev/net/tun && echo opened'
	run runlet run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "a cgroup rule that allows a device lets it be opened, with its access only" {
	[ -e /dev/net/tun ] || skip_because "no /dev/net/tun on this host"
	update_config '.linux.devices = [{"path": "/dev/net/tun", "type": "c", "major": 10, "minor": 200}]
		| .linux.resources.devices += [{"allow": true, "type": "c", "major": 10, "minor": 200, "access": "r"}]'
	set_cmd sh -c 'exec 3</dev/net/tun && echo read-opened; (exec 4>/dev/net/tun) 2>&1 | grep -q "not permitted" && echo write-denied'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf 'read-opened\nwrite-denied')"
}

@test "a device node already in the rootfs with other numbers is refused" {
	mknod "$BUNDLE/rootfs/dev/fuse" c 1 3
	update_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}]'
	# Without a tmpfs on /dev the rootfs's own /dev is used.
	update_config '.mounts |= map(select(.destination | startswith("/dev") | not))'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line '/dev/fuse'
}
