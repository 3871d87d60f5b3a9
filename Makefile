# runlet: an OCI container runtime for small Linux devices.
#
#   make                      build $(O)/runlet from .config (default_defconfig if none)
#   make NAME_defconfig       start from configs/NAME_defconfig
#   make menuconfig           edit .config (kconfiglib)
#   make olddefconfig | savedefconfig | defconfig
#   make check                unit and integration tests (as root)
#   make size                 stripped size for each configs/*_defconfig
#   make test-qemu ARCHES=... cgroup v2 and boot tests in QEMU-booted kernels
#   make install | install-strip   DESTDIR, PREFIX honoured
#
# CC, CROSS_COMPILE, CFLAGS, LDFLAGS, V=1 and O=dir are honoured as Buildroot
# and Yocto pass them.

.DEFAULT_GOAL := all

O ?= build
override O := $(patsubst %/,%,$(O))
PREFIX ?= /usr
DESTDIR ?=
KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG

ifeq ($(V),1)
Q :=
else
Q := @
endif

CONFIG_TARGETS := menuconfig olddefconfig savedefconfig defconfig %_defconfig board_defconfig \
	check-configs help clean distclean
ifeq ($(filter $(CONFIG_TARGETS),$(MAKECMDGOALS)),)
ifeq ($(wildcard $(KCONFIG_CONFIG)),)
$(shell cp configs/default_defconfig $(KCONFIG_CONFIG))
endif
include $(KCONFIG_CONFIG)
endif

ifeq ($(filter $(CONFIG_TARGETS),$(MAKECMDGOALS)),)
include scripts/toolchain-select.mk
endif

VERSION := $(shell cat VERSION 2>/dev/null)
# The revision only of runlet's own tree: built inside another repository
# (a Buildroot output directory), that one's revision would be a lie.
GIT_REV ?= $(shell test "$$(git -C . rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" && \
	git -C . rev-parse --short=12 HEAD 2>/dev/null)
ifneq ($(GIT_REV),)
VERSION_FULL := $(VERSION)+$(GIT_REV)
else
VERSION_FULL := $(VERSION)
endif

WARN := -Wall -Wextra -Wshadow -Wpointer-arith -Wwrite-strings -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-unused-parameter -Wvla
BASE_CFLAGS := -std=c11 -Os -g $(WARN) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fstack-protector-strong \
	-ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(abspath $(O))=O -ffile-prefix-map=$(O)=O \
	-D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 -D_GNU_SOURCE -I$(O)/gen -I$(O)/include -Isrc
BASE_LDFLAGS := -Wl,--gc-sections -Wl,-z,relro -Wl,-z,now -Wl,--build-id=none

ALL_CFLAGS = $(TC_CFLAGS) $(BASE_CFLAGS) $(SECCOMP_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(TC_LDFLAGS) $(TC_STATIC_LDFLAGS) $(BASE_LDFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS)

include src/sources.mk

# libseccomp, linked statically.  A firmware build names its own
# (LIBSECCOMP_DIR, or pkg-config with the caller's CC); otherwise it is built
# here from Debian's source package with the musl toolchain, once, into
# build/sysroot/ARCH, shared by every O.
ifeq ($(CONFIG_SECCOMP),y)
ifdef LIBSECCOMP_DIR
SECCOMP_CFLAGS := -isystem $(LIBSECCOMP_DIR)/include
SECCOMP_LIBS := $(LIBSECCOMP_DIR)/lib/libseccomp.a
else ifneq ($(origin CC),default)
PKG_CONFIG ?= pkg-config
SECCOMP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libseccomp)
SECCOMP_LIBS := $(shell $(PKG_CONFIG) --libs --static libseccomp)
else
SECCOMP_PREFIX := $(CURDIR)/build/sysroot/$(TC_ARCH)
SECCOMP_CFLAGS := -isystem $(SECCOMP_PREFIX)/include
SECCOMP_LIBS := $(SECCOMP_PREFIX)/lib/libseccomp.a
SECCOMP_LIB_DEP := $(SECCOMP_LIBS)
$(SECCOMP_LIBS): scripts/build-libseccomp.sh
	$(Q)O=$(CURDIR)/build sh scripts/build-libseccomp.sh $(TC_ARCH)
endif
endif

OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(SRCS))
DEPS := $(OBJS:.o=.d)

.PHONY: all
all: $(O)/runlet

$(O)/runlet: $(OBJS) $(SECCOMP_LIB_DEP)
	@echo "  LD      $@"
	$(Q)$(TC_CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS) $(SECCOMP_LIBS)

