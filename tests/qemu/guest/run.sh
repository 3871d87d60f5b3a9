#!/bin/sh
# shellcheck shell=dash
# The payload of the QEMU boot tests (see scripts/qemu/README.md): runs in
# the guest as root from /payload, with busybox only.  It builds the shared
# rootfs, runs the test files and prints their results as TAP lines with the
# prefix "TAP: " (lib.sh).  It exits non-zero when a test failed.
#
# tests/qemu/run.sh puts here: this file, lib.sh, the test files, the
# runtime built for the guest (runlet), the bundles (bundles/NAME/config.json)
# and params.sh (values shared with the host's bundle generator).

cd /payload || exit 1
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=/dev/null # written by tests/qemu/run.sh
. ./params.sh
# shellcheck source=cgroups.sh
. ./cgroups.sh

# The kernel's messages (an OOM kill's report...) would land in the middle
# of the results on the console: keep them in the ring buffer, and show
# the end of it when something failed.
dmesg -n 1 2>/dev/null

rm -rf "$WORK"
mkdir -p "$WORK" "$STATE"
tap "# guest: $HARNESS_ARCH, kernel $(uname -r), root: $HARNESS_ROOT"
tap "# cgroup2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
if ! make_rootfs >"$WORK/rootfs.out" 2>&1; then
	fail "the guest's busybox rootfs can be made"
	diag_file "$WORK/rootfs.out"
	tap_done
	exit 1
fi

cgroups_tests

if [ "$tap_failed" != 0 ]; then
	diag "the kernel's last messages:"
	# Without the statistics of an OOM report, one number per line.
	dmesg 2>/dev/null | grep -v '^\[[ 0-9.]*\] [a-z_]* [0-9]*$' | tail -n 25 >"$WORK/dmesg.out"
	diag_file "$WORK/dmesg.out"
fi
tap_done
