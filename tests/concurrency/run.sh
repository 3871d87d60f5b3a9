#!/bin/bash
# Many containers and many commands at once, on one state directory.
# Prints TAP.
#
#   tests/concurrency/run.sh        as root, after make
#
#   1. 100 containers (busybox sleep) created and started by 8 processes at
#      once (xargs -P 8); then state, list, kill and delete on all of them
#      from 8 processes, with lists running alongside: every command must
#      succeed with the right answer, and nothing may be left behind
#      (record, cgroup directory, mount naming the bundle, process).
#   2. The state table at its capacity (CONFIG_STATE_CAPACITY, 128 in the
#      default configuration): the next create fails with exit status 1
#      and a message naming CONFIG_STATE_CAPACITY, leaves nothing behind,
#      and the containers already there are intact.  Then a race for the
#      last places: more creates at once than places, exactly as many win
#      as there were places.
#   3. Two commands on the same id at once, 20 times each: create/create,
#      start/delete --force, kill/delete --force, delete/delete: one wins
#      (or both succeed where that is what running them one after the
#      other would give), a loser gets one clear line of error and exit
#      status 1, the record stays valid, nothing leaks.
#   4. A delete that waited for the lock of a record another delete
#      removed must not touch a new container of the same id.
#
# Part 2 also lists a full table whose records have long bundle paths,
# with unreadable records among them: every one must be listed.
#
# Environment (and those of tests/crash/lib.sh):
#   CONC_CONTAINERS   how many containers in part 1 (default 100)
#   CONC_JOBS         parallel processes (default 8)
#   CONC_REPEAT       rounds of each race in part 3 (default 20)
#   CONC_CAPACITY     the runtime's CONFIG_STATE_CAPACITY (default 128)
set -u

# shellcheck source=tests/crash/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../crash/lib.sh"

N="${CONC_CONTAINERS:-100}"
JOBS="${CONC_JOBS:-8}"
REPEAT="${CONC_REPEAT:-20}"
CAPACITY="${CONC_CAPACITY:-128}"
PREFIX="conc$$"
WORK="$TEST_WORKDIR/conc-$$"
ERRFILE="$WORK/err"
ROOT="/run/runlet-conc-$$"

need_root_and_tools jq xargs flock timeout file cksum strace mountpoint python3

cleanup() {
	local p

	trap - EXIT INT TERM
	cleanup_root "$ROOT" "$PREFIX-"
	for p in $(tagged_pids_prefix "$PREFIX-"); do
		kill -9 "$p" 2>/dev/null
	done
	sleep 0.2
	cleanup_cgroups_prefix "$PREFIX-"
	cleanup_mounts_under "$WORK"
	for p in "${MOUNTED_ROOTS[@]}"; do
		umount -l "$p" 2>/dev/null
	done
	remove_templates
	rm -rf "$ROOT" "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/bundles" "$WORK/out" || bail "cannot make $WORK"
ensure_rootfs
make_tmpfs_root "$ROOT" || bail "cannot make the state directory $ROOT"
note "--root $ROOT ($(stat -f -c %T "$ROOT")), $JOBS parallel processes"

bundle_of() {
	echo "$WORK/bundles/$1"
}

# Every id of a part, one a line.
ids() {
	local i

	for ((i = 1; i <= $2; i++)); do
		echo "$PREFIX-$1-$i"
	done
}

# --- the worker: one command on one id, its verdict on stdout -----------------------

# worker OP ID [N]: OK or FAIL with the reason (the runtime's stderr).  N
# tells apart two workers of the same OP on one id.
worker() {
	local op="$1" id="$2" out err rc st
	local bundle="$WORK/bundles/$id"

	err="$WORK/out/$id.$op${3:+.$3}.err"
	case "$op" in
	bundle)
		make_bundle "$bundle" "$id" sleep 100000 >"$err" 2>&1 && echo "OK $id" ||
			echo "FAIL $id: make_bundle: $(head -c 200 "$err")"
		return
		;;
	create)
		TAG="$id" rl "$ROOT" create --bundle "$bundle" "$id" </dev/null >/dev/null 2>"$err"
		;;
	start | kill | delete | delete-force)
		case "$op" in
		kill) set -- kill "$id" KILL ;;
		delete-force) set -- delete --force "$id" ;;
		*) set -- "$op" "$id" ;;
		esac
		TAG="$id" rl "$ROOT" "$@" </dev/null >/dev/null 2>"$err"
		;;
	state-running | state-stopped | state-created)
		out="$(rl "$ROOT" state "$id" 2>"$err")"
		rc=$?
		[ $rc -eq 0 ] || { echo "FAIL $id: state exit $rc: $(head -c 200 "$err")"; return; }
		st="${op#state-}"
		if ! jq -e --arg id "$id" --arg st "$st" \
			'.id == $id and .status == $st and (if $st == "stopped" then .pid == 0 else .pid > 0 end)
			 and (.bundle | endswith("/" + $id))' <<<"$out" >/dev/null 2>&1; then
			echo "FAIL $id: state: $out"
			return
		fi
		echo "OK $id"
		return
		;;
	list)
		out="$(rl "$ROOT" list 2>"$err")"
		rc=$?
		[ $rc -eq 0 ] || { echo "FAIL list exit $rc: $(head -c 200 "$err")"; return; }
		grep -q ' corrupted ' <<<"$out" && { echo "FAIL list shows a corrupted record: $(grep ' corrupted ' <<<"$out" | head -1)"; return; }
		echo "OK list $(($(wc -l <<<"$out") - 1)) rows"
		return
		;;
	esac
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "OK $id"
	else
		echo "FAIL $id: $op exit $rc: $(head -c 300 "$err")"
	fi
}
export -f worker make_bundle rl
export WORK ROOT RUNLET RUNLET_TIMEOUT TAG_VAR TEST_WORKDIR ROOTFS_CACHE ERRFILE

