#!/usr/bin/env bats
# process.capabilities (config.md, "Linux process").

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# caps_status: the Cap* lines of the container's own /proc/self/status, as
# "CapInh=... CapPrm=... CapEff=... CapBnd=... CapAmb=...".
run_caps_status() {
	set_cmd sh -c 'grep ^Cap /proc/self/status | tr -d "\t" | tr ":" "=" | tr "\n" " "'
	run --separate-stderr runlet run --bundle "$BUNDLE" "$ID"
}

cap_field() {
	tr ' ' '\n' <<<"$output" | sed -n "s/^$1=//p"
}

@test "the capability sets of the config, set by set" {
	update_config '.process.noNewPrivileges = true | .process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
		"effective": ["CAP_CHOWN", "CAP_KILL"],
		"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_NET_BIND_SERVICE"]}'
	run_caps_status
	assert_status 0
	[ "$(cap_field CapBnd)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE CAP_SYS_CHROOT)" ]
	[ "$(cap_field CapInh)" = "$(cap_mask CAP_NET_BIND_SERVICE)" ]
	[ "$(cap_field CapAmb)" = "$(cap_mask CAP_NET_BIND_SERVICE)" ]
	# The exec of a root process would give it its whole bounding set
	# (capabilities(7), "Capabilities and execution of programs by root");
	# no_new_privs keeps it to the permitted set it had, all effective.
	[ "$(cap_field CapPrm)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE)" ]
	[ "$(cap_field CapEff)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE)" ]
}

@test "a non-root user keeps exactly its ambient capabilities after exec" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {
			"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
			"effective": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"inheritable": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"ambient": ["CAP_KILL"]}'
	run_caps_status
	assert_status 0
	[ "$(cap_field CapBnd)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE CAP_SYS_CHROOT)" ]
	[ "$(cap_field CapInh)" = "$(cap_mask CAP_KILL CAP_NET_BIND_SERVICE)" ]
	[ "$(cap_field CapAmb)" = "$(cap_mask CAP_KILL)" ]
	[ "$(cap_field CapPrm)" = "$(cap_mask CAP_KILL)" ]
	[ "$(cap_field CapEff)" = "$(cap_mask CAP_KILL)" ]
}

@test "the default config: the three capabilities of runlet spec" {
	run_caps_status
	assert_status 0
	local want
	want="$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)"
	[ "$(cap_field CapBnd)" = "$want" ]
	[ "$(cap_field CapEff)" = "$want" ]
	[ "$(cap_field CapPrm)" = "$want" ]
}

@test "an ambient capability works for a non-root user: binding port 80" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {
			"bounding": ["CAP_NET_BIND_SERVICE"], "effective": ["CAP_NET_BIND_SERVICE"],
			"permitted": ["CAP_NET_BIND_SERVICE"], "inheritable": ["CAP_NET_BIND_SERVICE"],
			"ambient": ["CAP_NET_BIND_SERVICE"]}'
	set_cmd sh -c 'nc -l -p 80 </dev/null & sleep 0.2;
		cat /proc/net/tcp /proc/net/tcp6 | grep -q ":0050 " && echo bound; kill $! 2>/dev/null; wait'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is bound

	update_config '.process.capabilities.ambient = []'
	run --separate-stderr runlet run --bundle "$BUNDLE" "$ID"
	assert_output_is ""
	[[ "$stderr" == *"Permission denied"* ]]
}

@test "no capabilities: a root process without CAP_CHOWN cannot chown" {
	add_tmp_mount
	update_config '.process.capabilities = {"bounding": [], "effective": [], "permitted": [],
		"inheritable": [], "ambient": []}'
	set_cmd sh -c 'touch /tmp/f; chown 1000 /tmp/f 2>/dev/null && echo chowned || echo denied; grep ^CapEff /proc/self/status'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	[ "${lines[0]}" = denied ]
	[[ "${lines[1]}" == *0000000000000000 ]]
}

@test "CAP_CHOWN given: chown works" {
	add_tmp_mount
	update_config '.process.capabilities = {"bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"],
		"permitted": ["CAP_CHOWN"], "inheritable": [], "ambient": []}'
	set_cmd sh -c 'touch /tmp/f; chown 1000 /tmp/f && stat -c %u /tmp/f'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is 1000
}

@test "a capability this host cannot grant: a warning naming it, and the container runs" {
	host_has_cap CAP_SYS_RESOURCE &&
		skip_because "this host can grant CAP_SYS_RESOURCE: nothing to test"
	update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_RESOURCE"])'
	run_caps_status
	assert_status 0
	[[ "$stderr" == *CAP_SYS_RESOURCE* ]]
	[ "$(grep -c '' <<<"$stderr")" -eq 1 ]
	local want
	want="$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)"
	[ "$(cap_field CapBnd)" = "$want" ]
	[ "$(cap_field CapEff)" = "$want" ]
}

@test "an unknown capability name: a warning naming it, and the container runs" {
	update_config '.process.capabilities.bounding += ["CAP_BATS_NO_SUCH_THING"]'
	run_caps_status
	assert_status 0
	[[ "$stderr" == *CAP_BATS_NO_SUCH_THING* ]]
}

@test "noNewPrivileges: NoNewPrivs in /proc/self/status" {
	set_cmd sh -c 'grep ^NoNewPrivs /proc/self/status | tr -d "\t "'
	update_config '.process.noNewPrivileges = true'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is NoNewPrivs:1

	update_config '.process.noNewPrivileges = false'
	run runlet run --bundle "$BUNDLE" "$ID"
	assert_status 0
	assert_output_is NoNewPrivs:0
}
