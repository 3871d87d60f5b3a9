# Shared by tests/crash/run.sh and tests/concurrency/run.sh (bash):
# a busybox rootfs and bundles, the runtime with a state directory of the
# test's own, TAP output, and the checks that nothing of a container is
# left behind (record, cgroup, mount, process).
#
# Environment:
#   RUNLET          the runtime (default: build/runlet of this tree)
#   BUSYBOX         a static busybox (default: busybox in $PATH)
#   RUNLET_TIMEOUT  seconds one runtime command may take (default: 10)
#   TEST_WORKDIR    bundles and cached rootfs (default: build/crashtest)
#
# Every process of a test container carries RUNLET_TEST_TAG=<id> in its
# environment: the runtime is started with it, the init (a clone of the
# runtime) has it until its exec, and the config adds it for the container
# process.  That is how a process left behind is found, whatever it is.

TOP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNLET="${RUNLET:-$TOP_DIR/build/runlet}"
TEST_WORKDIR="${TEST_WORKDIR:-$TOP_DIR/build/crashtest}"
ROOTFS_CACHE="$TEST_WORKDIR/rootfs"
RUNLET_TIMEOUT="${RUNLET_TIMEOUT:-10}"
TAG_VAR=RUNLET_TEST_TAG
ERRFILE="${ERRFILE:-$TEST_WORKDIR/err.$$}"

# Bump when the rootfs recipe changes.
ROOTFS_RECIPE=1

# --- TAP ------------------------------------------------------------------------

tap_n=0
tap_pass=0
tap_fail=0

