#!/usr/bin/env bats
# Control groups on a cgroup v1 or hybrid host (config-linux.md, "Control
# groups"): linux.resources written to the v1 files, limits enforced,
# cgroupsPath, the cgroup mount and namespace, pause, update, events, and
# delete.  The hybrid tests need a cgroup2 at /sys/fs/cgroup/unified.  cgroup
# v2 is tested in a VM by the QEMU suite (tests/qemu).
#
# A container's cgroups are resolved as runlet resolves them: an absolute
# cgroupsPath as it is in each hierarchy, a relative one (and the default,
# the id) under this process's own cgroup of each hierarchy, which need not
# be "/".
# shellcheck disable=SC2016 # jq programs and container scripts in single quotes

load helpers

setup() {
	common_setup
	require_v1
}

teardown() { common_teardown; }

# --- helpers ------------------------------------------------------------------

require_v1() {
	if [ ! -d /sys/fs/cgroup/memory ] || ! grep -q '^[0-9]*:[^:]*memory' /proc/self/cgroup; then
		skip_because "not a cgroup v1 host (the QEMU suite tests cgroup v2)"
	fi
}

require_hybrid() {
	[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] ||
		skip_because "no cgroup2 hierarchy at /sys/fs/cgroup/unified (not a hybrid host)"
}

require_controller() {
	[ -n "$(cg_dir "$1" / 2>/dev/null)" ] || skip_because "no $1 hierarchy on this host"
}

# The hierarchies runlet uses, as /proc/self/cgroup names them: every v1
# hierarchy with controllers, name=systemd, and "unified" for the cgroup2
# of a hybrid host.
hierarchies() {
	awk -F: '$2 != "" && ($2 !~ /^name=/ || $2 == "name=systemd") { print $2 }
		$1 == "0" && $2 == "" { v2 = 1 }
		END { if (v2) print "unified" }' /proc/self/cgroup
}