# in_parallel OP: worker OP on every id of stdin, JOBS at a time; sets
# NOK, NFAIL and FAILS (the first failures).
in_parallel() {
	local out="$WORK/par.out"

	xargs -P "$JOBS" -n 1 bash -c 'worker "$0" "$1"' "$1" >"$out" 2>&1
	NOK=$(grep -c '^OK' "$out")
	NFAIL=$(grep -vc '^OK' "$out")
	FAILS="$(grep -v '^OK' "$out" | head -5)"
}

# report WHAT EXPECTED: one TAP line for the last in_parallel.
report() {
	if [ "$NFAIL" -eq 0 ] && [ "$NOK" -eq "$2" ]; then
		ok "$1: $NOK/$2 succeeded"
	else
		not_ok "$1: $NOK/$2 succeeded, $NFAIL failed"
		[ -n "$FAILS" ] && diag <<<"$FAILS"
	fi
}

# No record, cgroup, mount or process of any of the ids on stdin.
check_nothing_left() {
	local what="$1" id out=""

	while read -r id; do
		out+="$(leftovers "$ROOT" "$id" "$(bundle_of "$id")")"
	done
	if [ -z "$out" ]; then
		ok "$what: nothing left behind"
	else
		not_ok "$what: left behind: $(grep -c . <<<"$out") items"
		head -20 <<<"$out" | diag
		for id in $(ls -A "$ROOT"); do
			[[ "$id" == "$PREFIX-"* ]] && scrub "$ROOT" "$id" "$(bundle_of "$id")"
		done
	fi
}

started=$(date +%s)

# --- 1. many containers at once ----------------------------------------------------------

t0=$(date +%s)
in_parallel bundle < <(ids many "$N")
report "$N bundles" "$N"
in_parallel create < <(ids many "$N")
report "$N creates from $JOBS processes" "$N"
in_parallel state-created < <(ids many "$N")
report "$N states (created)" "$N"
in_parallel start < <(ids many "$N")
report "$N starts from $JOBS processes" "$N"

# state of all while lists run alongside.
{
	ids many "$N" | sed 's/^/state-running /'
	for ((i = 0; i < 20; i++)); do echo "list x"; done
} | shuf >"$WORK/mixed"
xargs -P "$JOBS" -n 2 bash -c 'worker "$0" "$1"' <"$WORK/mixed" >"$WORK/par.out" 2>&1
NOK=$(grep -c '^OK' "$WORK/par.out")
NFAIL=$(grep -vc '^OK' "$WORK/par.out")
FAILS="$(grep -v '^OK' "$WORK/par.out" | head -5)"
report "$N states (running) and 20 lists at once" "$((N + 20))"

