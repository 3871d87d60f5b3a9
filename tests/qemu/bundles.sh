# The bundles of the in-guest tests, made on the host: each is a config.json
# from `runlet spec` edited with jq.  The guest has only busybox, so every
# config is complete here; the few values that depend on the guest (a block
# device's numbers, a huge page size) are placeholders the guest replaces
# with sed (see guest/cgroups.sh).  Every bundle shares the read-only rootfs
# the guest builds at /payload/rootfs from its own busybox.
#
# Sourced by run.sh (bash); make_bundles RUNLET DIR writes DIR/NAME/config.json.
# shellcheck shell=bash disable=SC2016 # jq programs, not shell expansions

# The placeholders: numbers where the schema wants numbers.
QEMU_DEV_MAJOR=99990
QEMU_DEV_MINOR=99991
QEMU_HUGE_LIMIT=99992
QEMU_HUGE_SIZE=PAGESIZE

# bundle NAME [JQ ARGS...] FILTER: DIR/NAME/config.json from the base config.
bundle() {
	local name="$1"

	shift
	mkdir -p "$bundles_dir/$name"
	jq "$@" <<<"$base_config" >"$bundles_dir/$name/config.json" || {
		echo "bundles.sh: jq failed for $name" >&2
		return 1
	}
}

make_bundles() {
	local runlet="$1" tmp

	bundles_dir="$2"
	rm -rf "$bundles_dir"
	mkdir -p "$bundles_dir"
	tmp="$(mktemp -d)"
	(cd "$tmp" && "$runlet" spec) || { rm -rf "$tmp"; return 1; }
	base_config="$(jq '
		.process.terminal = false
		| .process.args = ["sleep", "1000"]
		| .root = {"path": "/payload/rootfs", "readonly": true}
		| .linux.resources = (.linux.resources // {})
	' "$tmp/config.json")" || { rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"

	# The container's own root, whichever way the runtime entered it.
	bundle hello '.process.args = ["sh", "-c",
		"echo \"rootfs: $(cat /etc/rootfs-marker)\"; [ -e /payload ] || echo \"host root: hidden\""]' || return 1

	# 64 MiB into a tmpfs charged to a 32 MiB cgroup: the OOM killer.
	bundle oom '
		.linux.resources.memory = {"limit": 33554432}
		| .mounts |= map(if .destination == "/dev/shm"
			then .options = ["nosuid", "nodev", "mode=1777", "size=128m"] else . end)
		| .process.args = ["dd", "if=/dev/zero", "of=/dev/shm/fill", "bs=1M", "count=64"]' || return 1

	bundle pids '
		.linux.resources.pids = {"limit": 5}
		| .process.args = ["sh", "-c",
			"for i in 1 2 3 4 5 6 7 8 9 10; do sleep 100 & done; echo all-forked"]' || return 1

	bundle cpu '.linux.resources.cpu = {"shares": 1024, "quota": 50000, "period": 100000,
		"cpus": "0", "mems": "0"}' || return 1

	bundle io --argjson maj "$QEMU_DEV_MAJOR" --argjson min "$QEMU_DEV_MINOR" '
		.linux.resources.blockIO = {
			"throttleReadBpsDevice": [{"major": $maj, "minor": $min, "rate": 1048576}],
			"throttleWriteIOPSDevice": [{"major": $maj, "minor": $min, "rate": 100}]
		}' || return 1

	bundle hugetlb --arg size "$QEMU_HUGE_SIZE" --argjson limit "$QEMU_HUGE_LIMIT" '
		.linux.resources.hugepageLimits = [{"pageSize": $size, "limit": $limit}]' || return 1

	# Everything denied but /dev/null (and the devices every container
	# gets); CAP_MKNOD to make a node of another device.
	bundle devices '
		.linux.resources.devices = [
			{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]
		| .process.capabilities |= with_entries(.value += ["CAP_MKNOD"])
		| .process.args = ["sh", "-c",
			"if echo probe >/dev/null && cat /dev/null; then echo null: ok; fi;
			 if mknod /dev/kmsg-node c 1 11; then echo mknod: ok; fi;
			 echo \"open: $( (: >/dev/kmsg-node) 2>&1 && echo opened)\""]' || return 1

	# A deny rule that takes away part of an allowed access: with the
	# devices controller of cgroup v1, "c 240:0 rwm" then "deny c 240:0 w"
	# leaves "c 240:0 rm", so any open for writing is refused (EPERM).
	# Major 240 has no driver: an open the rules allow fails with ENXIO.
	bundle devices-partial '
		.linux.resources.devices = [
			{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 240, "minor": 0, "access": "rwm"},
			{"allow": false, "type": "c", "major": 240, "minor": 0, "access": "w"}]
		| .process.capabilities |= with_entries(.value += ["CAP_MKNOD"])
		| .process.args = ["sh", "-c",
			"mknod /dev/d240 c 240 0 || exit 1;
			 echo \"r: $( (: </dev/d240) 2>&1)\";
			 echo \"w: $( (: >/dev/d240) 2>&1)\";
			 echo \"rw: $( (: <>/dev/d240) 2>&1)\""]' || return 1

	bundle limited '.linux.resources.memory = {"limit": 33554432}
		| .linux.resources.pids = {"limit": 20}' || return 1

	bundle cgns '
		.linux.namespaces += [{"type": "cgroup"}]
		| .linux.resources.memory = {"limit": 104857600}' || return 1

	bundle unified '.linux.resources.unified = {"pids.max": "7", "memory.high": "52428800"}' || return 1
	bundle unified-bad '.linux.resources.unified = {"foo.max": "1"}' || return 1

	# Settings cgroup v2 does not have.
	bundle kernel-tcp '.linux.resources.memory = {"kernelTCP": 1024}' || return 1
	bundle classid '.linux.resources.network = {"classID": 1048577}' || return 1

	bundle abs-path '.linux.cgroupsPath = "/runlet-qemu-abs/ctr"
		| .linux.resources.pids = {"limit": 11}' || return 1
	bundle rel-path '.linux.cgroupsPath = "runlet-qemu-rel/ctr"
		| .linux.resources.pids = {"limit": 12}' || return 1
	bundle shared-path '.linux.cgroupsPath = "/runlet-qemu-shared"' || return 1
}
