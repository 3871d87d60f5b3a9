# Chooses the compiler.
#
# A CC given by the caller (Buildroot, Yocto) is used as it is: it is their
# musl toolchain, with its own sysroot and kernel headers.  Otherwise
# Debian's gcc, native or $(CROSS_COMPILE)gcc, is switched to musl by
# scripts/toolchain.sh, which writes $(O)/toolchain/$(ARCH)/toolchain.mk.

ifeq ($(origin CC),default)
ifeq ($(CROSS_COMPILE),)
TC_WANTED := $(shell uname -m)
else ifneq ($(findstring aarch64,$(CROSS_COMPILE)),)
TC_WANTED := aarch64
else ifneq ($(findstring arm,$(CROSS_COMPILE)),)
TC_WANTED := armhf
else
$(error CROSS_COMPILE=$(CROSS_COMPILE): scripts/toolchain.sh prepares x86_64, aarch64 and armhf; give CC for another target)
endif
TOOLCHAIN_MK := $(O)/toolchain/$(TC_WANTED)/toolchain.mk
include $(TOOLCHAIN_MK)
$(TOOLCHAIN_MK): scripts/toolchain.sh
	$(Q)O=$(abspath $(O)) sh scripts/toolchain.sh $(TC_WANTED)
else
TC_CC := $(CC)
TC_CFLAGS :=
TC_LDFLAGS :=
TC_STRIP := $(if $(STRIP),$(STRIP),$(CROSS_COMPILE)strip)
# -static-pie only where the caller's toolchain links one.
TC_STATIC_LDFLAGS := $(shell printf 'int main(void){return 0;}' | \
	$(CC) -x c -static-pie -o /dev/null - 2>/dev/null && echo -static-pie || echo -static)
endif

# jsmn is header-only; only jsmn.h is made visible, not the rest of the
# host's (glibc) include directory.
JSMN_INCLUDE ?= /usr/include
