#!/bin/sh
# Builds every configs/*_defconfig and prints its stripped size.
#   scripts/size.sh [ARCH...]   ARCH: x86_64 (default), aarch64, armhf
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
arches=${*:-x86_64}
printf '%-10s %-10s %10s %10s\n' arch config bytes KiB
for arch in $arches; do
	case $arch in
	x86_64) cross= ;;
	aarch64) cross=aarch64-linux-gnu- ;;
	armhf) cross=arm-linux-gnueabihf- ;;
	*) echo "size.sh: unknown arch $arch" >&2; exit 2 ;;
	esac
	for f in configs/*_defconfig; do
		name=$(basename "$f" _defconfig)
		out=build/size/$arch-$name
		mkdir -p "$out"
		make -s O="$out" KCONFIG_CONFIG="$f" CROSS_COMPILE="$cross" >"$out/build.log" 2>&1 ||
			{ echo "size.sh: building $name for $arch failed:"; tail -20 "$out/build.log"; exit 1; }
		"${cross}strip" -o "$out/runlet.stripped" "$out/runlet"
		bytes=$(stat -c %s "$out/runlet.stripped")
		printf '%-10s %-10s %10d %10s\n' "$arch" "$name" "$bytes" "$(awk "BEGIN { printf \"%.1f\", $bytes / 1024 }")"
	done
done