out="$(rl "$ROOT" list --format json 2>"$ERRFILE")"
count=$(jq --arg p "$PREFIX-many-" '[.[] | select((.id | startswith($p)) and .status == "running" and .pid > 0)] | length' <<<"$out" 2>/dev/null)
if [ "${count:-0}" -eq "$N" ]; then
	ok "list --format json: $N running"
else
	not_ok "list --format json: ${count:-?} of $N running"
	head -c 500 "$ERRFILE" | diag
fi

# kill all, with lists alongside, then every one is stopped.
{
	ids many "$N" | sed 's/^/kill /'
	for ((i = 0; i < 20; i++)); do echo "list x"; done
} | shuf >"$WORK/mixed"
xargs -P "$JOBS" -n 2 bash -c 'worker "$0" "$1"' <"$WORK/mixed" >"$WORK/par.out" 2>&1
NOK=$(grep -c '^OK' "$WORK/par.out")
NFAIL=$(grep -vc '^OK' "$WORK/par.out")
FAILS="$(grep -v '^OK' "$WORK/par.out" | head -5)"
report "$N kills and 20 lists at once" "$((N + 20))"
for ((i = 0; i < 50; i++)); do
	running=$(rl "$ROOT" list --format json 2>/dev/null | jq '[.[] | select(.status != "stopped")] | length')
	[ "${running:-1}" -eq 0 ] && break
	sleep 0.1
done
in_parallel state-stopped < <(ids many "$N")
report "$N states (stopped) after the kills" "$N"

in_parallel delete < <(ids many "$N")
report "$N deletes from $JOBS processes" "$N"
n_left=$(ls -A "$ROOT" | grep -c "^$PREFIX-many-")
if [ "$n_left" -eq 0 ]; then ok "no record left of $N"; else not_ok "$n_left records left"; fi
check_nothing_left "$N containers deleted" < <(ids many "$N")
note "part 1: $(($(date +%s) - t0)) s"

# --- 2. the table at its capacity ----------------------------------------------------------

t0=$(date +%s)
in_parallel bundle < <(ids cap "$((CAPACITY + 1))")
in_parallel create < <(ids cap "$CAPACITY")
report "$CAPACITY creates (the capacity) from $JOBS processes" "$CAPACITY"
over="$PREFIX-cap-$((CAPACITY + 1))"
TAG="$over" rl "$ROOT" create --bundle "$(bundle_of "$over")" "$over" </dev/null >/dev/null 2>"$ERRFILE"
rc=$?
msg="$(cat "$ERRFILE")"
if [ $rc -eq 1 ] && grep -q CONFIG_STATE_CAPACITY <<<"$msg" && [ "$(grep -c . <<<"$msg")" -eq 1 ]; then
	ok "create number $((CAPACITY + 1)) refused: $msg"
else
	not_ok "create number $((CAPACITY + 1)): exit $rc, expected 1 and a message naming CONFIG_STATE_CAPACITY"
	diag <<<"$msg"
fi
check_nothing_left "the refused create" <<<"$over"
in_parallel state-created < <(ids cap "$CAPACITY")
report "the $CAPACITY containers intact (state created)" "$CAPACITY"
rows=$(rl "$ROOT" list -q 2>/dev/null | grep -c "^$PREFIX-cap-")
if [ "$rows" -eq "$CAPACITY" ]; then
	ok "list: $CAPACITY containers"
else
	not_ok "list: $rows containers, expected $CAPACITY"
fi

# The last places, raced for: 6 creates for 2 places.
for id in $(ids cap "$CAPACITY" | tail -2); do
	TAG="$id" rl "$ROOT" delete --force "$id" 2>"$ERRFILE" || not_ok "delete --force $id: $(cat "$ERRFILE")"
