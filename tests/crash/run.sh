#!/bin/bash
# Crash consistency of the container records: runlet killed (SIGKILL) at
# every system call of create, start, kill and delete, and records damaged
# by hand as a torn or corrupted write would leave them.  Prints TAP.
#
#   tests/crash/run.sh            as root, after make
#
# Each kill point is one system call of the runtime's own process (not of
# the container's init): strace delivers SIGKILL on entry to the k-th call
# of one system call name (strace counts per name), for every (name, k) the
# command makes, found by tracing it once first.  After each kill:
#
#   - state works (a status of runtime.md) or says the container does not
#     exist; a record reported corrupted is counted (there must be none);
#   - list works and lists the bystander, a container running all along,
#     and the killed one when its record exists;
#   - delete --force works, and then nothing of the container is left: no
#     record, no cgroup directory, no mount naming its bundle, no process;
#   - the bystander is untouched: running, same pid.
#
# Then each kind of damage to a running container's record (one copy, both
# copies, the data area, truncation; tests/crash/record.py) must give the
# previous valid state or a clear error, list must still list the others,
# and delete --force must remove the record.  Last, the bytes written and
# the fsyncs issued to the state directory by one create-start-delete cycle
# are measured.
#
# All of it runs twice: with --root on a tmpfs (a directory on /run when
# /run is a tmpfs, else a tmpfs mounted for the test) and on a disk (under
# /var/tmp).
#
# Environment (and those of tests/crash/lib.sh):
#   CRASH_STEP      try every Nth kill point only (default 1: all of them)
#   CRASH_ROOTS     "tmpfs disk" (default), or one of them
#   CRASH_DISK_DIR  where the disk-backed root goes (default /var/tmp)
#   CRASH_COMMANDS  "create start kill delete delete-force" (default)
set -u

# shellcheck source=tests/crash/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STEP="${CRASH_STEP:-1}"
ROOT_KINDS="${CRASH_ROOTS:-tmpfs disk}"
COMMANDS="${CRASH_COMMANDS:-create start kill delete delete-force}"
PREFIX="crash$$"
WORK="$TEST_WORKDIR/crash-$$"
ERRFILE="$WORK/err"
TMPFS_ROOT="/run/runlet-crash-$$"
DISK_ROOT="${CRASH_DISK_DIR:-/var/tmp}/runlet-crash-$$"
RECORD_PY="$TOP_DIR/tests/crash/record.py"

need_root_and_tools strace jq python3 flock timeout file cksum mountpoint
case "$STEP" in '' | *[!0-9]* | 0) bail "CRASH_STEP must be a positive number" ;; esac

