#!/bin/bash
# Runs every test suite, as root, on a fresh Debian 12 machine or a CI
# runner: installs what the suites need, builds, runs each suite with its
# time, and ends with one line "N passed, M failed" over all suites.
#
#   scripts/test.sh              every suite
#   scripts/test.sh unit bats    only these
#
# The suites test runlet built from configs/default_defconfig into build/
# (.config is left alone).  Each suite speaks TAP; its output is kept in
# build/test/SUITE.tap and SUITE.err.  A suite that fails without saying
# which test failed counts as one failure.  The suites, roughly in the
# order of what they need:
#
#   configs        Kconfig and the committed configurations in sync; each builds
#   unit           cmocka unit tests; unit-asan with ASan and UBSan; unit-valgrind
#   unit-mips      the unit tests on big-endian 32-bit MIPS (qemu-user)
#   bats           lifecycle, namespaces, mounts, cgroups v1, seccomp, fallbacks...
#   bats-asan      the same with runlet built with ASan and UBSan (glibc)
#   malloc         every command of the default bundle with allocation trapped
#   syscalls       the system call ratchet of each lifecycle command
#   crash          kill points, damaged records, capacity; concurrency: races
#   fuzz           libFuzzer on the config.json parser and the state records
#   clients        podman, containerd (ctr) and Docker driving runlet
#   firmware       boards, init scripts, Buildroot and Yocto recipes
#   size           the size ratchet, every defconfig on x86_64, aarch64, armhf
#   reproducible   two builds of the same commit are byte-identical
#   qemu           cgroup v2 in a QEMU-booted kernel, x86_64 aarch64 armhf
#   boot           the firmware's boot path in QEMU, x86_64 aarch64 armhf
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "test.sh: run it as root (the tests start containers)" >&2; exit 1; }

out=build/test
mkdir -p "$out"
passed=0
failed=0
skipped=0

all_suites="configs unit unit-asan unit-valgrind unit-mips bats bats-asan malloc syscalls crash concurrency fuzz clients
	firmware size reproducible qemu boot"
suites=${*:-$all_suites}

# The tested build, whatever .config holds.  Not exported: a suite that runs
# make NAME_defconfig would copy over the file KCONFIG_CONFIG names.
default_config="$top/configs/default_defconfig"
export RUNLET="$top/build/runlet"
export RUNLET_TINY="$top/build/cfg-tiny/runlet"
export ARCHES="${ARCHES:-x86_64 aarch64 armhf}"

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
	if [ $((p + f + s)) = 0 ]; then
		echo "not ok - $name ran no test" >>"$out/$name.tap"
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
	local f cfg

	tap_one "configs are in sync with Kconfig" make -s check-configs
	for f in configs/*_defconfig; do
		cfg=$(basename "$f" _defconfig)
		tap_one "$cfg builds" make -s O="build/cfg-$cfg" KCONFIG_CONFIG="$top/$f"
	done
}

echo "setting up (packages, build)..."
start=$(date +%s)
sh scripts/deps.sh build demo test || { echo "test.sh: installing packages failed"; echo "0 passed, 1 failed"; exit 1; }
make -s KCONFIG_CONFIG="$default_config" || { echo "test.sh: the build failed"; echo "0 passed, 1 failed"; exit 1; }
echo "setup: $(($(date +%s) - start))s"

for s in $suites; do
	case $s in
	configs) suite configs run_configs ;;
	unit) suite unit make -s test-unit KCONFIG_CONFIG="$default_config" ;;
	unit-asan) suite unit-asan make -s test-unit KCONFIG_CONFIG="$default_config" SANITIZE=1 ;;
	unit-valgrind) suite unit-valgrind make -s test-unit KCONFIG_CONFIG="$default_config" VALGRIND=1 ;;
	unit-mips) suite unit-mips tests/unit-mips/run.sh ;;
	bats) suite bats bats --tap tests/bats ;;
	firmware) suite firmware sh scripts/check-firmware-recipes.sh ;;
	size) suite size sh scripts/size-ratchet.sh $ARCHES ;;
	reproducible) suite reproducible sh scripts/check-reproducible.sh $ARCHES ;;
	*)
		if [ -x "tests/$s/run.sh" ]; then
			suite "$s" "tests/$s/run.sh"
		else
			echo "test.sh: no suite $s" >&2
			failed=$((failed + 1))
		fi
		;;
	esac
done

[ "$skipped" = 0 ] || echo "($skipped skipped: see the '# skip' reasons in build/test/*.tap)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
