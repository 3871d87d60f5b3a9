#!/bin/sh
# Fetches what a QEMU boot test of ARCH needs into build/qemu/ARCH/:
#
#   vmlinuz         Debian's current kernel for ARCH (the package is unpacked
#   config          with dpkg -x, never installed), its config and its
#   modules/        module tree, with modules.dep
#   busybox         busybox-static for ARCH
#   kernel.release  the kernel release, e.g. 6.1.0-50-cloud-amd64
#
# and installs the host tools (qemu-system-*, cpio, depmod) that are missing.
#
#   scripts/qemu/fetch.sh aarch64
#
# The archive keeps only the current kernel, so no version is pinned: the one
# the flavour's metapackage depends on today is used.  The .deb files are kept
# in build/qemu/ARCH/debs/ and downloaded again only when the archive moves
# on.  A failed download is an error: a boot test that silently ran an old or
# no kernel would prove nothing.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || { echo "usage: $0 ARCH" >&2; exit 2; }
qemu_arch "$1"
apt_private=$top/scripts/apt-private.sh

# One fetch at a time (make -j over several architectures): apt-get update
# and apt-private.sh, which rewrites its apt.conf on every call, do not
# tolerate concurrent runs.
mkdir -p "$O/qemu"
exec 9>"$O/qemu/.fetch.lock"
flock 9

# Host tools.  Only what is missing is installed, so that on a prepared
# machine this needs no root.
need=
command -v "$qemu_bin" >/dev/null 2>&1 || need="$need $qemu_pkg"
command -v cpio >/dev/null 2>&1 || need="$need cpio"
command -v gzip >/dev/null 2>&1 || need="$need gzip"
command -v timeout >/dev/null 2>&1 || need="$need coreutils"
# depmod: the kernel package leaves modules.dep to its postinst.
PATH=$PATH:/usr/sbin:/sbin
command -v depmod >/dev/null 2>&1 || need="$need kmod"
if [ -n "$need" ]; then
	[ "$(id -u)" = 0 ] || die "missing host packages:$need (install them, or run as root)"
	echo "fetch: installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	# A fresh system has no package lists yet.  Several architectures
	# may be fetched in parallel: wait for the dpkg lock, do not fail.
	apt-get -q update >&2
	# shellcheck disable=SC2086 # $need is a list of package names
	apt-get -q -y -o DPkg::Lock::Timeout=600 install --no-install-recommends $need >&2
fi

debs=$dir/debs
mkdir -p "$debs"

# fetch_deb PKG: prints the path of the candidate .deb of PKG for $debarch,
# downloading it unless it is already cached.  Other cached versions of PKG
# (or, given a glob as $2, of that family of packages) are removed.
fetch_deb() {
	pkg=$1 family=${2:-$1}
	ver=$("$apt_private" apt-cache show --no-all-versions "$pkg:$debarch" |
		sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || die "no candidate for $pkg:$debarch in the archive"
	# apt-get download spells the epoch colon as %3a.
	deb=$debs/${pkg}_$(printf %s "$ver" | sed 's/:/%3a/')_$debarch.deb
	if [ ! -f "$deb" ]; then
		tmp=$debs/partial.$$
		rm -rf "$tmp"
		mkdir "$tmp"
		(cd "$tmp" && "$apt_private" apt-get -q download "$pkg:$debarch" >&2) ||
			{ rm -rf "$tmp"; die "download of $pkg:$debarch $ver failed"; }
		mv "$tmp"/*.deb "$deb"
		rmdir "$tmp"
		# shellcheck disable=SC2231 # $family may be a glob itself
		for old in "$debs"/${family}_*.deb; do
			[ "$old" = "$deb" ] || rm -f "$old"
		done
	fi
	echo "$deb"
}

# unpack DEB DIR: dpkg -x DEB into DIR, unless DIR already holds that DEB.
unpack() {
	if [ "$(cat "$2/.deb" 2>/dev/null)" != "${1##*/}" ]; then
		rm -rf "$2" "$2.tmp"
		dpkg -x "$1" "$2.tmp"
		echo "${1##*/}" >"$2.tmp/.deb"
		mv "$2.tmp" "$2"
	fi
}

# The metapackage depends on exactly one linux-image-<abi>-<flavour>.
kpkg=$("$apt_private" apt-cache depends "$kmeta:$debarch" |
	sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -n 1)
[ -n "$kpkg" ] || die "cannot resolve $kmeta:$debarch to a kernel package"
kdeb=$(fetch_deb "$kpkg" 'linux-image-*')
bdeb=$(fetch_deb busybox-static)

unpack "$kdeb" "$dir/kernel"
unpack "$bdeb" "$dir/busybox-static"

release=${kpkg#linux-image-}
[ -f "$dir/kernel/boot/vmlinuz-$release" ] || die "$kdeb has no boot/vmlinuz-$release"
ln -sfn "kernel/boot/vmlinuz-$release" "$dir/vmlinuz"
ln -sfn "kernel/boot/config-$release" "$dir/config"
ln -sfn "kernel/lib/modules/$release" "$dir/modules"
# depmod reads modules of any architecture; mkinitramfs.sh --modules uses
# the dependency list to copy and load modules in order.
[ -f "$dir/modules/modules.dep" ] || depmod -b "$dir/kernel" "$release"
ln -sfn busybox-static/bin/busybox "$dir/busybox"
echo "$release" >"$dir/kernel.release"

echo "fetch: $arch kernel $release (${kdeb##*/}), ${bdeb##*/}"
