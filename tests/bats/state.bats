#!/usr/bin/env bats
# The state of runtime.md ("State", "Query State") and the state directory.

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "state in every status is valid, with the fields runtime.md asks for" {
	update_config '.annotations = {"org.example.key": "value", "org.example.empty": ""}'
	set_cmd sh -c 'trap "exit 0" TERM; while :; do sleep 0.05; done'
	runlet create --bundle "$BUNDLE" "$ID"

	run runlet state "$ID"
	assert_status 0
	validate_state "$output"
	jq -e --arg id "$ID" '.id == $id and .status == "created" and .pid > 0
		and .annotations["org.example.key"] == "value"
		and .annotations["org.example.empty"] == ""' <<<"$output"

	runlet start "$ID"
	run runlet state "$ID"
	validate_state "$output"
	jq -e '.status == "running" and .pid > 0' <<<"$output"

	runlet kill "$ID" TERM
	wait_for_status "$ID" stopped
	run runlet state "$ID"
	validate_state "$output"
	jq -e '.status == "stopped" and (.pid // 0) == 0
		and .annotations["org.example.key"] == "value"' <<<"$output"
}

@test "state comes from the record, not from a config.json changed after create" {
	update_config '.annotations = {"org.example.key": "before"}'
	runlet create --bundle "$BUNDLE" "$ID"
	update_config '.annotations = {"org.example.key": "after"}'
	run runlet state "$ID"
	[ "$(jq -r '.annotations["org.example.key"]' <<<"$output")" = before ]
}

@test "the bundle in the state is absolute, given relative" {
	cd "$BATS_TEST_TMPDIR"
	runlet create --bundle bundle "$ID"
	run runlet state "$ID"
	[ "$(jq -r .bundle <<<"$output")" = "$(readlink -f "$BUNDLE")" ]
}

@test "create with no --bundle uses the current directory" {
	cd "$BUNDLE"
	runlet create "$ID"
	run runlet state "$ID"
	[ "$(jq -r .bundle <<<"$output")" = "$(readlink -f "$BUNDLE")" ]
}

@test "state shows creating while the prestart hooks run" {
	local gate="$BATS_TEST_TMPDIR/gate"
	update_config --arg g "$gate" '.hooks.prestart = [{"path": "/bin/sh",
		"args": ["sh", "-c", "while ! test -e \($g); do sleep 0.05; done"], "timeout": 30}]'
	runlet_bg create --bundle "$BUNDLE" "$ID" >/dev/null 2>&1
	local creator=$!
	on_teardown "touch $gate"
	wait_for_status "$ID" creating
	run runlet state "$ID"
	validate_state "$output"
	runlet list -q | grep -qx "$ID"
	touch "$gate"
	wait_bg "$creator"
	[ "$bg_status" -eq 0 ]
	[ "$(container_status "$ID")" = created ]
}

@test "a state directory that does not exist is made, mode 0700" {
	local root="$BATS_TEST_TMPDIR/state-root/sub"
	on_teardown "'$RUNLET' --root '$root' delete --force '$ID'"
	timeout 10 "$RUNLET" --root "$root" create --bundle "$BUNDLE" "$ID" 3>&- >/dev/null 2>&1
	[ "$(stat -c %a "$root")" = 700 ]
	[ -n "$(ls -A "$root")" ]
	run timeout 10 "$RUNLET" --root "$root" state "$ID"
	assert_status 0
	[ "$(jq -r .status <<<"$output")" = created ]
	# The suite's own state directory knows nothing of it.
	run runlet state "$ID"
	[ "$status" -ne 0 ]
	timeout 10 "$RUNLET" --root "$root" delete --force "$ID"
	[ -z "$(ls -A "$root")" ]
}

@test "the state record is readable by root only" {
	runlet create --bundle "$BUNDLE" "$ID"
	[ -e "$RUNLET_BATS_ROOT/$ID" ]
	[ "$(stat -c %a "$RUNLET_BATS_ROOT/$ID")" = 600 ]
}

@test "state of many containers at once: list --format json is one valid array" {
	local ids=("$ID") i extra
	for i in 1 2 3; do
		new_id extra
		ids+=("$extra")
	done
	for i in "${ids[@]}"; do
		runlet create --bundle "$BUNDLE" "$i"
	done
	run runlet list --format json
	assert_status 0
	for i in "${ids[@]}"; do
		[ "$(jq -r --arg id "$i" '[.[] | select(.id == $id)] | length' <<<"$output")" = 1 ]
	done
	jq -e 'all(.[]; .status == "created" or .status == "running" or .status == "stopped")' <<<"$output"
}
