#!/bin/sh
# Checks the firmware build recipes without Buildroot or Poky:
#
#   scripts/buildroot/        the BR2_EXTERNAL tree (Config.in, external.desc,
#                             external.mk, package/runlet, package/jsmn)
#   scripts/yocto/meta-runlet the layer (conf/layer.conf, runlet_git.bb, jsmn)
#
#   scripts/check-firmware-recipes.sh         prints TAP, exit 0 if all ok
#
# Buildroot: the Config.in files are parsed with kconfiglib under stand-ins
# for the Buildroot symbols they use, and their dependencies and selects
# are exercised; the .mk files are read by make -n, then their commands
# are run for real by a small stand-in of the generic and kconfig package
# infrastructures: defconfig, fragments, the fixups, olddefconfig (found
# the way pkg-kconfig.mk finds it), build, install, init scripts, and the
# kernel fixups on a kernel .config.
#
# Yocto: layer.conf and the recipes are read by a small BitBake-syntax
# parser; the required variables are checked (LIC_FILES_CHKSUM against the
# real md5 of LICENSE), then do_configure, do_compile and do_install of
# runlet_git.bb are expanded and run as BitBake would run them.
#
# The "target" toolchain of both is the build host's gcc switched to musl
# (scripts/toolchain.sh), the staging directory gets Debian's jsmn.h and the
# static libseccomp of scripts/build-libseccomp.sh: the recipes' own
# settings (CC, LIBSECCOMP_DIR, JSMN_INCLUDE) must make the build use them,
# without runlet's own toolchain or apt.  Work files: $O/fw-check/.
#
# SPDX-License-Identifier: Apache-2.0
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
work=$O/fw-check
mkdir -p "$work"

# The stand-in target compiler: gcc with musl's specs (from toolchain.sh,
# into our own directory), and the static libseccomp for musl.
prepare() {
	O=$work sh "$top/scripts/toolchain.sh" x86_64 >"$work/toolchain.log" 2>&1 || return 1
	if [ ! -f "$O/sysroot/x86_64/lib/libseccomp.a" ]; then
		O=$O sh "$top/scripts/build-libseccomp.sh" x86_64 >"$work/libseccomp.log" 2>&1 || return 1
	fi
	[ -f /usr/include/jsmn.h ] || { echo "jsmn.h missing (apt-get install libjsmn-dev)"; return 1; }
	[ -n "$py" ] || { echo "kconfiglib is missing (apt-get install python3-kconfiglib)"; return 1; }
}

# The python3 that has kconfiglib, as the Makefile picks it.
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import kconfiglib' 2>/dev/null; then
		py=$(command -v "$p")
		break
	fi
done

if ! prepare >"$work/prepare.log" 2>&1; then
	echo "not ok 1 - prepare the stand-in toolchain (scripts/toolchain.sh, build-libseccomp.sh, kconfiglib)"
	sed 's/^/# /' "$work/prepare.log" "$work/toolchain.log" 2>/dev/null | tail -n 20
	echo "1..1"
	exit 1
fi
tc_cflags=$(sed -n 's/^TC_CFLAGS := //p' "$work/toolchain/x86_64/toolchain.mk")

exec "$py" - "$top" "$work" "$O/sysroot/x86_64" "$tc_cflags" <<'PYTHON'
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile

top, work, seccomp_prefix, tc_cflags = sys.argv[1:5]
br = os.path.join(top, "scripts", "buildroot")
layer = os.path.join(top, "scripts", "yocto", "meta-runlet")
target_cc = "gcc " + tc_cflags
n = 0
failed = 0


