# Unit tests: library sources compiled for the build machine (glibc) and
# linked with cmocka, one test binary per area, each printing TAP.
#
#   make -f tests/unit/unit.mk O=build             build and run (make test-unit)
#   make -f tests/unit/unit.mk O=build CC=clang    another host compiler
#   make -f tests/unit/unit.mk O=build SANITIZE=1  AddressSanitizer and UBSan
#   make -f tests/unit/unit.mk O=build VALGRIND=1  each binary under valgrind
#   make -f tests/unit/unit.mk O=build build       build only
#
# The generated headers ($(O)/gen/*.h, $(O)/include/jsmn.h) come from the top
# Makefile; they are made here through it when a plain `make` has not run.
# The sources follow the Kconfig symbols of $(KCONFIG_CONFIG), as the top
# Makefile's do.

.DEFAULT_GOAL := run

O ?= build
override O := $(patsubst %/,%,$(O))
KCONFIG_CONFIG ?= .config

-include $(KCONFIG_CONFIG)

# The host's compiler, never the musl toolchain of the runtime build.
ifeq ($(origin CC),default)
CC := gcc
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# -Wno-unused-parameter as in the top Makefile: callbacks of one type take
# arguments not all of them use.
UNIT_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O0 -Wall -Wextra -Wno-unused-parameter -Isrc -I$(O)/gen -I$(O)/include \
	-DUNIT_SPEC_DIR='"$(CURDIR)/tests/spec"' -DUNIT_DATA_DIR='"$(CURDIR)/tests/unit/data"'
UNIT_LDFLAGS :=
UNIT_LIBS := -lcmocka

# Objects of each compiler and sanitizer setting are kept apart, so that
# switching between them never links a mix.
VARIANT := $(notdir $(firstword $(CC)))
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
UNIT_CFLAGS += $(SAN_FLAGS)
UNIT_LDFLAGS += $(SAN_FLAGS)
VARIANT := $(VARIANT)-san
endif
UDIR := $(O)/unit/$(VARIANT)

GEN := $(O)/gen/config.h $(O)/gen/version.h $(O)/gen/captable_gen.h $(O)/include/jsmn.h

# --- what each test binary is made of -------------------------------------

SPEC_SRCS-y :=
SPEC_SRCS-$(CONFIG_SECCOMP) += src/spec_seccomp.c
SPEC_SRCS-$(CONFIG_SYSCTL) += src/sysctl.c

test_json_SRCS := src/json.c src/json_write.c src/error.c src/format.c
test_spec_SRCS := src/spec_parse.c src/spec_process.c src/spec_linux.c src/spec_resources.c src/spec_walk.c \
	src/mount_opts.c src/json.c src/json_write.c src/error.c src/format.c src/log.c src/captable.c \
	$(SPEC_SRCS-y)
test_state_SRCS := src/state.c src/crc32.c src/dirs.c src/error.c src/format.c src/log.c src/json_write.c src/syscalls.c
test_misc_SRCS := src/signals.c src/mount_opts.c src/resolve.c src/syscalls.c src/error.c src/format.c src/path.c

TESTS := test_json test_spec test_state test_misc
TEST_BINS := $(addprefix $(UDIR)/,$(TESTS))

src_objs = $(patsubst src/%.c,$(UDIR)/src/%.o,$($(1)_SRCS))
ALL_OBJS := $(sort $(foreach t,$(TESTS),$(call src_objs,$(t)) $(UDIR)/$(t).o))

# --- rules ------------------------------------------------------------------

.PHONY: run build
run: $(TEST_BINS)
	$(Q)sh tests/unit/run-tests.sh $(if $(filter 1,$(VALGRIND)),--valgrind) $(TEST_BINS)

build: $(TEST_BINS)

define test_bin
$(UDIR)/$(1): $(UDIR)/$(1).o $(call src_objs,$(1))
	@echo "  LD      $$@"
	$(Q)$(CC) $(UNIT_LDFLAGS) -o $$@ $$^ $(UNIT_LIBS)
endef
$(foreach t,$(TESTS),$(eval $(call test_bin,$(t))))

$(UDIR)/src/%.o: src/%.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -MMD -MP -c -o $@ $<

$(UDIR)/%.o: tests/unit/%.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -MMD -MP -c -o $@ $<

# Only when one is missing: the top Makefile knows how to make them.
$(GEN) &:
	$(Q)$(MAKE) --no-print-directory -f Makefile O=$(O) $(GEN)

-include $(ALL_OBJS:.o=.d)
