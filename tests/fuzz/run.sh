#!/bin/sh
# Fuzzes the parsers of untrusted input for a bounded time, then replays the
# kept crash inputs; prints TAP.
#
#   tests/fuzz/run.sh [SECONDS]        SECONDS per target, 60 by default
#
# Environment: O (build directory, default build), FUZZ_CONFIG (the
# configuration the parsers are built for, default configs/full_defconfig),
# RUNLET (a runlet binary whose `spec` output joins the seeds, default
# $O/runlet when it exists), FUZZ_CC (clang).
#
# Targets (tests/fuzz/fuzz_*.c): fuzz_spec (config.json, exec --process,
# update --resources) and fuzz_state (record files).  Each runs with its
# corpus in $O/fuzz/corpus/TARGET, which grows from run to run, plus the
# seeds: the runtime-spec's example configs, `runlet spec` and `runc spec`
# outputs, and record images made by gen_state_seeds.  A crashing input is
# written to $O/fuzz/artifacts/TARGET/; copy it to
# tests/fuzz/regressions/TARGET/ to keep it: every file there is replayed
# on each run and fails the run while the bug is there.
#
# Exit status: 0 when no target crashed and no regression input fails.
set -u

cd "$(dirname "$0")/../.." || exit 2
SECS=${1:-${FUZZ_SECONDS:-60}}
O=${O:-build}
FUZZ_CONFIG=${FUZZ_CONFIG:-configs/full_defconfig}
FUZZ_CC=${FUZZ_CC:-clang}
CFG_NAME=$(basename "$FUZZ_CONFIG" | sed 's/\.[^.]*$//')
FDIR=$O/fuzz/$CFG_NAME
WORK=$O/fuzz
TARGETS="fuzz_spec fuzz_state"

case $SECS in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

bail() {
	echo "Bail out! $*"
	exit 2
}

# --- build -------------------------------------------------------------------

command -v "$FUZZ_CC" >/dev/null 2>&1 ||
	bail "$FUZZ_CC not found (Debian: apt-get install clang libclang-rt-dev)"
mkdir -p "$WORK"
if ! make --no-print-directory -f tests/fuzz/fuzz.mk O="$O" FUZZ_CONFIG="$FUZZ_CONFIG" \
	FUZZ_CC="$FUZZ_CC" >"$WORK/build.log" 2>&1; then
	sed 's/^/# /' "$WORK/build.log" | tail -30
	bail "building the fuzz targets failed (libFuzzer runtime: apt-get install libclang-rt-dev)"
fi

# --- seeds ---------------------------------------------------------------------

SEEDS=$WORK/seeds
rm -rf "$SEEDS"
mkdir -p "$SEEDS/fuzz_spec" "$SEEDS/fuzz_state"
for f in $(find tests/spec/schema/test/config -name '*.json' | sort) tests/unit/data/*.json; do
	[ -f "$f" ] && cp "$f" "$SEEDS/fuzz_spec/$(basename "$(dirname "$f")")-$(basename "$f")"
done
tmp=$(mktemp -d) || bail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM
RUNLET=${RUNLET:-$O/runlet}
if [ -x "$RUNLET" ]; then
	"$RUNLET" spec --bundle "$tmp" && mv "$tmp/config.json" "$SEEDS/fuzz_spec/runlet-spec.json"
	"$RUNLET" spec --rootless --bundle "$tmp" &&
		mv "$tmp/config.json" "$SEEDS/fuzz_spec/runlet-spec-rootless.json"
fi
if command -v runc >/dev/null 2>&1; then
	(cd "$tmp" && runc spec && mv config.json "$OLDPWD/$SEEDS/fuzz_spec/runc-spec.json")
	(cd "$tmp" && runc spec --rootless && mv config.json "$OLDPWD/$SEEDS/fuzz_spec/runc-spec-rootless.json")
fi
# The process and resources objects alone, for exec --process and update.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$SEEDS/fuzz_spec" <<'PY'
import glob, json, os, sys
d = sys.argv[1]
for f in sorted(glob.glob(d + '/*.json')):
    try:
        j = json.load(open(f))
    except Exception:
        continue
    if not isinstance(j, dict):
        continue
    base = os.path.basename(f)[:-5]
    parts = {'process': j.get('process'), 'resources': (j.get('linux') or {}).get('resources')}
    for name, obj in parts.items():
        if isinstance(obj, dict):
            with open('%s/%s.%s' % (d, base, name), 'w') as o:
                json.dump(obj, o, indent=1)
PY
fi
"$FDIR/gen_state_seeds" "$SEEDS/fuzz_state" >/dev/null || bail "gen_state_seeds failed"

# --- plan -----------------------------------------------------------------------

nreg=0
for t in $TARGETS; do
	for f in tests/fuzz/regressions/$t/*; do
		[ -f "$f" ] && nreg=$((nreg + 1))
	done
done
echo "1..$(($(echo $TARGETS | wc -w) + nreg))"
echo "# $FUZZ_CONFIG, $SECS s per target"

. tests/tap.sh

# The sanitizer's report, shortened, as TAP diagnostics.
report() {
	grep -E 'ERROR:|SUMMARY:|^    #[0-9]+ |runtime error|Test unit written|deadly signal|ALARM' "$1" |
		head -25 | sed 's/^/# /'
}

# --- fuzz ----------------------------------------------------------------------

for t in $TARGETS; do
	case $t in
	fuzz_spec) max_len=65536 dict=tests/fuzz/spec.dict ;;
	fuzz_state) max_len=17408 dict=tests/fuzz/state.dict ;;
	esac
	corpus=$WORK/corpus/$t
	art=$WORK/artifacts/$t
	log=$WORK/$t.log
	mkdir -p "$corpus" "$art"
	extra=
	[ -d "tests/fuzz/seeds/$t" ] && extra="tests/fuzz/seeds/$t"
	start=$(date +%s)
	"$FDIR/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
		-dict="$dict" -artifact_prefix="$art/" -print_final_stats=1 \
		"$corpus" "$SEEDS/$t" $extra >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$runs" ] || runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		ok "$t: ${runs:-0} runs, no crash ($cov, corpus $(ls "$corpus" | wc -l), ${secs}s)"
	else
		unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		not_ok "$t: crash after ${runs:-?} runs: ${unit:-see $log}"
		report "$log"
		echo "# keep it: mkdir -p tests/fuzz/regressions/$t && cp ${unit:-ARTIFACT} tests/fuzz/regressions/$t/"
	fi
done

# --- kept crash inputs ---------------------------------------------------------------

for t in $TARGETS; do
	for f in tests/fuzz/regressions/$t/*; do
		[ -f "$f" ] || continue
		log=$WORK/regression.log
		if "$FDIR/$t" -timeout=10 -rss_limit_mb=2048 "$f" >"$log" 2>&1; then
			ok "regression $t/$(basename "$f")"
		else
			not_ok "regression $t/$(basename "$f")"
			report "$log"
		fi
	done
done

echo "# fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
