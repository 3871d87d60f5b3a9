#!/bin/sh
# Builds runlet on the default configuration and runs a demo container: a
# busybox shell that prints what it sees of its world.
#
#   scripts/demo.sh            (as root)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "demo.sh: run it as root (containers need it)" >&2; exit 1; }

sh scripts/deps.sh build demo
make -s default_defconfig
make -s
ls -l build/runlet

bundle=build/demo
rm -rf "$bundle"
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev" \
	"$bundle/rootfs/tmp" "$bundle/rootfs/etc"
cp /bin/busybox "$bundle/rootfs/bin/"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$bundle/rootfs/bin/$applet"
done
(cd "$bundle" && "$top/build/runlet" spec)
# A demo runs without a terminal, so that it works from scripts too.
sed -i -e 's/"terminal": true/"terminal": false/' \
	-e 's|^\(\t\t\t\)"sh"$|\1"sh", "-c", "echo \\"hello from $(hostname), pid $$ in its own namespace\\"; id; echo; mount \| head -n 8; echo; ls /dev; grep Cap /proc/self/status"|' \
	"$bundle/config.json"

echo
echo "== runlet run demo"
"$top/build/runlet" run --bundle "$bundle" "demo-$$"
