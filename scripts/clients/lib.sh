# Shared paths and helpers for scripts/clients/*.sh.  Sourced, not run.
#
# Everything the clients write at run time lives under RUNLET_TEST_ROOT
# (default /run/runlet-test), so a host's own podman, containerd or Docker
# setup is never read or touched.  Cached build products (the busybox image,
# generated configs, logs) live under $O/clients (default build/clients).

# shellcheck disable=SC2034 # the variables are used by the sourcing scripts
# O selects the build directory, as for the other scripts (default: build).
clients_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
clients_out=${O:-$clients_top/build}
case $clients_out in /*) ;; *) clients_out=$clients_top/$clients_out ;; esac

RUNLET_CLIENTS_DIR=$clients_out/clients
RUNLET_TEST_ROOT=${RUNLET_TEST_ROOT:-/run/runlet-test}
RUNLET_ETC=$RUNLET_CLIENTS_DIR/etc
RUNLET_IMAGE=localhost/runlet-busybox:latest
RUNLET_IMAGE_TAR=$RUNLET_CLIENTS_DIR/image/busybox-oci+docker.tar
# The containerd namespace ctr uses; Docker keeps its own ("moby").
RUNLET_CTR_NS=runlet-test

# Binaries by absolute path: an unrelated docker CLI in /usr/local/bin must
# not shadow the packaged one that matches the 20.10 daemon.
RUNLET_DOCKER=/usr/bin/docker
RUNLET_DOCKERD=/usr/sbin/dockerd
RUNLET_CONTAINERD=/usr/bin/containerd
RUNLET_CTR=/usr/bin/ctr
RUNLET_PODMAN=/usr/bin/podman
RUNLET_DEFAULT_RUNTIME=/usr/sbin/runc

# Runtime names podman treats as "speaks --log-format=json" and "can run
# without cgroups".  podman derives the name from the basename of --runtime,
# so a runtime binary handed to p_podman must be called one of these.
RUNLET_PODMAN_RUNTIMES='"runc", "crun", "runlet", "runlet-log"'

clients_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# Writes $2 from stdin only when the content changed, keeping mtimes stable.
clients_write_if_changed() {
	local tmp
	tmp=$(mktemp "$1.XXXXXX")
	cat >"$tmp"
	if cmp -s "$tmp" "$1"; then
		rm -f "$tmp"
	else
		chmod 644 "$tmp"
		mv "$tmp" "$1"
	fi
}

# A hard rlimit for containers: the caller's own, capped at podman's
# default of 1048576.  Raising a hard limit needs CAP_SYS_RESOURCE, which
# hosts such as sandboxed CI runners drop from the bounding set.  podman
# also lowers conmon's RLIMIT_NPROC to kernel.pid_max, so nproc must fit
# under that too.
clients_hard_limit() {
	local v max=1048576
	v=$(ulimit -H "$1")
	if [ "$1" = -u ] && [ -r /proc/sys/kernel/pid_max ]; then
		read -r max </proc/sys/kernel/pid_max
		[ "$max" -le 1048576 ] || max=1048576
	fi
	if [ "$v" = unlimited ] || [ "$v" -gt "$max" ]; then v=$max; fi
	echo "$v"
}

clients_write_configs() {
	local r=$RUNLET_TEST_ROOT nofile nproc
	nofile=$(clients_hard_limit -n)
	nproc=$(clients_hard_limit -u)
	mkdir -p "$RUNLET_ETC"

	# CRI is disabled: the tests drive containerd through ctr and Docker only,
	# and CRI would want CNI config and a pause image.  The CRI runtime
	# binary override for Kubernetes is documented in README.md.
	clients_write_if_changed "$RUNLET_ETC/containerd.toml" <<-EOF
	version = 2
	root = "$r/containerd/root"
	state = "$r/containerd/state"
	disabled_plugins = [
	  "io.containerd.grpc.v1.cri",
	  "io.containerd.snapshotter.v1.aufs",
	  "io.containerd.snapshotter.v1.btrfs",
	  "io.containerd.snapshotter.v1.devmapper",
	  "io.containerd.snapshotter.v1.zfs",
	  "io.containerd.tracing.processor.v1.otlp",
	]

	[grpc]
	  address = "$r/containerd/containerd.sock"

	[ttrpc]
	  address = "$r/containerd/containerd.sock.ttrpc"

	[debug]
	  address = ""

	[metrics]
	  address = ""

	[plugins."io.containerd.internal.v1.opt"]
	  path = "$r/containerd/opt"
	EOF

	clients_write_if_changed "$RUNLET_ETC/storage.conf" <<-EOF
	[storage]
	driver = "overlay"
	graphroot = "$r/podman/storage"
	runroot = "$r/podman/run"
	EOF

	# default_ulimits: podman otherwise asks the runtime for 1048576 open
	# files and processes, which fails without CAP_SYS_RESOURCE whenever
	# that is above the caller's hard limit.
	# lock_type "file": the default shm locks live in /dev/shm/libpod_lock and
	# would be shared with a host podman using other storage.
	clients_write_if_changed "$RUNLET_ETC/containers.conf" <<-EOF
	[containers]
	netns = "none"
	default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
	log_driver = "k8s-file"

	[network]
	network_backend = "cni"
	network_config_dir = "$r/podman/cni"

	[engine]
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	events_logfile_path = "$r/podman/events.log"
	tmp_dir = "$r/podman/tmp"
	image_copy_tmp_dir = "$r/podman/tmp"
	static_dir = "$r/podman/storage/libpod"
	volume_path = "$r/podman/storage/volumes"
	lock_type = "file"
	runtime = "runc"
	runtime_supports_json = [$RUNLET_PODMAN_RUNTIMES]
	runtime_supports_nocgroup = [$RUNLET_PODMAN_RUNTIMES]

	[engine.runtimes]
	runc = ["$RUNLET_DEFAULT_RUNTIME"]
	EOF

	# Images only ever come from local archives; refuse any registry.
	clients_write_if_changed "$RUNLET_ETC/registries.conf" <<-EOF
	unqualified-search-registries = []
	EOF
	clients_write_if_changed "$RUNLET_ETC/policy.json" <<-EOF
	{"default": [{"type": "insecureAcceptAnything"}]}
	EOF
}