def result(ok, desc, diag=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
    if diag and not ok:
        for line in str(diag).rstrip().splitlines()[-40:]:
            print("#   " + line)
    sys.stdout.flush()


def skip(desc, why):
    global n
    n += 1
    print("ok %d - %s # SKIP %s" % (n, desc, why))


def run(cmd, cwd=None, env=None, log=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, shell=isinstance(cmd, str),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if log:
        with open(log, "w") as f:
            f.write(p.stdout)
    return p.returncode, p.stdout


def file_md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def file_sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def copy_tree(dst):
    """The source as Buildroot's local site method and a git checkout give
    it: no build directory, no .git, no .config."""
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(top, dst, symlinks=True,
                    ignore=shutil.ignore_patterns("build", ".git", ".config", ".config.old"))


def read_config(path):
    vals = {}
    for line in open(path):
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
        if m:
            vals[m.group(1)] = m.group(2)
        m = re.match(r"^# (CONFIG_\w+) is not set$", line)
        if m:
            vals[m.group(1)] = "n"
    return vals


def binary_checks(binary, want_seccomp):
    """A static binary whose features say what the configuration said."""
    problems = []
    if not os.path.isfile(binary):
        return ["%s was not installed" % binary]
    rc, out = run(["file", "-b", binary])
    if "dynamically linked" in out or "interpreter" in out:
        problems.append("not static: " + out.strip())
    rc, out = run([binary, "features"])
    m = re.search(r'"seccomp":\s*\{\s*"enabled":\s*(true|false)', out)
    if not m:
        problems.append("runlet features: no linux.seccomp.enabled in: " + out[:300])
    elif (m.group(1) == "true") != want_seccomp:
        problems.append("runlet features: seccomp enabled is %s" % m.group(1))
    rc, out = run([binary, "--version"])
    if "+" in out.split()[-1] if out.split() else False:
        problems.append("the version names a git revision: " + out.strip())
    return problems


# --- Buildroot: Kconfig ------------------------------------------------------

import kconfiglib

# What Buildroot defines and the external uses, with Buildroot's own
# dependencies where they matter (package/libseccomp/Config.in).
BR_STUB = """
mainmenu "Buildroot stand-in"
config BR2_USE_MMU
	bool "mmu"
config BR2_STATIC_LIBS
	bool "static"
config BR2_SHARED_LIBS
	bool "shared"
config BR2_SHARED_STATIC_LIBS
	bool "shared and static"
config BR2_TOOLCHAIN_HEADERS_AT_LEAST_3_17
	bool "headers 3.17"
config BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_14
	bool "headers 4.14"
	select BR2_TOOLCHAIN_HEADERS_AT_LEAST_3_17
config BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_15
	bool "headers 4.15"
	select BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_14
config BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_17
	bool "headers 4.17"
	select BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_15
config BR2_PACKAGE_LIBSECCOMP_ARCH_SUPPORTS
	bool "libseccomp arch"
config BR2_PACKAGE_LIBSECCOMP
	bool "libseccomp"
	depends on BR2_PACKAGE_LIBSECCOMP_ARCH_SUPPORTS
	depends on BR2_TOOLCHAIN_HEADERS_AT_LEAST_3_17
menu "External options"
source "$BR2_EXTERNAL_RUNLET_PATH/Config.in"
endmenu
"""


def in_external(node):
    """kconfiglib names files relative to the directory it runs in."""
    return os.path.abspath(node.filename).startswith(br + os.sep)


def br_kconfig(assign):
    os.environ["BR2_EXTERNAL_RUNLET_PATH"] = br
    os.environ["KCONFIG_WARN_UNDEF"] = "y"
    stub = os.path.join(work, "Config.in.stub")
    with open(stub, "w") as f:
        f.write(BR_STUB)
    k = kconfiglib.Kconfig(stub, warn_to_stderr=False)
    for name, val in assign:
        k.syms[name].set_value(val)
    return k


def t_buildroot_kconfig():
    desc = open(os.path.join(br, "external.desc")).read()
    m = re.search(r"^name:\s*(\S+)\s*$", desc, re.M)
    result(bool(m) and m.group(1) == "RUNLET" and re.search(r"^desc:\s*\S", desc, re.M) is not None,
           "buildroot: external.desc names the external RUNLET and describes it", desc)
    mk = open(os.path.join(br, "external.mk")).read()
    result("$(BR2_EXTERNAL_RUNLET_PATH)/package/" in mk,
           "buildroot: external.mk includes the package .mk files of this external", mk)

    try:
        k = br_kconfig([])
    except kconfiglib.KconfigError as e:
        result(False, "buildroot: the Config.in files parse (kconfiglib)", str(e))
        return
    result(not k.warnings, "buildroot: the Config.in files parse (kconfiglib), no warning, no undefined symbol",
           "\n".join(k.warnings))
    ours = [s.name for s in k.unique_defined_syms if any(in_external(node) for node in s.nodes)]
    bad = [x for x in ours if not (x.startswith("BR2_PACKAGE_RUNLET") or x.startswith("BR2_PACKAGE_JSMN"))]
    result(len(ours) >= 8 and not bad,
           "buildroot: every symbol of the external (%d) is BR2_PACKAGE_RUNLET* or BR2_PACKAGE_JSMN*" % len(ours),
           "not named so: %s" % " ".join(bad))

    full = [("BR2_USE_MMU", 2), ("BR2_STATIC_LIBS", 2), ("BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_17", 2),
            ("BR2_PACKAGE_LIBSECCOMP_ARCH_SUPPORTS", 2), ("BR2_PACKAGE_RUNLET", 2)]
    k = br_kconfig(full)
    s = k.syms
    got = {x: s[x].str_value for x in ("BR2_PACKAGE_RUNLET", "BR2_PACKAGE_JSMN", "BR2_PACKAGE_RUNLET_SECCOMP",
                                        "BR2_PACKAGE_LIBSECCOMP", "BR2_PACKAGE_RUNLET_USE_DEFCONFIG",
                                        "BR2_PACKAGE_RUNLET_DEFCONFIG", "BR2_PACKAGE_RUNLET_INIT_SCRIPT")}
    want = {"BR2_PACKAGE_RUNLET": "y", "BR2_PACKAGE_JSMN": "y", "BR2_PACKAGE_RUNLET_SECCOMP": "y",
            "BR2_PACKAGE_LIBSECCOMP": "y", "BR2_PACKAGE_RUNLET_USE_DEFCONFIG": "y",
            "BR2_PACKAGE_RUNLET_DEFCONFIG": "default", "BR2_PACKAGE_RUNLET_INIT_SCRIPT": "y"}
    result(got == want, "buildroot: runlet selects jsmn; seccomp (default y) selects libseccomp; defconfig \"default\"",
           "got %s\nwant %s" % (got, want))

    k = br_kconfig(full + [("BR2_PACKAGE_RUNLET_SECCOMP", 0)])
    result(k.syms["BR2_PACKAGE_LIBSECCOMP"].str_value == "n",
           "buildroot: without the seccomp option libseccomp is not selected")

    k = br_kconfig([("BR2_USE_MMU", 2), ("BR2_SHARED_LIBS", 2), ("BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_17", 2),
                    ("BR2_PACKAGE_RUNLET", 2)])
    comments = [node.prompt[0] for node in k.node_iter() if node.item == kconfiglib.COMMENT
                and in_external(node) and kconfiglib.expr_value(node.dep)]
    result(k.syms["BR2_PACKAGE_RUNLET"].str_value == "n" and comments,
           "buildroot: a shared-only toolchain cannot select runlet, and a comment says why",
           "runlet=%s comments=%s" % (k.syms["BR2_PACKAGE_RUNLET"].str_value, comments))

    k = br_kconfig([("BR2_USE_MMU", 2), ("BR2_STATIC_LIBS", 2), ("BR2_TOOLCHAIN_HEADERS_AT_LEAST_4_15", 2),
                    ("BR2_PACKAGE_LIBSECCOMP_ARCH_SUPPORTS", 2), ("BR2_PACKAGE_RUNLET", 2)])
    result(k.syms["BR2_PACKAGE_RUNLET"].str_value == "y" and k.syms["BR2_PACKAGE_RUNLET_SECCOMP"].str_value == "n",
           "buildroot: with kernel headers 4.15-4.16 runlet builds, without seccomp")


# --- Buildroot: the .mk files -----------------------------------------------

BR_MK = r"""
# A stand-in for the parts of Buildroot a package .mk uses.
BR2_EXTERNAL_RUNLET_PATH := $(EXT)
BUILD_DIR := $(WORK)/build
STAGING_DIR := $(WORK)/staging
TARGET_DIR := $(WORK)/target
HOST_DIR := $(WORK)/host
INSTALL := install
SED := sed -i -e
SHARP_SIGN := \#
TARGET_CROSS := x86_64-linux-gnu-
TARGET_CFLAGS := -O2 -pipe
TARGET_LDFLAGS :=
TARGET_CONFIGURE_OPTS = PATH="$(PATH)" AR="ar" AS="as" LD="ld" NM="nm" \
	CC="$(TARGET_CC)" GCC="$(TARGET_CC)" CPP="$(TARGET_CC) -E" CXX="g++" \
	RANLIB="ranlib" READELF="readelf" STRIP="strip" OBJCOPY="objcopy" OBJDUMP="objdump" \
	CFLAGS="$(TARGET_CFLAGS)" CXXFLAGS="$(TARGET_CFLAGS)" LDFLAGS="$(TARGET_LDFLAGS)" \
	PKG_CONFIG="false"
TARGET_MAKE_ENV = PATH="$(PATH)"
HOSTCC_NOCCACHE := gcc
PKG_KCONFIG_COMMON_OPTS = HOSTCC="$(HOSTCC_NOCCACHE)"
qstrip = $(strip $(subst ",,$(1)))
github = https://github.com/$(1)/$(2)/archive/$(3)
define sep


endef

# package/pkg-utils.mk
KCONFIG_DOT_CONFIG = $(strip $(if $(strip $(1)),$(1),$($(PKG)_DIR)/$($(PKG)_KCONFIG_DOTCONFIG)))
define KCONFIG_MUNGE_DOT_CONFIG
	$(SED) "/\\<$(strip $(1))\\>/d" $(call KCONFIG_DOT_CONFIG,$(3))
	echo '$(strip $(2))' >> $(call KCONFIG_DOT_CONFIG,$(3))
endef
KCONFIG_ENABLE_OPT = $(call KCONFIG_MUNGE_DOT_CONFIG, $(1), $(1)=y, $(2))
KCONFIG_DISABLE_OPT = $(call KCONFIG_MUNGE_DOT_CONFIG, $(1), $(SHARP_SIGN) $(1) is not set, $(2))

# The infrastructures only record that they were called.
generic-package = $(eval CALLED += generic)
kconfig-package = $(eval CALLED += kconfig)

include $(EXT)/external.mk

JSMN_DIR = $(BUILD_DIR)/jsmn-$(JSMN_VERSION)
RUNLET_DIR = $(BUILD_DIR)/runlet-$(RUNLET_VERSION)
RUNLET_KCONFIG_DOTCONFIG ?= .config
RUNLET_MAKE_ENV = $(TARGET_MAKE_ENV)
RUNLET_KCONFIG_MAKE = $(RUNLET_MAKE_ENV) $(MAKE) -C $(RUNLET_DIR) $(PKG_KCONFIG_COMMON_OPTS) $(RUNLET_KCONFIG_OPTS)
LINUX_DIR = $(WORK)/linux
LINUX_KCONFIG_DOTCONFIG = .config

.PHONY: all show linux
all: $(RUNLET_DIR)/.stamp_target_installed

show:
	@echo 'CALLED=$(CALLED)'
	@echo 'RUNLET_VERSION=$(RUNLET_VERSION)'
	@echo 'RUNLET_DEPENDENCIES=$(RUNLET_DEPENDENCIES)'
	@echo 'RUNLET_KCONFIG_DEFCONFIG=$(RUNLET_KCONFIG_DEFCONFIG)'
	@echo 'RUNLET_KCONFIG_FILE=$(RUNLET_KCONFIG_FILE)'
	@echo 'RUNLET_KCONFIG_FRAGMENT_FILES=$(RUNLET_KCONFIG_FRAGMENT_FILES)'
	@echo 'RUNLET_KCONFIG_EDITORS=$(RUNLET_KCONFIG_EDITORS)'
	@echo 'RUNLET_MAKE_OPTS=$(RUNLET_MAKE_OPTS)'
	@echo 'JSMN_SITE=$(JSMN_SITE)'
	@echo 'JSMN_INSTALL_STAGING=$(JSMN_INSTALL_STAGING)'

# jsmn: the header of the release (Debian's libjsmn-dev ships the same).
$(JSMN_DIR)/.stamp_staging_installed:
	mkdir -p $(@D)
	cp /usr/include/jsmn.h $(@D)/jsmn.h
	$(JSMN_INSTALL_STAGING_CMDS)
	touch $@

# The libseccomp package's staging install.
$(STAGING_DIR)/usr/lib/libseccomp.a:
	$(INSTALL) -D -m 0644 $(SECCOMP_PREFIX)/include/seccomp.h $(STAGING_DIR)/usr/include/seccomp.h
	$(INSTALL) -D -m 0644 $(SECCOMP_PREFIX)/include/seccomp-syscalls.h $(STAGING_DIR)/usr/include/seccomp-syscalls.h
	$(INSTALL) -D -m 0644 $(SECCOMP_PREFIX)/lib/libseccomp.a $@

# RUNLET_SITE_METHOD = local: rsync of the tree without version control.
$(RUNLET_DIR)/.stamp_extracted:
	mkdir -p $(@D)
	test -d $(RUNLET_SITE)
	cd $(RUNLET_SITE) && tar --exclude=./build --exclude=./.git --exclude=./.config -cf - . | tar -C $(@D) -xf -
	touch $@

# package/pkg-kconfig.mk: defconfig or file, fragments, then the fixups
# and the regeneration with the target the Makefile is found to have.
$(RUNLET_DIR)/.stamp_dotconfig: PKG=RUNLET
$(RUNLET_DIR)/.stamp_dotconfig: $(RUNLET_DIR)/.stamp_extracted
	$(if $(RUNLET_KCONFIG_DEFCONFIG),$(RUNLET_KCONFIG_MAKE) $(RUNLET_KCONFIG_DEFCONFIG),\
		$(INSTALL) -m 0644 -D $(RUNLET_KCONFIG_FILE) $(@D)/$(RUNLET_KCONFIG_DOTCONFIG))
	for f in $(RUNLET_KCONFIG_FRAGMENT_FILES); do \
		sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set.*/\1/p' $$f | \
		while read -r s; do sed -i -e "/^$$s=/d" -e "/^# $$s is not set/d" $(@D)/.config; done; \
		grep -E '^(CONFIG_|# CONFIG_.* is not set)' $$f >>$(@D)/.config; \
	done
	touch $@

$(RUNLET_DIR)/.stamp_kconfig_fixup_done: PKG=RUNLET
$(RUNLET_DIR)/.stamp_kconfig_fixup_done: $(RUNLET_DIR)/.stamp_dotconfig
	$(RUNLET_KCONFIG_FIXUP_CMDS)
	$(RUNLET_KCONFIG_MAKE) -pn config 2>/dev/null \
		| sed 's/^\([_0-9a-zA-Z]*config\):.*/\1/ p; d' >$(@D)/.br_regen_dot_config
	grep -q '\bolddefconfig\b' $(@D)/.br_regen_dot_config
	$(RUNLET_KCONFIG_MAKE) olddefconfig
	touch $@

$(RUNLET_DIR)/.stamp_built: $(RUNLET_DIR)/.stamp_kconfig_fixup_done $(JSMN_DIR)/.stamp_staging_installed \
		$(if $(filter libseccomp,$(RUNLET_DEPENDENCIES)),$(STAGING_DIR)/usr/lib/libseccomp.a)
	$(RUNLET_BUILD_CMDS)
	touch $@

$(RUNLET_DIR)/.stamp_target_installed: $(RUNLET_DIR)/.stamp_built
	$(RUNLET_INSTALL_TARGET_CMDS)
	$(foreach hook,$(RUNLET_POST_INSTALL_TARGET_HOOKS),$(call $(hook))$(sep))
	$(RUNLET_INSTALL_INIT_SYSV)
	$(RUNLET_INSTALL_INIT_OPENRC)
	$(RUNLET_INSTALL_INIT_SYSTEMD)
	touch $@

linux: PKG=LINUX
linux:
	$(RUNLET_LINUX_CONFIG_FIXUPS)
"""


def br_make(name, brconfig, targets, dry=False, setup=None):
    """Runs the stand-in on a fresh work directory; returns (rc, output, dir)."""
    d = os.path.join(work, "br-" + name)
    if os.path.exists(d) and not dry:
        shutil.rmtree(d)
    os.makedirs(d, exist_ok=True)
    if setup:
        setup(d)
    with open(os.path.join(d, "stub.mk"), "w") as f:
        f.write(BR_MK)
    # Everything a real build reads from .config; an unset symbol is empty.
    args = ["make", "--no-print-directory", "-f", os.path.join(d, "stub.mk"),
            "EXT=" + br, "WORK=" + d, "TARGET_CC=" + target_cc, "SECCOMP_PREFIX=" + seccomp_prefix]
    args += ["%s=%s" % kv for kv in brconfig.items()]
    if dry:
        args.append("-n")
    env = dict(os.environ)
    # A firmware build must never reach for apt or runlet's own toolchain.
    fake = os.path.join(d, "no-apt")
    os.makedirs(fake, exist_ok=True)
    for tool in ("apt-get", "apt", "dpkg"):
        p = os.path.join(fake, tool)
        with open(p, "w") as f:
            f.write("#!/bin/sh\necho \"FORBIDDEN: $0 $*\" >&2\nexit 99\n")
        os.chmod(p, 0o755)
    env["PATH"] = fake + ":" + env["PATH"]
    rc, out = run(args + targets, env=env, log=os.path.join(d, "make.log"))
    return rc, out, d


BR_BASE = {"BR2_PACKAGE_RUNLET": "y", "BR2_PACKAGE_JSMN": "y", "BR2_PACKAGE_RUNLET_USE_DEFCONFIG": "y",
           "BR2_PACKAGE_RUNLET_DEFCONFIG": '"default"', "BR2_PACKAGE_RUNLET_INIT_SCRIPT": "y",
           "BR2_INIT_BUSYBOX": "y"}


def t_buildroot_make():
    cfg = dict(BR_BASE, BR2_PACKAGE_RUNLET_SECCOMP="y", BR2_PACKAGE_LIBSECCOMP="y")
    rc, out, d = br_make("dry", cfg, ["all"], dry=True)
    result(rc == 0, "buildroot: make -n reads external.mk, runlet.mk and jsmn.mk and expands every step", out)
    if rc != 0:
        return
    rc, out, d = br_make("dry", cfg, ["show"], dry=False)
    show = dict(l.split("=", 1) for l in out.splitlines() if re.match(r"^[A-Z_]+=", l))
    version = open(os.path.join(top, "VERSION")).read().strip()
    checks = [
        ("the kconfig and generic infrastructures are called", show.get("CALLED", "").split() == ["generic", "kconfig"]),
        ("RUNLET_VERSION comes from VERSION", show.get("RUNLET_VERSION") == version),
        ("RUNLET_KCONFIG_DEFCONFIG is default_defconfig", show.get("RUNLET_KCONFIG_DEFCONFIG") == "default_defconfig"),
        ("runlet depends on jsmn and libseccomp", set(show.get("RUNLET_DEPENDENCIES", "").split()) == {"jsmn", "libseccomp"}),
        ("menuconfig is an editor", "menuconfig" in show.get("RUNLET_KCONFIG_EDITORS", "")),
        ("LIBSECCOMP_DIR is staging's /usr", "LIBSECCOMP_DIR=" + os.path.join(d, "staging") + "/usr" in show.get("RUNLET_MAKE_OPTS", "")),
        ("CC is the target compiler", "CC=\"%s\"" % target_cc in show.get("RUNLET_MAKE_OPTS", "")),
        ("jsmn comes from its GitHub release", show.get("JSMN_SITE", "").startswith("https://github.com/zserge/jsmn/archive/v")),
        ("jsmn installs to staging", show.get("JSMN_INSTALL_STAGING") == "YES"),
    ]
    bad = [c for c, ok in checks if not ok]
    result(not bad, "buildroot: the variables runlet.mk and jsmn.mk set", "wrong: %s\n%s" % (bad, out))

    # seccomp on, the default defconfig.
    rc, out, d = br_make("seccomp", cfg, ["all"])
    ok = rc == 0
    result(ok, "buildroot (seccomp): defconfig, fixups, olddefconfig, build and install succeed", out)
    if ok:
        rdir = os.path.join(d, "build", "runlet-" + version)
        conf = read_config(os.path.join(rdir, ".config"))
        problems = []
        if conf.get("CONFIG_SECCOMP") != "y":
            problems.append("CONFIG_SECCOMP=%s" % conf.get("CONFIG_SECCOMP"))
        if "olddefconfig" not in open(os.path.join(rdir, ".br_regen_dot_config")).read().split():
            problems.append("make -pn config does not show olddefconfig")
        if "FORBIDDEN" in out or "toolchain:" in out or "build-libseccomp" in out:
            problems.append("the build reached for apt or runlet's own toolchain")
        if os.path.exists(os.path.join(rdir, "build", "toolchain")):
            problems.append("runlet's own toolchain was prepared")
        problems += binary_checks(os.path.join(d, "target", "usr", "sbin", "runlet"), True)
        result(not problems, "buildroot (seccomp): a static runlet with seccomp, Buildroot's libseccomp, no apt",
               "\n".join(problems))
        want = ["usr/sbin/runlet-bundles", "etc/default/runlet", "etc/init.d/S95runlet", "etc/init.d/runlet",
                "usr/lib/systemd/system/runlet@.service", "etc/runlet/bundles", "usr/share/man/man8/runlet.8"]
        missing = [w for w in want if not os.path.exists(os.path.join(d, "target", w))]
        result(not missing, "buildroot (seccomp): the helper, defaults, init scripts and man page are installed",
               "missing: %s" % missing)

    # seccomp off, with a board's fragment.
    cfg = dict(BR_BASE, BR2_PACKAGE_RUNLET_CONFIG_FRAGMENT_FILES='"%s/boards/raspberrypi4/runlet.config"' % top)
    rc, out, d = br_make("noseccomp", cfg, ["all"])
    result(rc == 0, "buildroot (no seccomp, raspberrypi4 fragment): configure, build and install succeed", out)
    if rc == 0:
        rdir = os.path.join(d, "build", "runlet-" + version)
        conf = read_config(os.path.join(rdir, ".config"))
        frag = read_config(os.path.join(top, "boards", "raspberrypi4", "runlet.config"))
        problems = ["%s=%s, the fragment says %s" % (s, conf.get(s), v) for s, v in frag.items()
                    if s in conf and s != "CONFIG_SECCOMP" and conf[s] != v]
        if conf.get("CONFIG_SECCOMP") != "n":
            problems.append("CONFIG_SECCOMP=%s" % conf.get("CONFIG_SECCOMP"))
        if "CONFIG_SECCOMP_CACHE" in conf and conf["CONFIG_SECCOMP_CACHE"] != "n":
            problems.append("CONFIG_SECCOMP_CACHE left at %s" % conf["CONFIG_SECCOMP_CACHE"])
        if os.path.exists(os.path.join(d, "staging", "usr", "lib", "libseccomp.a")):
            problems.append("libseccomp was staged without the option")
        problems += binary_checks(os.path.join(d, "target", "usr", "sbin", "runlet"), False)
        result(not problems, "buildroot (no seccomp): CONFIG_SECCOMP off and settled, the fragment applied, no libseccomp",
               "\n".join(problems))

    # The kernel fixups on an empty kernel configuration.
    def kernel_config(d):
        os.makedirs(os.path.join(d, "linux"))
        open(os.path.join(d, "linux", ".config"), "w").write("# CONFIG_NAMESPACES is not set\n")
    rc, out, d = br_make("linux", dict(BR_BASE, BR2_PACKAGE_RUNLET_SECCOMP="y"), ["linux"], setup=kernel_config)
    kconf = read_config(os.path.join(d, "linux", ".config")) if rc == 0 else {}
    need = {s: v for s, v in read_config(os.path.join(top, "boards", "common", "kernel.config")).items() if v == "y"}
    missing = [s for s in need if kconf.get(s) != "y"]
    result(rc == 0 and not missing,
           "buildroot: RUNLET_LINUX_CONFIG_FIXUPS enable what boards/common/kernel.config requires",
           out + "\nnot enabled: %s" % missing)

    h = open(os.path.join(br, "package", "runlet", "runlet.hash")).read()
    result(re.search(r"^sha256\s+%s\s+LICENSE$" % file_sha256(os.path.join(top, "LICENSE")), h, re.M) is not None,
           "buildroot: runlet.hash has the sha256 of LICENSE", h)


def t_jsmn_release():
    """The jsmn hashes against Debian's copy of the release archive."""
    d = os.path.join(work, "jsmn-src")
    os.makedirs(d, exist_ok=True)
    tgz = [f for f in os.listdir(d) if f.endswith(".orig.tar.gz")]
    if not tgz:
        rc, out = run([os.path.join(top, "scripts", "apt-private.sh"), "apt-get", "source",
                       "--download-only", "-q", "jsmn"], cwd=d, env=dict(os.environ, O=os.path.dirname(work)))
        tgz = [f for f in os.listdir(d) if f.endswith(".orig.tar.gz")]
    if not tgz:
        skip("buildroot and yocto: the jsmn hashes match the 1.1.0 release", "cannot download Debian's jsmn source")
        skip("yocto: jsmn's LIC_FILES_CHKSUM", "cannot download Debian's jsmn source")
        return
    path = os.path.join(d, tgz[0])
    with tarfile.open(path) as t:
        lic = t.extractfile("jsmn-1.1.0/LICENSE").read()
        comment = t.pax_headers.get("comment", "")
    h = open(os.path.join(br, "package", "jsmn", "jsmn.hash")).read()
    ok = (re.search(r"^sha256\s+%s\s+jsmn-1.1.0.tar.gz$" % file_sha256(path), h, re.M)
          and re.search(r"^sha256\s+%s\s+LICENSE$" % hashlib.sha256(lic).hexdigest(), h, re.M))
    result(bool(ok), "buildroot: jsmn.hash matches the v1.1.0 archive (Debian's orig tarball) and its LICENSE", h)
    bb = open(os.path.join(layer, "recipes-devtools", "jsmn", "jsmn_1.1.0.bb")).read()
    ok = ("md5=%s" % hashlib.md5(lic).hexdigest()) in bb and ('SRCREV = "%s"' % comment) in bb
    result(ok, "yocto: jsmn_1.1.0.bb has the md5 of LICENSE and the tag's commit (%s)" % comment[:12], bb)


# --- Yocto --------------------------------------------------------------------

class BB:
    """A small reader of BitBake files: assignments with their operators,
    flags, overrides, inherits and functions, and the expansion of ${VAR}
    and ${@...} (bb.utils.contains, d.getVar, os.path)."""

    def __init__(self):
        self.vars = {}
        self.flags = {}
        self.weak = {}
        self.appends = {}
        self.funcs = {}
        self.inherits = []
        self.errors = []

    def parse(self, path, extra=None):
        text = open(path).read()
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^(python\s+|fakeroot\s+)?([\w\-${}.:]+)\s*\(\)\s*\{\s*$", line)
            if m:
                body = []
                while i < len(lines) and lines[i] != "}":
                    body.append(lines[i])
                    i += 1
                if i >= len(lines):
                    self.errors.append("%s: function %s has no closing brace" % (path, m.group(2)))
                i += 1
                self.funcs[m.group(2)] = ("python" if m.group(1) and "python" in m.group(1) else "shell",
                                          "\n".join(body))
                continue
            while line.rstrip().endswith("\\") and i < len(lines):
                line = line.rstrip()[:-1] + "\n" + lines[i]
                i += 1
            m = re.match(r"^inherit\s+(.*)$", line)
            if m:
                self.inherits += m.group(1).split()
                continue
            if re.match(r"^(addtask|deltask|require|include|EXPORT_FUNCTIONS)\b", line):
                continue
            m = re.match(r'^(export\s+)?([\w\-${}./+~]+)(?::([\w\-${}:]+))?(?:\[([\w\-]+)\])?\s*'
                         r'(\?\?=|\?=|:=|\+=|=\+|\.=|=\.|=)\s*"(.*)"\s*$', line, re.S)
            if not m:
                self.errors.append("%s: cannot read: %s" % (path, line.strip()[:80]))
                continue
            _, name, override, flag, op, value = m.groups()
            value = value.replace("\\\n", " ").replace("\n", " ")
            if flag:
                self.flags.setdefault(name, {})[flag] = value
                continue
            if override:
                if override == "append":
                    self.appends.setdefault(name, []).append(value)
                else:
                    self.vars["%s:%s" % (name, override)] = value
                continue
            cur = self.vars.get(name)
            if op == "=":
                self.vars[name] = value
            elif op == "?=":
                if cur is None:
                    self.vars[name] = value
            elif op == "??=":
                self.weak[name] = value
            elif op == ":=":
                self.vars[name] = self.expand(value)
            elif op == "+=":
                self.vars[name] = (cur + " " if cur else "") + value
            elif op == "=+":
                self.vars[name] = value + (" " + cur if cur else "")
            elif op == ".=":
                self.vars[name] = (cur or "") + value
            elif op == "=.":
                self.vars[name] = value + (cur or "")

    def finalize(self):
        for k, v in self.weak.items():
            self.vars.setdefault(k, v)
        for k, vs in self.appends.items():
            self.vars[k] = self.vars.get(k, "") + "".join(vs)

    def get(self, name):
        v = self.vars.get(name, self.weak.get(name))
        return None if v is None else self.expand(v)

    def expand(self, s, depth=0):
        if depth > 20:
            raise RuntimeError("expansion too deep: " + s[:80])
        out, i = "", 0
        while i < len(s):
            if s.startswith("${@", i):
                j, level = i + 3, 1
                while j < len(s) and level:
                    level += {"{": 1, "}": -1}.get(s[j], 0)
                    j += 1
                code = self.expand(s[i + 3:j - 1], depth + 1)
                out += str(self.eval(code))
                i = j
            elif s.startswith("${", i):
                m = re.match(r"\$\{([\w\-./+~:]+)\}", s[i:])
                if m and self.get(m.group(1)) is not None:
                    out += self.expand(self.get(m.group(1)), depth + 1)
                    i += m.end()
                else:
                    out += s[i]
                    i += 1
            else:
                out += s[i]
                i += 1
        return out

    def eval(self, code):
        parser = self

        class D:
            def getVar(self, name, expand=True):
                return parser.get(name)

        class Utils:
            @staticmethod
            def contains(var, item, truevalue, falsevalue, d):
                have = set((parser.get(var) or "").split())
                want = set(item.split()) if isinstance(item, str) else set(item)
                return truevalue if want <= have else falsevalue

        class Bb:
            utils = Utils

        result = eval(code, {"d": D(), "bb": Bb, "os": os})
        return "" if result is None else result


def yocto_sim(name, pkgconfig, fragments):
    """Runs do_configure, do_compile and do_install of runlet_git.bb."""
    d = os.path.join(work, "yocto-" + name)
    if os.path.exists(d):
        shutil.rmtree(d)
    workdir = os.path.join(d, "work")
    os.makedirs(workdir)
    copy_tree(os.path.join(workdir, "git"))
    sysroot = os.path.join(workdir, "recipe-sysroot")
    os.makedirs(os.path.join(sysroot, "usr", "include"))
    shutil.copy("/usr/include/jsmn.h", os.path.join(sysroot, "usr", "include"))
    if "seccomp" in pkgconfig.split():
        os.makedirs(os.path.join(sysroot, "usr", "lib"))
        for f in ("seccomp.h", "seccomp-syscalls.h"):
            shutil.copy(os.path.join(seccomp_prefix, "include", f), os.path.join(sysroot, "usr", "include"))
        shutil.copy(os.path.join(seccomp_prefix, "lib", "libseccomp.a"), os.path.join(sysroot, "usr", "lib"))
    # kconfig-frontends' kconfig-conf (Debian has it too), else a stand-in
    # with kconfiglib.
    bindir = os.path.join(d, "native-bin")
    os.makedirs(bindir)
    stand_in = os.path.join(bindir, "kconfig-conf")
    if shutil.which("kconfig-conf"):
        os.symlink(shutil.which("kconfig-conf"), stand_in)
    else:
        with open(stand_in, "w") as f:
            f.write("#!/bin/sh\n[ \"$1\" = --olddefconfig ] || exit 2\n"
                    "exec " + sys.executable + " -c 'import os, sys, kconfiglib; k = kconfiglib.Kconfig(sys.argv[1]); "
                    "k.load_config(os.environ[\"KCONFIG_CONFIG\"]); k.write_config(os.environ[\"KCONFIG_CONFIG\"])' \"$2\"\n")
        os.chmod(stand_in, 0o755)

    bb = BB()
    bb.vars.update({
        "LAYERDIR": layer, "WORKDIR": workdir, "D": os.path.join(workdir, "image"), "PN": "runlet",
        "STAGING_DIR_HOST": sysroot, "STAGING_INCDIR": os.path.join(sysroot, "usr", "include"),
        "prefix": "/usr", "sbindir": "/usr/sbin", "sysconfdir": "/etc", "includedir": "/usr/include",
        "systemd_system_unitdir": "/usr/lib/systemd/system", "CC": target_cc, "CFLAGS": "-O2 -pipe -g",
        "LDFLAGS": "-Wl,-O1", "STRIP": "strip", "TARGET_PREFIX": "x86_64-poky-linux-musl-",
        "DISTRO_FEATURES": "sysvinit systemd", "PARALLEL_MAKE": "-j2",
    })
    bb.parse(os.path.join(layer, "conf", "layer.conf"))
    bb.parse(os.path.join(layer, "recipes-containers", "runlet", "runlet_git.bb"))
    bb.vars["PACKAGECONFIG"] = pkgconfig
    bb.vars["RUNLET_CONFIG_FRAGMENTS"] = fragments
    bb.finalize()
    confargs = []
    for opt, spec in bb.flags.get("PACKAGECONFIG", {}).items():
        fields = (spec.split(",") + ["", "", ""])[:3]
        confargs.append(fields[0] if opt in pkgconfig.split() else fields[1])
    bb.vars["PACKAGECONFIG_CONFARGS"] = " ".join(c for c in confargs if c)

    script = ["set -e", "bbfatal() { echo \"ERROR: $*\" >&2; exit 1; }",
              "oe_runmake() { make ${PARALLEL_MAKE} %s \"$@\"; }" % bb.expand("${EXTRA_OEMAKE}"),
              "export PATH=%s:$PATH" % bindir]
    for task in ("do_configure", "do_compile", "do_install"):
        kind, body = bb.funcs[task]
        script += ["%s() {" % task, bb.expand(body), "}"]
    for task in ("do_configure", "do_compile", "do_install"):
        # BitBake runs each task from ${B}.
        script += ["mkdir -p %s && cd %s" % (bb.get("B"), bb.get("B")), task]
    path = os.path.join(d, "run.sh")
    with open(path, "w") as f:
        f.write("\n".join(script).replace("${PARALLEL_MAKE}", "-j2") + "\n")
    rc, out = run(["bash", path], log=os.path.join(d, "run.log"))
    return rc, out, bb, d


def t_yocto():
    lc = BB()
    lc.vars["LAYERDIR"] = layer
    lc.parse(os.path.join(layer, "conf", "layer.conf"))
    need = ["BBPATH", "BBFILES", "BBFILE_COLLECTIONS", "BBFILE_PATTERN_runlet", "BBFILE_PRIORITY_runlet",
            "LAYERSERIES_COMPAT_runlet", "LAYERDEPENDS_runlet"]
    missing = [v for v in need if not lc.vars.get(v)]
    topdir = lc.get("RUNLET_TOPDIR")
    result(not missing and not lc.errors and topdir == top,
           "yocto: conf/layer.conf sets the layer variables, and RUNLET_TOPDIR is the source tree",
           "missing: %s\nerrors: %s\nRUNLET_TOPDIR=%s" % (missing, lc.errors, topdir))

    for recipe in ("recipes-containers/runlet/runlet_git.bb", "recipes-devtools/jsmn/jsmn_1.1.0.bb",
                   "recipes-support/libseccomp/libseccomp_%.bbappend"):
        b = BB()
        b.parse(os.path.join(layer, recipe))
        result(not b.errors, "yocto: %s parses" % recipe, "\n".join(b.errors))

    b = BB()
    b.vars.update({"LAYERDIR": layer, "WORKDIR": "/W", "prefix": "/usr", "PN": "runlet"})
    b.parse(os.path.join(layer, "conf", "layer.conf"))
    b.parse(os.path.join(layer, "recipes-containers", "runlet", "runlet_git.bb"))
    b.finalize()
    problems = []
    for v in ("SUMMARY", "LICENSE", "LIC_FILES_CHKSUM", "SRC_URI", "S", "DEPENDS", "EXTRA_OEMAKE", "PV"):
        if not b.vars.get(v) and not b.weak.get(v):
            problems.append("%s is not set" % v)
    if b.get("LICENSE") != "Apache-2.0":
        problems.append("LICENSE is %s" % b.get("LICENSE"))
    m = re.search(r"file://LICENSE;md5=([0-9a-f]{32})", b.get("LIC_FILES_CHKSUM") or "")
    if not m or m.group(1) != file_md5(os.path.join(top, "LICENSE")):
        problems.append("LIC_FILES_CHKSUM %s, LICENSE's md5 is %s" % (b.get("LIC_FILES_CHKSUM"),
                                                                     file_md5(os.path.join(top, "LICENSE"))))
    if "git://%s;" % top not in (b.get("SRC_URI") or ""):
        problems.append("SRC_URI %s does not fetch this tree" % b.get("SRC_URI"))
    if b.get("S") != "/W/git":
        problems.append("S is %s" % b.get("S"))
    for t in ("do_configure", "do_compile", "do_install"):
        if t not in b.funcs:
            problems.append("%s is not defined" % t)
    b.vars["PACKAGECONFIG"] = "seccomp"
    make = b.get("EXTRA_OEMAKE") or ""
    for want in ("CC=", "CROSS_COMPILE=", "LIBSECCOMP_DIR=", "DESTDIR=", "PREFIX=", "JSMN_INCLUDE="):
        if want not in make:
            problems.append("EXTRA_OEMAKE lacks %s" % want)
    spec = b.flags.get("PACKAGECONFIG", {}).get("seccomp", "")
    if spec.split(",")[2:3] != ["libseccomp"]:
        problems.append("PACKAGECONFIG[seccomp] does not depend on libseccomp: %s" % spec)
    if "jsmn" not in (b.get("DEPENDS") or "").split():
        problems.append("DEPENDS lacks jsmn")
    result(not problems, "yocto: runlet_git.bb has SUMMARY, LICENSE, LIC_FILES_CHKSUM (LICENSE's md5), SRC_URI, S, "
           "the tasks, EXTRA_OEMAKE (CC, CROSS_COMPILE, LIBSECCOMP_DIR, DESTDIR, PREFIX) and PACKAGECONFIG[seccomp]",
           "\n".join(problems))

    rc, out, bb, d = yocto_sim("seccomp", "seccomp", "")
    result(rc == 0, "yocto (PACKAGECONFIG seccomp): do_configure, do_compile and do_install run", out)
    if rc == 0:
        image = bb.get("D")
        conf = read_config(os.path.join(bb.get("B"), ".config"))
        problems = [] if conf.get("CONFIG_SECCOMP") == "y" else ["CONFIG_SECCOMP=%s" % conf.get("CONFIG_SECCOMP")]
        if os.path.exists(os.path.join(bb.get("B"), "toolchain")) or "toolchain:" in out:
            problems.append("runlet's own toolchain was prepared")
        problems += binary_checks(os.path.join(image, "usr", "sbin", "runlet"), True)
        want = ["usr/sbin/runlet-bundles", "etc/default/runlet", "etc/init.d/runlet",
                "usr/lib/systemd/system/runlet@.service", "etc/runlet/bundles"]
        problems += ["%s not installed" % w for w in want if not os.path.exists(os.path.join(image, w))]
        result(not problems, "yocto (seccomp): static runlet with the sysroot's libseccomp, helper and init files in ${D}",
               "\n".join(problems))

    rc, out, bb, d = yocto_sim("noseccomp", "", "boards/qemu-aarch64/runlet.config")
    result(rc == 0, "yocto (PACKAGECONFIG empty, a board fragment): the tasks run", out)
    if rc == 0:
        conf = read_config(os.path.join(bb.get("B"), ".config"))
        frag = read_config(os.path.join(top, "boards", "qemu-aarch64", "runlet.config"))
        # Symbols that depend on seccomp are gone with it.
        problems = ["%s=%s, the fragment says %s" % (s, conf.get(s, "n"), v) for s, v in frag.items()
                    if s in conf and conf[s] != v]
        if conf.get("CONFIG_SECCOMP") != "n":
            problems.append("CONFIG_SECCOMP=%s" % conf.get("CONFIG_SECCOMP"))
        problems += binary_checks(os.path.join(bb.get("D"), "usr", "sbin", "runlet"), False)
        result(not problems, "yocto (no seccomp): CONFIG_SECCOMP off, the fragment applied", "\n".join(problems))


# --- boards --------------------------------------------------------------------

def t_boards():
    boards = sorted(b for b in os.listdir(os.path.join(top, "boards"))
                    if os.path.isfile(os.path.join(top, "boards", b, "runlet.config")))
    for b in boards:
        rc, out = run(["sh", os.path.join(top, "boards", "mkconfig.sh"), b, os.path.join(work, b + ".config")])
        result(rc == 0, "boards/%s: runlet.config merges with default_defconfig (boards/mkconfig.sh)" % b, out)
        cfg = os.path.join(top, "boards", b, "rootfs-overlay", "etc", "runlet", "bundles", "demo", "config.json")
        with open(cfg) as f:
            p = subprocess.run([sys.executable, os.path.join(top, "tests", "bats", "validate-json.py"),
                                os.path.join(top, "tests", "spec", "schema", "config-schema.json")],
                               stdin=f, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        result(p.returncode == 0, "boards/%s: the demo config.json is valid against the OCI schema" % b, p.stdout)

    scripts = ["boards/common/runlet-bundles", "boards/common/init/rcS", "boards/common/init/rcK",
               "boards/common/init/sysv-runlet", "boards/common/init/openrc-runlet",
               "boards/common/init/procd-runlet", "boards/common/init/default-runlet"]
    shells = [s for s in ("dash", "busybox") if shutil.which(s)]
    for sc in scripts:
        bad = []
        for sh in shells:
            cmd = [sh, "sh", "-n", sc] if sh == "busybox" else [sh, "-n", sc]
            rc, out = run(cmd, cwd=top)
            if rc != 0:
                bad.append("%s: %s" % (sh, out))
        result(not bad, "%s: POSIX sh syntax (%s -n)" % (sc, " and ".join(shells)), "\n".join(bad))

    unit = open(os.path.join(top, "boards", "common", "init", "runlet@.service")).read()
    sections = re.findall(r"^\[(\w+)\]$", unit, re.M)
    keys = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    problems = []
    if sections != ["Unit", "Service", "Install"]:
        problems.append("sections %s" % sections)
    for k, v in (("Delegate", "yes"), ("KillMode", "mixed"), ("Type", "simple")):
        if keys.get(k) != v:
            problems.append("%s=%s" % (k, keys.get(k)))
    if "runlet-bundles -L supervisor run %i" not in keys.get("ExecStart", ""):
        problems.append("ExecStart=%s" % keys.get("ExecStart"))
    if any("--systemd-cgroup" in l for l in unit.splitlines() if not l.startswith("#")):
        problems.append("uses --systemd-cgroup")
    if shutil.which("systemd-analyze"):
        rc, out = run(["systemd-analyze", "verify", "--man=no",
                       os.path.join(top, "boards", "common", "init", "runlet@.service")])
        if rc != 0 and "runlet@.service" in out and "Unit " not in out:
            problems.append(out)
    result(not problems, "runlet@.service: [Unit] [Service] [Install], Type=simple, Delegate=yes, KillMode=mixed, "
           "runlet-bundles -L supervisor run %i", "\n".join(problems))


for t in (t_boards, t_buildroot_kconfig, t_buildroot_make, t_jsmn_release, t_yocto):
    try:
        t()
    except Exception as e:  # a crash of the checker is a failure, not an abort
        import traceback
        result(False, "%s ran to its end" % t.__name__, traceback.format_exc())

print("1..%d" % n)
sys.exit(1 if failed or not n else 0)
PYTHON
