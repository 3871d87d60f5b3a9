# cgroup v2 tests, in the guest (busybox sh).  Sourced by run.sh after
# lib.sh.  /sys/fs/cgroup is a cgroup2 mount with every controller enabled
# in the root, and the tests run in the root cgroup, so a container's
# default cgroup is /sys/fs/cgroup/<id>.
#
# Containers are named qt-*; cgroups_cleanup at the end deletes whatever is
# left and checks that no cgroup directory outlived the tests.
# shellcheck shell=dash
# shellcheck disable=SC2154 # rc is set by run_ct (lib.sh)

# --- the root: pivot_root, or move + chroot on the initramfs ---------------

t_root() {
	local b out="$WORK/hello.out" log="$WORK/hello.log"

	b=$(bundle hello)
	rm -f "$log"
	run_ct "$out" --log "$log" --debug run -b "$b" qt-hello
	check "a container runs on the $HARNESS_ROOT root" status_is "$rc" 0 "$out"
	check "the container sees its own rootfs, not the host's root" \
		sh -c "grep -qx 'rootfs: runlet-guest-rootfs' '$out' && grep -qx 'host root: hidden' '$out' || { cat '$out'; exit 1; }"
	if [ "$HARNESS_ROOT" = initramfs ]; then
		# pivot_root(2) refuses to move the initial rootfs: EINVAL.
		check "pivot_root fails on the initramfs: runlet moved the rootfs and chrooted" \
			file_has "$log" "pivot_root: EINVAL"
	else
		check "pivot_root works on a tmpfs root (no fallback)" file_lacks "$log" "pivot_root: EINVAL"
	fi
	run_ct "$out" run --no-pivot -b "$b" qt-nopivot
	check "run --no-pivot (move + chroot) works" \
		sh -c "[ $rc = 0 ] && grep -qx 'rootfs: runlet-guest-rootfs' '$out' || { echo rc=$rc; cat '$out'; exit 1; }"
}

# --- memory ------------------------------------------------------------------

t_memory_oom() {
	local b out="$WORK/oom.out"

	b=$(bundle oom)
	run_ct "$out" run --keep -b "$b" qt-oom
	check "memory.max enforced: 64 MiB into /dev/shm under a 32 MiB limit is OOM-killed (run exits 137)" \
		status_is "$rc" 137 "$out"
	check "memory.max of the container's cgroup is 33554432" file_is "$CG/qt-oom/memory.max" 33554432
	check "memory.events of the container's cgroup counts the OOM kill (oom_kill >= 1)" \
		key_at_least "$CG/qt-oom/memory.events" oom_kill 1
	rl delete qt-oom >"$out" 2>&1
	check "delete removes the container's cgroup" sh -c "cat '$out'; [ ! -e '$CG/qt-oom' ]"
}

t_events_oom() {
	local b out="$WORK/evoom.out" ev="$WORK/events.out" evpid i

	b=$(bundle oom)
	run_ct "$out" create -b "$b" qt-evoom
	if [ "$rc" != 0 ]; then
		fail "events reports an OOM kill as {\"type\":\"oom\"}"
		diag_file "$out"
		return
	fi
	rl events --interval 1s qt-evoom >"$ev" 2>&1 &
	evpid=$!
	sleep 1
	rl start qt-evoom >"$out" 2>&1
	wait_status qt-evoom stopped >>"$out" 2>&1
	# events ends once the container has stopped.
	i=0
	while kill -0 "$evpid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill "$evpid" 2>/dev/null
	wait "$evpid" 2>/dev/null
	check "events reports an OOM kill as {\"type\":\"oom\"}" file_has "$ev" '"type": *"oom"'
	rl delete --force qt-evoom >/dev/null 2>&1
}

# --- pids ----------------------------------------------------------------------

t_pids() {
	local b out="$WORK/pids.out"

	b=$(bundle pids)
	run_ct "$out" run --keep -b "$b" qt-pids
	check "pids.max enforced: forking 10 sleeps under a limit of 5 fails" \
		sh -c "[ $rc != 0 ] && ! grep -q all-forked '$out' && grep -qi fork '$out' || { echo rc=$rc; cat '$out'; exit 1; }"
	check "pids.max of the container's cgroup is 5" file_is "$CG/qt-pids/pids.max" 5
	check "pids.events counts the refused forks (max >= 1)" key_at_least "$CG/qt-pids/pids.events" max 1
	rl delete --force qt-pids >/dev/null 2>&1
}

# --- cpu, cpuset -----------------------------------------------------------------