# cg_dir CONTROLLER [PATH]: the host directory of cgroup PATH (default $ID)
# in the hierarchy that has CONTROLLER (memory, pids, name=systemd, or
# unified), or in the hierarchy named CONTROLLER as a whole ("cpu,cpuacct").
cg_dir() {
	local ctrl="$1" path="${2:-$ID}" line own mnt

	if [ "$ctrl" = unified ]; then
		own="$(awk -F: '$1 == "0" && $2 == "" { print $3 }' /proc/self/cgroup)"
		mnt=/sys/fs/cgroup/unified
	else
		line="$(awk -F: -v c="$ctrl" '{ n = split($2, a, ",")
			for (i = 1; i <= n; i++) if (a[i] == c || $2 == c) { print $2 ":" $3; exit } }' /proc/self/cgroup)"
		[ -n "$line" ] || return 1
		own="${line#*:}"
		mnt="/sys/fs/cgroup/${line%%:*}"
		mnt="${mnt/name=/}"
	fi
	case "$path" in
	/*) echo "$mnt${path%/}" ;;
	*) echo "$mnt${own%/}/$path" ;;
	esac
}

# file_is FILE VALUE
file_is() {
	local got

	got="$(cat "$1" 2>&1)"
	if [ "$got" != "$2" ]; then
		echo "$1: '$got', expected '$2'" >&2
		return 1
	fi
}

# key_at_least FILE KEY N: the line "KEY VALUE" of FILE has VALUE >= N.
key_at_least() {
	local v

	v="$(awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null)"
	if [ -z "$v" ] || [ "$v" -lt "$3" ]; then
		echo "$1: $2 is '$v', expected >= $3:" >&2
		cat "$1" >&2
		return 1
	fi
}

add_caps() {
	local c

	for c in "$@"; do
		update_config --arg c "$c" '.process.capabilities |= with_entries(.value += [$c])'
	done
}

# remove_cgroups DIR...: after the test, deepest first, the parents a
# cgroupsPath made (runlet, like runc, removes the container's own cgroup
# only).  The container goes first, in case the test stopped halfway.
remove_cgroups() {
	local d

	"$RUNLET" --root "$RUNLET_BATS_ROOT" delete --force "$ID" 3>&- || true
	for d in "$@"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
}

# The smallest huge page size of /sys/kernel/mm/hugepages, as hugetlb names
# it (2MB), and in bytes.
huge_page_size() {
	local kb

	for kb in $(find /sys/kernel/mm/hugepages -maxdepth 1 -name 'hugepages-*kB' -printf '%f\n' 2>/dev/null |
		sed 's/^hugepages-//; s/kB$//' | sort -n); do
		if ((kb % 1048576 == 0)); then
			echo "$((kb / 1048576))GB $((kb * 1024))"
		elif ((kb % 1024 == 0)); then
			echo "$((kb / 1024))MB $((kb * 1024))"
		else
			echo "${kb}KB $((kb * 1024))"
		fi
		return 0
	done
	return 1
}

# --- memory --------------------------------------------------------------------

@test "memory limit: memory.limit_in_bytes, and an OOM kill ends the container with 137" {
	local mem

	update_config '.linux.resources.memory = {"limit": 33554432}
		| .mounts |= map(if .destination == "/dev/shm"
			then .options = ["nosuid", "nodev", "mode=1777", "size=128m"] else . end)'
	# Swap would absorb the tmpfs pages: memory+swap gets the same limit.
	mem="$(cg_dir memory /)"
	if [ -f "$mem/memory.memsw.limit_in_bytes" ]; then
		update_config '.linux.resources.memory.swap = 33554432'
	fi
	set_cmd dd if=/dev/zero of=/dev/shm/fill bs=1M count=64
	run runlet run --keep --bundle "$BUNDLE" "$ID"
	assert_status 137
	mem="$(cg_dir memory)"
	file_is "$mem/memory.limit_in_bytes" 33554432
	# oom_kill counts the kills since Linux 4.13; before, failcnt tells
	# that the limit was hit.
	if grep -q '^oom_kill ' "$mem/memory.oom_control"; then
		key_at_least "$mem/memory.oom_control" oom_kill 1
	else
		[ "$(cat "$mem/memory.failcnt")" -gt 0 ]
	fi

	run runlet delete "$ID"
	assert_status 0
	[ ! -e "$mem" ]
}

@test "events reports an OOM kill as {\"type\":\"oom\"}" {
	local ev="$BATS_TEST_TMPDIR/events" evpid i

	update_config '.linux.resources.memory = {"limit": 33554432}'
	if [ -f "$(cg_dir memory /)/memory.memsw.limit_in_bytes" ]; then
		update_config '.linux.resources.memory.swap = 33554432'
	fi
	# 64 MiB of anonymous memory in one buffer.
	set_cmd dd if=/dev/zero of=/dev/null bs=64M count=1
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	runlet events --interval 1s "$ID" >"$ev" 2>&1 &
	evpid=$!
	sleep 0.5
	runlet start "$ID"
	wait_for_status "$ID" stopped
	# events ends by itself once the container has stopped.
	for ((i = 0; i < 100; i++)); do
		kill -0 "$evpid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$evpid" 2>/dev/null || true
	wait "$evpid" || true
	if ! jq -e 'select(.type == "oom" and .id == $id)' --arg id "$ID" "$ev" >/dev/null; then
		echo "no oom event:" >&2
		cat "$ev" >&2
		return 1
	fi
}

# --- pids ------------------------------------------------------------------------

@test "pids limit: pids.max, and forking past it fails" {
	local dir

	require_controller pids
	update_config '.linux.resources.pids = {"limit": 5}'
	set_cmd sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 100 & done; echo all-forked'
	run runlet run --keep --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" != *all-forked* ]]
	[[ "$output" == *"can't fork"* ]]
	dir="$(cg_dir pids)"
	file_is "$dir/pids.max" 5
	if [ -f "$dir/pids.events" ]; then
		key_at_least "$dir/pids.events" max 1
	fi
}

# --- cpu, cpuset ------------------------------------------------------------------

@test "cpu shares, quota and period: cpu.shares, cpu.cfs_quota_us, cpu.cfs_period_us" {
	local dir

	require_controller cpu
	update_config '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000}'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir cpu)"
	file_is "$dir/cpu.shares" 512
	file_is "$dir/cpu.cfs_quota_us" 50000
	file_is "$dir/cpu.cfs_period_us" 100000

	run runlet update --cpu-shares 256 --cpu-quota 20000 --cpu-period 50000 "$ID"
	assert_status 0
	file_is "$dir/cpu.shares" 256
	file_is "$dir/cpu.cfs_quota_us" 20000
	file_is "$dir/cpu.cfs_period_us" 50000

	run runlet update --cpu-quota -1 "$ID"
	assert_status 0
	file_is "$dir/cpu.cfs_quota_us" -1
}

@test "cpuset cpus and mems: cpuset.cpus and cpuset.mems, and update" {
	local dir ncpu

	require_controller cpuset
	update_config '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	set_cmd sh -c 'grep Cpus_allowed_list /proc/self/status'
	run runlet run --keep --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has $'^Cpus_allowed_list:\t0$'
	dir="$(cg_dir cpuset)"
	file_is "$dir/cpuset.cpus" 0
	file_is "$dir/cpuset.mems" 0
	run runlet delete "$ID"
	assert_status 0

	ncpu="$(nproc --all)"
	((ncpu > 1)) || skip_because "one CPU: cpuset.cpus cannot be changed to another"
	set_cmd sleep 1000
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	run runlet update --cpuset-cpus 1 "$ID"
	assert_status 0
	file_is "$dir/cpuset.cpus" 1
}

# --- blkio --------------------------------------------------------------------------

@test "blkio weight: blkio.weight (or blkio.bfq.weight)" {
	local dir

	require_controller blkio
	dir="$(cg_dir blkio /)"
	[ -f "$dir/blkio.weight" ] || [ -f "$dir/blkio.bfq.weight" ] ||
		skip_because "this kernel's blkio controller has neither blkio.weight nor blkio.bfq.weight (no CFQ or BFQ)"
	update_config '.linux.resources.blockIO = {"weight": 300}'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir blkio)"
	if [ -f "$dir/blkio.weight" ]; then
		file_is "$dir/blkio.weight" 300
	else
		grep -Eq '^(default )?300$' "$dir/blkio.bfq.weight"
	fi
}

@test "blkio throttle: blkio.throttle.read_bps_device and write_iops_device" {
	local dir dev

	require_controller blkio
	[ -f "$(cg_dir blkio /)/blkio.throttle.read_bps_device" ] ||
		skip_because "this kernel's blkio controller has no throttling (CONFIG_BLK_DEV_THROTTLING)"
	dev="$(cat /sys/block/*/dev 2>/dev/null | head -n 1)"
	[ -n "$dev" ] || skip_because "no block device in /sys/block"
	update_config --argjson maj "${dev%%:*}" --argjson min "${dev##*:}" '.linux.resources.blockIO = {
		"throttleReadBpsDevice": [{"major": $maj, "minor": $min, "rate": 1048576}],
		"throttleWriteIOPSDevice": [{"major": $maj, "minor": $min, "rate": 100}]}'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir blkio)"
	file_is "$dir/blkio.throttle.read_bps_device" "$dev 1048576"
	file_is "$dir/blkio.throttle.write_iops_device" "$dev 100"
}