$(O)/obj/%.o: src/%.c $(O)/gen/config.h $(O)/gen/version.h $(O)/gen/captable_gen.h $(O)/include/jsmn.h | $(SECCOMP_LIB_DEP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(TC_CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The configuration as a header, made here so that a build needs no Kconfig
# tool: y becomes 1, an unset bool 0, strings and numbers stay as written.
$(O)/gen/config.h: $(KCONFIG_CONFIG) scripts/config2h.sh
	@mkdir -p $(dir $@)
	$(Q)sh scripts/config2h.sh Kconfig $(KCONFIG_CONFIG) >$@.tmp && mv $@.tmp $@

$(O)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	$(Q)printf '#define RUNLET_VERSION "%s"\n' '$(VERSION_FULL)' >$@.tmp
	$(Q)cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

# Capability names come from the target's own <linux/capability.h>, so a
# cross build knows exactly the capabilities of its kernel headers.
$(O)/gen/captable_gen.h: scripts/gen-captable.sh
	@mkdir -p $(dir $@)
	$(Q)sh scripts/gen-captable.sh '$(TC_CC) $(TC_CFLAGS)' >$@.tmp && mv $@.tmp $@

$(O)/include/jsmn.h: $(JSMN_INCLUDE)/jsmn.h
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

.PHONY: FORCE
FORCE:

-include $(DEPS)

# --- Kconfig --------------------------------------------------------------

# Debian's kconfiglib, with whichever python3 has it.
KCONFIG_PY := $(firstword $(foreach p,python3 /usr/bin/python3,\
	$(shell $(p) -c 'import kconfiglib' 2>/dev/null && echo $(p))))
define need_kconfiglib
	@test -n "$(KCONFIG_PY)" || { \
		echo "kconfiglib is missing: apt-get install python3-kconfiglib"; exit 1; }
endef

.PHONY: menuconfig olddefconfig savedefconfig defconfig check-configs
menuconfig:
	$(need_kconfiglib)
	$(Q)$(KCONFIG_PY) -m menuconfig Kconfig

olddefconfig:
	$(need_kconfiglib)
	$(Q)$(KCONFIG_PY) -m olddefconfig Kconfig

savedefconfig:
	$(need_kconfiglib)
	$(Q)$(KCONFIG_PY) -m savedefconfig --kconfig Kconfig --out defconfig

defconfig: default_defconfig

%_defconfig: configs/%_defconfig
	$(Q)cp $< $(KCONFIG_CONFIG)
	@echo "configured from $<"

# make BOARD=qemu-aarch64 board_defconfig: default_defconfig with the
# board's fragment (boards/BOARD/runlet.config) merged in.
board_defconfig:
	$(need_kconfiglib)
	$(Q)test -n "$(BOARD)" || { echo "board_defconfig: BOARD= is missing"; exit 1; }
	$(Q)sh boards/mkconfig.sh $(BOARD) $(KCONFIG_CONFIG)

# The committed configurations are complete, as olddefconfig leaves them, so
# that a build needs no Kconfig tool.  This checks they still are.
check-configs:
	$(need_kconfiglib)
	$(Q)KCONFIG_PY=$(KCONFIG_PY) sh scripts/check-configs.sh

# --- install --------------------------------------------------------------

.PHONY: install install-strip
install: $(O)/runlet
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(O)/runlet $(DESTDIR)$(PREFIX)/sbin/runlet
	install -m 0644 src/runlet.8 $(DESTDIR)$(PREFIX)/share/man/man8/runlet.8

install-strip: install
	$(TC_STRIP) $(DESTDIR)$(PREFIX)/sbin/runlet

# --- tests and measurements ------------------------------------------------

.PHONY: check test-unit test-bats test-qemu test-boot test-unit-mips check-firmware size \
	size-ratchet check-reproducible clean distclean
check: test-unit test-bats

# Kernels booted under QEMU: cgroup v2 (tests/qemu) and the firmware's boot
# path (tests/boot), for each architecture of ARCHES.
ARCHES ?= x86_64 aarch64 armhf

test-unit:
	$(Q)$(MAKE) --no-print-directory -f tests/unit/unit.mk O=$(O)

test-bats: $(O)/runlet
	$(Q)RUNLET=$(abspath $(O)/runlet) bats tests/bats

# The runtime with AddressSanitizer and UBSan, for tests/bats-asan: glibc
# and dynamic, since the static musl binary cannot carry the sanitizers;
# Debian's libseccomp-dev through pkg-config.
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
.PHONY: asan
asan:
	$(Q)$(MAKE) --no-print-directory O=build/asan CC=gcc TC_STATIC_LDFLAGS= \
		EXTRA_CFLAGS="$(SANITIZE_FLAGS)" EXTRA_LDFLAGS="$(SANITIZE_FLAGS)"

test-qemu:
	$(Q)ARCHES="$(ARCHES)" tests/qemu/run.sh
	$(Q)ARCHES="$(ARCHES)" tests/boot/run.sh

test-boot:
	$(Q)ARCHES="$(ARCHES)" tests/boot/run.sh

# The unit tests built for big-endian 32-bit MIPS, run under qemu-user.
test-unit-mips:
	$(Q)tests/unit-mips/run.sh

# Boards, init scripts, the Buildroot external and the Yocto layer, checked
# without downloading either.
check-firmware:
	$(Q)sh scripts/check-firmware-recipes.sh

# Fails when a build grew past its recorded size (scripts/size-limits.txt).
size-ratchet:
	$(Q)sh scripts/size-ratchet.sh $(ARCHES)

check-reproducible:
	$(Q)sh scripts/check-reproducible.sh $(ARCHES)

size:
	$(Q)sh scripts/size.sh $(ARCHES)

clean:
	rm -rf $(O)/obj $(O)/gen $(O)/runlet $(O)/unit

distclean: clean
	rm -rf $(O) .config .config.old
