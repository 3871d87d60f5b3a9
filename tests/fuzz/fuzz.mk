# libFuzzer targets for the parsers of untrusted input, with AddressSanitizer
# and UndefinedBehaviorSanitizer.  Run by tests/fuzz/run.sh; by hand:
#
#   make -f tests/fuzz/fuzz.mk                      build $(FDIR)/fuzz_spec, fuzz_state
#   make -f tests/fuzz/fuzz.mk FUZZ_CONFIG=configs/tiny_defconfig
#
# clang with its libFuzzer runtime is needed (Debian: clang, libclang-rt-dev).
# The parsers are built for FUZZ_CONFIG, by default the configuration with
# every feature on, so that every field has its parser compiled in.  Objects
# go under $(O)/fuzz/<config name>/.

.DEFAULT_GOAL := all

O ?= build
override O := $(patsubst %/,%,$(O))
FUZZ_CONFIG ?= configs/full_defconfig
FUZZ_CC ?= clang

CFG_NAME := $(basename $(notdir $(FUZZ_CONFIG)))
FDIR := $(O)/fuzz/$(CFG_NAME)

-include $(FUZZ_CONFIG)

ifeq ($(V),1)
Q :=
else
Q := @
endif

SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter \
	-ffunction-sections -fdata-sections -fsanitize-address-globals-dead-stripping $(SAN) \
	-Isrc -I$(FDIR)/gen -I$(FDIR)/include
# Functions the targets never reach (the cgroup writers next to the cgroup
# record reader, the hook runner next to the hook record reader) are
# dropped, with what they would need.
FUZZ_LDFLAGS := -fsanitize=fuzzer $(SAN) -Wl,--gc-sections -Wl,-z,start-stop-gc

SPEC_SRCS-y :=
SPEC_SRCS-$(CONFIG_SECCOMP) += src/spec_seccomp.c
SPEC_SRCS-$(CONFIG_SYSCTL) += src/sysctl.c
CG_SRCS-y :=
CG_SRCS-$(CONFIG_CGROUP_V1) += src/cgroup.c
CG_SRCS-$(CONFIG_CGROUP_V2) += src/cgroup.c

fuzz_spec_SRCS := src/spec_parse.c src/spec_process.c src/spec_linux.c src/spec_resources.c src/spec_walk.c \
	src/mount_opts.c src/json.c src/json_write.c src/error.c src/format.c src/log.c src/captable.c \
	$(sort $(SPEC_SRCS-y))
fuzz_state_SRCS := src/state.c src/record_data.c src/crc32.c src/error.c src/syscalls.c \
	src/dirs.c src/state_json.c src/json.c src/json_write.c src/format.c src/log.c $(sort $(CG_SRCS-y))

TARGETS := fuzz_spec fuzz_state
BINS := $(addprefix $(FDIR)/,$(TARGETS))
GEN := $(FDIR)/gen/config.h $(FDIR)/gen/version.h $(FDIR)/gen/captable_gen.h $(FDIR)/include/jsmn.h

src_objs = $(patsubst src/%.c,$(FDIR)/obj/src/%.o,$($(1)_SRCS))
ALL_OBJS := $(sort $(foreach t,$(TARGETS),$(call src_objs,$(t)) $(FDIR)/obj/$(t).o))

.PHONY: all seeds-tool
all: $(BINS) $(FDIR)/gen_state_seeds

define fuzz_bin
$(FDIR)/$(1): $(FDIR)/obj/$(1).o $(call src_objs,$(1))
	@echo "  LD      $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $$@ $$^
endef
$(foreach t,$(TARGETS),$(eval $(call fuzz_bin,$(t))))

# The library is instrumented for coverage; only the targets have main().
$(FDIR)/obj/src/%.o: src/%.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FDIR)/obj/%.o: tests/fuzz/%.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# The record seed generator: a plain program on the runtime's own encoder.
GEN_SEEDS_SRCS := tests/fuzz/gen_state_seeds.c src/state.c src/crc32.c src/error.c src/format.c src/log.c \
	src/json_write.c src/syscalls.c \
	src/dirs.c
$(FDIR)/gen_state_seeds: $(GEN_SEEDS_SRCS) | $(GEN)
	@echo "  CC      $@"
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Isrc -I$(FDIR)/gen -I$(FDIR)/include \
		-ffunction-sections -fdata-sections -Wl,--gc-sections -o $@ $(GEN_SEEDS_SRCS)

# The generated headers, made by the top Makefile for this configuration
# with the host compiler (LIBSECCOMP_DIR only keeps it from asking
# pkg-config: nothing here links libseccomp).
$(GEN) &:
	$(Q)$(MAKE) --no-print-directory -f Makefile O=$(FDIR) KCONFIG_CONFIG=$(FUZZ_CONFIG) \
		CC=$(FUZZ_CC) LIBSECCOMP_DIR=/nonexistent $(GEN)

-include $(ALL_OBJS:.o=.d)