# --- devices -----------------------------------------------------------------------

@test "devices cgroup: devices.list shows the rules; an undeclared device cannot be opened" {
	local dir

	require_controller devices
	update_config '.linux.resources.devices = [
		{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"},
		{"allow": true, "type": "c", "major": 10, "minor": 200, "access": "rw"}]'
	add_caps CAP_MKNOD
	set_cmd sleep 1000
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir devices)"
	run cat "$dir/devices.list"
	assert_output_has '^c 10:200 rw$'
	# The devices every container gets: null (merged with the rule above),
	# and mknod of anything.
	assert_output_has '^c 1:3 rwm$'
	assert_output_has '^c \*:\* m$'
	assert_output_has '^b \*:\* m$'
	assert_output_has '^c 136:\* rwm$'
	if grep '^a ' <<<"$output"; then
		echo "the container may use every device" >&2
		return 1
	fi

	run runlet exec "$ID" sh -c 'echo probe >/dev/null && cat /dev/null && echo null-ok
		mknod /dev/kmsg-node c 1 11 && echo mknod-ok
		(: >/dev/kmsg-node) 2>&1 || true'
	assert_status 0
	assert_output_has '^null-ok$'
	assert_output_has '^mknod-ok$'
	assert_output_has 'kmsg-node.*Operation not permitted'
}

@test "devices cgroup: a deny rule takes away part of an allowed access" {
	local dir

	require_controller devices
	# Major 240 has no driver: an allowed open fails with ENXIO, a refused
	# one with EPERM.
	update_config '.linux.resources.devices = [
		{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 240, "minor": 0, "access": "rwm"},
		{"allow": false, "type": "c", "major": 240, "minor": 0, "access": "w"}]'
	add_caps CAP_MKNOD
	set_cmd sh -c 'mknod /dev/d240 c 240 0 || exit 1
		echo "r: $( (: </dev/d240) 2>&1)"
		echo "w: $( (: >/dev/d240) 2>&1)"
		echo "rw: $( (: <>/dev/d240) 2>&1)"
		grep "^c 240:" /sys/fs/cgroup/devices/devices.list'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has '^r: .*No such device or address'
	assert_output_has '^w: .*Operation not permitted'
	assert_output_has '^rw: .*Operation not permitted'
	assert_output_has '^c 240:0 rm$'
}

