#!/bin/sh
# A size ratchet: the stripped size of every configs/*_defconfig on every
# architecture (scripts/size.sh) against the sizes recorded in
# scripts/size-limits.txt ("arch config bytes" lines).  A build more than 1%
# larger than its recorded size fails; --update records the sizes that went
# down (and the builds not recorded yet), never one that went up, so the
# recorded sizes only ever move down.
#
#   scripts/size-ratchet.sh [--update] [--from FILE] [ARCH...]
#
#   ARCH       x86_64, aarch64, armhf (default: all three, or $SIZE_ARCHES)
#   --update   rewrite scripts/size-limits.txt (commit it with the change
#              that made runlet smaller)
#   --from F   take the sizes from F, an earlier output of scripts/size.sh,
#              instead of building
#
# Prints TAP, one result per build; a build with no recorded size passes
# with a note.  SIZE_LIMITS names another limits file, SIZE_TOLERANCE
# another tolerance in percent (default 1).
#
# SPDX-License-Identifier: Apache-2.0
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
limits=${SIZE_LIMITS:-$top/scripts/size-limits.txt}
tolerance=${SIZE_TOLERANCE:-1}
update=0
from=

while [ $# -gt 0 ]; do
	case $1 in
	--update) update=1 ;;
	--from)
		[ $# -ge 2 ] || { echo "size-ratchet: --from needs a file" >&2; exit 2; }
		from=$2
		shift
		;;
	-h | --help)
		sed -n '/^#   scripts/,/^# SPDX/p' "$0" | sed 's/^# \{0,1\}//' | sed '$d' >&2
		exit 2
		;;
	-*) echo "size-ratchet: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
arches=${*:-${SIZE_ARCHES:-x86_64 aarch64 armhf}}

out=$(mktemp)
trap 'rm -f "$out" "$out.new"' EXIT

if [ -n "$from" ]; then
	cp "$from" "$out" || exit 2
else
	# shellcheck disable=SC2086 # a list of architectures
	if ! sh "$top/scripts/size.sh" $arches >"$out" 2>&1; then
		echo "not ok 1 - scripts/size.sh $arches builds every configuration"
		sed 's/^/# /' "$out"
		echo "1..1"
		exit 1
	fi
fi

# The measured sizes: "arch config bytes", for the architectures asked for.
measured=$(awk -v want=" $arches " '
	$3 ~ /^[0-9]+$/ && index(want, " " $1 " ") { print $1, $2, $3 }' "$out")
if [ -z "$measured" ]; then
	echo "not ok 1 - scripts/size.sh reported sizes for $arches"
	sed 's/^/# /' "$out"
	echo "1..1"
	exit 1
fi

[ -f "$limits" ] || : >"$limits"

n=0
failed=0
echo "$measured" | {
	while read -r arch config bytes; do
		n=$((n + 1))
		limit=$(awk -v a="$arch" -v c="$config" '$1 == a && $2 == c { print $3 }' "$limits")
		if [ -z "$limit" ]; then
			echo "ok $n - $arch $config: $bytes bytes # no recorded size: scripts/size-ratchet.sh --update records it"
			continue
		fi
		# Integer arithmetic: bytes may exceed limit by tolerance percent.
		max=$(awk -v l="$limit" -v t="$tolerance" 'BEGIN { printf "%d", l * (100 + t) / 100 }')
		delta=$(awk -v b="$bytes" -v l="$limit" 'BEGIN { printf "%+.2f%%", (b - l) * 100 / l }')
		if [ "$bytes" -le "$max" ]; then
			note=
			[ "$bytes" -lt "$limit" ] && note=" (smaller: scripts/size-ratchet.sh --update records it)"
			echo "ok $n - $arch $config: $bytes bytes, recorded $limit ($delta)$note"
		else
			failed=$((failed + 1))
			echo "not ok $n - $arch $config: $bytes bytes, recorded $limit ($delta, more than $tolerance%)"
		fi
	done
	echo "1..$n"
	[ "$failed" = 0 ]
}
rc=$?

if [ "$update" = 1 ]; then
	# The smaller of recorded and measured for every measured build; the
	# other lines as they were.
	{
		echo "# Stripped size in bytes of each configs/*_defconfig build (scripts/size.sh),"
		echo "# the most each may have (+${tolerance}%): scripts/size-ratchet.sh checks it and"
		echo "# --update lowers it.  arch config bytes"
		echo "$measured" | awk -v f="$limits" '
			BEGIN {
				while ((getline line < f) > 0) {
					if (line ~ /^#/ || line ~ /^[ \t]*$/) continue
					split(line, w, " ")
					rec[w[1] " " w[2]] = w[3]
					order[++n] = w[1] " " w[2]
				}
			}
			{
				k = $1 " " $2
				if (!(k in rec)) { order[++n] = k; rec[k] = $3 }
				else if ($3 + 0 < rec[k] + 0) rec[k] = $3
			}
			END { for (i = 1; i <= n; i++) print order[i], rec[order[i]] }' | sort -k1,1 -k2,2
	} >"$out.new" && mv "$out.new" "$limits"
	echo "# updated $limits"
fi
exit $rc