done
in_parallel bundle < <(ids race 6)
in_parallel create < <(ids race 6)
won=$NOK
lost_ok=$(grep -v '^OK' "$WORK/par.out" | grep -c 'exit 1: runlet: .*CONFIG_STATE_CAPACITY')
if [ "$won" -eq 2 ] && [ "$lost_ok" -eq 4 ]; then
	ok "6 creates at once for the last 2 places: 2 won, 4 refused naming CONFIG_STATE_CAPACITY"
else
	not_ok "6 creates at once for the last 2 places: $won won, $lost_ok refused cleanly"
	grep -v '^OK' "$WORK/par.out" | head -5 | diag
fi
rows=$(ls -A "$ROOT" | grep -vc '^\.')
if [ "$rows" -eq "$CAPACITY" ]; then
	ok "the table holds $CAPACITY records"
else
	not_ok "the table holds $rows records, capacity $CAPACITY"
fi
in_parallel delete-force < <(ids cap "$CAPACITY"; ids race 6)
report "delete --force of all, from $JOBS processes" "$((CAPACITY + 6))"
check_nothing_left "capacity test" < <(ids cap "$((CAPACITY + 1))"; ids race 6)
rm -rf "$WORK/bundles/$PREFIX-cap-"* "$WORK/bundles/$PREFIX-race-"*

# A full table listed: records of stopped containers (written as create
# writes them, with no process) whose bundle paths are long, as a table of
# containers with deep bundle directories has, and unreadable records
# among them.  list must list every one, and only what it read.
LROOT="$WORK/list-root"
mkdir -p "$LROOT"
long="/$(printf 'd%.0s' $(seq 250))"
long="$long$long$long$long$long$long$long$long$long$long$long$long$long$long$long"
nlong=$((CAPACITY - 8))
for ((i = 1; i <= nlong; i++)); do
	python3 "$TOP_DIR/tests/crash/record.py" forge "$LROOT/$PREFIX-long-$i" "$PREFIX-long-$i" "$long" ||
		bail "record.py forge failed"
done
for ((i = 1; i <= 8; i++)); do
	head -c 300 /dev/urandom >"$LROOT/$PREFIX-junk-$i"
done
"$RUNLET" --root "$LROOT" list >"$WORK/list.out" 2>"$ERRFILE"
rc=$?
rows=$(grep -c "^$PREFIX-long-[0-9]* .* stopped " "$WORK/list.out")
bad=$(grep -c "^$PREFIX-junk-[0-9]* .* corrupted" "$WORK/list.out")
nul=$(tr -d -c '\000' <"$WORK/list.out" | wc -c)
if [ $rc -eq 0 ] && [ "$rows" -eq "$nlong" ] && [ "$bad" -eq 8 ] && [ "$nul" -eq 0 ]; then
	ok "list of $CAPACITY records with ${#long}-byte bundle paths, 8 unreadable: all listed"
else
	not_ok "list of $CAPACITY records with ${#long}-byte bundle paths, 8 unreadable"
	diag <<<"exit $rc, $rows of $nlong records listed, $bad of 8 unreadable ones, $nul NUL bytes in $(wc -c <"$WORK/list.out") bytes of output $(head -c 200 "$ERRFILE")"
fi
n=$("$RUNLET" --root "$LROOT" list --format json 2>"$ERRFILE" | jq length 2>/dev/null)
if [ "${n:-0}" -eq "$nlong" ]; then
	ok "list --format json of the same: $nlong records"
else
	not_ok "list --format json of the same: ${n:-no JSON} ($(head -c 200 "$ERRFILE"))"
fi
rm -rf "$LROOT"
note "part 2: $(($(date +%s) - t0)) s"

# --- 3. two commands on one id -------------------------------------------------------------

# A loser's error: exit 1 and one line "runlet: ..." that matches.
clean_error() {
	local verdict="$1" want="$2"

	[[ "$verdict" =~ ^FAIL\ [^\ ]+:\ [a-z-]+\ exit\ 1:\ runlet:\  ]] && grep -Eq "$want" <<<"$verdict" &&
		[ "$(grep -c . <<<"$verdict")" -eq 1 ]
}