# --- freezer -------------------------------------------------------------------------

@test "pause and resume: freezer.state FROZEN and THAWED, status paused and running" {
	local dir

	require_controller freezer
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir freezer)"
	run runlet pause "$ID"
	assert_status 0
	file_is "$dir/freezer.state" FROZEN
	[ "$(container_status "$ID")" = paused ]
	# A paused container is not resumed by a second pause.
	run runlet pause "$ID"
	[ "$status" -ne 0 ]

	run runlet resume "$ID"
	assert_status 0
	file_is "$dir/freezer.state" THAWED
	[ "$(container_status "$ID")" = running ]
}

@test "delete --force of a paused container kills it and removes its cgroups" {
	local pid h dirs=()

	require_controller freezer
	remove_ns pid
	set_cmd sh -c 'sleep 1000 & sleep 1000 & wait'
	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	retry 100 0.05 test "$(container_procs "$ID" | wc -l)" -ge 3
	run runlet pause "$ID"
	assert_status 0
	while read -r h; do dirs+=("$(cg_dir "$h")"); done < <(hierarchies)
	run runlet delete --force "$ID"
	assert_status 0
	retry 100 0.05 test -z "$(container_procs "$ID")"
	for h in "${dirs[@]}"; do
		[ ! -e "$h" ] || { echo "$h is left" >&2; return 1; }
	done
}

# --- update, events ------------------------------------------------------------------

@test "update changes memory.limit_in_bytes and pids.max, from flags and from JSON" {
	local mem pids

	update_config '.linux.resources.memory = {"limit": 33554432} | .linux.resources.pids = {"limit": 20}'
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	mem="$(cg_dir memory)"
	pids="$(cg_dir pids)"
	file_is "$mem/memory.limit_in_bytes" 33554432
	file_is "$pids/pids.max" 20

	run runlet update --memory 64m --pids-limit 9 "$ID"
	assert_status 0
	file_is "$mem/memory.limit_in_bytes" 67108864
	file_is "$pids/pids.max" 9

	echo '{"memory": {"limit": 50331648}, "pids": {"limit": -1}}' >"$BATS_TEST_TMPDIR/res.json"
	run runlet update --resources "$BATS_TEST_TMPDIR/res.json" "$ID"
	assert_status 0
	file_is "$mem/memory.limit_in_bytes" 50331648
	file_is "$pids/pids.max" max

}

@test "update of a created container, right after create (20 times)" {
	local i dir

	require_controller pids
	update_config '.linux.resources.pids = {"limit": 20}'
	dir="$(cg_dir pids)"
	for ((i = 0; i < 20; i++)); do
		run_detached create --bundle "$BUNDLE" "$ID"
		assert_status 0
		run runlet update --pids-limit $((30 + i)) "$ID"
		if [ "$status" -ne 0 ]; then
			echo "round $i: update failed ($output); the container is $(container_status "$ID")" >&2
			return 1
		fi
		file_is "$dir/pids.max" $((30 + i))
		runlet delete --force "$ID"
	done
}

@test "events --stats prints one stats event with pids, memory and cpu" {
	update_config '.linux.resources.memory = {"limit": 33554432} | .linux.resources.pids = {"limit": 20}'
	set_cmd sh -c 'sleep 1000 & sleep 1000 & wait'
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	retry 100 0.05 test "$(cat "$(cg_dir pids)/pids.current")" -ge 3
	run --separate-stderr runlet events --stats "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	jq -e --arg id "$ID" '.type == "stats" and .id == $id
		and .data.pids.current == 3 and .data.pids.limit == 20
		and .data.memory.usage.limit == 33554432 and .data.memory.usage.usage > 0
		and (.data.cpu.usage.total | type == "number")' <<<"$output" >/dev/null || {
		echo "unexpected stats: $output" >&2
		return 1
	}
}

# --- cgroupsPath -------------------------------------------------------------------

