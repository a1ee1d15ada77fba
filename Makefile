# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl build: make | make check | make unittest | make vmtest [T=NNname] | make vmtest2 | make vmtest-both | make torture [OPS=...] | make fuzz | make install | make dist
PREFIX     ?= /usr
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
UDEVDIR    ?= /usr/lib/udev/rules.d
UNITDIR    ?= /usr/lib/systemd/system
BASHCOMPDIR ?= $(or $(shell pkg-config --variable=completionsdir bash-completion 2>/dev/null),/usr/share/bash-completion/completions)
DOCDIR     ?= $(PREFIX)/share/doc/mdctl
VERSION    := $(shell sed -n 's/^\#define MDCTL_VERSION "\(.*\)"/\1/p' mdctl.h)
LIBDIR     ?= $(PREFIX)/lib/mdctl
INITRAMFSDIR ?= /usr/share/initramfs-tools
DESTDIR    ?=
# every installed file but the binary, as SOURCE:DESTINATION (@SBINDIR@ and @LIBDIR@ filled in)
INST_FILES := $(foreach f,$(wildcard udev/*.rules),$(f):$(UDEVDIR)/$(notdir $(f))) \
              $(foreach f,$(wildcard systemd/*.service systemd/*.timer),$(f):$(UNITDIR)/$(notdir $(f))) \
              man/mdctl.8:$(MANDIR)/man8/mdctl.8 \
              $(if $(wildcard man/mdctl.conf.5),man/mdctl.conf.5:$(MANDIR)/man5/mdctl.conf.5) \
              completion/mdctl:$(BASHCOMPDIR)/mdctl examples/mdctl.conf:$(DOCDIR)/examples/mdctl.conf \
              docs/mdctl.schema.json:$(PREFIX)/share/mdctl/mdctl.schema.json
INST_EXECS := scripts/mdadm-takeover:$(LIBDIR)/mdadm-takeover \
              $(foreach f,$(wildcard initramfs/hooks/* initramfs/scripts/*/*),$(f):$(INITRAMFSDIR)/$(f:initramfs/%=%))
TAKEOVER   := $(DESTDIR)$(LIBDIR)/mdadm-takeover

CC         ?= cc
PKGS       := blkid libudev json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# mdctl itself takes libblkid and json-c from their static archives when the -dev
# packages ship them: only the code used is in the binary, so a long-running
# --monitor does not map and touch two more shared libraries (idle RSS).
# STATIC_LIBS= (empty) links everything dynamically.
STATIC_LIBS ?= blkid json-c
STATIC_HAVE := $(foreach l,$(STATIC_LIBS),$(if $(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)),$(l)))
STATIC_ON  := -Wl,-Bstatic
STATIC_OFF := -Wl,-Bdynamic
MDCTL_LIBS := $(if $(STATIC_HAVE),$(STATIC_ON) $(STATIC_HAVE:%=-l%) $(STATIC_OFF)) \
              $(filter-out $(STATIC_HAVE:%=-l%),$(PKG_LIBS))
# Relative relocations packed (DT_RELR, binutils 2.38 and glibc 2.36 on): the
# PIE's relocation table shrinks from 28 KiB to under 1, which the dynamic
# loader reads at every start and the --monitor daemon would keep mapped.
RELR_LDFLAGS := $(shell printf 'int main(void){return 0;}' | $(CC) -Wl,-z,pack-relative-relocs -x c -o /dev/null - >/dev/null 2>&1 && echo -Wl,-z,pack-relative-relocs)
WARN       := -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wwrite-strings \
              -fno-common -Wformat-security
CFLAGS     ?= -O2 -g
# CPPFLAGS and LDFLAGS as the environment gives them (dpkg-buildflags' hardening)
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
SAN        := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Capitalised files are commands, lowercase ones the library they share.  The
# monitor's command files (acting on arrays, delivering events) are command
# code too: built into mdctl, not linked into every unit-test binary.
MON_CMD_SRCS := monitor_act.c monitor_deliver.c monitor_ready.c monitor_verify.c
CMD_SRCS   := $(sort $(wildcard [A-Z]*.c)) $(MON_CMD_SRCS)
LIB_SRCS   := $(sort $(filter-out mdctl.c $(MON_CMD_SRCS),$(wildcard [a-z]*.c)))
LIB_OBJS   := $(LIB_SRCS:%.c=build/%.o)
CMD_OBJS   := $(CMD_SRCS:%.c=build/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.c=build/san/%.o)
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=build/unit/%)
SAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/unit/%)

