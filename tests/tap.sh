# Numbered TAP results for the suites written in shell.  Sourced: the
# counts n, passed and failed are the sourcing script's, for its plan and
# its summary.
n=0
passed=0
failed=0

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}
