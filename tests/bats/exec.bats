#!/usr/bin/env bats
# exec into a running container: its namespaces, each option of runc's exec,
# a process given as JSON, detached processes with a pid file, descriptors
# passed on and nothing of the runtime's, and the exit status in the
# foreground.
# shellcheck disable=SC2016 # container scripts in single quotes

load helpers

setup() {
	common_setup
	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" "$ID"
	assert_status 0
}

teardown() { common_teardown; }

@test "exec runs in the container's namespaces and returns the process's exit status" {
	run runlet exec "$ID" sh -c 'hostname; cat /proc/1/cmdline | tr "\0" " "; exit 7'
	assert_status 7
	[ "${lines[0]}" = "$(jq -r .hostname "$BUNDLE/config.json")" ]
	[ "${lines[1]}" = "sleep 1000 " ]
	# The mount namespace is the container's: its rootfs, not the host's.
	run runlet exec "$ID" cat /etc/hostname
	[ "$output" != "$(cat /etc/hostname)" ] || [ "$status" -ne 0 ]
	for ns in mnt uts ipc net pid cgroup; do
		run runlet exec "$ID" readlink "/proc/self/ns/$ns"
		assert_status 0
		[ "$output" = "$(readlink "/proc/$(cat "$BATS_TEST_TMPDIR/init.pid")/ns/$ns")" ]
	done
}

@test "exec of a process killed by a signal exits 128+N" {
	run runlet exec "$ID" sh -c 'kill -9 $$'
	assert_status 137
}

@test "exec --cwd, --env, --user and --additional-gids" {
	run runlet exec --cwd /tmp --env FOO=bar -e BAZ=qux --user 1000:1001 --additional-gids 5 \
		--additional-gids 7 "$ID" sh -c 'pwd; echo "$FOO $BAZ"; id -u; id -g; id -G'
	assert_status 0
	assert_output_is "$(printf '/tmp\nbar qux\n1000\n1001\n1001 5 7')"
}

@test "exec keeps the container's environment and --env overrides it" {
	run runlet exec --env PATH=/bin "$ID" sh -c 'echo "$PATH"; env | grep -c RUNLET_BATS_ID'
	assert_status 0
	assert_output_is "$(printf '/bin\n1')"
}

@test "exec --cap adds a capability to the container's sets; without it the process has the config's" {
	local base with
	run runlet exec "$ID" awk '/^CapEff/ { print $2 }' /proc/self/status
	assert_status 0
	base="$output"
	run runlet exec --cap CAP_NET_RAW "$ID" awk '/^CapEff/ { print $2 }' /proc/self/status
	assert_status 0
	with="$output"
	# CAP_NET_RAW is bit 13.
	[ $((0x$with & (1 << 13))) -ne 0 ]
	[ $((0x$base & (1 << 13))) -eq 0 ]
	[ $((0x$with & ~(1 << 13))) -eq $((0x$base)) ]
}

@test "exec --no-new-privs sets no_new_privs where the config does not" {
	update_config '.process.noNewPrivileges = false'
	new_id other
	make_bundle "$BATS_TEST_TMPDIR/other" "$other"
	BUNDLE="$BATS_TEST_TMPDIR/other" update_config '.process.noNewPrivileges = false'
	run_detached run --detach --bundle "$BATS_TEST_TMPDIR/other" "$other"
	assert_status 0
	run runlet exec "$other" awk '/^NoNewPrivs/ { print $2 }' /proc/self/status
	assert_output_is 0
	run runlet exec --no-new-privs "$other" awk '/^NoNewPrivs/ { print $2 }' /proc/self/status
	assert_output_is 1
}

@test "exec --process runs the process of a JSON file: args, env, cwd, user" {
	cat >"$BATS_TEST_TMPDIR/process.json" <<-'EOF'
	{"terminal": false, "args": ["sh", "-c", "echo $A; pwd; id -u; id -g; exit 3"],
	 "env": ["A=from-json", "PATH=/bin"], "cwd": "/etc", "user": {"uid": 5, "gid": 6}}
	EOF
	run runlet exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	assert_status 3
	assert_output_is "$(printf 'from-json\n/etc\n5\n6')"
}

