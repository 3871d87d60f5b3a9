#!/bin/bash
# The syscall ratchet: counts what each lifecycle command of the default
# bundle costs in system calls (strace -f -c) and fails when a count grew
# past tests/syscalls/counts.  A count that fell is reported, so that the
# file can follow it down (run with UPDATE=1 to rewrite it).
#
# Counts are exact for one binary, bundle, kernel and cgroup layout; the
# file records the kernel and layout they were taken on, and on another
# host the comparison is skipped with that reason.  create is counted up to
# the container's exit, as strace -f must follow it; runlet runs from a
# read-only mount, as from firmware (elsewhere it first copies itself into a
# sealed memfd, a cost of its own).
#
#   tests/syscalls/run.sh            TAP on stdout
#   UPDATE=1 tests/syscalls/run.sh   also rewrite tests/syscalls/counts
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/syscalls
runlet=${RUNLET:-$top/build/runlet}
work=$top/build/syscalls
counts=$here/counts

layout() {
	local l=v1
	[ -f /sys/fs/cgroup/cgroup.controllers ] && l=v2
	[ "$l" = v1 ] && [ -f /sys/fs/cgroup/unified/cgroup.controllers ] && l=hybrid
	echo "$l"
}

# Everything runs in a private mount namespace: the read-only mount of the
# binary and any container mount vanish with it, whatever happens.
if [ -z "${SYSCALLS_INNER:-}" ]; then
	command -v strace >/dev/null || { echo "1..0 # skip strace is missing"; exit 0; }
	command -v busybox >/dev/null || { echo "1..0 # skip busybox is missing"; exit 0; }
	rm -rf "$work"
	mkdir -p "$work/bin" "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/dev" "$work/rootfs/sys"
	cp "$runlet" "$work/bin/runlet"
	cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
	ln -s busybox "$work/rootfs/bin/true"
	SYSCALLS_INNER=1 unshare -m "$0" "$@"
	rc=$?
	# A container the inner run could not delete: its cgroups outlive the
	# namespace.
	"$runlet" --root "$work/state" delete --force sys-lifecycle >/dev/null 2>&1
	"$runlet" --root "$work/state" delete --force sys-hooks >/dev/null 2>&1
	exit $rc
fi

mount --make-rprivate /
mount --bind "$work/bin" "$work/bin" && mount -o remount,bind,ro "$work/bin"
R="$work/bin/runlet --root $work/state"

bundle() {
	local dir=$1 hooks=$2
	mkdir -p "$dir"
	rm -f "$dir/config.json"
	$R spec --bundle "$dir"
	jq --arg root "$work/rootfs" --argjson hooks "$hooks" \
		'.root.path = $root | .process.terminal = false | .process.args = ["/bin/true"] | .hooks = $hooks' \
		"$dir/config.json" >"$dir/c.json" && mv "$dir/c.json" "$dir/config.json"
}

total() {
	awk '$NF == "total" { print $4; found = 1 } END { if (!found) print -1 }' "$1"
}

# count NAME BUNDLE: the lifecycle of one container, one count per command.
count() {
	local name=$1 dir=$2 id=sys-$1 t
	strace -f -c -o "$work/$name.create" $R create --bundle "$dir" "$id" &
	for t in $(seq 100); do
		$R state "$id" 2>/dev/null | grep -q '"created"' && break
		sleep 0.05
	done
	strace -f -c -o "$work/$name.start" $R start "$id" >/dev/null
	wait
	strace -f -c -o "$work/$name.state" $R state "$id" >/dev/null
	strace -f -c -o "$work/$name.delete" $R delete "$id" >/dev/null
	for t in create start state delete; do
		echo "$name.$t $(total "$work/$name.$t")"
	done
}

hook='{"path": "/bin/busybox", "args": ["true"]}'
hooks="{\"createRuntime\": [$hook], \"createContainer\": [$hook], \"startContainer\": [$hook], \"poststart\": [$hook], \"poststop\": [$hook]}"
bundle "$work/lifecycle" '{}'
bundle "$work/hooks" "$hooks"
{
	count lifecycle "$work/lifecycle"
	count hooks "$work/hooks"
} >"$work/measured"

kernel=$(uname -r)
host="kernel $kernel, cgroup $(layout)"
if [ "${UPDATE:-}" = 1 ]; then
	{
		echo "# System calls per command (strace -f -c) of runlet spec's default bundle"
		echo "# running /bin/true, and of the same bundle with one hook of each kind;"
		echo "# runlet on a read-only mount.  Taken on:"
		echo "host $host"
		cat "$work/measured"
	} >"$counts"
fi

n=$(wc -l <"$work/measured")
echo "1..$n"
want_host=$(sed -n 's/^host //p' "$counts" 2>/dev/null)
i=0
while read -r key got; do
	i=$((i + 1))
	want=$(awk -v k="$key" '$1 == k { print $2 }' "$counts" 2>/dev/null)
	if [ "$want_host" != "$host" ]; then
		echo "ok $i - $key: $got # skip counts were taken on $want_host, this is $host"
	elif [ -z "$want" ]; then
		echo "not ok $i - $key: $got, no recorded count (UPDATE=1 records it)"
	elif [ "$got" -lt 0 ]; then
		echo "not ok $i - $key: strace counted nothing"
	elif [ "$got" -gt "$want" ]; then
		echo "not ok $i - $key: $got system calls, more than the recorded $want"
	elif [ "$got" -lt "$want" ]; then
		echo "ok $i - $key: $got, below the recorded $want: lower it in tests/syscalls/counts"
	else
		echo "ok $i - $key: $got"
	fi
done <"$work/measured"