cleanup() {
	local r m

	trap - EXIT INT TERM
	for r in "$TMPFS_ROOT" "$DISK_ROOT"; do
		cleanup_root "$r" "$PREFIX-"
	done
	remove_templates
	for p in $(tagged_pids_prefix "$PREFIX-"); do
		kill -9 "$p" 2>/dev/null
	done
	sleep 0.2
	cleanup_cgroups_prefix "$PREFIX-"
	cleanup_mounts_under "$WORK"
	for m in "${MOUNTED_ROOTS[@]}"; do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$TMPFS_ROOT" "$DISK_ROOT" "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK" || bail "cannot make $WORK"
ensure_rootfs

# Totals for the report.
POINTS=0		# kill points tried
KILLED=0		# ... where the runtime did die there
CORRUPTED=0		# records reported corrupted after a kill
LEAKS=0			# containers with something left after delete --force
START_STALE=0		# start killed after the exec: state says created

# --- helpers ------------------------------------------------------------------------

# traced_kill ROOT ID NAME K ARG...: the runtime, killed on entry to the
# K-th call of NAME.  Returns its exit status (137: killed).
traced_kill() {
	local root="$1" id="$2" name="$3" k="$4"
	shift 4
	# In a subshell, so that the shell's "Killed" notice goes nowhere.
	(timeout -k 2 30 strace -qq -o /dev/null -E "$TAG_VAR=$id" -e trace="$name" \
		-e inject="$name":signal=SIGKILL:when="$k" \
		"$RUNLET" --root "$root" "$@" </dev/null >/dev/null 2>"$ERRFILE"
	exit $?) 2>/dev/null
}

# profile ROOT ID ARG...: the system calls of one run, one name a line.
profile() {
	local root="$1" id="$2"
	shift 2
	strace -qq -o "$WORK/profile.tr" -E "$TAG_VAR=$id" "$RUNLET" --root "$root" "$@" \
		</dev/null >/dev/null 2>"$ERRFILE"
	sed -n 's/^\([a-z_0-9]\+\)(.*/\1/p' "$WORK/profile.tr"
}

bundle_of() {
	echo "$WORK/bundles/$1"
}

# The host's own mounts must all be there, every time: a test that lost
# /proc or the cgroup hierarchies can tell nothing.
host_mounts_check() {
	local m

	[ -r /proc/self/mountinfo ] || bail "/proc is not mounted any more"
	for m in $CGROUP_MOUNTS; do
		mountpoint -q "$m" || bail "$m is not mounted any more: the host's mounts changed under the test"
	done
}

# prepare CMD ROOT ID: the container as CMD expects it, and CMD's arguments
# in ARGS.
prepare() {
	local cmd="$1" root="$2" id="$3" bundle i

	host_mounts_check
	bundle="$(bundle_of "$id")"
	make_bundle "$bundle" "$id" sleep 100000 || { echo "make_bundle failed"; return 1; }
	case "$cmd" in
	create)
		ARGS=(create --bundle "$bundle" "$id")
		return 0
		;;
	esac
	rl_create "$root" "$bundle" "$id" || { echo "create: exit $?: $(cat "$ERRFILE")"; return 1; }
	case "$cmd" in
	start)
		ARGS=(start "$id")
		return 0
		;;
	esac
	TAG="$id" rl "$root" start "$id" 2>"$ERRFILE" || { echo "start: exit $?: $(cat "$ERRFILE")"; return 1; }
	case "$cmd" in
	kill) ARGS=(kill "$id" KILL) ;;
	delete-force) ARGS=(delete --force "$id") ;;
	delete)
		TAG="$id" rl "$root" kill "$id" KILL 2>"$ERRFILE" || { echo "kill: exit $?: $(cat "$ERRFILE")"; return 1; }
		for i in $(seq 100); do
			[ "$(status_of "$root" "$id")" = stopped ] && break
			sleep 0.05
		done
		ARGS=(delete "$id")
		;;
	esac
}