.SECONDARY:

.PHONY: deps all check unittest vmtest vmtest2 vmtest-both torture torture-check vmshell demo fixtures fuzz fuzz-corpus bench boottest install uninstall dist clean

all: mdctl

mdctl: build/mdctl.o $(CMD_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(RELR_LDFLAGS) -o $@ $^ $(MDCTL_LIBS)

build/%.o: %.c $(wildcard *.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(wildcard *.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

# test_undo makes each write step fail in turn: pwrite, fsync, ioctl and mknod
# go through its wrappers (the library's calls included); it counts preads.
UNIT_WRAP  := -Wl,--wrap=pwrite,--wrap=fsync,--wrap=ioctl,--wrap=mknod,--wrap=pread
build/unit/test_undo build/san/unit/test_undo: UNIT_LDFLAGS = $(UNIT_WRAP)

build/unit/%: tests/unit/%.c $(LIB_OBJS) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I. -o $@ $< $(LIB_OBJS) $(PKG_LIBS) -lcmocka $(UNIT_LDFLAGS)

build/san/unit/%: tests/unit/%.c $(SAN_LIB_OBJS) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -I. -o $@ $< $(SAN_LIB_OBJS) $(PKG_LIBS) -lcmocka $(UNIT_LDFLAGS)

# The tests run mdctl through tests/host/mdctl-json-tap, which keeps every --json
# document in build/json; tests/host/run validates them against docs/mdctl.schema.json.
unittest: mdctl $(UNIT_BINS) $(SAN_UNIT_BINS)
	@rm -rf build/json
	@set -e; for t in $(UNIT_BINS) $(SAN_UNIT_BINS); do echo "== $$t"; \
		MDCTL=$(CURDIR)/tests/host/mdctl-json-tap MDCTL_REAL=$(CURDIR)/mdctl \
		MDCTL_JSON_DIR=$(CURDIR)/build/json $$t; done
	@set -e; for t in tests/host/run tests/host/test-*; do if [ -x "$$t" ]; then \
		MDCTL=$(CURDIR)/mdctl MDCTL_JSON_DIR=$(CURDIR)/build/json $$t; fi; done

vmtest: mdctl
	tests/vm/run $(T)

# The second kernel, Debian 12's linux-image-6.12-amd64 (Debian 13's series).
# make check runs vmtest-both: the whole suite on 6.1 and, side by side (two VMs
# each, so one run's waits fill the other's), the whole suite on 6.12 (VM_KERNEL2_T
# empty; naming scenarios there runs only those on 6.12).  Both whole suites took
# 17m53s of wall time together on the 2-core machine (2026-11-27, 56 + 56 PASS).
VM_KERNEL2   ?= 6.12
VM_KERNEL2_T ?=
vmtest2: mdctl
	MDCTL_VM_KERNEL=$(VM_KERNEL2) tests/vm/run $(VM_KERNEL2_T)

vmtest-both: mdctl
	$(MAKE) -j2 vmtest vmtest2

# The power-loss harness (tests/torture/run): kill points per operation, each two
# boots, the first killed with SIGKILL mid-operation.  TORTURE_POINTS per operation
# (default 20), TORTURE_SEED replays; make check runs TORTURE_CHECK_OPS, one point each.
TORTURE_CHECK_OPS ?= replace-raid5 replace-raid1 re-add
build/torture/blockio: tests/torture/blockio.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

torture: mdctl build/torture/blockio
	tests/torture/run $(OPS)

torture-check: mdctl build/torture/blockio
	TORTURE_POINTS=1 tests/torture/run $(TORTURE_CHECK_OPS)

# initramfs-tools' mkinitramfs with mdctl's hook (root; not part of check)
boottest: mdctl
	tests/boot/run

vmshell: mdctl
	tests/vm/run --shell

demo: deps
	$(MAKE) mdctl
	tests/vm/run --demo

bench: deps
	$(MAKE) mdctl
	tests/vm/run --bench

fixtures: mdctl
	tests/vm/run --fixtures

# libFuzzer harnesses (clang): every tests/fuzz/fuzz_*.c, each for FUZZ_SECONDS,
# seeded from tests/fuzz/seeds/<harness>/.  Not part of check (.ci/run runs it).
# Inputs up to FUZZ_MAX_LEN bytes: a superblock block (4 KiB) followed by a
# bad-block log (4 KiB) must fit, or the log decoder is never reached.
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 16384
FUZZ_CC    ?= clang
FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_FLAGS := -std=gnu11 -D_GNU_SOURCE $(filter-out -Werror,$(WARN)) $(PKG_CFLAGS) -g -O1 \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -I.

# Harnesses in FUZZ_MEMFS read their files from memory (tests/fuzz/memfs.c):
# the product's file calls are routed there by the linker (--wrap), so its
# code runs unchanged without a system call per file.
FUZZ_MEMFS := fuzz_sysfs fuzz_config_file fuzz_examine
MEMFS_WRAP := $(foreach f,open openat read pread lseek close fstat stat lstat access opendir readdir closedir fopen fcntl ioctl posix_fadvise,-Wl,--wrap=$(f))
$(FUZZ_MEMFS:%=build/fuzz/%): FUZZ_EXTRA = build/fuzz/memfs.o $(MEMFS_WRAP)
$(FUZZ_MEMFS:%=build/fuzz/%): build/fuzz/memfs.o

# memfs.o without the fuzzer's coverage and comparison tracing (sanitizers
# kept): its table walks are no coverage of mdctl's and would cost more
# than the product's work per input.
comma := ,
build/fuzz/memfs.o: tests/fuzz/memfs.c tests/fuzz/memfs.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(subst fuzzer$(comma),,$(FUZZ_FLAGS)) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(wildcard *.h) tests/fuzz/fuzz_util.h tests/fuzz/memfs.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRCS) $(FUZZ_EXTRA) $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do n=$$(basename $$f); echo "== $$n ($(FUZZ_SECONDS)s)"; \
		mkdir -p build/fuzz/corpus/$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
			-artifact_prefix=build/fuzz/$$n- build/fuzz/corpus/$$n \
			$$( [ -d tests/fuzz/seeds/$$n ] && echo tests/fuzz/seeds/$$n ); done

build/fuzz/gen_corpus: tests/fuzz/gen_corpus.c super1.c super1.h tests/unit/sb1_fixture.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I. -o $@ tests/fuzz/gen_corpus.c super1.c

# Regenerate the committed superblock seeds (fuzz_super1, fuzz_assembly,
# fuzz_super1_write) after a layout change.
fuzz-corpus: build/fuzz/gen_corpus
	build/fuzz/gen_corpus tests/fuzz/seeds

# deps first, in its own step: pkg-config flags are read when make starts.
check: deps
	$(MAKE) unittest
	$(MAKE) vmtest-both
	$(MAKE) torture-check

deps:
	scripts/install-deps.sh

# make install (no DESTDIR) also takes over from mdadm (scripts/mdadm-takeover enable);
# a package build (DESTDIR set) leaves that to the package's maintainer scripts.
install: mdctl
	install -D -m 0755 mdctl $(DESTDIR)$(SBINDIR)/mdctl
	@set -e; for p in $(INST_FILES:%=f:%) $(INST_EXECS:%=x:%); do \
		m=0644; case $$p in x:*) m=0755;; esac; p=$${p#?:}; \
		src=$${p%%:*}; dst=$(DESTDIR)$${p#*:}; echo "install $$src $$dst"; \
		install -d "$$(dirname "$$dst")"; \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' "$$src" >"$$dst"; chmod $$m "$$dst"; done
	$(if $(DESTDIR),,$(TAKEOVER) enable)

# make uninstall gives mdadm back what install took, then removes every installed file.
uninstall:
	$(if $(DESTDIR),,if [ -x $(TAKEOVER) ]; then $(TAKEOVER) disable; fi)
	rm -f $(DESTDIR)$(SBINDIR)/mdctl $(foreach p,$(INST_FILES) $(INST_EXECS),$(DESTDIR)$(lastword $(subst :, ,$(p))))
	-rmdir $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

# The release tarball: the files git tracks, as they are in the working tree.
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "make dist: needs a git checkout (files from git ls-files)" >&2; exit 1; }
	@git diff --quiet HEAD -- || echo "make dist: warning: uncommitted changes go into the tarball" >&2
	git ls-files -z | tar --null -T - --transform 's,^,mdctl-$(VERSION)/,' --sort=name \
		--owner=0 --group=0 --numeric-owner --mtime="$$(git log -1 --format=%cI)" -cf - | \
		gzip -9n > mdctl-$(VERSION).tar.gz
	@echo "make dist: mdctl-$(VERSION).tar.gz"

clean:
	rm -rf build mdctl

# test_create and test_undo include Create.c itself to reach its static helpers.
build/unit/test_create build/san/unit/test_create: Create.c
build/unit/test_undo build/san/unit/test_undo: Create.c