t_cpu() {
	local b out="$WORK/cpu.out"

	b=$(bundle cpu)
	run_ct "$out" create -b "$b" qt-cpu
	check "create with cpu shares, quota, period, cpus and mems" status_is "$rc" 0 "$out"
	check "cpu.max is \"50000 100000\" (quota, period)" file_is "$CG/qt-cpu/cpu.max" "50000 100000"
	# runc's conversion: 1 + ((shares - 2) * 9999) / 262142.
	check "cpu.weight is 39 (from shares 1024)" file_is "$CG/qt-cpu/cpu.weight" 39
	check "cpuset.cpus is 0" file_is "$CG/qt-cpu/cpuset.cpus" 0
	check "cpuset.mems is 0" file_is "$CG/qt-cpu/cpuset.mems" 0
	rl update --cpu-quota 20000 --cpu-period 50000 qt-cpu >"$out" 2>&1
	check "update --cpu-quota 20000 --cpu-period 50000: cpu.max is \"20000 50000\"" \
		sh -c "cat '$out'; grep -qx '20000 50000' '$CG/qt-cpu/cpu.max' || { cat '$CG/qt-cpu/cpu.max'; exit 1; }"
	# As on v1, where quota and period are files of their own (and as
	# runc writes cpu.max): a quota alone keeps the period.
	rl update --cpu-quota 30000 qt-cpu >"$out" 2>&1
	check "update --cpu-quota 30000 alone keeps the period: cpu.max is \"30000 50000\"" \
		sh -c "cat '$out'; grep -qx '30000 50000' '$CG/qt-cpu/cpu.max' || { cat '$CG/qt-cpu/cpu.max'; exit 1; }"
	rl delete --force qt-cpu >/dev/null 2>&1
}

# --- io ------------------------------------------------------------------------------