# The bystander: running since the start, with the same pid.
BYSTANDER_PID=
bystander_check() {
	local root="$1" id="$2" st pid

	state "$root" "$id"
	st="$ST"
	pid="$SPID"
	if [ "$st" != running ] || [ "$pid" != "$BYSTANDER_PID" ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "bystander $id: status $st, pid $pid (was $BYSTANDER_PID)"
		return 1
	fi
}

# Whether pid has exec'd the container's process (busybox) already.
exec_done() {
	readlink "/proc/$1/exe" 2>/dev/null | grep -q busybox
}

# leftovers, waiting up to 3 s for processes that are on their way out.
settled_leftovers() {
	local i out

	for i in $(seq 30); do
		out="$(leftovers "$@")"
		[ -z "$out" ] && return 0
		grep -qv '^process ' <<<"$out" && break
		sleep 0.1
	done
	[ -n "$out" ] && echo "$out"
}

# check_after ROOT ID WHAT CMD: the invariants after a kill; problems on
# stdout.
check_after() {
	local root="$1" id="$2" cmd="$4" bundle st out pid i

	bundle="$(bundle_of "$id")"
	# A creating record whose creator is dead reads as stopped; the lock
	# may still be held for a moment by an init on its way out.
	for i in $(seq 20); do
		st="$(status_of "$root" "$id")"
		[ "$st" = creating ] || break
		sleep 0.05
	done
	case "$st" in
	created | running | stopped | paused) ;;
	creating) echo "state: creating, 1 s after its creator was killed" ;;
	*"does not exist"*)
		[ -e "$root/$id" ] && echo "state: does not exist, but $root/$id is there"
		;;
	*corrupted*)
		CORRUPTED=$((CORRUPTED + 1))
		echo "state: record corrupted: $st"
		python3 "$RECORD_PY" show "$root/$id" 2>&1
		;;
	*) echo "state: $st" ;;
	esac
	STATUS_SEEN="$st"
	if [ "$cmd" = start ] && [ "$st" = created ]; then
		pid="$(pid_of "$root" "$id")"
		if exec_done "$pid"; then
			START_STALE=$((START_STALE + 1))
			STALE_NOTE="state says created, but its process runs"
		elif ! TAG="$id" rl "$root" start "$id" 2>"$ERRFILE"; then
			# Killed before it signalled the init: start again works.
			echo "start again after the kill: $(cat "$ERRFILE")"
		elif [ "$(status_of "$root" "$id")" != running ]; then
			echo "start again after the kill: the container is $(status_of "$root" "$id")"
		else
			STATUS_SEEN="created, started again"
		fi
	fi
	out="$(rl "$root" list 2>"$ERRFILE")" || echo "list failed: $(cat "$ERRFILE")"
	grep -Eq "^$BYSTANDER +[0-9]+ +running " <<<"$out" || echo "list: no running bystander"
	if [ -e "$root/$id" ] && ! grep -Eq "^$id +[0-9]+ +(creating|created|running|stopped|paused) " <<<"$out"; then
		echo "list: $id missing or unreadable: $(grep "^$id " <<<"$out")"
	fi
	if ! TAG="$id" rl "$root" delete --force "$id" 2>"$ERRFILE"; then
		echo "delete --force failed: $(cat "$ERRFILE")"
	fi
	out="$(settled_leftovers "$root" "$id" "$bundle")"
	if [ -n "$out" ]; then
		LEAKS=$((LEAKS + 1))
		echo "left after delete --force:"
		echo "$out"
		scrub "$root" "$id" "$bundle"
	fi
	bystander_check "$root" "$BYSTANDER"
}

# A state answer for a TAP line.
short() {
	case "$1" in
	*"does not exist"*) echo "no record" ;;
	*corrupted*) echo "record corrupted" ;;
	*"has format"*) echo "newer record format refused" ;;
	error*) echo "${1:0:80}" ;;
	*) echo "$1" ;;
	esac
}

# --- kill points --------------------------------------------------------------------

