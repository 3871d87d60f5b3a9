#!/bin/sh
# Boots INITRAMFS (from mkinitramfs.sh) with the ARCH kernel from fetch.sh
# under the matching qemu-system, and exits 0 only if the guest printed
# HARNESS-RESULT: PASS.
#
#   scripts/qemu/boot.sh ARCH INITRAMFS [LOG]
#
# The serial console goes to the terminal and to LOG (a temporary file when
# none is given).  Environment:
#   QEMU_TIMEOUT  seconds before the guest is killed (default 300: TCG on a
#                 busy 2-core machine can be several times slower than idle)
#   QEMU_MEM      guest memory in MiB (default 256)
#   QEMU_SMP      guest CPUs (default 1)
#   QEMU_QUIET=1  console to LOG only
#   QEMU_ACCEL    accelerator (default tcg; kvm only for the host's own arch)
#   QEMU_APPEND   extra kernel command line
#   QEMU_EXTRA    extra qemu options, word-split
set -eu
. "$(dirname "$0")/common.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 ARCH INITRAMFS [LOG]" >&2
	exit 2
fi
qemu_arch "$1"
initrd=$2
[ -f "$initrd" ] || die "no initramfs $initrd"
[ -f "$dir/vmlinuz" ] || die "run scripts/qemu/fetch.sh $arch first"
command -v "$qemu_bin" >/dev/null 2>&1 || die "$qemu_bin missing: run scripts/qemu/fetch.sh $arch"

if [ $# -eq 3 ]; then
	log=$3
else
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
fi
: >"$log"
# QEMU option values end at a comma; a doubled comma is a literal one.
logopt=$(printf %s "$log" | sed 's/,/,,/g')

# The console is a chardev that QEMU itself copies to the log, so the exit
# status of timeout is not hidden behind a pipe into tee.
case ${QEMU_QUIET:-0} in
1) con=null ;;
*) con=stdio,signal=off ;;
esac

# TCG (software emulation) unless asked otherwise: it behaves the same on
# every host, whereas a /dev/kvm that opens is not one that works (nested
# KVM has been seen to stop the guest with an emulation failure).
accel=${QEMU_ACCEL:-tcg}

start=$(now_ms)
set +e
# stdin from /dev/null: no terminal is put in raw mode and a run without
# standard input (CI) behaves the same as one from a shell.
# shellcheck disable=SC2086 # qemu_args and QEMU_EXTRA are word lists
timeout -k 10 "${QEMU_TIMEOUT:-300}" \
	"$qemu_bin" $qemu_args -accel "$accel" -m "${QEMU_MEM:-256}" -smp "${QEMU_SMP:-1}" \
	-nodefaults -no-reboot -display none -monitor none \
	-chardev "$con,id=con,logfile=$logopt" -serial chardev:con \
	-kernel "$dir/vmlinuz" -initrd "$initrd" \
	-append "console=$console panic=-1 quiet ${QEMU_APPEND:-}" \
	${QEMU_EXTRA:-} </dev/null
rc=$?
set -e
took=$(secs "$start")

# The last marker counts.  Serial lines end in CR LF.
result=$(grep -a -o 'HARNESS-RESULT: .*' "$log" | tr -d '\r' | tail -n 1)
case $rc in
124 | 137) why="timed out after ${QEMU_TIMEOUT:-300} s" ;;
0) why="no HARNESS-RESULT line"
	# panic=-1 and -no-reboot make a panic a clean exit of QEMU.
	grep -q -a 'Kernel panic' "$log" && why="$why, kernel panic" ;;
*) why="$qemu_bin exited with $rc" ;;
esac
echo "boot: $arch ${result:-$why} (${took} s)"
[ "$result" = "HARNESS-RESULT: PASS" ]
