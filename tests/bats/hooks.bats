#!/usr/bin/env bats
# Hooks (config.md, "POSIX-platform Hooks"; runtime.md, "Lifecycle").

load helpers

setup() {
	common_setup
	LOG="$BATS_TEST_TMPDIR/hooklog"
	mkdir -p "$LOG"
	HOOK="$BATS_TEST_TMPDIR/hook.sh"
	# hook.sh LOGDIR KIND [MODE]: saves its stdin (the state), its arguments
	# and its environment, then does what MODE says.
	cat >"$HOOK" <<-'EOF'
		#!/bin/sh
		dir="$1" kind="$2" mode="$3"
		cat >"$dir/$kind.json"
		echo "$kind" >>"$dir/order"
		printf '%s\n' "$@" >"$dir/$kind.args"
		env >"$dir/$kind.env"
		case "$mode" in
		fail) printf 'the %s hook says no\nfor two lines\n' "$kind"; exit 3 ;;
		sleep) exec sleep 30.4242 ;;
		esac
		exit 0
	EOF
	chmod 755 "$HOOK"
	# The same hook inside the container, for startContainer.
	cp "$HOOK" "$BUNDLE/rootfs/bats-hook.sh"
	update_config --arg log "$LOG" \
		'.mounts += [{"destination": "/hooklog", "type": "bind", "source": $log, "options": ["bind"]}]
		 | .annotations = {"org.example.bats": "annotation value"}'
}

teardown() { common_teardown; }

HOOK_ENV='["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOOK_VAR=value with spaces"]'

# add_hook KIND [MODE [TIMEOUT]]: a hook of KIND that runs hook.sh.
add_hook() {
	local kind="$1" mode="${2:-}" timeout="${3:-}" path="$HOOK" dir="$LOG"
	if [ "$kind" = startContainer ]; then
		path=/bats-hook.sh
		dir=/hooklog
	fi
	update_config --arg k "$kind" --arg p "$path" --arg d "$dir" --arg m "$mode" \
		--arg t "$timeout" --argjson env "$HOOK_ENV" \
		'.hooks[$k] += [{"path": $p, "args": ["hook.sh", $d, $k, $m], "env": $env}
			+ (if $t != "" then {"timeout": ($t | tonumber)} else {} end)]'
}

@test "all six kinds of hooks run in order, each with the state it should see" {
	local kind pid
	for kind in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook "$kind"
	done

	runlet create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	pid="$(cat "$BATS_TEST_TMPDIR/pid")"
	[ "$(cat "$LOG/order")" = "$(printf '%s\n' prestart createRuntime createContainer)" ]

	runlet start "$ID"
	wait_for_file "$LOG/order" poststart
	[ "$(cat "$LOG/order")" = "$(printf '%s\n' prestart createRuntime createContainer startContainer poststart)" ]
	[ ! -e "$LOG/poststop.json" ]

	runlet kill "$ID" KILL
	wait_for_status "$ID" stopped
	runlet delete "$ID"
	[ "$(cat "$LOG/order")" = "$(printf '%s\n' prestart createRuntime createContainer startContainer poststart poststop)" ]

	for kind in prestart createRuntime createContainer startContainer poststart poststop; do
		validate_state "$(cat "$LOG/$kind.json")"
		[ "$(jq -r .id "$LOG/$kind.json")" = "$ID" ]
		[ "$(jq -r .bundle "$LOG/$kind.json")" = "$(readlink -f "$BUNDLE")" ]
		[ "$(jq -r '.annotations["org.example.bats"]' "$LOG/$kind.json")" = "annotation value" ]
	done
	# The runtime's namespace sees the host pid, the container's its own.
	[ "$(jq -r '.status + " " + (.pid | tostring)' "$LOG/prestart.json")" = "creating $pid" ]
	[ "$(jq -r '.status + " " + (.pid | tostring)' "$LOG/createRuntime.json")" = "creating $pid" ]
	[ "$(jq -r '.status + " " + (.pid | tostring)' "$LOG/createContainer.json")" = "creating 1" ]
	[ "$(jq -r '.status + " " + (.pid | tostring)' "$LOG/startContainer.json")" = "created 1" ]
	[ "$(jq -r '.status + " " + (.pid | tostring)' "$LOG/poststart.json")" = "running $pid" ]
	[ "$(jq -r .status "$LOG/poststop.json")" = stopped ]
}

@test "hooks get their args and exactly their env" {
	add_hook prestart
	add_hook startContainer
	export BATS_LEAK_CHECK=leaked
	set_cmd true
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(cat "$LOG/prestart.args")" = "$(printf '%s\n' "$LOG" prestart '')" ]
	[ "$(cat "$LOG/startContainer.args")" = "$(printf '%s\n' /hooklog startContainer '')" ]
	grep -qx 'HOOK_VAR=value with spaces' "$LOG/prestart.env"
	grep -qx 'HOOK_VAR=value with spaces' "$LOG/startContainer.env"
	assert_fails grep -q BATS_LEAK_CHECK "$LOG/prestart.env"
	assert_fails grep -q RUNLET_BATS_ID "$LOG/prestart.env"
}