# killpoints ROOT RNAME CMD
killpoints() {
	local root="$1" rname="$2" cmd="$3" id names n i name k rc problems what pid hit=0 tried=0

	id="$PREFIX-$rname-$cmd-profile"
	prepare "$cmd" "$root" "$id" >"$WORK/prep.out" 2>&1 || {
		not_ok "$rname $cmd: prepare a container"
		diag <"$WORK/prep.out"
		return
	}
	mapfile -t names < <(profile "$root" "$id" "${ARGS[@]}")
	n=${#names[@]}
	TAG="$id" rl "$root" delete --force "$id" >/dev/null 2>&1
	scrub "$root" "$id" "$(bundle_of "$id")"
	rm -rf "$(bundle_of "$id")"
	note "$rname $cmd: $n system calls ($(printf '%s\n' "${names[@]}" | sort | uniq -c | sort -rn |
		awk '{print $2 " " $1}' | paste -sd, - | sed 's/,/, /g'))"
	if [ "$n" -eq 0 ]; then
		not_ok "$rname $cmd: no system call traced"
		return
	fi
	for ((i = 0; i < n; i += STEP)); do
		name="${names[$i]}"
		k="$(printf '%s\n' "${names[@]:0:$((i + 1))}" | grep -cx "$name")"
		id="$PREFIX-$rname-$cmd-$((i + 1))"
		what="$rname $cmd: SIGKILL at call $((i + 1))/$n ($name #$k)"
		if ! prepare "$cmd" "$root" "$id" >"$WORK/prep.out" 2>&1; then
			not_ok "$what: prepare a container"
			diag <"$WORK/prep.out"
			scrub "$root" "$id" "$(bundle_of "$id")"
			continue
		fi
		traced_kill "$root" "$id" "$name" "$k" "${ARGS[@]}"
		rc=$?
		POINTS=$((POINTS + 1))
		tried=$((tried + 1))
		if [ $rc -eq 137 ]; then
			KILLED=$((KILLED + 1))
			hit=$((hit + 1))
		else
			what="$what, not reached (exit $rc)"
		fi
		STALE_NOTE=
		# Not in a subshell: it counts.
		check_after "$root" "$id" "$what" "$cmd" >"$WORK/problems" 2>&1
		problems="$(cat "$WORK/problems")"
		if [ -z "$problems" ] && [ -n "$STALE_NOTE" ]; then
			not_ok "$what: ${STATUS_SEEN%%:*}, cleaned up: $STALE_NOTE"
		elif [ -z "$problems" ]; then
			ok "$what: $(short "$STATUS_SEEN"), cleaned up"
		else
			not_ok "$what"
			diag <<<"$problems"
		fi
		rm -rf "$(bundle_of "$id")"
	done
	note "$rname $cmd: $tried kill points tried, $hit killed the runtime there"
}

# --- damaged records -------------------------------------------------------------

