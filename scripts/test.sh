#!/bin/bash
# Runs every test suite, as root, on a fresh Debian 12 machine or a CI
# runner: installs what the suites need, builds, runs each suite with its
# time, and ends with one line "N passed, M failed" over all suites.
#
#   scripts/test.sh              every suite
#   scripts/test.sh unit bats    only these
#
# Each suite speaks TAP; its output is kept in build/test/SUITE.tap.  A
# suite that fails without saying which test failed counts as one failure.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "test.sh: run it as root (the tests start containers)" >&2; exit 1; }

out=build/test
mkdir -p "$out"
passed=0
failed=0
skipped=0

all_suites="configs unit unit-asan unit-valgrind unit-mips bats cross qemu fuzz crash clients syscalls"
suites=${*:-$all_suites}

# suite NAME COMMAND...: runs COMMAND, counts its TAP lines.
suite() {
	local name=$1 start end rc p f s
	shift
	start=$(date +%s)
	"$@" >"$out/$name.tap" 2>"$out/$name.err"
	rc=$?
	end=$(date +%s)
	p=$(grep -c '^ok ' "$out/$name.tap")
	s=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$out/$name.tap")
	f=$(grep -c '^not ok ' "$out/$name.tap")
	p=$((p - s))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited with status $rc" >>"$out/$name.tap"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	printf '%-14s %4d passed %4d failed %4d skipped %6ds\n' "$name" "$p" "$f" "$s" $((end - start))
	if [ "$f" != 0 ]; then
		grep '^not ok ' "$out/$name.tap" | head -20 | sed 's/^/    /'
		tail -5 "$out/$name.err" | sed 's/^/    stderr: /'
	fi
}

# A command that is one test: ok or not ok, with its output kept.
tap_one() {
	local desc=$1
	shift
	if "$@" >"$out/one.log" 2>&1; then
		echo "ok - $desc"
	else
		echo "not ok - $desc"
		sed 's/^/# /' "$out/one.log"
	fi
}

run_configs() {
	tap_one "configs are in sync with Kconfig" make -s check-configs
	for f in configs/*_defconfig; do
		name=$(basename "$f" _defconfig)
		tap_one "$name builds" make -s O="build/cfg-$name" KCONFIG_CONFIG="$f"
	done
}

echo "setting up (packages, build)..."
sh scripts/deps.sh build demo test || { echo "test.sh: installing packages failed"; exit 1; }
make -s default_defconfig >/dev/null && make -s || { echo "test.sh: the build failed"; echo "0 passed, 1 failed"; exit 1; }
export RUNLET="$top/build/runlet"

for s in $suites; do
	case $s in
	configs) suite configs run_configs ;;
	unit) suite unit make -s test-unit ;;
	unit-asan) suite unit-asan make -s test-unit SANITIZE=1 ;;
	unit-valgrind) suite unit-valgrind make -s test-unit VALGRIND=1 ;;
	bats) suite bats bats --tap tests/bats ;;
	*)
		if [ -x "tests/$s/run.sh" ]; then
			suite "$s" "tests/$s/run.sh"
		else
			echo "$s: not a suite here yet"
		fi
		;;
	esac
done

[ "$skipped" = 0 ] || echo "($skipped skipped: see the '# skip' reasons in build/test/*.tap)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
