#!/bin/bash
# Prepares this machine for driving a runc-compatible runtime through the
# real container clients: podman, containerd (ctr) and Docker.
#
#   scripts/clients/setup.sh        # as root; safe to run again
#
# 1. Installs the Debian packages that are missing, without letting their
#    maintainer scripts start containerd or Docker as system services.
# 2. Builds a tiny busybox image once, as one archive that `ctr images import`
#    reads as an OCI layout and `docker load` and podman as a docker-archive.
# 3. Writes private client configs under build/clients/etc.
#
# Daemons are started by scripts/clients/daemons.sh; tests source env.sh.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

# catatonit: the init of `podman run --init` (a Recommends of podman).
PACKAGES="podman conmon containerd docker.io runc uidmap containernetworking-plugins busybox-static catatonit"

missing_packages() {
	local p
	for p in $PACKAGES; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || echo "$p"
	done
}

# A policy-rc.d that answers 101 makes invoke-rc.d skip every service start;
# without it the postinst scripts start a system containerd and dockerd that
# take /run/containerd and /var/lib/docker.  An existing policy is kept.
install_packages() {
	local missing
	missing=$(missing_packages | xargs)
	[ -n "$missing" ] || return 0
	[ "$(id -u)" = 0 ] || clients_die "must run as root to install: $missing"
	echo "setup: installing $missing"
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		cleanup+=(/usr/sbin/policy-rc.d)
	fi
	export DEBIAN_FRONTEND=noninteractive
	# Another apt run on the machine holds the dpkg lock for a while at most.
	local lock=(-o DPkg::Lock::Timeout=300)
	apt-get -q "${lock[@]}" update >"$RUNLET_CLIENTS_DIR/apt.log" 2>&1 ||
		echo "setup: apt-get update failed, trying the lists at hand" >&2
	# No recommends: they pull in apparmor, buildah, fuse-overlayfs,
	# slirp4netns and more that root-only, network-less tests never use.
	# shellcheck disable=SC2086 # word splitting is the point
	apt-get -y -q --no-install-recommends "${lock[@]}" \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		install $missing >>"$RUNLET_CLIENTS_DIR/apt.log" 2>&1 ||
		{ tail -n 20 "$RUNLET_CLIENTS_DIR/apt.log" >&2; clients_die "apt-get install failed (log: $RUNLET_CLIENTS_DIR/apt.log)"; }
}

# GOARCH spelling of the host, which image configs and platforms use.
image_arch() {
	case $(dpkg --print-architecture) in
	amd64) echo amd64 ;;
	arm64) echo arm64 ;;
	armhf) echo arm ;;
	i386) echo 386 ;;
	*) dpkg --print-architecture ;;
	esac
}

make_rootfs() {
	local root=$1 a
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,etc,root,tmp,var/tmp,run}
	chmod 1777 "$root/tmp" "$root/var/tmp"
	chmod 700 "$root/root"
	cp /bin/busybox "$root/bin/busybox"
	for a in $("$root/bin/busybox" --list-full); do
		[ "$a" = bin/busybox ] || ln -sf /bin/busybox "$root/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# sha256 and size of a file, as "sha256:HEX SIZE".
digest() {
	echo "sha256:$(sha256sum <"$1" | cut -d' ' -f1) $(stat -c %s "$1")"
}

# Moves a file into blobs/sha256/ under its digest; prints "DIGEST SIZE".
add_blob() {
	local dir=$1 file=$2 d s
	read -r d s < <(digest "$file")
	mv "$file" "$dir/blobs/sha256/${d#sha256:}"
	echo "$d $s"
}

# One archive for all three clients: an OCI image layout (index.json) that
# ctr imports, plus a docker-archive manifest.json pointing at the same blobs
# for Docker 20.10, whose `docker load` does not read OCI layouts, and for
# podman (see daemons.sh).  The layer stays uncompressed so its digest is
# also its diff_id, and so podman can read it in place.
build_image() {
	local out=$RUNLET_IMAGE_TAR work arch ld ls cd cs md ms
	if [ -f "$out" ] && [ "$out" -nt /bin/busybox ] && [ "$out" -nt "$0" ]; then
		return 0
	fi
	echo "setup: building $RUNLET_IMAGE"
	work=$(mktemp -d "$RUNLET_CLIENTS_DIR/image.XXXXXX")
	cleanup+=("$work")
	arch=$(image_arch)
	make_rootfs "$work/rootfs"
	mkdir -p "$work/oci/blobs/sha256"
	(cd "$work/rootfs" && tar --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@0 -cf "$work/layer.tar" -- *)
	read -r ld ls < <(add_blob "$work/oci" "$work/layer.tar")

	cat >"$work/config.json" <<-EOF
	{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
	 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"},
	 "rootfs":{"type":"layers","diff_ids":["$ld"]},
	 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"busybox-static rootfs"}]}
	EOF
	read -r cd cs < <(add_blob "$work/oci" "$work/config.json")

	cat >"$work/manifest.json" <<-EOF
	{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
	 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$cd","size":$cs},
	 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$ld","size":$ls}]}
	EOF
	read -r md ms < <(add_blob "$work/oci" "$work/manifest.json")

	cat >"$work/oci/index.json" <<-EOF
	{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
	 "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$md","size":$ms,
	  "platform":{"architecture":"$arch","os":"linux"},
	  "annotations":{"io.containerd.image.name":"$RUNLET_IMAGE","org.opencontainers.image.ref.name":"$RUNLET_IMAGE"}}]}
	EOF
	echo '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
	cat >"$work/oci/manifest.json" <<-EOF
	[{"Config":"blobs/sha256/${cd#sha256:}","RepoTags":["$RUNLET_IMAGE"],"Layers":["blobs/sha256/${ld#sha256:}"]}]
	EOF

	mkdir -p "$(dirname "$out")"
	(cd "$work/oci" && tar --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@0 -cf "$out.tmp" -- *)
	mv "$out.tmp" "$out"
}

# Removed on any exit, including a failed install.
cleanup=()
trap 'rm -rf "${cleanup[@]}"' EXIT
trap 'exit 130' INT TERM

main() {
	mkdir -p "$RUNLET_CLIENTS_DIR"
	install_packages
	build_image
	clients_write_configs
	echo "setup: ready ($RUNLET_CLIENTS_DIR)"
}

main "$@"
