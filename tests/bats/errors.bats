#!/usr/bin/env bats
# Bad input: each gives one clear line on stderr, a non-zero exit status
# (2 for bad usage), and leaves the other containers as they were.

load helpers

# Every test runs next to a container that must come out untouched.
setup() {
	common_setup
	new_id OTHER
	mkdir "$BATS_TEST_TMPDIR/other"
	make_bundle "$BATS_TEST_TMPDIR/other/bundle" "$OTHER"
	runlet run --detach --bundle "$BATS_TEST_TMPDIR/other/bundle" \
		--pid-file "$BATS_TEST_TMPDIR/other/pid" "$OTHER"
	OTHER_PID="$(cat "$BATS_TEST_TMPDIR/other/pid")"
}

teardown() {
	# The bystander is still running, with the same init.
	local st
	st="$(runlet state "$OTHER" 2>/dev/null | jq -r '.status + " " + (.pid | tostring)')"
	if [ "$st" != "running $OTHER_PID" ]; then
		echo "the other container $OTHER is \"$st\", not \"running $OTHER_PID\"" >&2
		common_teardown || true
		return 1
	fi
	common_teardown
}

@test "create with a bundle that does not exist" {
	run_detached create --bundle "$BATS_TEST_TMPDIR/no-such-bundle" "$ID"
	assert_status 1
	assert_one_error_line "no-such-bundle.*No such file or directory"
}

@test "create with a bundle without config.json" {
	rm "$BUNDLE/config.json"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json.*No such file or directory"
}

@test "create with a malformed config.json: the message gives line and column" {
	printf '{\n  "ociVersion": "1.0.2",\n  "process": {\n    "args": ["sh",]\n  }\n}\n' >"$BUNDLE/config.json"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json.*line 4.*column [0-9]+"
}

@test "create with an empty config.json" {
	: >"$BUNDLE/config.json"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json"
}

@test "create with a config.json that is not an object" {
	echo '["not", "an", "object"]' >"$BUNDLE/config.json"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json|object"
}

@test "create with a config.json without ociVersion" {
	update_config 'del(.ociVersion)'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "ociVersion"
}

@test "create with a field of the wrong type names the field" {
	update_config '.process.args = "sh"'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "process.args"
}

@test "create with a config.json that is a symlink is refused" {
	mv "$BUNDLE/config.json" "$BUNDLE/real-config.json"
	ln -s real-config.json "$BUNDLE/config.json"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json.*([Ss]ymbolic link|symlink)"
}

@test "create with a config.json that is a fifo is refused, without hanging" {
	rm "$BUNDLE/config.json"
	mkfifo "$BUNDLE/config.json"
	# A runtime that opened the fifo would hang: the harness's timeout
	# (RUNLET_TIMEOUT) turns that into a failure, no clock needed.
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json.*not a regular file"
}

@test "create with a config.json that is a directory is refused" {
	rm "$BUNDLE/config.json"
	mkdir "$BUNDLE/config.json"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "config.json.*not a regular file"
}

@test "create with process.terminal and no console socket is refused" {
	update_config '.process.terminal = true'
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "terminal"
}

@test "start, state, kill and delete of an unknown id: does not exist" {
	local cmd
	for cmd in start state kill delete; do
		run --separate-stderr runlet "$cmd" "bats-no-such-$ID"
		assert_status 1
		assert_one_error_line "container bats-no-such-$ID does not exist"
		[ -z "$output" ]
	done
}

