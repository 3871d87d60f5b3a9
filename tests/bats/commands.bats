#!/usr/bin/env bats
# The commands and process features that engines use besides the lifecycle:
# a terminal through --console-socket or relayed by a foreground run,
# --preserve-fds and socket activation, ps, features, update seen from inside
# the container, spec, help and the man page.
# shellcheck disable=SC2016 # jq programs and container scripts in single quotes

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# start_receiver: tests/bats/console-recv.py on $BATS_TEST_TMPDIR/sock,
# its pid in $recv; the terminal's output goes to $BATS_TEST_TMPDIR/tty.out.
start_receiver() {
	python3 "$BATS_TEST_DIRNAME/console-recv.py" "$BATS_TEST_TMPDIR/sock" "$BATS_TEST_TMPDIR/tty.out" "$@" \
		>"$BATS_TEST_TMPDIR/recv.log" 2>&1 &
	recv=$!
	on_teardown "kill $recv"
	wait_for_file "$BATS_TEST_TMPDIR/recv.log" ready
}

@test "terminal: create --console-socket sends the master; the process has a controlling tty of consoleSize" {
	local recv
	update_config '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 101}
		| .process.args = ["sh", "-c", "tty; stty size; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-tty; ps -o pid,tty | grep -c pts"]'
	start_receiver
	run_detached create --bundle "$BUNDLE" --console-socket "$BATS_TEST_TMPDIR/sock" "$ID"
	assert_status 0
	wait_for_file "$BATS_TEST_TMPDIR/tty.out.fd" got-fd
	runlet start "$ID"
	wait "$recv"
	tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out" >"$BATS_TEST_TMPDIR/tty.txt"
	grep -qx '/dev/pts/[0-9]*' "$BATS_TEST_TMPDIR/tty.txt"
	grep -qx '33 101' "$BATS_TEST_TMPDIR/tty.txt"
	grep -qx 'all-tty' "$BATS_TEST_TMPDIR/tty.txt"
}

@test "terminal: input written to the master reaches the process" {
	local recv
	update_config '.process.terminal = true | .process.args = ["sh", "-c", "read line; echo got:$line"]'
	start_receiver $'hello\n'
	run_detached run --detach --bundle "$BUNDLE" --console-socket "$BATS_TEST_TMPDIR/sock" "$ID"
	assert_status 0
	wait "$recv"
	grep -q 'got:hello' "$BATS_TEST_TMPDIR/tty.out"
}

@test "terminal: a foreground run without a console socket relays the terminal and the exit status" {
	command -v script >/dev/null || skip_because "script(1) (bsdutils) is missing"
	update_config '.process.terminal = true | .process.args = ["sh", "-c", "tty; echo relayed; exit 5"]'
	run timeout 20 script -qec "'$RUNLET' --root '$RUNLET_BATS_ROOT' run --bundle '$BUNDLE' '$ID'" /dev/null
	assert_status 5
	# Not anchored: script(1), its stdin at end of file, may send a NUL
	# that its pty echoes as "^@" before the runtime makes it raw.
	assert_output_has '/dev/pts/[0-9]+'
	assert_output_has '^relayed'
}

@test "terminal: a terminal without a console socket in create is refused" {
	update_config '.process.terminal = true'
	run_detached create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	assert_one_error_line 'console'
}

@test "create --preserve-fds passes descriptors 3.. to the container, and only those" {
	echo passed-on >"$BATS_TEST_TMPDIR/three"
	set_cmd sh -c 'cat <&3; ls /proc/self/fd | sort -n | tr "\n" " "'
	run "$RUNLET" --root "$RUNLET_BATS_ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$ID" \
		3<"$BATS_TEST_TMPDIR/three" 4<"$BATS_TEST_TMPDIR/three"
	assert_status 0
	[ "${lines[0]}" = passed-on ]
	# 4 is not passed: what ls shows at 4 is its own directory.
	[ "${lines[1]}" = "0 1 2 3 4 " ]
}

@test "socket activation: LISTEN_FDS for this pid passes the descriptors and sets LISTEN_FDS, LISTEN_PID=1" {
	echo activated >"$BATS_TEST_TMPDIR/three"
	set_cmd sh -c 'cat <&3; echo "$LISTEN_FDS $LISTEN_PID"'
	run sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@"' "$RUNLET" --root "$RUNLET_BATS_ROOT" \
		run --bundle "$BUNDLE" "$ID" 3<"$BATS_TEST_TMPDIR/three"
	assert_status 0
	assert_output_is "$(printf 'activated\n1 1')"
}

@test "LISTEN_FDS for another pid is not acted on" {
	set_cmd sh -c 'echo "fds=$LISTEN_FDS"; cat <&3'
	run sh -c 'LISTEN_PID=1 LISTEN_FDS=1 exec "$0" "$@"' "$RUNLET" --root "$RUNLET_BATS_ROOT" \
		run --bundle "$BUNDLE" "$ID" 3</dev/null
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "fds=" ]
}

