#!/bin/sh
# shellcheck shell=dash
# The boot test's payload (see scripts/qemu/README.md), run after the
# board's own /etc/init.d/rcS has started the containers of
# /etc/runlet/bundles through S95runlet and runlet-bundles, as on a device.
# It checks what the init scripts did, runs bundles the way supervisors do
# (BusyBox init's respawn, procd, systemd with a delegated cgroup), then
# runs the shutdown path (/etc/init.d/rcK) and checks that everything is
# gone.  Results are TAP lines prefixed "TAP: " (lib.sh).
#
# tests/boot/run.sh puts here this file, lib.sh and bundles/ (the
# supervised bundles; they share the rootfs of /etc/runlet/bundles/demo).

cd /payload || exit 1
# shellcheck source=lib.sh
. ./lib.sh

dmesg -n 1 2>/dev/null
rm -rf "$WORK"
mkdir -p "$WORK"

tap "# guest: $HARNESS_ARCH, kernel $(uname -r), root: $HARNESS_ROOT, runlet $("$RUNLET" --version 2>&1 | head -n 1)"

# --- what the init scripts did at boot ----------------------------------------

t_boot() {
	local pid out="$WORK/boot.out" i

	check "rcS started the container demo (S95runlet, runlet-bundles start): it is running" \
		wait_status demo running
	pid=$(pid_of demo)
	DEMO_PID=$pid
	check "the pid file /run/runlet-bundles/demo.pid names the container's init ($pid)" \
		file_is /run/runlet-bundles/demo.pid "$pid"
	check "the container's program runs: its output is in /run/runlet-logs/demo.log" \
		file_has /run/runlet-logs/demo.log "^demo: up on demo, pid 1$"
	check "its init is in the cgroup of linux.cgroupsPath, /runlet/demo" \
		file_is "/proc/$pid/cgroup" "0::/runlet/demo"
	check "pids.max of /runlet/demo is 32 (linux.resources.pids.limit)" file_is "$CG/runlet/demo/pids.max" 32
	check "memory.max of /runlet/demo is 16777216" file_is "$CG/runlet/demo/memory.max" 16777216
	check "cpu.max of /runlet/demo is \"50000 100000\"" file_is "$CG/runlet/demo/cpu.max" "50000 100000"

	# 40 more processes in a cgroup allowed 32: some forks fail.
	rl exec demo sh -c 'i=0; while [ $i -lt 40 ]; do sleep 2 & i=$((i + 1)); done; echo forked' >"$out" 2>&1
	check "pids.max is enforced: pids.events counts refused forks" \
		key_at_least "$CG/runlet/demo/pids.events" max 1
	# The sleeps end after 2 s and free the cgroup's pids for exec.
	i=0
	while [ "$(cat "$CG/runlet/demo/pids.current" 2>/dev/null || echo 0)" -gt 8 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "the container's init runs under a seccomp filter (Seccomp: 2)" \
		sh -c "grep -q '^Seccomp:[[:space:]]*2' /proc/$pid/status || grep Seccomp /proc/$pid/status"
	rl exec demo mount -t tmpfs none /tmp >"$out" 2>&1
	check "the filter is the bundle's: mount(2) fails with ENOSYS (errnoRet 38)" \
		file_has "$out" "not implemented"
	rl exec demo cat /etc/rootfs-marker >"$out" 2>&1
	check "exec sees the bundle's rootfs" file_has "$out" "^runlet-boot-rootfs$"
	if [ "$HARNESS_ROOT" = initramfs ]; then
		check "on the initramfs, pivot_root failed and runlet moved the rootfs and chrooted" \
			file_has /run/runlet-debug.log "pivot_root: EINVAL"
	else
		check "on a tmpfs root, pivot_root worked (no fallback)" \
			file_lacks /run/runlet-debug.log "pivot_root: EINVAL"
	fi
	check "rcS started the container stubborn too" wait_status stubborn running
	check "/etc/init.d/S95runlet status: exit 0 while every bundle runs" \
		/etc/init.d/S95runlet status
}

# --- supervised, in the foreground ------------------------------------------

# supervise NAME [HELPER ARGS]: starts `runlet-bundles run NAME` in the
# background, as BusyBox init's respawn or procd would; sets SUP (its pid).
supervise() {
	local name="$1"

	shift
	"$HELPER" -c '' -d /payload/bundles "$@" run "$name" >"$WORK/$name.out" 2>&1 &
	SUP=$!
}

# finish PID: waits for the supervised runlet; sets RC.
finish() {
	local i=0

	while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do
		# Still alive but a zombie: wait collects it below.
		[ "$(proc_state "$1")" = Z ] && break
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null && [ "$(proc_state "$1")" != Z ]; then
		kill -9 "$1" 2>/dev/null
	fi
	wait "$1"
	RC=$?
}

t_foreground() {
	local init exe

	supervise fg
	check "runlet-bundles run fg: the container runs" wait_status fg running "$SUP"
	init=$(pid_of fg)
	# runlet runs from a sealed copy of itself: exe is "memfd:runlet".
	exe=$(readlink "/proc/$SUP/exe")
	check "the supervised process is runlet itself (runlet-bundles execs it)" \
		sh -c "case '$exe' in *runlet*) exit 0 ;; esac; echo '/proc/$SUP/exe is $exe'; exit 1"
	kill -USR1 "$SUP"
	check "a signal to runlet (SIGUSR1) reaches the container's program" \
		sh -c "i=0; while ! grep -q 'fg: USR1' '$WORK/fg.out' && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done; grep -q 'fg: USR1' '$WORK/fg.out' || cat '$WORK/fg.out'"
	kill -TERM "$SUP"
	finish "$SUP"
	check "SIGTERM to runlet reaches the container, and runlet exits with its status (3)" \
		status_is "$RC" 3 "$WORK/fg.out"
	check "runlet deleted the container once it exited" no_container fg
	check "the container's cgroup is gone" gone "$CG/runlet/fg"
	check "the container's init ($init) is gone, not a zombie" process_gone "$init"

	supervise fg
	if wait_status fg running "$SUP" >"$WORK/fg2.out" 2>&1; then
		init=$(pid_of fg)
		kill -KILL "$init"
		finish "$SUP"
		check "a container killed by SIGKILL: runlet exits 137 (128+9)" status_is "$RC" 137 "$WORK/fg.out"
		check "... and deletes it" no_container fg
	else
		fail "a container killed by SIGKILL: runlet exits 137 (128+9)"
		diag_file "$WORK/fg2.out"
		kill -9 "$SUP" 2>/dev/null
	fi

	# A respawn after a crash of runlet: the container and its record are
	# still there; run NAME starts afresh.
	supervise fg
	wait_status fg running "$SUP" >/dev/null 2>&1
	init=$(pid_of fg)
	kill -KILL "$SUP"
	wait "$SUP" 2>/dev/null
	supervise fg
	check "after its runlet was SIGKILLed, runlet-bundles run starts the container afresh" \
		sh -c "i=0; while [ \$i -lt 200 ]; do p=\$($RUNLET state fg 2>/dev/null | sed -n 's/.*\"pid\": *\\([0-9]*\\).*/\\1/p'); [ -n \"\$p\" ] && [ \"\$p\" != $init ] && exit 0; sleep 0.1; i=\$((i + 1)); done; echo 'pid still $init'; cat '$WORK/fg.out'; exit 1"
	check "... and the old container's init ($init) is gone" process_gone "$init"
	kill -TERM "$SUP"
	finish "$SUP"
	no_container fg >/dev/null 2>&1 || rl delete --force fg >/dev/null 2>&1
}

t_orphans() {
	local i=0

	# No PID namespace: the container's orphans come to runlet, the
	# nearest subreaper.
	supervise orphans
	check "a container without a PID namespace runs" wait_status orphans running "$SUP"
	sleep 2
	check "runlet reaps the container's orphans while it runs: no zombie child of runlet ($SUP)" \
		no_zombies "$SUP"
	kill -TERM "$SUP"
	finish "$SUP"
	check "SIGTERM: the container exits 0, and so does runlet" status_is "$RC" 0 "$WORK/orphans.out"
	check "no process of the container is left" gone "$CG/runlet/orphans"
	check "no zombie is left" no_zombies
}

# As systemd runs runlet@NAME.service with Delegate=yes: the service's
# process starts in the unit's own cgroup, whose controllers the parent
# slice enabled; -L supervisor moves it to a leaf so that the container's
# cgroup can be made beside it.
t_delegated() {
	local unit="$CG/runlet.slice/runlet@sysd.service" c init

	mkdir -p "$unit"
	for c in $(cat "$CG/cgroup.controllers"); do
		echo "+$c" >"$CG/runlet.slice/cgroup.subtree_control" 2>/dev/null
	done
	sh -c "echo \$\$ >'$unit/cgroup.procs' && exec '$HELPER' -c '' -d /payload/bundles -L supervisor run sysd" \
		>"$WORK/sysd.out" 2>&1 &
	SUP=$!
	check "in a delegated unit cgroup (systemd's Delegate=yes), runlet-bundles -L supervisor run: the container runs" \
		wait_status sysd running "$SUP"
	init=$(pid_of sysd)
	check "runlet moved itself to the leaf runlet@sysd.service/supervisor" \
		file_is "/proc/$SUP/cgroup" "0::/runlet.slice/runlet@sysd.service/supervisor"
	check "the container is in the unit's subtree, runlet@sysd.service/container" \
		file_is "/proc/$init/cgroup" "0::/runlet.slice/runlet@sysd.service/container"
	check "pids.max of the container's cgroup is 32" file_is "$unit/container/pids.max" 32
	kill -TERM "$SUP"
	finish "$SUP"
	check "SIGTERM to the service's main process: runlet exits with the container's status (3)" \
		status_is "$RC" 3 "$WORK/sysd.out"
	check "the container's cgroup is gone, the unit's is left to the supervisor" \
		sh -c "[ ! -e '$unit/container' ] && [ -d '$unit/supervisor' ] || ls -la '$unit'"
	rmdir "$unit/supervisor" "$unit" "$CG/runlet.slice" 2>/dev/null
}

# --- shutdown -------------------------------------------------------------------

t_shutdown() {
	local out="$WORK/rcK.out" rc stubborn_pid

	stubborn_pid=$(pid_of stubborn)
	/etc/init.d/rcK >"$out" 2>&1
	rc=$?
	check "rcK (S95runlet stop, runlet-bundles stop) exits 0" status_is "$rc" 0 "$out"
	check "it reports demo stopped" file_has "$out" "demo: stopped"
	check "demo's program got SIGTERM and exited by itself" file_has /run/runlet-logs/demo.log "^demo: stopping$"
	check "stubborn, which ignores SIGTERM, was killed after the timeout (3 s)" \
		file_has "$out" "stubborn: still running after 3s, killing it"
	check "the containers are deleted (runlet list is empty)" sh -c "[ -z \"\$($RUNLET list -q)\" ] || $RUNLET list"
	check "their cgroups are gone" sh -c "[ ! -e '$CG/runlet/demo' ] && [ ! -e '$CG/runlet/stubborn' ] || ls '$CG/runlet'"
	check "demo's init ($DEMO_PID) is gone, not a zombie" process_gone "$DEMO_PID"
	check "stubborn's init ($stubborn_pid) is gone, not a zombie" process_gone "$stubborn_pid"
	check "the pid files are removed" sh -c "[ ! -e /run/runlet-bundles/demo.pid ] && [ ! -e /run/runlet-bundles/stubborn.pid ] || ls -l /run/runlet-bundles"
	check "no zombie is left" no_zombies

	/etc/init.d/S95runlet start demo >"$out" 2>&1
	check "S95runlet start demo starts it again" wait_status demo running
	/etc/init.d/S95runlet start demo >"$out" 2>&1
	rc=$?
	check "a second start leaves it alone (exit 0, already running)" \
		sh -c "[ $rc = 0 ] && grep -q 'demo: already running' '$out' || { echo rc=$rc; cat '$out'; exit 1; }"
	/etc/init.d/S95runlet stop demo >"$out" 2>&1
	rc=$?
	check "S95runlet stop demo: exit 0, container deleted" \
		sh -c "[ $rc = 0 ] && ! $RUNLET state demo >/dev/null 2>&1 || { echo rc=$rc; cat '$out'; exit 1; }"
	/etc/init.d/S95runlet status demo >"$out" 2>&1
	rc=$?
	check "S95runlet status demo exits 3 once it is stopped" status_is "$rc" 3 "$out"
}

t_boot
t_foreground
t_orphans
t_delegated
t_shutdown

if [ "$tap_failed" != 0 ]; then
	diag "runlet's debug log (the end):"
	diag_file /run/runlet-debug.log
	dmesg 2>/dev/null | tail -n 20 >"$WORK/dmesg.out"
	diag "the kernel's last messages:"
	diag_file "$WORK/dmesg.out"
fi
tap_done
