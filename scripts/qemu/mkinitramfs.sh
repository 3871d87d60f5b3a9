#!/bin/sh
# Builds a boot-test initramfs for ARCH: busybox-static, /init (from
# scripts/qemu/init) and PAYLOAD_DIR copied to /payload, as a gzip-compressed
# newc cpio.  /init runs /payload/run.sh and prints HARNESS-RESULT; see there.
#
#   scripts/qemu/mkinitramfs.sh ARCH PAYLOAD_DIR OUT [options]
#
#   --tmpfs-root       before the payload runs, switch_root into a tmpfs copy
#                      of the image, so that / is a real mount and
#                      pivot_root(2) works
#   --overlay DIR      copy DIR onto the image root last (may repeat); a
#                      board's files, e.g. an executable etc/init.d/rcS that
#                      /init runs before the payload
#   --modules "A B"    kernel modules to put in and load at boot, with their
#                      dependencies (names as in lsmod: overlay veth bridge)
#
# Needs scripts/qemu/fetch.sh ARCH to have run.
set -eu
. "$(dirname "$0")/common.sh"

usage() {
	sed -n '/^#   scripts/,/^# Needs/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
[ $# -ge 3 ] || usage
qemu_arch "$1"
payload=$2 out=$3
shift 3
tmpfs_root=0 overlays='' modules=''
while [ $# -gt 0 ]; do
	case $1 in
	--tmpfs-root) tmpfs_root=1 ;;
	--overlay)
		[ $# -ge 2 ] || usage
		[ -d "$2" ] || die "overlay $2 is not a directory"
		# Newline-separated, so that directory names may hold spaces.
		overlays="$overlays$(cd "$2" && pwd)
"
		shift
		;;
	--modules)
		[ $# -ge 2 ] || usage
		modules="$modules $2"
		shift
		;;
	*) usage ;;
	esac
	shift
done
[ -f "$payload/run.sh" ] || die "$payload/run.sh does not exist"
payload=$(cd "$payload" && pwd)
out=$(cd "$(dirname "$out")" && pwd)/${out##*/}
if [ ! -x "$dir/busybox" ] || [ ! -f "$dir/config" ]; then
	die "run scripts/qemu/fetch.sh $arch first"
fi
# The kernel unpacks only the compressions it was built for.
grep -q '^CONFIG_RD_GZIP=y' "$dir/config" || die "the $arch kernel cannot unpack a gzip initramfs"

stage=$(mktemp -d "$dir/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
trap 'exit 130' INT TERM

cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin etc root proc sys dev run tmp mnt payload harness
chmod 1777 tmp
# Only busybox itself: its applet links are made at boot by
# `busybox --install -s`, since a foreign-architecture busybox cannot be
# asked for its applet list here.
cp "$dir/busybox" bin/busybox
ln -s busybox bin/sh
cp "$top/scripts/qemu/init" init
chmod 0755 init bin/busybox
cp -a "$payload/." payload/

# Modules, in the order modprobe would load them: each module's soft "pre"
# dependencies (modules.softdep; e.g. libcrc32c needs a crc32c provider,
# which is a module on the arm kernels), then its dependencies
# (modules.dep), then itself.  Names may be aliases (modules.alias).  A soft
# dependency is every module providing that name, each marked with "?" in
# harness/modules: /init ignores their failures, since some need CPU
# features the emulated core lacks (crc32-arm-ce on armhf).
if [ -n "${modules# }" ]; then
	release=$(cat "$dir/kernel.release")
	mdir=$dir/modules
	# shellcheck disable=SC2016 # awk program
	list=$(awk -v want="$modules" '
		function norm(n) { sub(/.*\//, "", n); sub(/\.ko.*$/, "", n); gsub(/-/, "_", n); return n }
		# find NAME: the modules providing NAME, "" when built in or unknown.
		function find(n) {
			n = norm(n)
			if (n in path) return n
			return alias[n]
		}
		# visit MODULES OPT: prints MODULES (a list) after what they need.
		function visit(ms, opt,    m, rest, sp, tok) {
			for (; ms != ""; ) {
				sp = index(ms, " ")
				m = sp ? substr(ms, 1, sp - 1) : ms
				ms = sp ? substr(ms, sp + 1) : ""
				if (m in seen || !(m in path)) continue
				seen[m] = 1
				for (rest = soft[m]; rest != ""; ) {
					sp = index(rest, " ")
					tok = sp ? substr(rest, 1, sp - 1) : rest
					rest = sp ? substr(rest, sp + 1) : ""
					visit(find(tok), "?")
				}
				for (rest = rdeps[m]; rest != ""; ) {
					sp = index(rest, " ")
					tok = sp ? substr(rest, 1, sp - 1) : rest
					rest = sp ? substr(rest, sp + 1) : ""
					visit(norm(tok), opt)
				}
				print opt path[m]
			}
		}
		FILENAME ~ /modules\.dep$/ {
			m = norm($1); sub(/:$/, "", $1); path[m] = $1
			r = ""; for (i = NF; i > 1; i--) r = r (r == "" ? "" : " ") $i
			rdeps[m] = r
		}
		FILENAME ~ /modules\.softdep$/ && $1 == "softdep" {
			pre = 0
			for (i = 3; i <= NF; i++) {
				if ($i == "pre:") pre = 1
				else if ($i == "post:") pre = 0
				else if (pre) soft[norm($2)] = soft[norm($2)] (soft[norm($2)] == "" ? "" : " ") $i
			}
		}
		FILENAME ~ /modules\.alias$/ && $1 == "alias" {
			a = norm($2); alias[a] = alias[a] (alias[a] == "" ? "" : " ") norm($3)
		}
		FILENAME ~ /modules\.builtin$/ { builtin[norm($1)] = 1 }
		END {
			n = split(want, w, " ")
			for (i = 1; i <= n; i++) {
				if ((m = find(w[i])) != "") visit(m, "")
				else if (norm(w[i]) in builtin) print w[i] " is built in" >"/dev/stderr"
				else { print "no module " w[i] >"/dev/stderr"; exit 1 }
			}
		}' "$mdir/modules.dep" "$mdir/modules.softdep" "$mdir/modules.alias" "$mdir/modules.builtin" 2>&1 >harness/modules) ||
		die "$(echo "$list" | tail -n 1) in the $arch kernel $release"
	[ -z "$list" ] || echo "$list" | sed "s/^/mkinitramfs: $arch: /" >&2
	sed 's/^?//' harness/modules | while read -r f; do
		mkdir -p "lib/modules/$release/${f%/*}"
		cp "$mdir/$f" "lib/modules/$release/$f"
	done
fi

cat >harness/config <<CONF
HARNESS_ARCH=$arch
HARNESS_TMPFS_ROOT=$tmpfs_root
CONF

# Overlays last, so that a board can replace anything above.
printf %s "$overlays" | while IFS= read -r o; do
	cp -a "$o/." .
done

# Owned by root in the guest whoever builds it; sorted so that the same input
# gives the same archive.
find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --quiet -o -0 -H newc -R 0:0 --reproducible | gzip -9n >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -k "$out" | cut -f1) KiB)"
