# Shared by the scripts in scripts/qemu/: the per-architecture table and the
# build directory layout.  Sourced, not run.
# shellcheck shell=sh disable=SC2034 # the variables set here are used by the callers
#
# Every architecture is described by a handful of variables set in one place,
# so adding one (mips, riscv64, ...) means adding one case below.

top=$(cd "$(dirname "$0")/../.." && pwd)
# O selects the build directory, as for scripts/apt-private.sh.
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
export O

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# qemu_arch ARCH: sets
#   debarch     Debian architecture of the kernel and busybox packages
#   kmeta       kernel metapackage; its dependency names today's kernel
#   qemu_pkg    Debian package providing $qemu_bin
#   qemu_bin    system emulator
#   qemu_args   machine, CPU and console options
#   console     serial console device name inside the guest
qemu_arch() {
	case $1 in
	x86_64 | amd64)
		arch=x86_64 debarch=amd64
		# The cloud flavour is LZ4-compressed and drops most drivers:
		# it boots about twice as fast under TCG as the generic one.
		kmeta=linux-image-cloud-amd64
		qemu_pkg=qemu-system-x86 qemu_bin=qemu-system-x86_64
		qemu_args="-machine q35 -cpu max"
		console=ttyS0
		;;
	aarch64 | arm64)
		arch=aarch64 debarch=arm64
		kmeta=linux-image-arm64
		qemu_pkg=qemu-system-arm qemu_bin=qemu-system-aarch64
		# Not -cpu max: its pointer authentication (QARMA) is slow
		# to emulate, and a plain v8.0 core is what routers have.
		qemu_args="-machine virt -cpu cortex-a53"
		console=ttyAMA0
		;;
	armhf | arm)
		arch=armhf debarch=armhf
		# The LPAE flavour, for a Cortex-A15 class core.  highmem=off
		# keeps the virt machine's devices below 4 GiB, which a 32-bit
		# guest needs.
		kmeta=linux-image-armmp-lpae
		qemu_pkg=qemu-system-arm qemu_bin=qemu-system-arm
		qemu_args="-machine virt,highmem=off -cpu cortex-a15"
		console=ttyAMA0
		;;
	*)
		die "unknown architecture '$1' (known: x86_64 aarch64 armhf)"
		;;
	esac
	dir=$O/qemu/$arch
}

# now_ms: wall-clock milliseconds, for the timings the scripts print.
now_ms() {
	date +%s%3N
}

# secs START_MS [END_MS]: elapsed seconds with one decimal.
secs() {
	awk -v a="$1" -v b="${2:-$(now_ms)}" 'BEGIN { printf "%.1f", (b - a) / 1000 }'
}
