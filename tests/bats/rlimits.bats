#!/usr/bin/env bats
# process.rlimits (config.md, "POSIX process").

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "RLIMIT_NOFILE of the default config: 1024 soft and hard" {
	set_cmd sh -c 'ulimit -n; ulimit -Hn; grep "^Max open files" /proc/self/limits'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = 1024 ]
	[ "${lines[1]}" = 1024 ]
	[[ "${lines[2]}" =~ ^Max\ open\ files\ +1024\ +1024\ +files ]]
}

@test "several rlimits, soft below hard" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 256, "hard": 512},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 4096},
		{"type": "RLIMIT_NPROC", "soft": 100, "hard": 200}]'
	set_cmd cat /proc/self/limits
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_has '^Max open files +256 +512 +files'
	assert_output_has '^Max core file size +0 +4096 +bytes'
	assert_output_has '^Max processes +100 +200 +processes'
}

@test "a limit not in the config is inherited from the runtime" {
	update_config '.process.rlimits = []'
	set_cmd sh -c 'ulimit -Hn'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is "$(ulimit -Hn)"
}

@test "a hard limit above the runtime's own fails, naming CAP_SYS_RESOURCE" {
	host_has_cap CAP_SYS_RESOURCE &&
		skip_because "this host can raise hard limits (CAP_SYS_RESOURCE): nothing to test"
	local hard
	hard="$(ulimit -Hn)"
	[ "$hard" != unlimited ] || skip_because "the hard RLIMIT_NOFILE is unlimited here"
	update_config --argjson h "$((hard + 1000))" \
		'.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": $h}]'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'RLIMIT_NOFILE.*CAP_SYS_RESOURCE'
	run runlet state "$ID"
	[ "$status" -ne 0 ]
}

@test "a soft limit above the hard limit is refused" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'RLIMIT_NOFILE.*soft'
}

@test "an unknown rlimit type is refused, named" {
	update_config '.process.rlimits += [{"type": "RLIMIT_BATS", "soft": 1, "hard": 1}]'
	set_cmd true
	run_detached create --bundle "$BUNDLE" "$ID"
	assert_status 1
	assert_one_error_line 'RLIMIT_BATS'
}
