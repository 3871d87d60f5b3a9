#!/usr/bin/env bats
# linux.maskedPaths and linux.readonlyPaths (config-linux.md).

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "masked /proc files read as nothing: /dev/null is bound on them" {
	local f found=()
	for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats; do
		[ -e "$f" ] && found+=("$f")
	done
	[ ${#found[@]} -gt 0 ] || skip_because "none of the masked /proc files exists on this kernel"
	update_config --argjson p "$(json_array "${found[@]}")" '.linux.maskedPaths = $p'
	set_cmd sh -c 'for f in "$@"; do echo "$f $(wc -c <$f) $(stat -c "%F %t:%T" $f)"; done' sh "${found[@]}"
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq ${#found[@]} ]
	for f in "${found[@]}"; do
		assert_output_has "^$f 0 character special file 1:3\$"
	done
}

@test "a masked directory is empty and read-only" {
	mkdir -p "$BUNDLE/rootfs/secret/dir"
	echo hidden >"$BUNDLE/rootfs/secret/file"
	update_config '.root.readonly = false | .linux.maskedPaths += ["/secret"]'
	set_cmd sh -c 'ls -A /secret | wc -l; touch /secret/new 2>/dev/null || echo write-failed'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = write-failed ]
	# Only the container's view is masked.
	[ "$(cat "$BUNDLE/rootfs/secret/file")" = hidden ]
}

@test "a masked file of the rootfs reads as nothing" {
	echo hidden >"$BUNDLE/rootfs/etc/secret"
	update_config '.linux.maskedPaths += ["/etc/secret"]'
	set_cmd sh -c 'wc -c </etc/secret'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is 0
}

@test "a masked path that does not exist is no error" {
	update_config '.linux.maskedPaths += ["/does/not/exist", "/proc/no-such-file"]'
	set_cmd true
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
}

@test "a masked path behind a symlink that leaves the rootfs masks inside the rootfs" {
	ln -s /etc "$BUNDLE/rootfs/evil"
	echo hidden >"$BUNDLE/rootfs/etc/secret"
	update_config '.linux.maskedPaths += ["/evil/secret"]'
	set_cmd sh -c 'wc -c </etc/secret'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is 0
}

@test "/proc/sys is read-only: writing a sysctl fails" {
	set_cmd sh -c 'echo bats 2>/dev/null >/proc/sys/kernel/domainname && echo written || echo write-failed; grep " /proc/sys " /proc/mounts'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = write-failed ]
	[[ "${lines[1]}" == "proc /proc/sys proc ro,"* ]]
}

@test "without /proc/sys in readonlyPaths the same write succeeds (uts namespace)" {
	update_config '.linux.readonlyPaths -= ["/proc/sys"]'
	# CAP_SYS_ADMIN is needed to set the domainname.
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
		| .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	set_cmd sh -c 'echo bats-domain >/proc/sys/kernel/domainname && cat /proc/sys/kernel/domainname'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is bats-domain
	[ "$(cat /proc/sys/kernel/domainname)" != bats-domain ]
}

@test "a read-only directory of the rootfs, in a writable root" {
	mkdir "$BUNDLE/rootfs/rodir"
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/rodir"]'
	set_cmd sh -c 'touch /rodir/x 2>/dev/null || echo ro-failed; touch /rwfile && echo rw-ok'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = ro-failed ]
	[ "${lines[1]}" = rw-ok ]
	[ ! -e "$BUNDLE/rootfs/rodir/x" ]
	[ -e "$BUNDLE/rootfs/rwfile" ]
}

@test "a read-only path keeps the other flags of its mount" {
	update_config '.root.readonly = false'
	update_config '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "noexec"]}] | .linux.readonlyPaths += ["/scratch"]'
	set_cmd sh -c 'grep " /scratch " /proc/mounts | tail -n 1'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[[ "$output" == *" /scratch tmpfs ro,nosuid,nodev,noexec"* ]]
}