@test "relative cgroupsPath: under this process's own cgroup of every hierarchy" {
	local h dir pid parents=()

	update_config --arg p "$ID/ctr" '.linux.cgroupsPath = $p'
	while read -r h; do parents+=("$(cg_dir "$h" "$ID")"); done < <(hierarchies)
	on_teardown remove_cgroups "${parents[@]}"
	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	while read -r h; do
		dir="$(cg_dir "$h" "$ID/ctr")"
		[ -d "$dir" ] || { echo "no $dir" >&2; return 1; }
		grep -qx "$pid" "$dir/cgroup.procs" || { echo "$pid is not in $dir" >&2; return 1; }
	done < <(hierarchies)
	run runlet delete --force "$ID"
	assert_status 0
	while read -r h; do
		dir="$(cg_dir "$h" "$ID/ctr")"
		[ ! -e "$dir" ] || { echo "$dir is left" >&2; return 1; }
	done < <(hierarchies)
}

@test "absolute cgroupsPath /runlet-bats-.../ctr: at the root of every hierarchy" {
	local h dir pid top="/runlet-bats-$ID" parents=()

	update_config --arg p "$top/ctr" '.linux.cgroupsPath = $p | .linux.resources.pids = {"limit": 11}'
	while read -r h; do parents+=("$(cg_dir "$h" "$top")"); done < <(hierarchies)
	on_teardown remove_cgroups "${parents[@]}"
	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	while read -r h; do
		dir="$(cg_dir "$h" "$top/ctr")"
		[[ "$dir" == "/sys/fs/cgroup/"*"$top/ctr" ]]
		[ -d "$dir" ] || { echo "no $dir" >&2; return 1; }
		grep -qx "$pid" "$dir/cgroup.procs" || { echo "$pid is not in $dir" >&2; return 1; }
	done < <(hierarchies)
	# The memory hierarchy too, though this process's own is not "/" there.
	[ -d "/sys/fs/cgroup/memory$top/ctr" ]
	file_is "/sys/fs/cgroup/pids$top/ctr/pids.max" 11
	grep -q ":pids:$top/ctr\$" "/proc/$pid/cgroup"

	run runlet delete --force "$ID"
	assert_status 0
	while read -r h; do
		dir="$(cg_dir "$h" "$top/ctr")"
		[ ! -e "$dir" ] || { echo "$dir is left" >&2; return 1; }
	done < <(hierarchies)
}

@test "a cgroupsPath whose cgroup already has processes is refused" {
	local id2 dir

	update_config --arg p "/runlet-bats-$ID" '.linux.cgroupsPath = $p'
	on_teardown remove_cgroups "$(cg_dir pids "/runlet-bats-$ID")"
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	new_id id2
	run_detached create --bundle "$BUNDLE" "$id2"
	[ "$status" -ne 0 ]
	# The first container is left alone: still running, in its cgroups.
	[ "$(container_status "$ID")" = running ] || {
		echo "the first container is $(container_status "$ID") after the refused create" >&2
		return 1
	}
	dir="$(cg_dir pids "/runlet-bats-$ID")"
	[ -d "$dir" ]
	[ "$(wc -l <"$dir/cgroup.procs")" -ge 1 ]
	# And the refusal says why.
	assert_one_error_line "already has processes"
}

# --- hybrid ----------------------------------------------------------------------------

@test "hybrid: hugepageLimits go to hugetlb.<size>.max of the unified hierarchy" {
	local hs size bytes dir top="/runlet-bats-$ID" h parents=()

	require_hybrid
	grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers ||
		skip_because "hugetlb is not a controller of /sys/fs/cgroup/unified"
	hs="$(huge_page_size)" || skip_because "no huge page sizes in /sys/kernel/mm/hugepages"
	size="${hs% *}" bytes="${hs#* }"
	# Under a parent of its own, which only the runtime can give the
	# hugetlb controller, whatever the root's cgroup.subtree_control holds.
	update_config --arg s "$size" --argjson l "$((bytes * 2))" --arg p "$top/ctr" \
		'.linux.resources.hugepageLimits = [{"pageSize": $s, "limit": $l}] | .linux.cgroupsPath = $p'
	while read -r h; do parents+=("$(cg_dir "$h" "$top")"); done < <(hierarchies)
	on_teardown remove_cgroups "${parents[@]}"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir unified "$top/ctr")"
	file_is "$dir/hugetlb.$size.max" "$((bytes * 2))"
}

@test "hybrid: unified keys are written to the unified hierarchy" {
	local dir

	require_hybrid
	update_config '.linux.resources.unified = {"cgroup.max.descendants": "3"}'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	dir="$(cg_dir unified)"
	file_is "$dir/cgroup.max.descendants" 3
}

