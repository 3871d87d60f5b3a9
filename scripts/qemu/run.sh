#!/bin/sh
# Boot-tests PAYLOAD_DIR on ARCH in one go: fetch.sh, mkinitramfs.sh, boot.sh.
# The exit status is boot.sh's: 0 only if PAYLOAD_DIR/run.sh passed in the
# guest.
#
#   scripts/qemu/run.sh ARCH PAYLOAD_DIR [--tmpfs-root] [--overlay DIR]...
#                       [--modules "A B"]
#
#   for a in x86_64 aarch64 armhf; do scripts/qemu/run.sh $a tests/qemu; done
#
# The image and the console log are kept as
# build/qemu/ARCH/{initramfs,boot}-NAME[-tmpfs].{cpio.gz,log}, NAME being the
# payload directory's name, so that different payloads and architectures can
# run side by side.  Options are those of mkinitramfs.sh; the QEMU_*
# variables of boot.sh apply.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -ge 2 ] || { sed -n '/^#   scripts/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
qemu_arch "$1"
payload=$2
shift 2
[ -d "$payload" ] || die "no payload directory $payload"
name=$(cd "$payload" && basename "$(pwd)")
for o in "$@"; do
	[ "$o" = --tmpfs-root ] && name=$name-tmpfs
done
here=$(dirname "$0")

t0=$(now_ms)
"$here/fetch.sh" "$arch"
t1=$(now_ms)
"$here/mkinitramfs.sh" "$arch" "$payload" "$dir/initramfs-$name.cpio.gz" "$@"
t2=$(now_ms)
rc=0
"$here/boot.sh" "$arch" "$dir/initramfs-$name.cpio.gz" "$dir/boot-$name.log" || rc=$?
t3=$(now_ms)

if [ $rc = 0 ]; then result=PASS; else result=FAIL; fi
echo "run: $arch $name $result: fetch $(secs "$t0" "$t1") s, build $(secs "$t1" "$t2") s, boot $(secs "$t2" "$t3") s; log $dir/boot-$name.log"
exit $rc