@test "a hook's args[0] is its argv[0]" {
	# busybox picks the applet by argv[0]: "sh" runs the shell.
	local busybox
	busybox="$(command -v busybox)"
	update_config --arg bb "$busybox" --arg log "$LOG" '.hooks.prestart = [{"path": $bb,
		"args": ["sh", "-c", "echo \"$0 $1\" >\($log)/argv", "zero", "one"]}]'
	set_cmd true
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(cat "$LOG/argv")" = "zero one" ]
}

@test "createContainer runs in the container's namespaces, prestart in the runtime's" {
	update_config --arg log "$LOG" '.hooks = {
		"prestart": [{"path": "/bin/sh", "args": ["sh", "-c", "readlink /proc/self/ns/mnt /proc/self/ns/uts >\($log)/prestart.ns"]}],
		"createContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "readlink /proc/self/ns/mnt /proc/self/ns/uts >\($log)/createContainer.ns"]}]}'
	set_cmd sh -c 'readlink /proc/self/ns/mnt; readlink /proc/self/ns/uts'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(cat "$LOG/prestart.ns")" = "$(readlink /proc/self/ns/mnt /proc/self/ns/uts)" ]
	[ "$(cat "$LOG/createContainer.ns")" = "$output" ]
}

@test "a startContainer hook's path resolves inside the container" {
	[ ! -e /bats-hook.sh ]
	add_hook startContainer
	set_cmd true
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(cat "$LOG/order")" = startContainer ]
}

# A failing hook's message ends with what the hook printed: two lines here,
# which must still make one line on stderr.
#
# failing_create KIND: a failing hook of KIND makes create fail, naming it,
# and leaves nothing behind (teardown checks the cgroups, mounts and
# processes); the poststop hooks still run (runtime.md, steps 12 and 13).
failing_create() {
	add_hook "$1" fail
	add_hook poststop
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line "$1.*hook.*$HOOK|$1.*$HOOK.*hook"
	[[ "$stderr" == *"the $1 hook says no"* ]]
	run --separate-stderr runlet state "$ID"
	assert_status 1
	assert_one_error_line 'does not exist'
	[ -e "$LOG/poststop.json" ]
}

@test "a failing prestart hook: create fails, naming it, and leaves nothing" {
	failing_create prestart
}

@test "a failing createRuntime hook: create fails, naming it, and leaves nothing" {
	failing_create createRuntime
}

@test "a failing createContainer hook: create fails, naming it, and leaves nothing" {
	failing_create createContainer
}

@test "a failing startContainer hook: start fails, naming it, and the container stops" {
	add_hook startContainer fail
	set_cmd sleep 1000
	runlet create --bundle "$BUNDLE" "$ID"
	run --separate-stderr runlet start "$ID"
	assert_status 1
	assert_one_error_line 'startContainer.*hook'
	wait_for_status "$ID" stopped
	run runlet delete "$ID"
	assert_status 0
}

@test "a failing poststart hook: start fails and the container is stopped" {
	add_hook poststart fail
	add_hook poststop
	set_cmd sleep 1000
	runlet create --bundle "$BUNDLE" "$ID"
	run --separate-stderr runlet start "$ID"
	assert_status 1
	assert_one_error_line 'poststart.*hook'
	wait_for_status "$ID" stopped
	runlet delete "$ID"
	[ -e "$LOG/poststop.json" ]
}

@test "a failing poststop hook: delete warns, naming it, and still deletes" {
	add_hook poststop fail
	set_cmd true
	runlet create --bundle "$BUNDLE" "$ID"
	runlet start "$ID"
	wait_for_status "$ID" stopped
	run --separate-stderr runlet delete "$ID"
	assert_status 0
	[[ "$stderr" == *poststop* ]]
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "a hook that outlives its timeout is killed, and create fails" {
	add_hook prestart sleep 1
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'prestart.*timed out'

	# The hook's sleep is gone too.
	assert_fails pgrep -x -f "sleep 30.4242" >/dev/null
}

@test "a hook whose path does not exist fails create, naming it" {
	update_config '.hooks.createRuntime = [{"path": "/nonexistent/bats-hook"}]'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'createRuntime.*/nonexistent/bats-hook'
}

@test "poststop hooks run when run deletes the container" {
	add_hook poststop
	set_cmd true
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "$(jq -r .status "$LOG/poststop.json")" = stopped ]
}

@test "delete --force of a running container runs the poststop hooks" {
	add_hook poststop
	runlet run --detach --bundle "$BUNDLE" "$ID"
	[ ! -e "$LOG/poststop.json" ]
	runlet delete --force "$ID"
	[ "$(jq -r .status "$LOG/poststop.json")" = stopped ]
}
