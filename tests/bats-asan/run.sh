#!/bin/bash
# The integration suite (tests/bats) against runlet built with ASan and
# UBSan (make asan).  Prints TAP: bats's own lines, then one line that
# fails if the sanitizers reported anything.  A report is not left to the
# exit status, which a test that expects the runtime to fail would accept:
# every report goes to a file, and any file is a failure.
#
# Leak checking is off: the runtime makes no heap allocation (tests/malloc
# proves it), and LeakSanitizer cannot run under the strace that several
# tests put the runtime under.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
reports=$top/build/asan/reports
rm -rf "$reports"
mkdir -p "$reports"
make -s asan KCONFIG_CONFIG="$top/configs/default_defconfig" >&2 || {
	echo "not ok - make asan failed"
	exit 1
}
export RUNLET=$top/build/asan/runlet
export ASAN_OPTIONS="detect_leaks=0:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
bats --tap tests/bats
rc=$?
found=$(find "$reports" -type f | head -20)
if [ -n "$found" ]; then
	echo "not ok - sanitizer reports:"
	for f in $found; do
		sed 's/^/#   /' "$f" | head -30
	done
	exit 1
fi
echo "ok - no ASan or UBSan report from any runtime command"
exit $rc
