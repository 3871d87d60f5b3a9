#!/usr/bin/env bats
# Mounts (config.md, "Mounts"; config-linux.md, "Mount Propagation"),
# the root's read-only flag, and mount destinations that try to leave the
# rootfs.

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# add_mount JSON: one more entry of .mounts.
add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

# mount_line DEST: the line of /proc/self/mounts for DEST, in the output.
mount_line() {
	awk -v d="$1" '$2 == d' <<<"$output" | tail -n 1
}

@test "proc is mounted on /proc" {
	set_cmd sh -c 'cat /proc/mounts; cat /proc/self/comm'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[[ "$(mount_line /proc)" == "proc /proc proc rw,"* ]]
	[ "${lines[-1]}" = cat ]
}

@test "sysfs is mounted read-only on /sys" {
	set_cmd sh -c 'cat /proc/mounts; test -d /sys/kernel && echo has-kernel; echo 1 >/sys/kernel/uevent_helper || echo write-failed'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[[ "$(mount_line /sys)" == "sysfs /sys sysfs ro,"* ]]
	[[ "$(mount_line /sys)" == *nosuid*nodev*noexec* ]]
	assert_output_has '^has-kernel$'
	assert_output_has '^write-failed$'
}

@test "the default /dev mounts: tmpfs, devpts, shm and mqueue" {
	set_cmd sh -c 'cat /proc/mounts; stat -c %a /dev/shm'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	# tmpfs shows no mode when it is its default, 1777.
	[ "${lines[-1]}" = 1777 ]
	[[ "$(mount_line /dev)" == "tmpfs /dev tmpfs rw,nosuid,"*"mode=755"* ]]
	[[ "$(mount_line /dev/pts)" == "devpts /dev/pts devpts rw,nosuid,noexec,"*"gid=5,mode=620,ptmxmode=666"* ]]
	[[ "$(mount_line /dev/shm)" == "shm /dev/shm tmpfs rw,nosuid,nodev,noexec,"*"size=65536k"* ]]
	[[ "$(mount_line /dev/mqueue)" == "mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec"* ]]
}

@test "a tmpfs with mode, size and flags" {
	add_mount '{"destination": "/mnt/scratch", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "noexec", "mode=1700", "size=1m"]}'
	set_cmd sh -c 'cat /proc/mounts; stat -c %a /mnt/scratch; echo data >/mnt/scratch/f && cat /mnt/scratch/f'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[[ "$(mount_line /mnt/scratch)" == "tmpfs /mnt/scratch tmpfs rw,nosuid,nodev,noexec,"* ]]
	[[ "$(mount_line /mnt/scratch)" == *size=1024k* ]]
	[[ "$(mount_line /mnt/scratch)" == *mode=1700* ]]
	assert_output_has '^1700$'
	[ "${lines[-1]}" = data ]
	# The mount point was made in the rootfs, not on the host.
	[ -d "$BUNDLE/rootfs/mnt/scratch" ]
	[ ! -e /mnt/scratch ]
}

@test "a bind mount of a host directory, read-write" {
	mkdir "$BATS_TEST_TMPDIR/host"
	echo from-host >"$BATS_TEST_TMPDIR/host/in"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/data", "type": "bind", "source": $s, "options": ["bind"]}')"
	set_cmd sh -c 'cat /data/in; echo from-container >/data/out'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is from-host
	[ "$(cat "$BATS_TEST_TMPDIR/host/out")" = from-container ]
}

@test "a bind mount with ro is read-only, and the host's directory stays writable" {
	mkdir "$BATS_TEST_TMPDIR/host"
	echo from-host >"$BATS_TEST_TMPDIR/host/in"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind", "ro", "nosuid"]}')"
	set_cmd sh -c 'cat /data/in; grep " /data " /proc/mounts; echo x >/data/out || echo write-failed'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = from-host ]
	[[ "${lines[1]}" == *" /data "*" ro,nosuid"* ]]
	assert_output_has '^write-failed$'
	[ ! -e "$BATS_TEST_TMPDIR/host/out" ]
	# ro applied to the container's mount, not to the source.
	touch "$BATS_TEST_TMPDIR/host/still-writable"
	assert_fails grep -F " $BATS_TEST_TMPDIR/host " /proc/self/mountinfo
}