@test "ps lists the container's processes as a table and as the JSON array of pids" {
	local init
	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	assert_status 0
	init="$(cat "$BATS_TEST_TMPDIR/pid")"
	run_detached exec --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" sleep 301
	assert_status 0
	run runlet ps --format json "$ID"
	assert_status 0
	jq -e --argjson a "$init" --argjson b "$(cat "$BATS_TEST_TMPDIR/exec.pid")" \
		'type == "array" and (sort == ([$a, $b] | sort))' <<<"$output"
	run runlet ps "$ID"
	assert_status 0
	assert_output_has '^UID +PID +PPID'
	assert_output_has "^[a-z0-9]+ +$init .*sleep 1000"
	assert_output_has 'sleep 301'
	run --separate-stderr runlet ps "nothing-$ID"
	[ "$status" -ne 0 ]
	assert_one_error_line 'does not exist'
}

@test "features: valid against features-schema.json, from this build's choices" {
	local py
	py="$(schema_python)"
	[ -n "$py" ] || skip_because "python3-jsonschema is missing"
	run runlet features
	assert_status 0
	"$py" "$BATS_TEST_DIRNAME/validate-json.py" "$SCHEMA_DIR/features-schema.json" <<<"$output"
	jq -e '.ociVersionMax == "1.3.0" and (.hooks | length == 6) and (.linux.namespaces | index("time"))' <<<"$output"
	# What the build has, not what the host has: seccomp is in this build
	# exactly when a seccomp config is accepted.
	if jq -e '.linux.seccomp.enabled' <<<"$output" >/dev/null; then
		jq -e '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY")' <<<"$output"
	fi
	[ -x "${RUNLET_TINY:-}" ] || return 0
	run "$RUNLET_TINY" features
	# tiny_defconfig may leave the command out altogether.
	if [ "$status" -eq 2 ] && [[ "$output" == *"no command features"* ]]; then
		return 0
	fi
	assert_status 0
	"$py" "$BATS_TEST_DIRNAME/validate-json.py" "$SCHEMA_DIR/features-schema.json" <<<"$output"
	jq -e '.linux.seccomp.enabled == false' <<<"$output"
}

@test "update: new memory and pids limits are seen inside the container" {
	[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ] ||
		skip_because "not a cgroup v1 host with memory and pids (the QEMU suite tests v2)"
	run_detached run --detach --bundle "$BUNDLE" "$ID"
	assert_status 0
	runlet update --memory 50M --pids-limit 42 "$ID"
	run runlet exec "$ID" cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
	assert_status 0
	assert_output_is "$(printf '52428800\n42')"
	echo '{"memory": {"limit": 41943040}, "pids": {"limit": 17}}' |
		runlet update --resources - "$ID"
	run runlet exec "$ID" cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
	assert_output_is "$(printf '41943040\n17')"
	# The limit holds: the 30 background sleeps do not all fit under 17
	# (busybox sh gives up at the first fork that fails), under 100 they do.
	run --separate-stderr runlet exec "$ID" sh -c 'i=0; while [ $i -lt 30 ]; do sleep 3 & i=$((i + 1)); done'
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"fork"* ]]
	runlet update --pids-limit 100 "$ID"
	run runlet exec "$ID" sh -c 'i=0; while [ $i -lt 30 ]; do sleep 3 & i=$((i + 1)); done'
	assert_status 0
}

@test "spec writes a config.json valid against config-schema.json; --rootless adds a user namespace" {
	local py dir="$BATS_TEST_TMPDIR/spec"
	mkdir -p "$dir/rootless"
	runlet spec --bundle "$dir"
	py="$(schema_python)"
	if [ -n "$py" ]; then
		"$py" "$BATS_TEST_DIRNAME/validate-json.py" "$SCHEMA_DIR/config-schema.json" <"$dir/config.json"
	fi
	jq -e '.process.terminal == true and .root.path == "rootfs" and ([.linux.namespaces[].type] | index("user") | not)' \
		"$dir/config.json"
	run --separate-stderr runlet spec --bundle "$dir"
	[ "$status" -ne 0 ]
	assert_one_error_line 'exists'
	runlet spec --rootless --bundle "$dir/rootless"
	jq -e '[.linux.namespaces[].type] | index("user")' "$dir/rootless/config.json"
	jq -e '.linux.uidMappings | length == 1' "$dir/rootless/config.json"
}

@test "help CMD for every command; runlet(8) documents every command" {
	local cmd cmds
	cmds="$(runlet --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')"
	[ "$(wc -w <<<"$cmds")" -ge 15 ]
	for cmd in $cmds; do
		run runlet help "$cmd"
		assert_status 0
		assert_output_has "^usage: runlet .*$cmd"
		[ "$cmd" = help ] || grep -q "^\\.SS $cmd\\b\\|^\\.B $cmd\\b\\|$cmd" "$TOP_DIR/src/runlet.8"
	done
	run --separate-stderr runlet help no-such-command
	[ "$status" -ne 0 ]
	assert_one_error_line 'no-such-command'
}
