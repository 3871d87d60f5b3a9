################################################################################
#
# runlet
#
################################################################################

# The source is the tree this external lives in (scripts/buildroot/ of
# runlet); RUNLET_OVERRIDE_SRCDIR points elsewhere as usual.
RUNLET_SITE = $(BR2_EXTERNAL_RUNLET_PATH)/../..
RUNLET_SITE_METHOD = local
RUNLET_VERSION = $(shell cat $(BR2_EXTERNAL_RUNLET_PATH)/../../VERSION)
RUNLET_LICENSE = Apache-2.0
RUNLET_LICENSE_FILES = LICENSE
RUNLET_CPE_ID_VENDOR = runlet
RUNLET_DEPENDENCIES = jsmn

# Kconfig: `make runlet-menuconfig`, runlet-savedefconfig,
# runlet-update-config.  The fixups and olddefconfig use runlet's own
# Makefile targets, which need kconfiglib in the host's python3 (Debian:
# python3-kconfiglib; elsewhere: pip install kconfiglib).
ifeq ($(BR2_PACKAGE_RUNLET_USE_CUSTOM_CONFIG),y)
RUNLET_KCONFIG_FILE = $(call qstrip,$(BR2_PACKAGE_RUNLET_CUSTOM_CONFIG_FILE))
else
RUNLET_KCONFIG_DEFCONFIG = $(call qstrip,$(BR2_PACKAGE_RUNLET_DEFCONFIG))_defconfig
endif
RUNLET_KCONFIG_FRAGMENT_FILES = $(call qstrip,$(BR2_PACKAGE_RUNLET_CONFIG_FRAGMENT_FILES))
RUNLET_KCONFIG_EDITORS = menuconfig

# Buildroot's toolchain, never runlet's own musl set-up (which is only used
# when no CC is given).  GIT_REV= keeps the version from VERSION alone: the
# build directory may sit inside another git tree (Buildroot's).
RUNLET_MAKE_OPTS = \
	$(TARGET_CONFIGURE_OPTS) \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	JSMN_INCLUDE=$(STAGING_DIR)/usr/include \
	GIT_REV= \
	PREFIX=/usr

ifeq ($(BR2_PACKAGE_RUNLET_SECCOMP),y)
RUNLET_DEPENDENCIES += libseccomp
# Buildroot's libseccomp, from staging: the build never calls apt.
RUNLET_MAKE_OPTS += LIBSECCOMP_DIR=$(STAGING_DIR)/usr
define RUNLET_KCONFIG_FIXUP_SECCOMP
	$(call KCONFIG_ENABLE_OPT,CONFIG_SECCOMP)
endef
else
define RUNLET_KCONFIG_FIXUP_SECCOMP
	$(call KCONFIG_DISABLE_OPT,CONFIG_SECCOMP)
endef
endif

define RUNLET_KCONFIG_FIXUP_CMDS
	$(RUNLET_KCONFIG_FIXUP_SECCOMP)
endef

RUNLET_KCONFIG_OPTS = $(RUNLET_MAKE_OPTS)

define RUNLET_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(RUNLET_MAKE_OPTS) all
endef

# Not stripped here: Buildroot strips the target directory itself.
define RUNLET_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(RUNLET_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) install
	$(INSTALL) -d -m 0755 $(TARGET_DIR)/etc/runlet/bundles
endef

ifeq ($(BR2_PACKAGE_RUNLET_INIT_SCRIPT),y)
define RUNLET_INSTALL_HELPER
	$(INSTALL) -D -m 0755 $(@D)/boards/common/runlet-bundles \
		$(TARGET_DIR)/usr/sbin/runlet-bundles
	$(INSTALL) -D -m 0644 $(@D)/boards/common/init/default-runlet \
		$(TARGET_DIR)/etc/default/runlet
endef
RUNLET_POST_INSTALL_TARGET_HOOKS += RUNLET_INSTALL_HELPER

# BusyBox init and SysV init: rcS runs it at boot, rcK at shutdown.
define RUNLET_INSTALL_INIT_SYSV
	$(INSTALL) -D -m 0755 $(@D)/boards/common/init/sysv-runlet \
		$(TARGET_DIR)/etc/init.d/S95runlet
endef

define RUNLET_INSTALL_INIT_OPENRC
	$(INSTALL) -D -m 0755 $(@D)/boards/common/init/openrc-runlet \
		$(TARGET_DIR)/etc/init.d/runlet
endef

define RUNLET_INSTALL_INIT_SYSTEMD
	$(INSTALL) -D -m 0644 $(@D)/boards/common/init/runlet@.service \
		$(TARGET_DIR)/usr/lib/systemd/system/runlet@.service
endef
endif

# What the kernel needs (boards/common/kernel.config), when Buildroot
# builds it.
define RUNLET_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_NAMESPACES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_UTS_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_IPC_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_PID_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NET_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUPS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MEMCG)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_PIDS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_SCHED)
	$(call KCONFIG_ENABLE_OPT,CONFIG_FAIR_GROUP_SCHED)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CFS_BANDWIDTH)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CPUSETS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BLK_CGROUP)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BLK_DEV_THROTTLING)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_BPF)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BPF)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BPF_SYSCALL)
	$(if $(BR2_PACKAGE_RUNLET_SECCOMP),
		$(call KCONFIG_ENABLE_OPT,CONFIG_SECCOMP)
		$(call KCONFIG_ENABLE_OPT,CONFIG_SECCOMP_FILTER))
	$(call KCONFIG_ENABLE_OPT,CONFIG_TMPFS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_UNIX98_PTYS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_POSIX_MQUEUE)
	$(call KCONFIG_ENABLE_OPT,CONFIG_SYSVIPC)
	$(call KCONFIG_ENABLE_OPT,CONFIG_PROC_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_SYSFS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_KEYS)
endef

$(eval $(kconfig-package))
