#!/bin/bash
# Zero heap allocation: runlet built from configs/default_defconfig with
# every allocator entry point wrapped (-Wl,--wrap) by tests/malloc/trap.c,
# which ends the process with status 99 on the first call.  The default
# bundle of `runlet spec` then goes through each command: create, start,
# state, list, ps, exec, pause, resume, update, events --stats, kill,
# delete, and run.  Each must succeed, and no "allocation trapped" line may
# appear, from the runtime or from the container's init before its exec.
#
#   tests/malloc/run.sh        TAP on stdout
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/malloc
work=$top/build/malloc
bin=$work/bin/runlet
root=/run/runlet-malloc-$$
id=malloc-$$
cd "$top" || exit 1

. "$top/tests/tap.sh"

cleanup() {
	"$bin" --root "$root" delete --force "$id" >/dev/null 2>&1
	"$bin" --root "$root" delete --force "$id-run" >/dev/null 2>&1
	umount "$work/bin" 2>/dev/null
	rm -rf "$root"
}
trap cleanup EXIT

mkdir -p "$work/bin" "$work/obj"
umount "$work/bin" 2>/dev/null
musl-gcc -Os -c -o "$work/obj/trap.o" "$here/trap.c" || { echo "Bail out! trap.c does not build"; exit 1; }
wrap="-Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc -Wl,--wrap=aligned_alloc -Wl,--wrap=posix_memalign"
if ! make -s O="$work/build" KCONFIG_CONFIG="$top/configs/default_defconfig" \
	EXTRA_LDFLAGS="$wrap $work/obj/trap.o" >"$work/build.log" 2>&1; then
	echo "Bail out! the trapping build failed: $(tail -3 "$work/build.log")"
	exit 1
fi
cp "$work/build/runlet" "$bin"
# From a read-only mount, as from firmware: elsewhere runlet first copies
# itself into a memfd (src/exe_guard.c), which allocates nothing either but
# is not the path a device takes.
mount --bind "$work/bin" "$work/bin" && mount -o remount,bind,ro "$work/bin"

# The wrapper must be in the binary, or the test proves nothing.
if nm "$work/build/runlet" | grep -q ' T __wrap_malloc$'; then
	ok "the test build traps malloc, calloc, realloc, aligned_alloc and posix_memalign"
else
	not_ok "the test build has no __wrap_malloc"
fi

rootfs=$work/rootfs
mkdir -p "$rootfs/bin" "$rootfs/proc" "$rootfs/dev" "$rootfs/sys"
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for a in sh sleep true cat; do ln -sf busybox "$rootfs/bin/$a"; done
bundle=$work/bundle
mkdir -p "$bundle"
rm -f "$bundle/config.json"
R="$bin --root $root"

# step DESCRIPTION COMMAND...: the command succeeds and traps nothing.
step() {
	local desc=$1 rc
	shift
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc = 0 ] && ! grep -q "allocation trapped" "$work/err"; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc)"
		sed 's/^/# /' "$work/err"
	fi
}

step "spec writes the default bundle" $R spec --bundle "$bundle"
jq --arg r "$rootfs" '.root.path = $r | .process.terminal = false | .process.args = ["sleep", "1000"]' \
	"$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
step "create of the default bundle" $R create --bundle "$bundle" "$id"
step "state (created)" $R state "$id"
step "start" $R start "$id"
step "state (running)" $R state "$id"
if grep -q '"running"' "$work/out"; then ok "the container runs: its init exec'd without allocating"; else not_ok "the container is not running: $(cat "$work/out")"; fi
step "list" $R list
step "list --format json" $R list --format json
step "ps --format json" $R ps --format json "$id"
step "exec" $R exec "$id" true
step "pause" $R pause "$id"
step "resume" $R resume "$id"
step "update --pids-limit" $R update --pids-limit 50 "$id"
step "events --stats" $R events --stats "$id"
step "features" $R features
step "kill" $R kill "$id" KILL
sleep 0.2
step "delete --force" $R delete --force "$id"
jq '.process.args = ["true"]' "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
step "run in the foreground, through the container's exit and delete" $R run --bundle "$bundle" "$id-run"

# The control: libseccomp allocates when it compiles a profile, so this
# create must be stopped by the trap, or the trap catches nothing.
jq '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}' \
	"$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
if $R --cache-dir "$work/empty-cache-$$" create --bundle "$bundle" "$id-ctl" >/dev/null 2>"$work/err"; then
	not_ok "control: a create that compiles a seccomp profile was not trapped"
elif grep -q "allocation trapped: [a-z_]*alloc" "$work/err"; then
	ok "control: libseccomp's allocation in a seccomp create is trapped"
else
	not_ok "control: the seccomp create failed otherwise: $(head -1 "$work/err")"
fi
$R delete --force "$id-ctl" >/dev/null 2>&1
rm -rf "$work/empty-cache-$$"

echo "1..$n"
[ $failed = 0 ]
