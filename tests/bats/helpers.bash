# Shared setup of the integration suite: real containers, run as root.
#
# Every test file does
#
#	load helpers
#	setup() { common_setup; }
#	teardown() { common_teardown; }
#
# common_setup gives each test:
#   $ID       a container id of its own
#   $BUNDLE   a bundle in the test's temporary directory: a copy of the
#             busybox rootfs and a config.json from `runlet spec` with
#             process.terminal false
#   runlet    the runtime with --root pointing at the suite's own state
#             directory, so that the host's /run/runlet is never touched
#
# common_teardown deletes (--force) every container the test made and then
# checks that nothing is left behind: no state record, no mount naming the
# bundle, no cgroup directory named after the id, no process.  Whatever it
# finds is cleaned up by force and reported as a failure of the test.
#
# Environment:
#   RUNLET              the runtime (default: build/runlet of this tree)
#   RUNLET_BATS_ROOT    the state directory (default: /run/runlet-bats)
#   RUNLET_BATS_ROOTFS  the cached rootfs (default: build/test/rootfs)
#   BUSYBOX             a static busybox (default: busybox in $PATH)
#   RUNLET_TIMEOUT      seconds one runtime command may take (default: 10)

bats_require_minimum_version 1.5.0

TOP_DIR="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
RUNLET="${RUNLET:-$BATS_TEST_DIRNAME/../../build/runlet}"
RUNLET_BATS_ROOT="${RUNLET_BATS_ROOT:-/run/runlet-bats}"
ROOTFS_CACHE="${RUNLET_BATS_ROOTFS:-$TOP_DIR/build/test/rootfs}"
SCHEMA_DIR="$TOP_DIR/tests/spec/schema"
RUNLET_TIMEOUT="${RUNLET_TIMEOUT:-10}"

# Bump when the recipe of the rootfs changes: the cache is then rebuilt.
ROOTFS_RECIPE=3

# --- the runtime ------------------------------------------------------------

# A runtime that hangs fails the test instead of stalling the suite; fd 3
# (bats's own) never reaches a container.
runlet() {
	timeout -k 5 "$RUNLET_TIMEOUT" "$RUNLET" --root "$RUNLET_BATS_ROOT" "$@" 3>&-
}

# run_detached ARGS...: as `run --separate-stderr runlet ARGS`, for the
# commands that leave a container behind (create, run --detach).  The
# container inherits their stdout and stderr: were these the pipe `run`
# reads, it would wait for the container to end.  They go to files instead
# (the container's own output too: $BATS_TEST_TMPDIR/detached.out).
run_detached() {
	local out="$BATS_TEST_TMPDIR/detached.out" err="$BATS_TEST_TMPDIR/detached.err"

	status=0
	runlet "$@" >"$out" 2>"$err" </dev/null || status=$?
	output="$(cat "$out")"
	stderr="$(cat "$err")"
	STDERR_FILE="$err"
	# shellcheck disable=SC2034
	mapfile -t lines <<<"$output"
}

# runlet_bg ARGS...: the runtime in the background, for the tests that
# signal or wait for it themselves ($! is the runtime's own pid).
# Whatever of it still runs when the test ends is killed by teardown.
runlet_bg() {
	"$RUNLET" --root "$RUNLET_BATS_ROOT" "$@" 3>&- &
	BG_PIDS+=("$!")
}

# --- skipping -----------------------------------------------------------------

# skip with a reason that bats prints ("ok N name # skip REASON").
skip_because() {
	skip "$*"
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_because "the integration tests need root"
}

# --- the rootfs -----------------------------------------------------------------

