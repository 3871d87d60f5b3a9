#!/usr/bin/env bats
# The process: user, groups, umask, cwd, env and how args[0] is found.

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5]}'
	set_cmd sh -c 'id; grep -E "^(Uid|Gid|Groups):" /proc/self/status | tr -s "\t " " "'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = "uid=1000(user) gid=1000(user) groups=5(tty)" ]
	[ "${lines[1]}" = "Uid: 1000 1000 1000 1000" ]
	[ "${lines[2]}" = "Gid: 1000 1000 1000 1000" ]
	[ "$(echo ${lines[3]})" = "Groups: 5" ]
}

@test "root with no additionalGids has no supplementary groups" {
	set_cmd sh -c 'grep ^Groups: /proc/self/status | tr -d "\t "'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is Groups:
}

@test "a uid that is not in /etc/passwd" {
	update_config '.process.user = {"uid": 4242, "gid": 4343}'
	set_cmd sh -c 'id -u; id -g'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf '4242\n4343')"
}

@test "a non-root user is held to file permissions" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_cmd sh -c 'ls /root 2>/dev/null && echo read-root || echo denied; touch /home/user/f 2>/dev/null || echo ro-root'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = denied ]
}

@test "umask of the config" {
	add_tmp_mount
	update_config '.process.user.umask = 63' # 0077
	set_cmd sh -c 'umask; touch /tmp/f; mkdir /tmp/d; stat -c %a /tmp/f /tmp/d'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(printf '0077\n600\n700')"
}

@test "the caller's umask when the config has none" {
	# config.md: "If unspecified, the umask should not be changed from the
	# calling process' umask."
	update_config 'del(.process.user.umask)'
	set_cmd sh -c umask
	(
		umask 0027
		run runlet run --bundle "$BUNDLE" "$ID"
		assert_status 0
		assert_output_is 0027
	)
}

@test "cwd of the config" {
	mkdir -p "$BUNDLE/rootfs/work/dir"
	update_config '.process.cwd = "/work/dir"'
	set_cmd pwd
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is /work/dir
}

@test "a relative cwd is refused" {
	update_config '.process.cwd = "work"'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'process.cwd'
}

@test "a cwd through a symlink that leaves the rootfs stays in the rootfs" {
	ln -s /etc "$BUNDLE/rootfs/evil"
	update_config '.process.cwd = "/evil"'
	set_cmd sh -c 'pwd; cat rootfs-marker'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[-1]}" = runlet-bats-rootfs ]
}

@test "env: exactly the environment of the config" {
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY=", "RUNLET_BATS_ID='"$ID"'"]'
	set_cmd cat /proc/self/environ
	runlet run --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/environ"
	run tr '\0' '\n' <"$BATS_TEST_TMPDIR/environ"
	assert_output_is "$(printf '%s\n' PATH=/bin 'FOO=bar baz' EMPTY= "RUNLET_BATS_ID=$ID")"
}

@test "the runtime's own environment does not reach the container" {
	export BATS_LEAK_CHECK=leaked
	set_cmd sh -c 'echo "[$BATS_LEAK_CHECK]"'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "[]"
}

@test "args[0] is looked up in the PATH of the config" {
	mkdir -p "$BUNDLE/rootfs/opt/bin"
	printf '#!/bin/sh\necho "hello from $0"\n' >"$BUNDLE/rootfs/opt/bin/bats-hello"
	chmod 755 "$BUNDLE/rootfs/opt/bin/bats-hello"
	update_config '.process.env = (.process.env | map(select(startswith("PATH=") | not))) + ["PATH=/nowhere:/opt/bin:/bin"]'
	set_cmd bats-hello
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "hello from /opt/bin/bats-hello"
}

@test "args[0] not executable in an earlier PATH directory is skipped" {
	mkdir -p "$BUNDLE/rootfs/first" "$BUNDLE/rootfs/second"
	printf '#!/bin/sh\necho first\n' >"$BUNDLE/rootfs/first/bats-prog"
	chmod 644 "$BUNDLE/rootfs/first/bats-prog"
	printf '#!/bin/sh\necho second\n' >"$BUNDLE/rootfs/second/bats-prog"
	chmod 755 "$BUNDLE/rootfs/second/bats-prog"
	update_config '.process.env = (.process.env | map(select(startswith("PATH=") | not))) + ["PATH=/first:/second:/bin"]'
	set_cmd bats-prog
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is second
}

@test "args[0] with a slash is used as it is" {
	set_cmd /bin/busybox echo direct
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is direct
}

@test "args[0] found in the container, not on the host" {
	# /usr/bin/env exists on the host, not in the rootfs.
	set_cmd /usr/bin/env
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line '/usr/bin/env'
}

@test "args[0] not in PATH: create fails, naming it" {
	set_cmd bats-no-such-program
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'bats-no-such-program'
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "args[0] that exists but cannot be executed: start or create fails" {
	printf 'not a program\n' >"$BUNDLE/rootfs/bin/bats-data"
	chmod 755 "$BUNDLE/rootfs/bin/bats-data"
	set_cmd /bin/bats-data
	run runlet run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *bats-data* ]]
}