# damage_case ROOT RNAME HOW EXPECT: EXPECT is current (the damage hit
# the older copy: state is unchanged), previous (the newer copy: state
# falls back to the one before) or error (a clear error).
damage_case() {
	local root="$1" rname="$2" how="$3" expect="$4" id bundle st out problems=() left warned

	id="$PREFIX-$rname-dmg-$how"
	bundle="$(bundle_of "$id")"
	if ! prepare delete-force "$root" "$id" >"$WORK/prep.out" 2>&1; then
		not_ok "$rname damaged record, $how: prepare a container"
		diag <"$WORK/prep.out"
		return
	fi
	python3 "$RECORD_PY" damage "$root/$id" "$how" || problems+=("record.py damage $how failed")
	st="$(status_of "$root" "$id")"
	case "$expect" in
	current) [ "$st" = running ] || problems+=("state: $st, expected running (the damage hit the older copy)") ;;
	# The copy before the damaged one says created; its init has exec'd
	# (its reply pipe is closed), which state reads as running.
	previous) [ "$st" = running ] || problems+=("state: $st, expected running (the created copy before the damaged one, its init past its exec)") ;;
	error)
		case "$st" in
		*corrupted* | *format*) ;;
		*) problems+=("state: $st, expected an error") ;;
		esac
		;;
	esac
	out="$(rl "$root" list 2>"$ERRFILE")" || problems+=("list failed: $(cat "$ERRFILE")")
	grep -Eq "^$BYSTANDER +[0-9]+ +running " <<<"$out" || problems+=("list: no running bystander")
	grep -q "^$id " <<<"$out" || problems+=("list: $id is not listed")
	if ! TAG="$id" rl "$root" delete --force "$id" 2>"$ERRFILE"; then
		problems+=("delete --force failed: $(cat "$ERRFILE")")
	fi
	warned="$(cat "$ERRFILE")"
	[ -e "$root/$id" ] && problems+=("the record is still there after delete --force")
	bystander_check "$root" "$BYSTANDER" >"$WORK/by.out" || problems+=("$(cat "$WORK/by.out")")
	left="$(settled_leftovers "$root" "$id" "$bundle" | grep -v '^record ')"
	scrub "$root" "$id" "$bundle"
	rm -rf "$bundle"
	if [ ${#problems[@]} -gt 0 ]; then
		not_ok "$rname damaged record, $how"
		printf '%s\n' "${problems[@]}" | diag
		return
	fi
	if [ -n "$left" ]; then
		if [ "$expect" = error ] && [[ "$warned" == *"a process it named is left as it is"* ]]; then
			# With its data gone too, an unreadable record names no
			# cgroup or process to undo: delete says so, and the suite
			# cleans up after it (scrub above).
			ok "$rname damaged record, $how: $(short "$st"); record removed, with a warning that its process is left"
		else
			LEAKS=$((LEAKS + 1))
			not_ok "$rname damaged record, $how: $(short "$st"); left after delete --force"
			diag <<<"$left"
		fi
		return
	fi
	ok "$rname damaged record, $how: $(short "$st"); list, delete --force fine"
}

# A file in the state directory that was never a record.
stray_file_case() {
	local root="$1" rname="$2" id out st problems=()

	id="$PREFIX-$rname-stray"
	head -c 300 /dev/urandom >"$root/$id"
	st="$(status_of "$root" "$id")"
	[[ "$st" == *corrupted* ]] || problems+=("state: $st")
	out="$(rl "$root" list 2>"$ERRFILE")" || problems+=("list failed: $(cat "$ERRFILE")")
	grep -Eq "^$BYSTANDER +[0-9]+ +running " <<<"$out" || problems+=("list: no running bystander")
	grep -Eq "^$id +- +corrupted" <<<"$out" || problems+=("list: $id not listed as corrupted")
	rl "$root" delete --force "$id" 2>"$ERRFILE" || problems+=("delete --force: $(cat "$ERRFILE")")
	[ -e "$root/$id" ] && problems+=("still there after delete --force")
	rm -f "$root/$id"
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$rname garbage file in the state directory: corrupted in state and list, delete --force removes it"
	else
		not_ok "$rname garbage file in the state directory"
		printf '%s\n' "${problems[@]}" | diag
	fi
}

# A valid record naming a pid now used by another process (its start time
# differs): the container is stopped and delete --force leaves that
# process alone.
reused_pid_case() {
	local root="$1" rname="$2" id victim st problems=()

	id="$PREFIX-$rname-reused-pid"
	if ! prepare delete "$root" "$id" >"$WORK/prep.out" 2>&1; then
		not_ok "$rname reused pid: prepare a container"
		diag <"$WORK/prep.out"
		return
	fi
	env "$TAG_VAR=$id-victim" sleep 1000 &
	victim=$!
	python3 "$RECORD_PY" set-pid "$root/$id" "$victim" || problems+=("record.py set-pid failed")
	st="$(status_of "$root" "$id")"
	[ "$st" = stopped ] || problems+=("state: $st, expected stopped")
	rl "$root" delete --force "$id" 2>"$ERRFILE" || problems+=("delete --force: $(cat "$ERRFILE")")
	kill -0 "$victim" 2>/dev/null || problems+=("delete --force killed pid $victim, which was not the container's")
	kill -9 "$victim" 2>/dev/null
	wait "$victim" 2>/dev/null
	scrub "$root" "$id" "$(bundle_of "$id")"
	rm -rf "$(bundle_of "$id")"
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$rname record naming a reused pid: stopped; delete --force leaves that process alone"
	else
		not_ok "$rname record naming a reused pid"
		printf '%s\n' "${problems[@]}" | diag
	fi
}

# --- bytes and fsyncs per cycle ----------------------------------------------------

# trace_io ROOT ID OUT ARG...: the runtime under strace -f, its file
# system calls in OUT.  strace follows the container's init too, which
# outlives create: once the runtime itself has exited, strace is told to
# let go (-I2: SIGTERM detaches).  Returns the runtime's exit status.
trace_io() {
	local root="$1" id="$2" out="$3" tracer first i rc
	shift 3

	: >"$out"
	strace -f -I2 -y -q -o "$out" -E "$TAG_VAR=$id" \
		-e trace=write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,sync_file_range,syncfs,openat,unlinkat,linkat,renameat,renameat2,ftruncate,mkdir,mkdirat \
		"$RUNLET" --root "$root" "$@" </dev/null >/dev/null 2>"$ERRFILE" &
	tracer=$!
	for i in $(seq 300); do
		first="$(awk 'NR == 1 { print $1; exit }' "$out")"
		[ -n "$first" ] && grep -Eq "^$first +\+\+\+ (exited|killed)" "$out" && break
		kill -0 "$tracer" 2>/dev/null || break
		sleep 0.05
	done
	kill -TERM "$tracer" 2>/dev/null
	wait "$tracer" 2>/dev/null
	rc="$(sed -n "s/^$first  *+++ exited with \([0-9]*\) +++\$/\1/p" "$out")"
	return "${rc:-255}"
}

IO_REPORT=()
io_cycle() {
	local root="$1" rname="$2" id bundle tr="$WORK/io.tr" phase i st line summary
	local -a sums

	id="$PREFIX-$rname-io"
	bundle="$(bundle_of "$id")"
	make_bundle "$bundle" "$id" true || { not_ok "$rname I/O per cycle: bundle"; return; }
	: >"$tr"
	for phase in create start delete; do
		case "$phase" in
		create) set -- create --bundle "$bundle" "$id" ;;
		start) set -- start "$id" ;;
		delete)
			for i in $(seq 100); do
				st="$(status_of "$root" "$id")"
				[ "$st" = stopped ] && break
				sleep 0.05
			done
			set -- delete "$id"
			;;
		esac
		echo "PHASE $phase" >>"$tr"
		trace_io "$root" "$id" "$WORK/io.one" "$@"
		st=$?
		cat "$WORK/io.one" >>"$tr"
		if [ $st -ne 0 ]; then
			not_ok "$rname I/O per cycle: $phase failed: $(cat "$ERRFILE")"
			TAG="$id" rl "$root" delete --force "$id" >/dev/null 2>&1
			scrub "$root" "$id" "$bundle"
			return
		fi
	done
	rm -rf "$bundle"
	# Per phase: bytes written, write calls, fsync/fdatasync calls, and the
	# metadata calls (open for writing, link, unlink, mkdir) on paths under
	# the root.
	summary="$(awk -v root="$root" '
		function under(s) { return index(s, "<" root "/") > 0 || index(s, "<" root ">") > 0 || index(s, "\"" root "/") > 0 }
		/^PHASE / { phase = $2; order[++np] = phase; next }
		{
			line = $0
			sub(/^[0-9]+ +/, "", line)
			name = line; sub(/\(.*/, "", name)
			if (!under(line)) next
			ret = line; sub(/.*= /, "", ret); ret = ret + 0
			if (name ~ /^(write|pwrite64|writev|pwritev|pwritev2)$/) { bytes[phase] += ret; writes[phase]++ }
			else if (name ~ /^(fsync|fdatasync|sync_file_range|syncfs)$/) syncs[phase]++
			else if (name == "openat" && line !~ /O_RDONLY/) opens[phase]++
			else if (name ~ /^(linkat|unlinkat|renameat|renameat2|mkdir|mkdirat|ftruncate)$/) meta[phase]++
		}
		END {
			for (i = 1; i <= np; i++) {
				p = order[i]
				printf "%s %d %d %d %d %d\n", p, bytes[p], writes[p], syncs[p], opens[p], meta[p]
				tb += bytes[p]; tw += writes[p]; ts += syncs[p]; to += opens[p]; tm += meta[p]
			}
			printf "total %d %d %d %d %d\n", tb, tw, ts, to, tm
		}' "$tr")"
	while read -r line; do
		set -- $line
		note "$rname $1: $2 bytes in $3 writes, $4 fsync/fdatasync, $5 opens for writing, $6 link/unlink/mkdir"
		[ "$1" = total ] && sums=("$2" "$3" "$4")
	done <<<"$summary"
	IO_REPORT+=("$rname: ${sums[0]} bytes in ${sums[1]} writes, ${sums[2]} fsyncs per create-start-delete cycle")
	ok "$rname I/O per cycle: ${sums[0]} bytes in ${sums[1]} writes and ${sums[2]} fsyncs to the state directory"
	[ -e "$root/$id" ] && not_ok "$rname I/O per cycle: the record is still there after delete"
}

