#!/bin/bash
# What a seccomp profile costs `runlet create`, and what the compiled-filter
# cache (src/seccomp_cache.c) saves.  A measurement, not a test.
#
#   scripts/seccomp-cost.sh [-n REPEAT] [--out DIR] [--no-crun]     (as root)
#
# The profile has the shape of Docker's default: defaultAction
# SCMP_ACT_ERRNO, an allow-list of about 300 system calls taken from
# asm/unistd_64.h, personality(2) allowed for a few arguments, and the
# architectures x86_64, x86 and x32.  Instructions are counted by
# valgrind's callgrind in the runtime's own process (not in the container's
# init it forks, nor in the container) for:
#
#   create without linux.seccomp                  (the baseline)
#   create, empty cache: libseccomp compiles the profile
#   create, cached: the program is read from --cache-dir
#
# and, where crun is installed, crun's create with and without the profile.
#
# Conditions:
#   - The binaries run from a read-only bind mount.  On a writable file
#     system runlet first copies itself into a sealed memfd and re-executes
#     (src/exe_guard.c), and crun does the same (cloned_binary.c): under
#     valgrind that re-exec would leave the measured process.  crun skips
#     it only with _LIBCONTAINER_CLONED_BINARY=1 and a read-only binary.
#   - Everything runs in a private mount namespace: the bind mount goes
#     with it.  crun 1.8.1 refuses a hybrid cgroup host whose cgroup2 mount
#     owns a controller, so /sys/fs/cgroup/unified is unmounted there
#     before crun runs (runlet runs first, with the host's view).
#   - process.rlimits is left out of the bundles: valgrind keeps a few
#     descriptors for itself and lowers RLIMIT_NOFILE, so the forked init,
#     still under valgrind, could not set it back.
#   - valgrind 3.19 does not know clone3, openat2 or seccomp(2); runlet
#     falls back (src/syscalls.c), and create loads no filter anyway: the
#     init loads it after start.
#
# Environment: RUNLET (default build/runlet, built with make), CRUN
# (default: crun in $PATH).  Output: DIR/report.txt (default
# build/seccomp-cost), and the same on stdout.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${SECCOMP_COST_INNER:-}" ]; then
	repeat=3
	out=$top/build/seccomp-cost
	with_crun=1
fi

while [ $# -gt 0 ]; do
	case $1 in
	-n) repeat=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--no-crun) with_crun=0; shift ;;
	-h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "seccomp-cost.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

die() {
	echo "seccomp-cost.sh: $*" >&2
	exit 1
}

# --- outside: packages, build, then the same script in a mount namespace ---

if [ -z "${SECCOMP_COST_INNER:-}" ]; then
	[ "$(id -u)" = 0 ] || die "run it as root (it creates containers)"
	sh "$top/scripts/deps.sh" build bench
	command -v jq >/dev/null || die "jq is missing (apt-get install jq)"
	if [ -z "${RUNLET:-}" ]; then
		make -s -C "$top" >/dev/null
		RUNLET=$top/build/runlet
	fi
	[ -x "$RUNLET" ] || die "no runtime at $RUNLET"
	"$RUNLET" features | jq -e '.linux.seccomp.enabled' >/dev/null ||
		die "$RUNLET is built without CONFIG_SECCOMP"
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	export RUNLET out repeat with_crun SECCOMP_COST_INNER=1
	export CRUN=${CRUN:-$(command -v crun || true)}
	exec unshare --mount --propagation private bash "$0"
fi

# --- inside the private mount namespace ---

bin=$out/bin
rootfs=$out/rootfs
work=$out/work
runlet_root=/run/runlet-seccomp-cost
crun_root=/run/crun-seccomp-cost
id_base=seccomp-cost-$$