# race NAME SETUP OP1 OP2 RULE: REPEAT rounds; SETUP brings the container
# to its state, OP1 and OP2 run at once, RULE judges the two verdicts.
race() {
	local name="$1" setup="$2" op1="$3" op2="$4" rule="$5" r id v1 v2 problems="" n_both=0 n_one=0 bad=0 st left

	for ((r = 1; r <= REPEAT; r++)); do
		id="$PREFIX-$name-$r"
		worker bundle "$id" >/dev/null
		case "$setup" in
		none) ;;
		created) worker create "$id" >/dev/null ;;
		running) worker create "$id" >/dev/null && worker start "$id" >/dev/null ;;
		stopped)
			worker create "$id" >/dev/null && worker start "$id" >/dev/null &&
				worker kill "$id" >/dev/null
			for _ in $(seq 50); do
				[ "$(status_of "$ROOT" "$id")" = stopped ] && break
				sleep 0.05
			done
			;;
		esac
		worker "$op1" "$id" 1 >"$WORK/v1" &
		worker "$op2" "$id" 2 >"$WORK/v2" &
		wait
		v1="$(cat "$WORK/v1")"
		v2="$(cat "$WORK/v2")"
		if ! "$rule" "$id" "$v1" "$v2" >"$WORK/rule.out" 2>&1; then
			bad=$((bad + 1))
			[ -z "$problems" ] && problems="round $r: $v1 | $v2 | $(cat "$WORK/rule.out")"
		fi
		[[ "$v1" == OK* && "$v2" == OK* ]] && n_both=$((n_both + 1)) || n_one=$((n_one + 1))
		# The record, if any, is valid: state answers.
		if [ -e "$ROOT/$id" ]; then
			st="$(status_of "$ROOT" "$id")"
			case "$st" in
			created | running | stopped) ;;
			*)
				bad=$((bad + 1))
				[ -z "$problems" ] && problems="round $r: state after the race: $st"
				;;
			esac
		fi
		TAG="$id" rl "$ROOT" delete --force "$id" >/dev/null 2>&1
		left="$(leftovers "$ROOT" "$id" "$(bundle_of "$id")")"
		if [ -n "$left" ]; then
			sleep 0.5
			left="$(leftovers "$ROOT" "$id" "$(bundle_of "$id")")"
		fi
		if [ -n "$left" ]; then
			bad=$((bad + 1))
			[ -z "$problems" ] && problems="round $r: left behind: $(head -3 <<<"$left" | tr '\n' ';')"
			scrub "$ROOT" "$id" "$(bundle_of "$id")"
		fi
		rm -rf "$(bundle_of "$id")"
	done
	if [ $bad -eq 0 ]; then
		ok "$op1/$op2 on one $setup container, $REPEAT times: both succeeded $n_both times, one lost cleanly $n_one times"
	else
		not_ok "$op1/$op2 on one $setup container, $REPEAT times: $bad problems"
		diag <<<"$problems"
	fi
}

# create/create: exactly one wins; the other says the id exists.
rule_create() {
	local id="$1" v1="$2" v2="$3" loser
	if [[ "$v1" == OK* && "$v2" != OK* ]]; then loser="$v2"
	elif [[ "$v2" == OK* && "$v1" != OK* ]]; then loser="$v1"
	else echo "not exactly one winner"; return 1; fi
	clean_error "$loser" "already exists" || { echo "unclear loser: $loser"; return 1; }
	[ "$(status_of "$ROOT" "$id")" = created ] || { echo "the winner's container is $(status_of "$ROOT" "$id")"; return 1; }
}

# start/delete --force: delete --force always succeeds; start succeeds
# (it came first) or fails saying why.
rule_start_delete() {
	local id="$1" v1="$2" v2="$3"
	[[ "$v2" == OK* ]] || { echo "delete --force failed"; return 1; }
	[ -e "$ROOT/$id" ] && { echo "the record is still there"; return 1; }
	[[ "$v1" == OK* ]] || clean_error "$v1" "does not exist|not created|stopped" ||
		{ echo "unclear loser: $v1"; return 1; }
}

