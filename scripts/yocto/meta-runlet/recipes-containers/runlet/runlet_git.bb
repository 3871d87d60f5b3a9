SUMMARY = "OCI container runtime for small devices, with runc's command line"
DESCRIPTION = "runlet runs OCI bundles with namespaces, cgroups v1 and v2, \
seccomp and the cgroup v2 device filter, as one static binary configured \
with Kconfig.  runlet-bundles and the init scripts start the bundles of \
/etc/runlet/bundles at boot."
SECTION = "console/utils"
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://LICENSE;md5=3b83ef96387f14655fc854ddc3c6bd57"

# The git tree this layer lives in (conf/layer.conf sets RUNLET_TOPDIR);
# point RUNLET_GIT_URI and SRCREV at a mirror for reproducible builds.
# Uncommitted changes are not fetched: use `devtool modify runlet` to build
# a working tree.
RUNLET_GIT_URI ??= "git://${RUNLET_TOPDIR};protocol=file;branch=main"
SRC_URI = "${RUNLET_GIT_URI}"
SRCREV ??= "${AUTOREV}"
PV = "0.1.0+git"

S = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}/git"
B = "${WORKDIR}/build"

inherit cml1 update-rc.d systemd

# kconfig-conf (kconfig-frontends) brings .config up to date after the
# options below are applied; jsmn is header only.
DEPENDS = "jsmn kconfig-frontends-native"

# configs/NAME_defconfig to start from: default, tiny or full.
RUNLET_DEFCONFIG ?= "default"
# Kconfig fragments applied over it, in order: paths, or names relative to
# the source tree (e.g. boards/qemu-aarch64/runlet.config).  Every *.cfg of
# SRC_URI (SRC_URI += "file://myboard.cfg") is applied after them.
RUNLET_CONFIG_FRAGMENTS ?= ""

# Options that need more than runlet: "enabled,disabled,DEPENDS", the first
# two fields being the Kconfig symbol's value either way.  Everything else
# is a Kconfig symbol of a fragment.
PACKAGECONFIG ??= "seccomp"
PACKAGECONFIG[seccomp] = "CONFIG_SECCOMP=y,CONFIG_SECCOMP=n,libseccomp"

# The Makefile takes the toolchain from CC (never its own musl set-up) and
# links libseccomp.a from the sysroot (libseccomp_%.bbappend keeps it).
# GIT_REV= keeps the version from VERSION alone.
EXTRA_OEMAKE = " \
    -C ${S} O=${B} KCONFIG_CONFIG=${B}/.config \
    'CC=${CC}' 'CFLAGS=${CFLAGS}' 'LDFLAGS=${LDFLAGS}' 'STRIP=${STRIP}' \
    CROSS_COMPILE=${TARGET_PREFIX} \
    JSMN_INCLUDE=${STAGING_INCDIR} \
    ${@bb.utils.contains('PACKAGECONFIG', 'seccomp', 'LIBSECCOMP_DIR=${STAGING_DIR_HOST}${prefix}', '', d)} \
    GIT_REV= PREFIX=${prefix} DESTDIR=${D} \
"

# bitbake -c menuconfig runlet: runlet's own menuconfig (needs kconfiglib in
# the build host's python3); -c diffconfig writes a fragment of the changes.
KCONFIG_CONFIG_ROOTDIR = "${B}"
KCONFIG_CONFIG_COMMAND = "-C ${S} O=${B} KCONFIG_CONFIG=${B}/.config menuconfig"

RUNLET_UNPACKDIR = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}"

do_configure() {
	mkdir -p ${B}
	cp ${S}/configs/${RUNLET_DEFCONFIG}_defconfig ${B}/.config
	for f in ${RUNLET_CONFIG_FRAGMENTS} $(ls ${RUNLET_UNPACKDIR}/*.cfg 2>/dev/null); do
		case $f in /*) ;; *) f=${S}/$f ;; esac
		[ -f "$f" ] || bbfatal "runlet: no configuration fragment $f"
		cat "$f" >>${B}/.config
	done
	# PACKAGECONFIG, last: SYMBOL=y or SYMBOL=n.
	for opt in ${PACKAGECONFIG_CONFARGS}; do
		sym=${opt%%=*}
		sed -i -e "/^$sym=/d" -e "/^# $sym is not set/d" ${B}/.config
		case $opt in
		*=n) echo "# $sym is not set" >>${B}/.config ;;
		*) echo "$opt" >>${B}/.config ;;
		esac
	done
	# Later assignments win; olddefconfig settles the dependent symbols.
	(cd ${S} && KCONFIG_CONFIG=${B}/.config kconfig-conf --olddefconfig Kconfig)
}

do_compile() {
	oe_runmake all
}

# Not stripped: the packaging strips and keeps the debug information.
do_install() {
	oe_runmake install
	install -D -m 0755 ${S}/boards/common/runlet-bundles ${D}${sbindir}/runlet-bundles
	install -D -m 0644 ${S}/boards/common/init/default-runlet ${D}${sysconfdir}/default/runlet
	install -d -m 0755 ${D}${sysconfdir}/runlet/bundles
	if ${@bb.utils.contains('DISTRO_FEATURES', 'sysvinit', 'true', 'false', d)}; then
		install -D -m 0755 ${S}/boards/common/init/sysv-runlet ${D}${sysconfdir}/init.d/runlet
	fi
	if ${@bb.utils.contains('DISTRO_FEATURES', 'systemd', 'true', 'false', d)}; then
		install -D -m 0644 ${S}/boards/common/init/runlet@.service \
			${D}${systemd_system_unitdir}/runlet@.service
	fi
}

INITSCRIPT_NAME = "runlet"
INITSCRIPT_PARAMS = "defaults 95 05"
# A template: enable instances with SYSTEMD_SERVICE:${PN} += "runlet@NAME.service"
# in a bbappend, or systemctl enable runlet@NAME on the device.
SYSTEMD_SERVICE:${PN} = "runlet@.service"
SYSTEMD_AUTO_ENABLE:${PN} = "disable"

CONFFILES:${PN} = "${sysconfdir}/default/runlet"
FILES:${PN} += "${sysconfdir}/runlet"