# --- the run ----------------------------------------------------------------------------

started=$(date +%s)
for rname in $ROOT_KINDS; do
	case "$rname" in
	tmpfs)
		root="$TMPFS_ROOT"
		make_tmpfs_root "$root" || bail "cannot mount a tmpfs on $root"
		;;
	disk)
		root="$DISK_ROOT"
		mkdir -p "$root" || bail "cannot make $root"
		[ "$(stat -f -c %T "$root")" = tmpfs ] && note "$root is on a tmpfs, not a disk"
		;;
	*) bail "CRASH_ROOTS: tmpfs or disk, not $rname" ;;
	esac
	note "--root $root ($(stat -f -c %T "$root"))"

	BYSTANDER="$PREFIX-$rname-bystander"
	make_bundle "$(bundle_of "$BYSTANDER")" "$BYSTANDER" sleep 100000 || bail "bundle"
	rl_create "$root" "$(bundle_of "$BYSTANDER")" "$BYSTANDER" || bail "create the bystander: $(cat "$ERRFILE")"
	TAG="$BYSTANDER" rl "$root" start "$BYSTANDER" || bail "start the bystander"
	BYSTANDER_PID="$(pid_of "$root" "$BYSTANDER")"

	for cmd in $COMMANDS; do
		killpoints "$root" "$rname" "$cmd"
	done

	for how in zero-older garbage-older torn-older; do
		damage_case "$root" "$rname" "$how" current
	done
	for how in zero-newer garbage-newer torn-newer; do
		damage_case "$root" "$rname" "$how" previous
	done
	for how in zero-both garbage-both flip-data empty truncate-100 truncate-200 truncate-256 \
		truncate-half-data append-garbage format-2; do
		damage_case "$root" "$rname" "$how" error
	done
	stray_file_case "$root" "$rname"
	reused_pid_case "$root" "$rname"

	io_cycle "$root" "$rname"

	if bystander_check "$root" "$BYSTANDER" >"$WORK/by.out"; then
		ok "$rname bystander $BYSTANDER ran through all of it (pid $BYSTANDER_PID)"
	else
		not_ok "$rname bystander"
		diag <"$WORK/by.out"
	fi
	TAG="$BYSTANDER" rl "$root" delete --force "$BYSTANDER" 2>"$ERRFILE" || not_ok "delete the bystander: $(cat "$ERRFILE")"
	left="$(settled_leftovers "$root" "$BYSTANDER" "$(bundle_of "$BYSTANDER")")"
	[ -n "$left" ] && { not_ok "$rname bystander: left after delete --force"; diag <<<"$left"; }
	rm -rf "$(bundle_of "$BYSTANDER")"
done

note "kill points tried: $POINTS (every ${STEP}th), the runtime killed at $KILLED of them"
note "records corrupted after a kill: $CORRUPTED"
note "containers with leftovers after delete --force: $LEAKS"
note "start killed after the exec, state still created: $START_STALE"
for line in "${IO_REPORT[@]}"; do
	note "I/O: $line"
done
note "$(($(date +%s) - started)) s"
tap_end crash