@test "delete --force of an unknown id succeeds quietly" {
	run --separate-stderr runlet delete --force "bats-no-such-$ID"
	assert_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "start of a running container fails" {
	runlet run --detach --bundle "$BUNDLE" "$ID"
	run --separate-stderr runlet start "$ID"
	assert_status 1
	assert_one_error_line "$ID.*running"
	[ "$(container_status "$ID")" = running ]
}

@test "start of a stopped container fails" {
	set_cmd true
	runlet create --bundle "$BUNDLE" "$ID"
	runlet start "$ID"
	wait_for_status "$ID" stopped
	run --separate-stderr runlet start "$ID"
	assert_status 1
	assert_one_error_line "$ID.*stopped"
}

@test "delete of a running container without --force fails, and it keeps running" {
	runlet run --detach --bundle "$BUNDLE" "$ID"
	run --separate-stderr runlet delete "$ID"
	assert_status 1
	assert_one_error_line "$ID.*running.*--force"
	[ "$(container_status "$ID")" = running ]
}

@test "delete of a created container without --force fails" {
	runlet create --bundle "$BUNDLE" "$ID"
	run --separate-stderr runlet delete "$ID"
	assert_status 1
	assert_one_error_line "$ID.*created"
	[ "$(container_status "$ID")" = created ]
}

@test "kill of a stopped container fails" {
	set_cmd true
	run runlet run --keep --bundle "$BUNDLE" "$ID"
	assert_status 0
	run --separate-stderr runlet kill "$ID" KILL
	assert_status 1
	assert_one_error_line "$ID.*stopped"
}

@test "kill with an unknown signal is bad usage" {
	runlet run --detach --bundle "$BUNDLE" "$ID"
	run --separate-stderr runlet kill "$ID" SIGBATS
	assert_status 2
	assert_one_error_line "SIGBATS"
	[ "$(container_status "$ID")" = running ]
}

@test "create of an id that exists fails, and the first container is fine" {
	runlet create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "$ID.*(exists|already)"
	run runlet state "$ID"
	[ "$(jq -r '.status + " " + (.pid | tostring)' <<<"$output")" = "created $(cat "$BATS_TEST_TMPDIR/pid")" ]
	runlet start "$ID"
	[ "$(container_status "$ID")" = running ]
}

@test "run of an id that exists fails, and the first container is fine" {
	runlet run --detach --bundle "$BUNDLE" "$ID"
	run_detached run --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "$ID.*(exists|already)"
	[ "$(container_status "$ID")" = running ]
}

@test "invalid container ids are refused, and nothing is made" {
	local id
	for id in "../bats-x" "bats/x" "" "." ".." "bats x" "$(printf 'bats-%0300d' 0)"; do
		run_detached create --bundle "$BUNDLE" "$id"
		if [ "$status" -ne 1 ] && [ "$status" -ne 2 ]; then
			echo "create \"$id\": exit status $status" >&2
			return 1
		fi
		assert_one_error_line "container id|invalid|id"
	done
	[ ! -e "$(dirname "$RUNLET_BATS_ROOT")/bats-x" ]
	[ ! -e "$RUNLET_BATS_ROOT/bats" ]
	[ -z "$(leftover_cgroups bats-x)" ]
}

@test "state of an invalid id fails cleanly" {
	run --separate-stderr runlet state "../$(basename "$RUNLET_BATS_ROOT")"
	[ "$status" -ne 0 ]
	assert_one_error_line ""
	[ -z "$output" ]
}

@test "an unknown global option is bad usage" {
	run --separate-stderr runlet --bats-no-such-option list
	assert_status 2
	assert_one_error_line "bats-no-such-option"
}

@test "an unknown option of a command is bad usage" {
	run --separate-stderr runlet create --bats-no-such-option "$ID"
	assert_status 2
	assert_one_error_line "bats-no-such-option"
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "an unknown command is bad usage, with one hint" {
	run --separate-stderr runlet bats-no-such-command
	assert_status 2
	assert_one_error_line "bats-no-such-command"
	# One pointer to the help, not two, and not to "help " of nothing.
	[ "$(grep -o 'see runlet' <<<"$stderr" | wc -l)" -le 1 ]
	[[ "$stderr" != *"help )"* ]]
}

@test "a missing operand is bad usage" {
	local cmd
	for cmd in create start state kill delete run; do
		run --separate-stderr runlet "$cmd"
		assert_status 2
		assert_one_error_line "$cmd"
	done
}

@test "--systemd-cgroup is refused as not supported" {
	run --separate-stderr runlet --systemd-cgroup create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	assert_one_error_line "systemd-cgroup.*not supported"
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "checkpoint and restore are refused as not supported" {
	run --separate-stderr runlet checkpoint "$OTHER"
	[ "$status" -ne 0 ]
	assert_one_error_line "checkpoint.*not supported"
	run --separate-stderr runlet restore "$ID"
	[ "$status" -ne 0 ]
	assert_one_error_line "restore.*not supported"
}

@test "--log-format other than text or json is bad usage" {
	run --separate-stderr runlet --log-format yaml list
	assert_status 2
	assert_one_error_line "log-format"
	[[ "$stderr" != *"help )"* ]]
}

@test "errors also go to --log, as JSON with --log-format json" {
	run --separate-stderr runlet --log "$BATS_TEST_TMPDIR/log.json" --log-format json state "bats-no-such-$ID"
	assert_status 1
	[ -s "$BATS_TEST_TMPDIR/log.json" ]
	jq -e --arg id "bats-no-such-$ID" 'select(.msg | test($id))' "$BATS_TEST_TMPDIR/log.json" >/dev/null ||
		jq -e --arg id "bats-no-such-$ID" 'select(tostring | test($id))' "$BATS_TEST_TMPDIR/log.json" >/dev/null
}

@test "a failed create leaves nothing, and the id can be used again" {
	set_cmd bats-no-such-program
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	[ -z "$(leftover_cgroups "$ID")" ]
	[ ! -e "$RUNLET_BATS_ROOT/$ID" ]
	set_cmd sleep 1000
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(container_status "$ID")" = created ]
}
