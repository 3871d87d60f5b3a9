#!/bin/sh
# Runs unit test binaries, each printing TAP, and sums their results.
#
#   run-tests.sh [--valgrind] BINARY...
#
# A binary fails when it prints a "not ok" line or exits non-zero (a crash,
# a sanitizer report, valgrind's exit code 99).  cmocka prints a skipped
# test as "not ok N # SKIP"; it is shown as "ok N # SKIP", which every TAP
# reader counts as a skip.  Each binary's output is also kept next to it as
# BINARY.tap.  The last line is "unit: N passed, N failed, N skipped".

set -u

runner=
if [ "${1-}" = "--valgrind" ]; then
	shift
	runner="valgrind -q --error-exitcode=99 --leak-check=full"
fi

CMOCKA_MESSAGE_OUTPUT=TAP
export CMOCKA_MESSAGE_OUTPUT

passed=0
failed=0
skipped=0
broken=

for bin in "$@"; do
	name=$(basename "$bin")
	echo "# $name"
	# shellcheck disable=SC2086 # $runner is a command and its options
	$runner "$bin" >"$bin.out" 2>&1
	rc=$?
	sed 's/^not ok \([0-9]* # SKIP\)/ok \1/' "$bin.out" >"$bin.tap"
	rm -f "$bin.out"
	cat "$bin.tap"
	ok=$(grep -c '^ok ' "$bin.tap")
	skip=$(grep -c '^ok [0-9]* # SKIP' "$bin.tap")
	nok=$(grep -c '^not ok ' "$bin.tap")
	passed=$((passed + ok - skip))
	skipped=$((skipped + skip))
	failed=$((failed + nok))
	if [ "$rc" -ne 0 ] || [ "$nok" -ne 0 ]; then
		broken="$broken $name"
		if [ "$nok" -eq 0 ]; then
			# It died without a failing test to show for it.
			failed=$((failed + 1))
			echo "not ok - $name exited with status $rc"
		fi
	fi
done

if [ -n "$broken" ]; then
	echo "# failed:$broken"
fi
echo "unit: $passed passed, $failed failed, $skipped skipped"
[ -z "$broken" ]