# A block device for io.max: a RAM disk (brd), else a loop device.
block_device() {
	local f

	for f in /sys/block/ram0/dev /sys/block/loop0/dev; do
		if [ -r "$f" ]; then
			case $f in
			*/loop0/*)
				[ -e /dev/loop0 ] || mknod /dev/loop0 b 7 0
				dd if=/dev/zero of="$WORK/disk.img" bs=1024 count=1024 2>/dev/null &&
					losetup /dev/loop0 "$WORK/disk.img" 2>/dev/null
				;;
			esac
			cat "$f"
			return 0
		fi
	done
	return 1
}

t_io() {
	local b out="$WORK/io.out" dev maj min

	if ! dev=$(block_device); then
		skip "io.max written from blockIO throttle lists" \
			"no block device: neither brd (/sys/block/ram0) nor loop (/sys/block/loop0) is available"
		return
	fi
	maj=${dev%%:*} min=${dev##*:}
	b=$(bundle io)
	sed -i -e "s/$QEMU_DEV_MAJOR/$maj/g" -e "s/$QEMU_DEV_MINOR/$min/g" "$b/config.json"
	run_ct "$out" create -b "$b" qt-io
	check "create with blockIO throttle limits for $maj:$min" status_is "$rc" 0 "$out"
	check "io.max has \"$maj:$min rbps=1048576 wbps=max riops=max wiops=100\"" \
		file_has "$CG/qt-io/io.max" "^$maj:$min rbps=1048576 wbps=max riops=max wiops=100\$"
	rl delete --force qt-io >/dev/null 2>&1
}

# --- hugetlb -----------------------------------------------------------------------------

# The smallest huge page size of /sys/kernel/mm/hugepages, as hugetlb names
# it (2MB, 1GB, 64KB), and in bytes.
huge_size() {
	local kb

	for kb in $(ls /sys/kernel/mm/hugepages 2>/dev/null | sed -n 's/^hugepages-\([0-9]*\)kB$/\1/p' | sort -n); do
		if [ $((kb % 1048576)) = 0 ]; then
			echo "$((kb / 1048576))GB $((kb * 1024))"
		elif [ $((kb % 1024)) = 0 ]; then
			echo "$((kb / 1024))MB $((kb * 1024))"
		else
			echo "${kb}KB $((kb * 1024))"
		fi
		return 0
	done
	return 1
}

t_hugetlb() {
	local b out="$WORK/huge.out" hs size bytes limit

	if ! hs=$(huge_size); then
		skip "hugetlb.<size>.max written from hugepageLimits" "this kernel has no huge page sizes in /sys/kernel/mm/hugepages"
		return
	fi
	size=${hs% *} bytes=${hs#* }
	limit=$((bytes * 2))
	b=$(bundle hugetlb)
	sed -i -e "s/$QEMU_HUGE_SIZE/$size/" -e "s/$QEMU_HUGE_LIMIT/$limit/" "$b/config.json"
	run_ct "$out" create -b "$b" qt-huge
	check "create with hugepageLimits for $size pages" status_is "$rc" 0 "$out"
	check "hugetlb.$size.max is $limit" file_is "$CG/qt-huge/hugetlb.$size.max" "$limit"
	if [ -e "$CG/qt-huge/hugetlb.$size.rsvd.max" ]; then
		check "hugetlb.$size.rsvd.max is $limit" file_is "$CG/qt-huge/hugetlb.$size.rsvd.max" "$limit"
	fi
	rl delete --force qt-huge >/dev/null 2>&1
}

# --- devices (eBPF) -----------------------------------------------------------------------

t_devices() {
	local b out="$WORK/dev.out"

	b=$(bundle devices)
	run_ct "$out" run -b "$b" qt-dev
	check "device filter: the container runs (deny all, allow c 1:3 rw)" status_is "$rc" 0 "$out"
	check "device filter: /dev/null can be written and read" file_has "$out" "^null: ok"
	check "device filter: mknod of an undeclared device (c 1:11) works" file_has "$out" "^mknod: ok"
	check "device filter: opening the undeclared device fails with Operation not permitted" \
		file_has "$out" "^open: .*Operation not permitted"

	b=$(bundle devices-partial)
	run_ct "$out" run -b "$b" qt-devp
	check "device filter, partial deny (allow c 240:0 rwm, deny w): the container runs" status_is "$rc" 0 "$out"
	check "device filter, partial deny: open for reading is allowed (ENXIO from the driverless major)" \
		file_has "$out" "^r: .*No such device or address"
	check "device filter, partial deny: open for writing is refused (EPERM)" \
		file_has "$out" "^w: .*Operation not permitted"
	check "device filter, partial deny: open for reading and writing is refused (EPERM), as under v1" \
		file_has "$out" "^rw: .*Operation not permitted"
}

# --- pause, update, events, exec, delete --force ----------------------------------------

t_pause() {
	local b out="$WORK/pause.out"

	b=$(bundle limited)
	run_ct "$out" run -d -b "$b" qt-pause
	if [ "$rc" != 0 ]; then
		fail "pause and resume"
		diag_file "$out"
		return
	fi
	rl pause qt-pause >"$out" 2>&1
	check "pause: cgroup.freeze is 1 and cgroup.events says frozen 1" \
		sh -c "cat '$out'; grep -qx 1 '$CG/qt-pause/cgroup.freeze' && grep -qx 'frozen 1' '$CG/qt-pause/cgroup.events' || { cat '$CG/qt-pause/cgroup.freeze' '$CG/qt-pause/cgroup.events'; exit 1; }"
	check "pause: runlet state says paused" is status "$(status_of qt-pause)" paused
	rl resume qt-pause >"$out" 2>&1
	check "resume: cgroup.freeze is 0 and cgroup.events says frozen 0" \
		sh -c "cat '$out'; grep -qx 0 '$CG/qt-pause/cgroup.freeze' && grep -qx 'frozen 0' '$CG/qt-pause/cgroup.events' || { cat '$CG/qt-pause/cgroup.freeze' '$CG/qt-pause/cgroup.events'; exit 1; }"
	check "resume: runlet state says running" is status "$(status_of qt-pause)" running
	rl pause qt-pause >"$out" 2>&1
	rl delete --force qt-pause >>"$out" 2>&1
	check "delete --force of a paused container removes it and its cgroup" \
		sh -c "cat '$out'; [ ! -e '$CG/qt-pause' ] && ! '$RUNLET' --root '$STATE' state qt-pause >/dev/null 2>&1"
}

t_running() {
	local b out="$WORK/upd.out" pids

	b=$(bundle limited)
	run_ct "$out" run -d -b "$b" qt-upd
	if [ "$rc" != 0 ]; then
		fail "a running container for update, events, exec and delete --force"
		diag_file "$out"
		return
	fi
	rl update --memory 50m qt-upd >"$out" 2>&1
	check "update --memory 50m: memory.max is 52428800" \
		sh -c "cat '$out'; grep -qx 52428800 '$CG/qt-upd/memory.max' || { cat '$CG/qt-upd/memory.max'; exit 1; }"
	echo '{"pids": {"limit": 9}}' >"$WORK/resources.json"
	rl update -r "$WORK/resources.json" qt-upd >"$out" 2>&1
	check "update -r {\"pids\":{\"limit\":9}}: pids.max is 9" \
		sh -c "cat '$out'; grep -qx 9 '$CG/qt-upd/pids.max' || { cat '$CG/qt-upd/pids.max'; exit 1; }"

	rl events --stats qt-upd >"$out" 2>&1
	check "events --stats prints a stats event with pids.current >= 1" \
		sh -c "grep -q '\"type\": *\"stats\"' '$out' && grep -Eq '\"pids\": *\\{\"current\": *[1-9]' '$out' || { cat '$out'; exit 1; }"
	check "events --stats shows the updated memory limit" file_has "$out" '"limit": *52428800'

	rl exec qt-upd cat /proc/self/cgroup >"$out" 2>&1
	check "exec joins the container's cgroup (/proc/self/cgroup is 0::/qt-upd)" file_is "$out" "0::/qt-upd"
	rl exec -d qt-upd sleep 1000 >"$out" 2>&1
	check "a detached exec's process is in the container's cgroup.procs" \
		sh -c "cat '$out'; [ \$(wc -l <'$CG/qt-upd/cgroup.procs') = 2 ] || { cat '$CG/qt-upd/cgroup.procs'; exit 1; }"
	pids=$(cat "$CG/qt-upd/cgroup.procs")
	rl delete --force qt-upd >"$out" 2>&1
	# shellcheck disable=SC2086 # a list of pids
	check "delete --force kills every process of the container, the exec'd one too" pids_dead $pids
	check "delete --force removes the container's cgroup" gone "$CG/qt-upd"
	check "delete --force forgets the container" no_container qt-upd
}

# --- cgroup namespace ---------------------------------------------------------------------

t_cgroupns() {
	local b out="$WORK/cgns.out"

	b=$(bundle cgns)
	run_ct "$out" run -d -b "$b" qt-cgns
	if [ "$rc" != 0 ]; then
		fail "a container with a cgroup namespace"
		diag_file "$out"
		return
	fi
	rl exec qt-cgns cat /proc/self/cgroup >"$out" 2>&1
	check "cgroup namespace: the container sees 0::/ in /proc/self/cgroup" file_is "$out" "0::/"
	rl exec qt-cgns grep ' /sys/fs/cgroup ' /proc/self/mounts >"$out" 2>&1
	check "cgroup namespace: /sys/fs/cgroup is a read-only cgroup2 mount" \
		file_has "$out" '^cgroup2? /sys/fs/cgroup cgroup2 ro[, ]'
	rl exec qt-cgns cat /sys/fs/cgroup/memory.max >"$out" 2>&1
	check "cgroup namespace: /sys/fs/cgroup shows the container's own cgroup (memory.max 104857600)" \
		file_is "$out" 104857600
	rl exec qt-cgns cat /sys/fs/cgroup/cgroup.procs >"$out" 2>&1
	check "cgroup namespace: the container's cgroup.procs lists its processes" file_has "$out" '^[0-9]+$'
	rl delete --force qt-cgns >/dev/null 2>&1
}

# --- unified ------------------------------------------------------------------------------

t_unified() {
	local b out="$WORK/unified.out"

	b=$(bundle unified)
	run_ct "$out" create -b "$b" qt-unified
	check "create with unified {\"pids.max\": \"7\", \"memory.high\": \"52428800\"}" status_is "$rc" 0 "$out"
	check "unified: pids.max is 7" file_is "$CG/qt-unified/pids.max" 7
	check "unified: memory.high is 52428800" file_is "$CG/qt-unified/memory.high" 52428800
	rl delete --force qt-unified >/dev/null 2>&1

	b=$(bundle unified-bad)
	run_ct "$out" create -b "$b" qt-unibad
	check "unified: a key of a controller that does not exist (foo.max) is refused" status_not "$rc" 0 "$out"
	check "unified: the error names the key" file_has "$out" 'foo\.max'
	check "unified: the refused container leaves no cgroup and no state" \
		sh -c "[ ! -e '$CG/qt-unibad' ] && ! '$RUNLET' --root '$STATE' state qt-unibad >/dev/null 2>&1"
}

# --- v1-only settings ---------------------------------------------------------------------

t_v1_only() {
	local b out="$WORK/v1.out"

	b=$(bundle kernel-tcp)
	run_ct "$out" create -b "$b" qt-ktcp
	check "memory.kernelTCP is refused on cgroup v2" status_not "$rc" 0 "$out"
	check "memory.kernelTCP: the error names the setting" file_has "$out" 'kernelTCP'
	check "memory.kernelTCP: nothing is left behind" \
		sh -c "[ ! -e '$CG/qt-ktcp' ] && ! '$RUNLET' --root '$STATE' state qt-ktcp >/dev/null 2>&1"

	b=$(bundle classid)
	run_ct "$out" create -b "$b" qt-classid
	check "network.classID is refused on cgroup v2" status_not "$rc" 0 "$out"
	check "network.classID: the error names the setting" file_has "$out" 'network|classID|net_cls'
	check "network.classID: nothing is left behind" \
		sh -c "[ ! -e '$CG/qt-classid' ] && ! '$RUNLET' --root '$STATE' state qt-classid >/dev/null 2>&1"
}

shared_intact() {
	ct_status_is qt-shared1 running || return 1
	# cgroupfs files have no size: read them.
	[ -n "$(cat "$CG/runlet-qemu-shared/cgroup.procs" 2>/dev/null)" ] && return 0
	echo "$CG/runlet-qemu-shared has no processes left"
	return 1
}

# --- cgroupsPath ------------------------------------------------------------------------------

t_paths() {
	local b out="$WORK/path.out"

	b=$(bundle abs-path)
	run_ct "$out" create -b "$b" qt-abs
	check "absolute cgroupsPath /runlet-qemu-abs/ctr: created there with pids.max 11" \
		sh -c "[ $rc = 0 ] && grep -qx 11 '$CG/runlet-qemu-abs/ctr/pids.max' || { echo rc=$rc; cat '$out'; echo 'subtree_control of the parent:' \$(cat '$CG/runlet-qemu-abs/cgroup.subtree_control'); exit 1; }"
	rl delete --force qt-abs >"$out" 2>&1
	check "absolute cgroupsPath: delete removes the container's cgroup" gone "$CG/runlet-qemu-abs/ctr"
	rmdir "$CG/runlet-qemu-abs" 2>/dev/null

	# config-linux.md: a cgroup that already has processes is refused,
	# and whatever is in it is left alone.
	b=$(bundle shared-path)
	run_ct "$out" run -d -b "$b" qt-shared1
	run_ct "$out" create -b "$b" qt-shared2
	check "a cgroupsPath whose cgroup already has processes is refused" status_not "$rc" 0 "$out"
	check "the refused create leaves the other container running, in its cgroup" shared_intact
	check "the refused create says why" file_has "$out" "already has processes|not empty|populated"
	rl delete --force qt-shared2 >/dev/null 2>&1
	rl delete --force qt-shared1 >/dev/null 2>&1
	rmdir "$CG/runlet-qemu-shared" 2>/dev/null

	b=$(bundle rel-path)
	run_ct "$out" create -b "$b" qt-rel
	check "relative cgroupsPath runlet-qemu-rel/ctr: under the runtime's cgroup (/) with pids.max 12" \
		sh -c "[ $rc = 0 ] && grep -qx 12 '$CG/runlet-qemu-rel/ctr/pids.max' || { echo rc=$rc; cat '$out'; exit 1; }"
	rl delete --force qt-rel >"$out" 2>&1
	check "relative cgroupsPath: delete removes the container's cgroup" gone "$CG/runlet-qemu-rel/ctr"
	rmdir "$CG/runlet-qemu-rel" 2>/dev/null
}

# --- cleanup ------------------------------------------------------------------------------

cgroups_cleanup() {
	local id left

	for id in $(rl list -q 2>/dev/null); do
		rl delete --force "$id" >>"$WORK/cleanup.out" 2>&1 || echo "delete --force $id failed" >>"$WORK/cleanup.out"
	done
	check "cleanup: delete --force of every container left succeeds" \
		sh -c "! grep -q 'failed' '$WORK/cleanup.out' || { cat '$WORK/cleanup.out'; exit 1; }"
	check "cleanup: runlet lists no container" sh -c "out=\$('$RUNLET' --root '$STATE' list -q 2>&1); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
	find "$CG" -type d | sort >"$WORK/cgroups.after"
	left=$(grep -vxF -f "$WORK/cgroups.before" "$WORK/cgroups.after")
	check "cleanup: no cgroup directory is left" sh -c "[ -z '$left' ] || { echo '$left'; exit 1; }"
	# Whatever was left goes, deepest first, so that a second run starts clean.
	echo "$left" | sort -r | while read -r d; do [ -n "$d" ] && rmdir "$d" 2>/dev/null; done
}

cgroups_tests() {
	: >"$WORK/cleanup.out"
	find "$CG" -type d | sort >"$WORK/cgroups.before"
	t_root
	t_memory_oom
	t_events_oom
	t_pids
	t_cpu
	t_io
	t_hugetlb
	t_devices
	t_pause
	t_running
	t_cgroupns
	t_unified
	t_v1_only
	t_paths
	cgroups_cleanup
}