@test "a bind mount of a single file" {
	echo file-content >"$BATS_TEST_TMPDIR/hostfile"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/hostfile" \
		'{"destination": "/etc/bound-file", "type": "none", "source": $s, "options": ["bind", "ro"]}')"
	set_cmd cat /etc/bound-file
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is file-content
	[ -f "$BUNDLE/rootfs/etc/bound-file" ]
}

@test "a bind mount with a source relative to the bundle" {
	mkdir "$BUNDLE/shared"
	echo relative >"$BUNDLE/shared/f"
	add_mount '{"destination": "/data", "type": "bind", "source": "shared", "options": ["bind"]}'
	set_cmd cat /data/f
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is relative
}

# host_submount: a directory with a tmpfs mounted inside it, on the host.
host_submount() {
	mkdir -p "$BATS_TEST_TMPDIR/host/sub"
	echo top >"$BATS_TEST_TMPDIR/host/top"
	mount -t tmpfs -o size=1m bats-sub "$BATS_TEST_TMPDIR/host/sub"
	on_teardown "umount -l '$BATS_TEST_TMPDIR/host/sub'"
	echo in-submount >"$BATS_TEST_TMPDIR/host/sub/f"
}

@test "bind does not bring the submounts, rbind does" {
	host_submount
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/plain", "type": "bind", "source": $s, "options": ["bind"]}')"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/recursive", "type": "bind", "source": $s, "options": ["rbind"]}')"
	set_cmd sh -c 'cat /plain/top /recursive/top; ls /plain/sub | wc -l; cat /recursive/sub/f'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = top ]
	[ "${lines[1]}" = top ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = in-submount ]
}

# The optional fields of a mount in the output of mountinfo (the fields
# between the options and the "-").
propagation_of() {
	awk -v d="$1" '$5 == d { s = ""; for (i = 7; $i != "-"; i++) s = s " " $i; print s }' <<<"$output" |
		tail -n 1
}

@test "propagation: rprivate, rshared" {
	mkdir "$BATS_TEST_TMPDIR/host"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/private", "type": "bind", "source": $s, "options": ["rbind", "rprivate"]}')"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rshared"]}')"
	set_cmd cat /proc/self/mountinfo
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ -z "$(propagation_of /private)" ]
	[[ "$(propagation_of /shared)" == *shared:* ]]
}

@test "propagation: rslave receives the host's new mounts" {
	mkdir -p "$BATS_TEST_TMPDIR/host"
	mount -t tmpfs -o size=1m bats-shared "$BATS_TEST_TMPDIR/host"
	on_teardown "umount -R -l '$BATS_TEST_TMPDIR/host'"
	mount --make-shared "$BATS_TEST_TMPDIR/host"
	mkdir "$BATS_TEST_TMPDIR/host/later"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" \
		'{"destination": "/slave", "type": "bind", "source": $s, "options": ["rbind", "rslave"]}')"
	set_cmd sh -c 'grep " /slave " /proc/self/mountinfo; while ! test -e /slave/later/f; do sleep 0.05; done; echo seen'
	runlet_bg run --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1
	local runner=$!
	wait_for_file "$BATS_TEST_TMPDIR/out" /slave
	grep -q 'master:' "$BATS_TEST_TMPDIR/out"
	# A mount made on the host afterwards propagates into the container.
	mount -t tmpfs -o size=1m bats-later "$BATS_TEST_TMPDIR/host/later"
	echo x >"$BATS_TEST_TMPDIR/host/later/f"
	wait_for_file "$BATS_TEST_TMPDIR/out" '^seen$'
	wait_bg "$runner"
	[ "$bg_status" -eq 0 ]
}

@test "rootfsPropagation private: the root has no peer" {
	update_config '.linux.rootfsPropagation = "private"'
	set_cmd sh -c 'head -n 1 /proc/self/mountinfo'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[[ "$output" != *shared:* && "$output" != *master:* ]]
}

@test "/sys/fs/cgroup has one directory per hierarchy of the host, read-only" {
	local want
	want="$(find /sys/fs/cgroup -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | tr '\n' ' ')"
	set_cmd sh -c 'find /sys/fs/cgroup -mindepth 1 -maxdepth 1 -type d | sed "s|.*/||" | sort | tr "\n" " "; echo;
		grep " /sys/fs/cgroup" /proc/mounts | cut -d" " -f4 | cut -d, -f1 | sort -u;
		mkdir /sys/fs/cgroup/pids/x 2>/dev/null || echo mkdir-failed'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = "$want" ]
	[ "${lines[1]}" = ro ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[2]}" = mkdir-failed ]
}