ok() {
	tap_n=$((tap_n + 1))
	tap_pass=$((tap_pass + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $*"
}

skip_test() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

diag() {
	sed 's/^/#   /'
}

note() {
	echo "# $*"
}

tap_end() {
	echo "1..$tap_n"
	echo "# $1: $tap_pass passed, $tap_fail failed"
	[ "$tap_fail" -eq 0 ]
}

bail() {
	echo "Bail out! $*"
	exit 2
}

# --- prerequisites -----------------------------------------------------------

need_root_and_tools() {
	local t

	[ "$(id -u)" -eq 0 ] || bail "needs root"
	[ -x "$RUNLET" ] || bail "the runtime $RUNLET is missing: run make first"
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || bail "$t is missing"
	done
}

# --- the rootfs and bundles -------------------------------------------------------

# A busybox rootfs, built once and cached; concurrent runs wait on a lock.
ensure_rootfs() {
	local busybox="${BUSYBOX:-$(command -v busybox || true)}" want stamp="$ROOTFS_CACHE.stamp"

	[ -n "$busybox" ] || bail "busybox is missing (apt-get install busybox-static)"
	if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked' &&
		ldd "$busybox" >/dev/null 2>&1; then
		bail "$busybox is not statically linked (apt-get install busybox-static)"
	fi
	want="recipe=$ROOTFS_RECIPE busybox=$(cksum <"$busybox" | cut -d' ' -f1)"
	mkdir -p "$TEST_WORKDIR"
	(
		flock -w 300 9 || exit 1
		[ -d "$ROOTFS_CACHE" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && exit 0
		rm -rf "$ROOTFS_CACHE" "$ROOTFS_CACHE.new" "$stamp"
		d="$ROOTFS_CACHE.new"
		mkdir -p "$d"/bin "$d"/proc "$d"/sys "$d"/dev "$d"/etc "$d"/root "$d"/tmp || exit 1
		chmod 1777 "$d/tmp"
		cp "$busybox" "$d/bin/busybox" && chmod 0755 "$d/bin/busybox" || exit 1
		# `busybox --list` names busybox too: a link by that name would
		# replace the binary by a link to itself.
		for a in $("$d/bin/busybox" --list); do
			[ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"
		done
		printf 'root:x:0:0:root:/root:/bin/sh\n' >"$d/etc/passwd"
		printf 'root:x:0:\n' >"$d/etc/group"
		mv "$d" "$ROOTFS_CACHE" && echo "$want" >"$stamp"
	) 9>"$ROOTFS_CACHE.lock" || bail "could not build the rootfs in $ROOTFS_CACHE"
}

# make_bundle DIR TAG ARG...: a bundle whose rootfs is a hard-linked copy
# of the cached one (read-only in the container), running ARG...  The
# config is `runlet spec`'s, edited once per argument list and cached.
make_bundle() {
	local dir="$1" tag="$2" args key tmpl tmp
	shift 2

	key="$(printf '%s\n' "$@" | cksum | cut -d' ' -f1)"
	tmpl="$TEST_WORKDIR/config-$key-$TEMPLATE_ID.json"
	if [ ! -f "$tmpl" ]; then
		# Parallel callers each make their own and the last rename wins.
		tmp="$tmpl.$BASHPID"
		args="$(printf '%s\n' "$@" | jq -R . | jq -sc .)" || return 1
		rm -rf "$tmp.d" && mkdir -p "$tmp.d" || return 1
		"$RUNLET" spec --bundle "$tmp.d" || return 1
		jq --argjson a "$args" --arg tag "$TAG_VAR=@TAG@" \
			'.process.terminal = false | .process.args = $a | .process.env += [$tag]
			 | .root.readonly = true' "$tmp.d/config.json" >"$tmp" || return 1
		rm -rf "$tmp.d"
		mv "$tmp" "$tmpl"
	fi
	rm -rf "$dir"
	mkdir -p "$dir" || return 1
	cp -al "$ROOTFS_CACHE" "$dir/rootfs" || return 1
	sed "s/@TAG@/$tag/" "$tmpl" >"$dir/config.json"
}
# The templates of one test run (removed by remove_templates).
TEMPLATE_ID="${TEMPLATE_ID:-$$}"
export TEMPLATE_ID

remove_templates() {
	rm -f "$TEST_WORKDIR/config-"*"-$TEMPLATE_ID.json"
}

# --- the runtime ----------------------------------------------------------------------

# rl ROOT ARG...: the runtime with a state directory, bounded in time.  The
# tag goes into its environment (see the top of this file): callers set TAG.
rl() {
	local root="$1"
	shift
	env "$TAG_VAR=${TAG:-none}" timeout -k 2 "$RUNLET_TIMEOUT" "$RUNLET" --root "$root" "$@"
}

# rl_create ROOT BUNDLE ID: create with the container's stdio on files (a
# pipe would be held open by the container).  Error text in $TEST_WORKDIR/err.
rl_create() {
	TAG="$3" rl "$1" create --bundle "$2" "$3" </dev/null >/dev/null 2>"$ERRFILE"
}

# state ROOT ID: sets ST (the status, or "error(RC): <message>") and SPID.
state() {
	local out rc

	SPID=
	out="$(rl "$1" state "$2" 2>"$ERRFILE")"
	rc=$?
	if [ $rc -ne 0 ]; then
		ST="error($rc): $(head -c 300 "$ERRFILE")"
		return 1
	fi
	if [[ "$out" =~ \"status\":\"([a-z]+)\" ]]; then
		ST="${BASH_REMATCH[1]}"
	else
		ST="error: no status in $out"
		return 1
	fi
	[[ "$out" =~ \"pid\":([0-9]+) ]] && SPID="${BASH_REMATCH[1]}"
	return 0
}

# status_of ROOT ID: the status field of `state`, or "error(RC): <message>".
status_of() {
	state "$1" "$2"
	echo "$ST"
}

pid_of() {
	state "$1" "$2"
	echo "$SPID"
}

# --- what a container leaves behind -------------------------------------------------

# Pids (not zombies) whose environment has the tag.
tagged_pids() {
	local f pid

	for f in $(grep -lsazxF "$TAG_VAR=$1" /proc/[0-9]*/environ 2>/dev/null); do
		pid="${f#/proc/}"
		pid="${pid%/environ}"
		[ "$pid" = "$$" ] && continue
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && continue
		echo "$pid"
	done
}

# Pids whose tag starts with the prefix.
tagged_pids_prefix() {
	local f pid

	for f in $(grep -lsaz "^$TAG_VAR=$1" /proc/[0-9]*/environ 2>/dev/null); do
		pid="${f#/proc/}"
		pid="${pid%/environ}"
		[ "$pid" = "$$" ] && continue
		echo "$pid"
	done
}

cgroup_mounts() {
	awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo |
		sed -n '/ - /!p' | sort -u
}

# Cgroup directories named after the id, in every hierarchy.
cgroup_dirs() {
	local m

	for m in $CGROUP_MOUNTS; do
		find "$m" -maxdepth 5 -type d -name "$1" 2>/dev/null
	done
}

# leftovers ROOT ID BUNDLE: what is left of a deleted container, one line
# each; nothing when it is all gone.
leftovers() {
	local root="$1" id="$2" bundle="$3" p

	[ -e "$root/$id" ] && echo "record $root/$id"
	for p in $(cgroup_dirs "$id"); do
		echo "cgroup $p"
	done
	grep -F " $bundle/" /proc/self/mountinfo | sed 's/^/mount /'
	grep -F " $bundle " /proc/self/mountinfo | sed 's/^/mount /'
	for p in $(tagged_pids "$id"); do
		echo "process $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | head -c 100)"
	done
}

# scrub ROOT ID BUNDLE: removes by hand whatever leftovers lists.
scrub() {
	local root="$1" id="$2" bundle="$3" p m

	for p in $(tagged_pids "$id"); do
		kill -9 "$p" 2>/dev/null
	done
	grep -F "$bundle" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	# Children first; a cgroup whose processes are dying may be busy a
	# little while.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		for p in $(cgroup_dirs "$id" | sort -r); do
			rmdir "$p" 2>/dev/null
		done
		[ -z "$(cgroup_dirs "$id")" ] && break
		sleep 0.1
	done
	rm -f "$root/$id"
}

CGROUP_MOUNTS="$(cgroup_mounts)"

# --- state roots -----------------------------------------------------------------------

# A tmpfs state root: a directory on /run when /run is a tmpfs, else a tmpfs
# mounted for the test (unmounted by cleanup_roots).
MOUNTED_ROOTS=()
make_tmpfs_root() {
	local dir="$1"

	mkdir -p "$dir" || return 1
	if [ "$(stat -f -c %T "$dir")" != tmpfs ]; then
		mount -t tmpfs -o mode=0700,size=16m runlet-test "$dir" || return 1
		MOUNTED_ROOTS+=("$dir")
	fi
}

# Every container whose record is in root goes, by delete --force and
# then by hand; the tag prefix finds processes whose record is gone.
cleanup_root() {
	local root="$1" prefix="$2" id p

	[ -d "$root" ] || return 0
	for id in $(ls -A "$root" 2>/dev/null); do
		case "$id" in .*) continue ;; esac
		timeout -k 2 "$RUNLET_TIMEOUT" "$RUNLET" --root "$root" delete --force "$id" >/dev/null 2>&1
	done
	for p in $(tagged_pids_prefix "$prefix"); do
		kill -9 "$p" 2>/dev/null
	done
}

cleanup_cgroups_prefix() {
	local m d

	for m in $CGROUP_MOUNTS; do
		find "$m" -maxdepth 5 -depth -type d -name "$1*" 2>/dev/null | while read -r d; do
			rmdir "$d" 2>/dev/null
		done
	done
}

cleanup_mounts_under() {
	grep -F "$1" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
}
