#!/bin/sh
# Builds the capability name table from the target compiler's own
# <linux/capability.h>, so that a cross build knows exactly the capabilities
# its kernel headers define (the procd way, instead of a hand-kept list).
set -eu
cc=$1

defs=$(printf '#include <linux/capability.h>\n' |
	$cc -E -dM -x c - |
	awk '$1 == "#define" && $2 ~ /^CAP_[A-Z_]+$/ && $3 ~ /^[0-9]+$/ &&
		$2 != "CAP_LAST_CAP" { print $3, $2 }' |
	sort -n)
[ -n "$defs" ] || { echo "gen-captable: no capabilities in <linux/capability.h>" >&2; exit 1; }

echo "/* generated from <linux/capability.h>: do not edit */"
echo "const char *const captable[] = {"
echo "$defs" | awk '{ printf "\t[%d] = \"%s\",\n", $1, $2 }'
echo "};"
echo "$defs" | tail -n 1 | awk '{ printf "#define CAPTABLE_LAST %d\n", $1 }'