@test "/sys/fs/cgroup shows the container's own cgroup" {
	[ -d /sys/fs/cgroup/pids ] || skip_because "no pids hierarchy on this host"
	set_cmd sh -c 'cat /sys/fs/cgroup/pids/cgroup.procs'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	# Inside the cgroup of the container: its own processes only.
	[ "${#lines[@]}" -le 2 ]
}

@test "a read-only root: / is not writable, a tmpfs on /tmp is" {
	add_tmp_mount
	set_cmd sh -c 'touch /newfile 2>&1 || echo root-ro; touch /tmp/newfile && echo tmp-rw; grep " / " /proc/mounts'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has '^root-ro$'
	assert_output_has '^tmp-rw$'
	assert_output_has ' / [a-z0-9]+ ro[, ]'
	[ ! -e "$BUNDLE/rootfs/newfile" ]
}

@test "a writable root when root.readonly is false" {
	update_config '.root.readonly = false'
	set_cmd sh -c 'echo written >/newfile'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(cat "$BUNDLE/rootfs/newfile")" = written ]
}

@test "an absolute root.path outside the bundle" {
	mv "$BUNDLE/rootfs" "$BATS_TEST_TMPDIR/elsewhere"
	update_config --arg p "$BATS_TEST_TMPDIR/elsewhere" '.root.path = $p'
	set_cmd cat /etc/rootfs-marker
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is runlet-bats-rootfs
	assert_fails grep -F "$BATS_TEST_TMPDIR/elsewhere" /proc/self/mountinfo
}

@test "a root.path that is a symlink is refused" {
	mv "$BUNDLE/rootfs" "$BUNDLE/real-rootfs"
	ln -s real-rootfs "$BUNDLE/rootfs"
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	assert_one_error_line 'root.path'
}

@test "a mount destination through an absolute symlink stays in the rootfs" {
	local name="bats-escape-$ID"
	ln -s /etc "$BUNDLE/rootfs/evil"
	mkdir "$BATS_TEST_TMPDIR/host"
	echo from-host >"$BATS_TEST_TMPDIR/host/f"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/host" --arg d "/evil/$name" \
		'{"destination": $d, "type": "bind", "source": $s, "options": ["bind"]}')"
	add_mount '{"destination": "/evil", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	set_cmd sh -c 'grep " /etc " /proc/mounts; ls /etc | wc -l'
	run runlet run --bundle "$BUNDLE" "$ID"
	on_teardown "rmdir /etc/$name"
	assert_status 0
	# /evil is the rootfs's /etc: the tmpfs landed there, and hides it.
	[[ "${lines[0]}" == "tmpfs /etc tmpfs "* ]]
	[ "${lines[1]}" = 0 ]
	# The mount point of the bind was made in the rootfs, not on the host.
	[ -d "$BUNDLE/rootfs/etc/$name" ]
	[ ! -e "/etc/$name" ]
	[ -s /etc/passwd ]
}

@test "a mount destination through a relative symlink and .. stays in the rootfs" {
	local name="bats-escape2-$ID"
	ln -s ../../../../../../../../etc "$BUNDLE/rootfs/evil"
	add_mount "$(jq -n --arg d "/evil/$name" \
		'{"destination": $d, "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}')"
	add_mount "$(jq -n --arg d "/../../../tmp/$name" \
		'{"destination": $d, "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}')"
	set_cmd sh -c "grep -c ' /etc/$name ' /proc/mounts; grep -c ' /tmp/$name ' /proc/mounts"
	run runlet run --bundle "$BUNDLE" "$ID"
	on_teardown "rmdir /etc/$name /tmp/$name"
	assert_status 0
	assert_output_is "$(printf '1\n1')"
	[ -d "$BUNDLE/rootfs/etc/$name" ]
	[ -d "$BUNDLE/rootfs/tmp/$name" ]
	[ ! -e "/etc/$name" ]
	[ ! -e "/tmp/$name" ]
}

@test "a bind source that does not exist fails with the mount named" {
	add_mount '{"destination": "/data", "type": "bind", "source": "/nonexistent/bats-source", "options": ["bind"]}'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'mounts\[[0-9]+\].*/nonexistent/bats-source'
}

@test "an unknown filesystem type fails with the mount named" {
	add_mount '{"destination": "/data", "type": "no-such-fs", "source": "none"}'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'mounts\[[0-9]+\].*/data'
}