@test "hybrid: a unified key of a controller the unified hierarchy lacks is refused" {
	require_hybrid
	grep -qw pids /sys/fs/cgroup/unified/cgroup.controllers &&
		skip_because "pids is a controller of /sys/fs/cgroup/unified here"
	update_config '.linux.resources.unified = {"pids.max": "7"}'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'pids\.max'
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "the cgroup mount: one read-only directory per hierarchy, each the container's own cgroup" {
	local want h

	update_config '.linux.resources.memory = {"limit": 33554432} | .linux.resources.pids = {"limit": 17}'
	want="$(hierarchies | sed 's/^name=//' | sort | tr '\n' ' ')"
	set_cmd sh -c 'find /sys/fs/cgroup -mindepth 1 -maxdepth 1 -type d | sed "s|.*/||" | sort | tr "\n" " "; echo
		echo "memory: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
		echo "pids: $(cat /sys/fs/cgroup/pids/pids.max)"
		grep " /sys/fs/cgroup" /proc/self/mounts | awk "{ print \$2, \$3, substr(\$4, 1, 3) }"
		touch /sys/fs/cgroup/x 2>/dev/null || echo tmpfs-ro
		echo 5 >/sys/fs/cgroup/pids/pids.max 2>/dev/null || echo pids-ro'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = "$want" ] || { echo "directories: '${lines[0]}', expected '$want'" >&2; return 1; }
	assert_output_has '^memory: 33554432$'
	assert_output_has '^pids: 17$'
	assert_output_has '^/sys/fs/cgroup tmpfs ro,$'
	while read -r h; do
		h="${h#name=}"
		if [ "$h" = unified ]; then
			assert_output_has "^/sys/fs/cgroup/unified cgroup2 ro,\$"
		else
			assert_output_has "^/sys/fs/cgroup/$h cgroup ro,\$"
		fi
	done < <(hierarchies)
	assert_output_has '^tmpfs-ro$'
	assert_output_has '^pids-ro$'
}

@test "cgroup namespace: /proc/self/cgroup shows / for each of the container's cgroups" {
	local n

	add_ns cgroup
	update_config '.linux.resources.pids = {"limit": 13}'
	set_cmd sh -c 'cat /proc/self/cgroup; echo "pids: $(cat /sys/fs/cgroup/pids/pids.max)"'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	n="$(grep -c '^[0-9]*:' <<<"$output")"
	[ "$n" -eq "$(grep -c '' /proc/self/cgroup)" ]
	if grep '^[0-9]*:' <<<"$output" | grep -v ':/$'; then
		echo "some cgroup is not / in the cgroup namespace" >&2
		return 1
	fi
	# The hierarchy mounted in the namespace is rooted at the container's
	# cgroup.
	assert_output_has '^pids: 13$'
}

# --- exec, delete -----------------------------------------------------------------------

@test "exec joins every cgroup of the container" {
	local pid

	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	run runlet exec "$ID" cat /proc/self/cgroup
	assert_status 0
	[ "$output" = "$(cat "/proc/$pid/cgroup")" ] || {
		printf 'exec: %s\ninit: %s\n' "$output" "$(cat "/proc/$pid/cgroup")" >&2
		return 1
	}
	assert_output_has "/$ID\$"
}

@test "delete --force kills every process of the container, exec'd ones too, and removes every cgroup" {
	local h dirs=() procs pid

	# Without a pid namespace nothing dies with the init.
	remove_ns pid
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	run_detached exec --detach "$ID" sleep 1001
	assert_status 0
	run_detached exec --detach "$ID" sh -c 'sleep 1002 & sleep 1003 & wait'
	assert_status 0
	retry 100 0.05 test "$(container_procs "$ID" | wc -l)" -ge 5
	while read -r h; do
		dirs+=("$(cg_dir "$h")")
	done < <(hierarchies)
	procs="$(cat "$(cg_dir freezer)/cgroup.procs" 2>/dev/null || cat "$(cg_dir pids)/cgroup.procs")"
	[ "$(wc -l <<<"$procs")" -ge 5 ]

	run runlet delete --force "$ID"
	assert_status 0
	for pid in $procs; do
		wait_gone "$pid"
	done
	[ -z "$(container_procs "$ID")" ]
	for h in "${dirs[@]}"; do
		[ ! -e "$h" ] || { echo "$h is left" >&2; return 1; }
	done
}