cleanup() {
	local r path id
	for r in "$runlet_root" "$crun_root"; do
		for path in "$r"/"$id_base"-*; do
			[ -e "$path" ] || continue
			id=${path##*/}
			if [ "$r" = "$runlet_root" ]; then
				"$bin/runlet" --root "$r" delete --force "$id" >/dev/null 2>&1 || true
			elif [ -x "$bin/crun" ]; then
				"$bin/crun" --root "$r" delete --force "$id" >/dev/null 2>&1 || true
			fi
		done
	done
	umount "$bin" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$bin" "$work"
umount "$bin" 2>/dev/null || true
cp "$RUNLET" "$bin/runlet"
if [ "$with_crun" = 1 ] && [ -n "$CRUN" ]; then
	cp "$CRUN" "$bin/crun"
else
	rm -f "$bin/crun"
fi
mount --bind "$bin" "$bin"
mount -o remount,bind,ro "$bin"

# A busybox rootfs, made once.
if [ ! -x "$rootfs/bin/busybox" ]; then
	busybox=$(command -v busybox) || die "busybox is missing (apt-get install busybox-static)"
	mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,etc}
	cp "$busybox" "$rootfs/bin/busybox"
	for a in $("$rootfs/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$rootfs/bin/$a"
	done
fi

# The profile.  Docker's default allows about 300 calls by name; these are
# the first 300 of asm/unistd_64.h less those Docker refuses or allows
# only with conditions.
profile() {
	local hdr=/usr/include/x86_64-linux-gnu/asm/unistd_64.h names

	[ -r "$hdr" ] || hdr=/usr/include/asm/unistd_64.h
	[ -r "$hdr" ] || die "asm/unistd_64.h is missing (apt-get install linux-libc-dev)"
	names=$(sed -n 's/^#define __NR_\([a-z0-9_]*\) [0-9]*$/\1/p' "$hdr" | grep -vxF -f <(printf '%s\n' \
		kexec_load kexec_file_load init_module finit_module delete_module reboot swapon swapoff \
		mount umount2 pivot_root acct settimeofday clock_settime adjtimex iopl ioperm \
		create_module get_kernel_syms query_module quotactl quotactl_fd nfsservctl lookup_dcookie \
		perf_event_open bpf userfaultfd open_by_handle_at name_to_handle_at ptrace \
		process_vm_readv process_vm_writev kcmp keyctl add_key request_key fsopen fsmount \
		fsconfig fspick open_tree move_mount mount_setattr setns unshare syslog vhangup uselib \
		personality ustat sysfs _sysctl afs_syscall tuxcall security vserver getpmsg putpmsg \
		epoll_ctl_old epoll_wait_old set_mempolicy mbind migrate_pages move_pages clone \
		io_uring_setup io_uring_enter io_uring_register pidfd_getfd memfd_secret \
		process_madvise clone3) | head -300 | jq -Rsc 'split("\n") | map(select(length > 0))')
	jq -nc --argjson names "$names" '{
		defaultAction: "SCMP_ACT_ERRNO",
		defaultErrnoRet: 1,
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: ([{names: $names, action: "SCMP_ACT_ALLOW"}]
			+ ([0, 8, 131072, 131080, 4294967295] | map({names: ["personality"],
				action: "SCMP_ACT_ALLOW", args: [{index: 0, value: ., op: "SCMP_CMP_EQ"}]}))
			+ [{names: ["clone"], action: "SCMP_ACT_ALLOW",
				args: [{index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ"}]},
			   {names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38}])
	}'
}

# make_bundle DIR WITH_SECCOMP
make_bundle() {
	local dir=$1 cfg=$1/config.json

	mkdir -p "$dir"
	rm -f "$cfg"
	"$bin/runlet" spec --bundle "$dir"
	# ociVersion: crun 1.8.1 knows up to 1.0.x/1.1.x.
	jq --arg root "$rootfs" --argjson s "$2" '.ociVersion = "1.0.2"
		| .root = {path: $root, readonly: true}
		| .process.terminal = false
		| .process.args = ["/bin/true"]
		| del(.process.rlimits)
		| if $s == null then . else .linux.seccomp = $s end' "$cfg" >"$cfg.new"
	mv "$cfg.new" "$cfg"
}

seccomp=$(profile)
nallow=$(jq '.syscalls[0].names | length' <<<"$seccomp")
nrules=$(jq '.syscalls | length - 1' <<<"$seccomp")
ncond=$(jq '[.syscalls[] | select(.args)] | length' <<<"$seccomp")
make_bundle "$work/plain" null
make_bundle "$work/seccomp" "$seccomp"

# callgrind LABEL RUNTIME ROOT BUNDLE [GLOBAL_OPTION...]: the instructions
# of one create in the runtime's own process; the container is deleted
# after.  The callgrind output stays in the work directory, named by LABEL.
callgrind() {
	local n=$1 rt=$2 root=$3 bundle=$4 id pid count log
	shift 4

	id=$id_base-$n
	log=$work/callgrind.$n.log
	if ! _LIBCONTAINER_CLONED_BINARY=1 valgrind --tool=callgrind \
		--callgrind-out-file="$work/callgrind.$n.%p" \
		"$bin/$rt" --root "$root" "$@" create --bundle "$bundle" "$id" \
		</dev/null >"$work/create.$n.out" 2>"$log"; then
		"$bin/$rt" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
		echo "seccomp-cost.sh: $rt create failed under valgrind:" >&2
		grep -v '^==' "$log" >&2 || true
		return 1
	fi
	"$bin/$rt" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
	# The first process valgrind names is the runtime's own.
	pid=$(sed -n 's/^==\([0-9]*\)==.*/\1/p' "$log" | head -1)
	count=$(sed -n "s/^==$pid== Collected : \([0-9]*\)\$/\1/p" "$log")
	[ -n "$count" ] || { echo "seccomp-cost.sh: no count in $log" >&2; return 1; }
	echo "$count"
}

# median of the arguments
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# runlet
cache=$work/cache
plain=() first=() cached=()
for ((i = 0; i < repeat; i++)); do
	plain+=("$(callgrind "runlet-plain-$i" runlet "$runlet_root" "$work/plain" --cache-dir "$cache")")
	rm -rf "$cache"
	first+=("$(callgrind "runlet-first-$i" runlet "$runlet_root" "$work/seccomp" --cache-dir "$cache")")
	[ "$(find "$cache" -name '*.bpf' | wc -l)" = 1 ] || die "the first create left no cache file in $cache"
	cached+=("$(callgrind "runlet-cached-$i" runlet "$runlet_root" "$work/seccomp" --cache-dir "$cache")")
done
# The cached create did read the cache: check once, outside valgrind.
"$bin/runlet" --root "$runlet_root" --cache-dir "$cache" --debug create --bundle "$work/seccomp" "$id_base-check" \
	</dev/null >/dev/null 2>"$work/check.err" || die "create failed: $(cat "$work/check.err")"
"$bin/runlet" --root "$runlet_root" delete --force "$id_base-check" >/dev/null 2>&1 || true
grep -q "seccomp cache: using" "$work/check.err" || die "the cached create did not use the cache"
prog_bytes=$(stat -c %s "$(find "$cache" -name '*.bpf' | head -1)")

p=$(median "${plain[@]}")
f=$(median "${first[@]}")
c=$(median "${cached[@]}")

# crun
crun_line=
if [ -x "$bin/crun" ]; then
	umount /sys/fs/cgroup/unified 2>/dev/null || true
	cp_=() cs=()
	for ((i = 0; i < repeat; i++)); do
		cp_+=("$(callgrind "crun-plain-$i" crun "$crun_root" "$work/plain")") || { cp_=(); break; }
		cs+=("$(callgrind "crun-seccomp-$i" crun "$crun_root" "$work/seccomp")") || { cs=(); break; }
	done
	if [ ${#cp_[@]} -gt 0 ] && [ ${#cs[@]} -gt 0 ]; then
		crun_plain=$(median "${cp_[@]}")
		crun_sc=$(median "${cs[@]}")
		crun_line=1
	fi
fi

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'
}

{
	echo "seccomp cost of create (callgrind instructions, runtime process, median of $repeat)"
	echo "profile: SCMP_ACT_ERRNO default, $nallow calls allowed by name + $nrules rules ($ncond with argument conditions), 3 architectures"
	echo "runlet: $("$bin/runlet" --version | head -1), compiled program $(((prog_bytes - 24) / 8)) instructions"
	echo
	printf '%-44s %14s\n' "case" "instructions"
	printf '%-44s %14d\n' "runlet create, no seccomp" "$p"
	printf '%-44s %14d\n' "runlet create, seccomp, empty cache" "$f"
	printf '%-44s %14d\n' "runlet create, seccomp, cached" "$c"
	if [ -n "$crun_line" ]; then
		printf '%-44s %14d\n' "crun create, no seccomp" "$crun_plain"
		printf '%-44s %14d\n' "crun create, seccomp" "$crun_sc"
	fi
	echo
	echo "runlet empty cache / cached:            $(ratio "$f" "$c")x"
	echo "runlet seccomp cost, empty cache:       $((f - p)) instructions"
	echo "runlet seccomp cost, cached:            $((c - p)) instructions"
	if [ "$c" -gt "$p" ]; then
		echo "runlet compile / cache-load cost:       $(ratio $((f - p)) $((c - p)))x"
	fi
	if [ -n "$crun_line" ]; then
		echo "crun seccomp cost:                      $((crun_sc - crun_plain)) instructions"
		echo "crun create with seccomp / runlet cached: $(ratio "$crun_sc" "$c")x"
		echo "(crun $("$bin/crun" --version | head -1 | awk '{print $3}'), in a mount namespace without /sys/fs/cgroup/unified)"
	fi
	echo
	echo "samples: plain ${plain[*]}; empty cache ${first[*]}; cached ${cached[*]}"
	[ -z "$crun_line" ] || echo "crun samples: plain ${cp_[*]}; seccomp ${cs[*]}"
} | tee "$out/report.txt"
