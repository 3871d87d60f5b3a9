# What is compiled, by Kconfig symbol: a feature that is off costs no byte.
SRCS := \
	src/main.c src/cli.c src/cmd_create.c src/cmd_simple.c src/cmd_run.c src/cmd_list.c \
	src/dirs.c src/error.c src/format.c src/path.c src/exe_guard.c src/log.c src/json.c src/json_write.c src/crc32.c src/syscalls.c \
	src/spec_walk.c src/spec_parse.c src/spec_process.c src/spec_linux.c src/spec_resources.c src/mount_opts.c \
	src/captable.c src/signals.c src/state.c src/state_json.c src/record_data.c src/sync.c \
	src/bundle.c src/create.c src/init.c src/namespaces.c src/rootfs.c src/mount.c \
	src/mount_cgroup.c src/mount_special.c src/resolve.c src/devices.c src/caps.c src/process.c \
	src/start.c src/kill.c src/delete.c src/state_query.c src/foreground.c src/pid_file.c

SRCS-y :=
SRCS-$(CONFIG_HOOKS) += src/hooks.c
SRCS-$(CONFIG_TERMINAL) += src/terminal.c
SRCS-$(CONFIG_SYSCTL) += src/sysctl.c
SRCS-$(CONFIG_PROCESS_SCHED) += src/sched.c src/bitlist.c
SRCS-$(CONFIG_NET_DEVICES) += src/netdev.c
SRCS-$(CONFIG_INTEL_RDT) += src/intel_rdt.c
SRCS-$(CONFIG_MEMORY_POLICY) += src/mempolicy.c src/bitlist.c
SRCS-$(CONFIG_APPARMOR) += src/lsm.c
SRCS-$(CONFIG_SELINUX) += src/lsm.c
SRCS-$(CONFIG_SECCOMP) += src/spec_seccomp.c src/seccomp.c src/seccomp_cache.c
SRCS-$(CONFIG_CGROUP_V1) += src/cgroup.c src/cgroup_v1.c
SRCS-$(CONFIG_CGROUP_V2) += src/cgroup.c src/cgroup_v2.c
SRCS-$(CONFIG_CGROUP_V2_DEVICES) += src/cgroup_bpf.c
SRCS-$(CONFIG_CMD_SPEC) += src/cmd_spec.c
SRCS-$(CONFIG_CMD_PS) += src/cmd_ps.c
SRCS-$(CONFIG_CMD_PAUSE) += src/cmd_pause.c
SRCS-$(CONFIG_CMD_UPDATE) += src/cmd_update.c
SRCS-$(CONFIG_CMD_EVENTS) += src/cmd_events.c src/cgroup_stats.c
SRCS-$(CONFIG_CMD_FEATURES) += src/cmd_features.c
SRCS-$(CONFIG_CMD_EXEC) += src/cmd_exec.c src/exec.c

SRCS += $(sort $(SRCS-y))