# A busybox rootfs, built once and cached; concurrent runs (bats --jobs,
# two checkouts sharing build/) wait for one another on a lock.
ensure_rootfs() {
	local busybox stamp want lock

	busybox="${BUSYBOX:-$(command -v busybox || true)}"
	[ -n "$busybox" ] || skip_because "busybox is missing (apt-get install busybox-static)"
	if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked' &&
		ldd "$busybox" >/dev/null 2>&1; then
		skip_because "$busybox is not statically linked (apt-get install busybox-static)"
	fi
	stamp="$ROOTFS_CACHE.stamp"
	want="recipe=$ROOTFS_RECIPE busybox=$(cksum <"$busybox" | cut -d' ' -f1)"
	if [ -d "$ROOTFS_CACHE" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	mkdir -p "$(dirname "$ROOTFS_CACHE")"
	lock="$ROOTFS_CACHE.lock"
	(
		flock -w 300 9 || { echo "timed out waiting for $lock" >&2; exit 1; }
		if [ -d "$ROOTFS_CACHE" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
			exit 0
		fi
		tmp="$(mktemp -d "$ROOTFS_CACHE.new.XXXXXX")"
		build_rootfs "$busybox" "$tmp" || { rm -rf "$tmp"; exit 1; }
		rm -rf "$ROOTFS_CACHE" "$stamp"
		mv "$tmp" "$ROOTFS_CACHE"
		echo "$want" >"$stamp"
	) 9>"$lock"
}

build_rootfs() {
	local busybox="$1" dir="$2" applet

	chmod 0755 "$dir"
	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,root,home/user}
	mkdir -m 1777 "$dir/tmp"
	chmod 0700 "$dir/root"
	cp "$busybox" "$dir/bin/busybox"
	chmod 0755 "$dir/bin/busybox"
	for applet in $("$dir/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$dir/bin/$applet"
	done
	cat >"$dir/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		user:x:1000:1000:user:/home/user:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$dir/etc/group" <<-'EOF'
		root:x:0:
		tty:x:5:
		user:x:1000:
		nogroup:x:65534:
	EOF
	chown 1000:1000 "$dir/home/user"
	# The container's own view of this file, different from any host's.
	echo "runlet-bats-rootfs" >"$dir/etc/rootfs-marker"
}

# --- per test -------------------------------------------------------------------

common_setup() {
	# First, before anything that can fail or skip: teardown runs after a
	# failed setup too, and must know what is the test's own.
	ID="bats-$BATS_TEST_NUMBER-$$"
	CONTAINERS=("$ID")
	CLEANUPS=()
	BG_PIDS=()
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	require_root
	[ -x "$RUNLET" ] || {
		echo "the runtime $RUNLET is missing: run make first" >&2
		return 1
	}
	RUNLET="$(readlink -f "$RUNLET")"
	ensure_rootfs
	make_bundle "$BUNDLE"
}

# make_bundle DIR [ID]: a rootfs copy (a real directory) and a test config
# whose processes carry the marker of ID (default: $ID).
make_bundle() {
	local dir="$1" id="${2:-$ID}"

	mkdir -p "$dir"
	cp -a "$ROOTFS_CACHE" "$dir/rootfs"
	(cd "$dir" && "$RUNLET" spec) || return 1
	BUNDLE="$dir" update_config \
		--arg marker "RUNLET_BATS_ID=$id" \
		'.process.terminal = false
		 | .process.args = ["sleep", "1000"]
		 | .process.env += [$marker]'
}

# Another container for the test, deleted and checked by teardown.
# new_id NAME: sets $NAME to a fresh id.
new_id() {
	local id="bats-$BATS_TEST_NUMBER-$$-${#CONTAINERS[@]}"

	CONTAINERS+=("$id")
	printf -v "$1" '%s' "$id"
}

# on_teardown CMD...: run CMD (one string, eval'd) when the test ends,
# pass or fail, before the leftovers are checked.
on_teardown() {
	CLEANUPS+=("$*")
}

# update_config [JQ ARGS...] FILTER: edit $BUNDLE/config.json in place.
update_config() {
	local cfg="$BUNDLE/config.json"

	jq "$@" <"$cfg" >"$cfg.new" || {
		rm -f "$cfg.new"
		echo "update_config: jq $* failed" >&2
		return 1
	}
	mv "$cfg.new" "$cfg"
}

# set_cmd ARG...: process.args, as given.
set_cmd() {
	update_config --argjson a "$(json_array "$@")" '.process.args = $a'
}

# json_array ARG...: the arguments as a JSON array of strings.
json_array() {
	local named=() i=0 a

	for a in "$@"; do
		named+=(--arg "a$i" "$a")
		i=$((i + 1))
	done
	jq -nc "${named[@]}" '[$ARGS.named | to_entries[] | {k: (.key[1:] | tonumber), v: .value}]
		| sort_by(.k) | map(.v)'
}

# A tmpfs on /tmp, as most containers that write want with a read-only root.
add_tmp_mount() {
	update_config '.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "mode=1777"]}]'
}

# remove_ns TYPE: the container shares the host's namespace of TYPE.
remove_ns() {
	update_config --arg t "$1" '.linux.namespaces |= map(select(.type != $t))'
}

# add_ns TYPE [PATH]
add_ns() {
	if [ $# -gt 1 ]; then
		update_config --arg t "$1" --arg p "$2" \
			'.linux.namespaces = (.linux.namespaces | map(select(.type != $t))) + [{"type": $t, "path": $p}]'
	else
		update_config --arg t "$1" \
			'.linux.namespaces = (.linux.namespaces | map(select(.type != $t))) + [{"type": $t}]'
	fi
}

# --- waiting ----------------------------------------------------------------------

# wait_bg PID: waits for a runtime started by runlet_bg, $RUNLET_TIMEOUT
# seconds at most (then it is killed and the wait fails); its exit status
# is left in $bg_status.
wait_bg() {
	local pid="$1" i

	for ((i = 0; i < RUNLET_TIMEOUT * 20; i++)); do
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)" = R ] ||
			[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)" = S ] || break
		sleep 0.05
	done
	bg_status=0
	if [ "$i" -ge $((RUNLET_TIMEOUT * 20)) ]; then
		echo "the runtime $pid still runs after ${RUNLET_TIMEOUT}s: killed" >&2
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		bg_status=124
		return 1
	fi
	wait "$pid" || bg_status=$?
}

# retry N DELAY CMD...: CMD until it succeeds, N times at most.
retry() {
	local n="$1" delay="$2" i
	shift 2

	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep "$delay"
	done
	echo "retry: gave up after $n tries: $*" >&2
	return 1
}

container_status() {
	runlet state "$1" 2>/dev/null | jq -r .status
}

status_is() {
	[ "$(container_status "$1")" = "$2" ]
}

# wait_for_status ID STATUS: polls for up to ~5 s.
wait_for_status() {
	retry 100 0.05 status_is "$1" "$2" || {
		echo "container $1 is $(container_status "$1"), not $2" >&2
		return 1
	}
}

# wait_for_file FILE [PATTERN]: polls for up to ~5 s.
wait_for_file() {
	local i

	for ((i = 0; i < 100; i++)); do
		if [ -s "$1" ] && { [ -z "${2:-}" ] || grep -q -- "$2" "$1"; }; then
			return 0
		fi
		sleep 0.05
	done
	echo "wait_for_file: $1 has no ${2:-content} after 5 s:" >&2
	cat "$1" >&2 2>/dev/null || true
	return 1
}

# wait_gone PID: polls for up to ~5 s.
wait_gone() {
	local i

	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.05
	done
	echo "process $1 is still there after 5 s" >&2
	return 1
}

# --- checks -----------------------------------------------------------------------

# After `run --separate-stderr`: stderr is exactly one line, "runlet: ...",
# and it matches the extended regexp given.
assert_one_error_line() {
	local lines

	# After run_detached the raw stderr is at hand: an empty line at its
	# end, which $stderr no longer shows, counts too.
	if [ -n "${STDERR_FILE:-}" ] && [ "$(cat "$STDERR_FILE")" = "$stderr" ]; then
		lines="$(grep -c '' "$STDERR_FILE" || true)"
	else
		lines="$(printf '%s' "$stderr" | grep -c '' || true)"
	fi
	if [ "$lines" -ne 1 ]; then
		echo "expected one line on stderr, got $lines (\$ marks the line ends):" >&2
		if [ -n "${STDERR_FILE:-}" ] && [ "$(cat "$STDERR_FILE")" = "$stderr" ]; then
			sed -n l "$STDERR_FILE" >&2
		else
			printf '%s\n' "$stderr" | sed -n l >&2
		fi
		return 1
	fi
	if ! [[ "$stderr" =~ ^runlet:\  ]]; then
		echo "stderr does not start with 'runlet: ': $stderr" >&2
		return 1
	fi
	if [ $# -gt 0 ] && ! grep -Eq -- "$1" <<<"$stderr"; then
		echo "stderr does not match /$1/: $stderr" >&2
		return 1
	fi
}

# assert_fails CMD...: CMD must fail.  (A plain "! CMD" never fails a bats test:
# errexit ignores negated commands.)
assert_fails() {
	if "$@"; then
		echo "expected to fail: $*" >&2
		return 1
	fi
}

# assert_status N: $status of the last `run` is N, else the output is shown.
assert_status() {
	if [ "$status" -ne "$1" ]; then
		echo "exit status $status, expected $1" >&2
		echo "stdout: $output" >&2
		echo "stderr: ${stderr:-}" >&2
		return 1
	fi
}

# assert_output_is TEXT: exact stdout of the last `run`.
assert_output_is() {
	if [ "$output" != "$1" ]; then
		printf 'expected output:\n%s\ngot:\n%s\n' "$1" "$output" >&2
		[ -z "${stderr:-}" ] || printf 'stderr:\n%s\n' "$stderr" >&2
		return 1
	fi
}

# assert_output_has REGEXP: some line of stdout matches (grep -E).
assert_output_has() {
	if ! grep -Eq -- "$1" <<<"$output"; then
		printf 'no line of the output matches /%s/:\n%s\n' "$1" "$output" >&2
		[ -z "${stderr:-}" ] || printf 'stderr:\n%s\n' "$stderr" >&2
		return 1
	fi
}

# validate_state JSON: against the OCI state schema where the suite has it,
# else field by field.
validate_state() {
	local json="$1" py

	if [ -f "$SCHEMA_DIR/state-schema.json" ]; then
		py="$(schema_python)"
		if [ -n "$py" ]; then
			"$py" "$BATS_TEST_DIRNAME/validate-json.py" "$SCHEMA_DIR/state-schema.json" <<<"$json"
			return
		fi
	fi
	jq -e '
		(.ociVersion | type == "string" and test("^[0-9]+\\.[0-9]+\\.[0-9]+"))
		and (.id | type == "string" and length > 0)
		and (.status | IN("creating", "created", "running", "stopped"))
		and (.bundle | type == "string" and startswith("/"))
		and ((.pid // 0) | type == "number" and . >= 0)
		and (if .status == "created" or .status == "running" then .pid > 0 else true end)
		and ((.annotations // {}) | type == "object" and all(.[]; type == "string"))
	' <<<"$json" >/dev/null || {
		echo "the state does not have the fields of runtime.md: $json" >&2
		return 1
	}
}

schema_python() {
	local py

	for py in /usr/bin/python3 python3; do
		if command -v "$py" >/dev/null && "$py" -c 'import jsonschema' 2>/dev/null; then
			echo "$py"
			return 0
		fi
	done
}

# host_has_cap NAME: whether this process may hold the capability.
host_has_cap() {
	local n bnd

	n="$(cap_number "$1")" || return 1
	bnd="$(awk '/^CapBnd:/ {print $2}' /proc/self/status)"
	(((0x$bnd >> n) & 1))
}

# cap_number NAME: its bit (linux/capability.h).
cap_number() {
	local names=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID
		CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE
		CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK
		CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE
		CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE
		CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE
		CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG
		CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF
		CAP_CHECKPOINT_RESTORE)
	local i

	for i in "${!names[@]}"; do
		if [ "${names[$i]}" = "$1" ]; then
			echo "$i"
			return 0
		fi
	done
	echo "unknown capability $1" >&2
	return 1
}

# cap_mask NAME...: the 16-hex-digit mask /proc/PID/status shows.
cap_mask() {
	local mask=0 c n

	for c in "$@"; do
		n="$(cap_number "$c")" || return 1
		mask=$((mask | (1 << n)))
	done
	printf '%016x\n' "$mask"
}

# --- teardown ---------------------------------------------------------------------

# The processes of a container: those that carry its marker in their
# environment (make_bundle puts it there).
container_procs() {
	grep -lsa --null-data -x "RUNLET_BATS_ID=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$" || true
}

leftover_cgroups() {
	[ -n "$1" ] || return 0
	find /sys/fs/cgroup -maxdepth 5 -type d -name "$1" 2>/dev/null || true
}

# leftover_mounts DIR: the mount points of this mount namespace at DIR or
# under it, deepest first.  DIR must be a test's own temporary directory.
leftover_mounts() {
	own_test_dir "$1" || return 0
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
		awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-
}

# own_test_dir DIR: DIR is strictly inside this test's temporary directory,
# the only place teardown may unmount anything.
own_test_dir() {
	[ -n "$1" ] && [ -n "${BATS_TEST_TMPDIR:-}" ] && [ "${#BATS_TEST_TMPDIR}" -gt 4 ] &&
		[[ "$1" == "$BATS_TEST_TMPDIR"/?* ]] && [[ "$1" != *..* ]]
}

common_teardown() {
	local id cmd pid problems=() pids cgs mounts dir mp

	# A runtime the test left in the background would hold the lock of its
	# container; then the test's own host-side helpers (network namespaces,
	# sleepers), some of which keep a container's namespace alive.
	for pid in "${BG_PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			problems+=("the runtime the test started ($pid) still runs: killed")
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	for cmd in "${CLEANUPS[@]}"; do
		eval "$cmd" >/dev/null 2>&1 || true
	done
	for id in "${CONTAINERS[@]}"; do
		[ -n "$id" ] || continue
		if ! timeout -k 5 "$RUNLET_TIMEOUT" "$RUNLET" --root "$RUNLET_BATS_ROOT" delete --force "$id" \
			>"$BATS_TEST_TMPDIR/teardown.err" 2>&1 3>&-; then
			problems+=("delete --force $id failed: $(cat "$BATS_TEST_TMPDIR/teardown.err")")
		fi
	done
	for id in "${CONTAINERS[@]}"; do
		[ -n "$id" ] || continue
		pids="$(container_procs "$id")"
		if [ -n "$pids" ]; then
			problems+=("processes of $id left: $(echo $pids)")
			# shellcheck disable=SC2086
			kill -9 $pids 2>/dev/null || true
		fi
		if [ -e "$RUNLET_BATS_ROOT/$id" ]; then
			problems+=("state record $RUNLET_BATS_ROOT/$id left")
			rm -f "$RUNLET_BATS_ROOT/$id"
		fi
		cgs="$(leftover_cgroups "$id")"
		if [ -n "$cgs" ]; then
			problems+=("cgroups of $id left: $(echo $cgs)")
			# Deepest first; processes still inside are killed.
			for dir in $(echo "$cgs" | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-); do
				[ -f "$dir/cgroup.procs" ] && xargs -r kill -9 <"$dir/cgroup.procs" 2>/dev/null
				find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
			done
		fi
	done
	# Only mount points inside the test's own bundle are looked at, and
	# only those are detached (deepest first): nothing else of the host.
	mounts="$(leftover_mounts "$BUNDLE")"
	if [ -n "$mounts" ]; then
		problems+=("mounts of the bundle left on the host: $(echo $mounts)")
		while IFS= read -r mp; do
			if own_test_dir "$mp"; then
				umount -l "$mp" 2>/dev/null || true
			fi
		done <<<"$mounts"
	fi
	if [ ${#problems[@]} -gt 0 ]; then
		printf 'teardown: %s\n' "${problems[@]}" >&2
		return 1
	fi
}