@test "exec --process with a bad process is one clear error" {
	echo '{"args": "sh", "cwd": "/"}' >"$BATS_TEST_TMPDIR/process.json"
	run --separate-stderr runlet exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	[ "$status" -ne 0 ]
	assert_one_error_line 'args'
}

@test "exec --detach --pid-file: the process runs on after exec returns" {
	local pid
	run_detached exec --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" sleep 300
	assert_status 0
	pid="$(cat "$BATS_TEST_TMPDIR/exec.pid")"
	[ -n "$pid" ]
	[ "$(cat "/proc/$pid/cmdline" | tr '\0' ' ')" = "sleep 300 " ]
	# In the container's pid namespace and cgroups.
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(cat "$BATS_TEST_TMPDIR/init.pid")/ns/pid")" ]
	[ "$(cat "/proc/$pid/cgroup")" = "$(cat "/proc/$(cat "$BATS_TEST_TMPDIR/init.pid")/cgroup")" ]
	run runlet ps "$ID"
	assert_output_has "sleep 300"
}

@test "exec --preserve-fds passes the caller's descriptors and none of the runtime's" {
	echo passed-on >"$BATS_TEST_TMPDIR/three"
	# Not through runlet(), which closes bats's descriptor 3.
	run "$RUNLET" --root "$RUNLET_BATS_ROOT" exec --preserve-fds 2 "$ID" \
		sh -c 'cat <&3; ls /proc/self/fd | sort -n | tr "\n" " "' 3<"$BATS_TEST_TMPDIR/three" 4>&-
	assert_status 0
	[ "${lines[0]}" = passed-on ]
	# 0-2, 3, and the directory ls reads; 4 was left free by the caller and
	# must not carry a descriptor of the runtime.
	[ "${lines[1]}" = "0 1 2 3 4 " ] || [ "${lines[1]}" = "0 1 2 3 " ]
	run "$RUNLET" --root "$RUNLET_BATS_ROOT" exec --preserve-fds 2 "$ID" \
		sh -c 'readlink /proc/self/fd/4 /proc/self/fd/3 || true' 3>&-
	! grep -q "$RUNLET_BATS_ROOT" <<<"$output" || {
		echo "the state record reached the container: $output" >&2
		return 1
	}
	# Without --preserve-fds the caller's descriptor 3 is not passed.
	run "$RUNLET" --root "$RUNLET_BATS_ROOT" exec "$ID" sh -c 'cat <&3' 3<"$BATS_TEST_TMPDIR/three"
	[ "$status" -ne 0 ]
}

@test "exec --tty --console-socket: the process gets a terminal, its master goes to the socket" {
	local recv
	python3 "$BATS_TEST_DIRNAME/console-recv.py" "$BATS_TEST_TMPDIR/sock" "$BATS_TEST_TMPDIR/tty.out" \
		>"$BATS_TEST_TMPDIR/recv.log" 2>&1 &
	recv=$!
	on_teardown "kill $recv"
	wait_for_file "$BATS_TEST_TMPDIR/recv.log" ready
	run runlet exec --tty --console-socket "$BATS_TEST_TMPDIR/sock" --detach "$ID" sh -c 'tty; echo on-tty'
	assert_status 0
	wait "$recv"
	grep -q '^/dev/pts/[0-9]' "$BATS_TEST_TMPDIR/tty.out"
	grep -q on-tty "$BATS_TEST_TMPDIR/tty.out"
}

@test "exec into a stopped container and into a missing one fail with one line" {
	run --separate-stderr runlet exec "nothing-$ID" true
	[ "$status" -ne 0 ]
	assert_one_error_line 'does not exist'
	runlet kill "$ID" KILL
	wait_for_status "$ID" stopped
	run --separate-stderr runlet exec "$ID" true
	[ "$status" -ne 0 ]
	assert_one_error_line 'not running|stopped'
}