# kill/delete --force: delete --force always succeeds; kill succeeds or
# fails saying the container is gone or stopped.
rule_kill_delete() {
	local id="$1" v1="$2" v2="$3"
	[[ "$v2" == OK* ]] || { echo "delete --force failed"; return 1; }
	[ -e "$ROOT/$id" ] && { echo "the record is still there"; return 1; }
	[[ "$v1" == OK* ]] || clean_error "$v1" "does not exist|stopped|no process" ||
		{ echo "unclear loser: $v1"; return 1; }
}

# delete/delete of a stopped container: one wins, the other finds no
# container.
rule_delete_delete() {
	local id="$1" v1="$2" v2="$3" loser
	if [[ "$v1" == OK* && "$v2" != OK* ]]; then loser="$v2"
	elif [[ "$v2" == OK* && "$v1" != OK* ]]; then loser="$v1"
	else echo "not exactly one winner (both deletes reported success)"; return 1; fi
	clean_error "$loser" "does not exist" || { echo "unclear loser: $loser"; return 1; }
}

t0=$(date +%s)
race cc none create create rule_create
race sd created start delete-force rule_start_delete
race kd running kill delete-force rule_kill_delete
race dd stopped delete delete rule_delete_delete
note "part 3: $(($(date +%s) - t0)) s"

# --- 4. a waiting delete and a new container of the same id ---------------------------------

# Delete A of a stopped container is held (strace delays its exit from
# unlinkat, the record lock still held); delete B of the same id waits on
# that lock; meanwhile a new container of the id is created and started.
# When A lets go, B must not delete, kill or uncgroup the new container.
t0=$(date +%s)
id="$PREFIX-reuse"
worker bundle "$id" >/dev/null
worker create "$id" >/dev/null && worker start "$id" >/dev/null && worker kill "$id" >/dev/null
for _ in $(seq 50); do
	[ "$(status_of "$ROOT" "$id")" = stopped ] && break
	sleep 0.05
done
# A: 1 s before its unlink (B comes and waits on the lock), 1.5 s after
# it (the new container comes).
strace -qq -o /dev/null -e trace=unlinkat \
	-e inject=unlinkat:delay_enter=1000000:delay_exit=1500000 \
	"$RUNLET" --root "$ROOT" delete "$id" </dev/null >/dev/null 2>"$WORK/delA.err" &
delA=$!
sleep 0.3
TAG="$id" rl "$ROOT" delete "$id" </dev/null >/dev/null 2>"$WORK/delB.err" &
delB=$!
for _ in $(seq 60); do
	[ -e "$ROOT/$id" ] || break
	sleep 0.05
done
worker create "$id" >"$WORK/newc" && worker start "$id" >>"$WORK/newc"
newpid="$(pid_of "$ROOT" "$id")"
wait "$delA"
rcA=$?
wait "$delB"
rcB=$?
st="$(status_of "$ROOT" "$id")"
problems=()
grep -qv '^OK' "$WORK/newc" && problems+=("the new container: $(cat "$WORK/newc")")
[ $rcA -eq 0 ] || problems+=("delete A: exit $rcA: $(cat "$WORK/delA.err")")
[ "$st" = running ] || problems+=("the new container is $st after the waiting delete (exit $rcB: $(cat "$WORK/delB.err"))")
if [ -z "$newpid" ]; then
	problems+=("the new container has no pid")
elif ! kill -0 "$newpid" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$newpid/stat" 2>/dev/null)" = Z ]; then
	problems+=("the new container's process $newpid was killed")
fi
[ -n "$(cgroup_dirs "$id")" ] || problems+=("the new container's cgroup was removed")
[ -e "$ROOT/$id" ] || problems+=("the new container's record was removed")
if [ ${#problems[@]} -eq 0 ]; then
	ok "a delete that waited on a removed record leaves a new container of that id alone (it said: $(head -c 100 "$WORK/delB.err"))"
else
	not_ok "a delete that waited on a removed record leaves a new container of that id alone"
	printf '%s\n' "${problems[@]}" | diag
fi
TAG="$id" rl "$ROOT" delete --force "$id" >/dev/null 2>&1
check_nothing_left "the reused id" <<<"$id"
note "part 4: $(($(date +%s) - t0)) s"

note "$(($(date +%s) - started)) s"
tap_end concurrency
