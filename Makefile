# nonet: a PAM session module that gives a login only loopback, and its tool.
#
#   make              build/pam_nonet.so and build/nonet
#   make check        lint, format check, every test tier, plus ASan+UBSan
#                     and valgrind runs (STRICT=1: no skip of what this
#                     machine should run; TEST_TIMEOUT=S per script)
#   make lint         cppcheck and clang-tidy (.clang-tidy)
#   make format       clang-format -i (.clang-format); format-check: --dry-run
#   make demo         an isolated session for user nobody, next to the host
#   make deps         install missing build and test packages (apt-get)
#   make install      PREFIX=/usr/local DESTDIR= PAMDIR=<multiarch security>

VERSION   := 0.1.0
CC        ?= gcc
BUILD     ?= build
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MULTIARCH := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || \
		gcc -print-multiarch 2>/dev/null)
PAMDIR    ?= $(if $(MULTIARCH),/usr/lib/$(MULTIARCH)/security,/lib/security)

# SANITIZE=1 builds everything with ASan+UBSan (into build/asan by default).
ifeq ($(SANITIZE),1)
BUILD     := build/asan
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
endif

WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	     -Wmissing-prototypes -Wno-format-nonliteral
CFLAGS    ?= -O2 -g
# Fortified as Debian's package build is (dpkg-buildflags): glibc checks
# buffer sizes and printf's positional arguments at run time.  Not under
# the sanitizers (they check more), not without optimization (glibc warns,
# -Werror fails), not twice when CFLAGS or CPPFLAGS already set it.
FORTIFY   := $(if $(SANFLAGS)$(findstring _FORTIFY_SOURCE,$(CFLAGS) $(CPPFLAGS))$(findstring -O0,$(CFLAGS)),,$(if $(findstring -O,$(CFLAGS)),-D_FORTIFY_SOURCE=2))
ALL_CFLAGS = -std=gnu11 $(WARN) -fPIC -fvisibility=hidden -D_GNU_SOURCE \
	     -DNONET_VERSION='"$(VERSION)"' -Ilib $(FORTIFY) $(SANFLAGS) \
	     $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) -Wl,-z,relro,-z,now $(LDFLAGS)
NFT_LIBS  := $(shell pkg-config --libs libnftables 2>/dev/null || echo -lnftables)
LIBS_MOD  := -lpam -lcap -lmnl $(NFT_LIBS)
LIBS_TOOL := -lpam -lcap -lmnl -lsmartcols $(NFT_LIBS)

LIB_SRC   := $(wildcard lib/*.c)
MOD_SRC   := $(wildcard pam_module/*.c)
TOOL_SRC  := $(wildcard tools/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
MOD_OBJ   := $(MOD_SRC:%.c=$(BUILD)/%.o)
TOOL_OBJ  := $(TOOL_SRC:%.c=$(BUILD)/%.o)
# Unit tests link the tool's objects (but its main) with the shared code.
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_LIBOBJ := $(filter-out $(BUILD)/tools/nonet.o,$(TOOL_OBJ))

.PHONY: print-deb-deps all clean check check-fast demo deps install uninstall format lint \
	format-check \
	units test-libs fuzzers fuzz bench stress

all: $(BUILD)/pam_nonet.so $(BUILD)/nonet

$(BUILD)/%.o: %.c $(wildcard lib/*.h tools/*.h pam_module/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/pam_nonet.so: $(MOD_OBJ) $(LIB_OBJ) pam_module/pam_nonet.map
	$(CC) -shared $(ALL_LDFLAGS) -Wl,-z,defs \
		-Wl,--version-script=pam_module/pam_nonet.map \
		-o $@ $(MOD_OBJ) $(LIB_OBJ) $(LIBS_MOD)

$(BUILD)/nonet: $(TOOL_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -pie -o $@ $(TOOL_OBJ) $(LIB_OBJ) $(LIBS_TOOL)

$(BUILD)/tests/%: tests/unit/%.c $(TOOL_LIBOBJ) $(LIB_OBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itools -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
		$(TOOL_LIBOBJ) $(LIB_OBJ) $(LIBS_TOOL) -ldl

units: $(UNIT_BIN)

# Test-only shared objects (e.g. an NSS module that fails on purpose), never
# installed: tests/nss/libnss_NAME.c -> $(BUILD)/nss/libnss_NAME.so.2.
NSS_SRC   := $(wildcard tests/nss/libnss_*.c)
NSS_LIB   := $(NSS_SRC:tests/nss/%.c=$(BUILD)/nss/%.so.2)
$(BUILD)/nss/%.so.2: tests/nss/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -fvisibility=default -o $@ $<
# Test-only programs: tests/helpers/nonet-t-pam.c -> $(BUILD)/helpers/;
# nonet-t-lease uses the shared code.
HELPER_BIN := $(BUILD)/helpers/nonet-t-pam $(BUILD)/helpers/nonet-t-lease
$(BUILD)/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lpam -pthread
$(BUILD)/helpers/nonet-t-lease: tests/helpers/nonet-t-lease.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS_MOD)
test-libs: $(NSS_LIB) $(HELPER_BIN)

# libFuzzer targets: tests/fuzz/fuzz_NAME.c, built with clang against the
# shared code, run over tests/fuzz/corpus/NAME.  `make check` runs each for
# FUZZ_TIME seconds; `make fuzz` longer.
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_TIME ?= 300
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -Ilib -Itools \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(TOOL_SRC) $(wildcard lib/*.h tools/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) \
		$(filter-out tools/nonet.c tools/session.c,$(TOOL_SRC)) -lmnl -lcap $(NFT_LIBS) \
		-lsmartcols -lpam
fuzzers: $(FUZZ_BIN)
fuzz: fuzzers
	tests/fuzz/run $(FUZZ_TIME) $(FUZZ_BIN)

# Packages the build, the tests and the demo need, installed only if missing.
# The daemons among them (sshd, cron) are not started: the tests run their
# own, on loopback, with their own configuration (policy-rc.d says no).
# Debian 12 and 13 alike: the release's own clang, then the libFuzzer and
# sanitizer runtime of that clang's major version (libclang-rt-14-dev on 12,
# libclang-rt-19-dev on 13), read from `clang --version`, not from a table.
DEB_DEPS := gcc make pkg-config libpam0g-dev libcap-dev libmnl-dev libnftables-dev \
	    libsmartcols-dev libpam-runtime libcap2-bin iproute2 util-linux \
	    procps psmisc python3 valgrind clang groff-base \
	    man-db openssh-server openssh-client cron bsdutils build-essential \
	    dpkg-dev debhelper fakeroot lintian debootstrap nftables nscd \
	    dbus-daemon dbus-bin libxml2-utils clang-tidy clang-format cppcheck \
	    systemd-container
CLANG_MAJOR = clang --version 2>/dev/null | \
	sed -n '1s/^.*clang version \([0-9][0-9]*\)\..*$$/\1/p'
define apt_install_missing
	missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		policy=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
			policy=/usr/sbin/policy-rc.d; \
			printf '#!/bin/sh\nexit 101\n' >$$policy; chmod 755 $$policy; \
		fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
		rc=$$?; [ -z "$$policy" ] || rm -f $$policy; \
		[ $$rc = 0 ] || exit $$rc; \
	fi
endef
deps:
	@$(call apt_install_missing,$(DEB_DEPS))
	@major=$$($(CLANG_MAJOR)); \
	if [ -z "$$major" ]; then \
		echo "make deps: cannot read the major version from" \
			"'clang --version'" >&2; exit 1; \
	fi; \
	$(call apt_install_missing,libclang-rt-$$major-dev)

# The package list, for the test roots of other releases (tests/lib.sh).
print-deb-deps:
	@echo $(DEB_DEPS)

# t-release (the other release's plain tiers, in roots of their own) and
# t-fuzz (CPU only) run beside the tiers, on the core the tiers leave idle
# while they wait (tests/run --beside; docs/RELIABILITY.md has the times).
check: deps
	$(MAKE) lint format-check
	$(MAKE) all units test-libs fuzzers
	$(MAKE) SANITIZE=1 all units test-libs
	FUZZ_TIME=30 tests/run --build $(BUILD) --asan build/asan --valgrind \
		--beside tests/t-release.sh --beside tests/t-fuzz.sh

# The tiers on the plain build only (no sanitizer, no valgrind).
check-fast: all units test-libs
	tests/run --build $(BUILD)

demo: deps
	$(MAKE) all
	tests/demo.sh $(BUILD)

# Longer load than make check's: 2 workers per core for STRESS_TIME
# seconds, and 10,000 open/close cycles in one process under valgrind.
STRESS_TIME ?= 120
stress: all units
	STRESS_TIME=$(STRESS_TIME) tests/run --build $(BUILD) tests/t-stress.sh
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite $(BUILD)/tests/test_cycles 10000

# Figures side by side with the kernel floor and libpam-net (see
# docs/PERFORMANCE.md).  QUICK=1: small sizes, a smoke test (make check).
bench: all
	bench/run $(BUILD) $(if $(QUICK),QUICK)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PAMDIR)
	install -m 0755 $(BUILD)/nonet $(DESTDIR)$(BINDIR)/nonet
	install -m 0644 $(BUILD)/pam_nonet.so $(DESTDIR)$(PAMDIR)/pam_nonet.so

# Removing the module under a `required` line would lock every user out.
uninstall:
	@files=$$(grep -l pam_nonet $(DESTDIR)/etc/pam.d/* 2>/dev/null); \
	if [ -n "$$files" ]; then \
		echo "make uninstall: these files still name pam_nonet;" \
			"take it out of them first:" $$files >&2; \
		exit 1; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/nonet $(DESTDIR)$(PAMDIR)/pam_nonet.so

# The C sources clang-format keeps in the house style (.clang-format).
FORMAT_SRC = $(wildcard lib/*.[ch] pam_module/*.[ch] tools/*.[ch] \
	     tests/unit/*.[ch])
format:
	clang-format -i $(FORMAT_SRC)

# Fails on the first file clang-format would change (make check runs it).
format-check:
	clang-format --dry-run -Werror $(FORMAT_SRC)

# cppcheck, then clang-tidy with the checks .clang-tidy chooses (every
# warning an error), four files to a process, one process per core.
TIDY_FLAGS := -std=gnu11 -D_GNU_SOURCE -Ilib -Itools
lint:
	cppcheck --quiet --enable=warning,portability --error-exitcode=1 \
		-D_GNU_SOURCE -Ilib -Itools lib pam_module tools
	printf '%s\n' $(LIB_SRC) $(MOD_SRC) $(TOOL_SRC) | \
		xargs -P "$$(nproc)" -n 4 sh -c 'exec clang-tidy --quiet "$$@" -- \
			$(TIDY_FLAGS) -DNONET_VERSION=\"$(VERSION)\"' clang-tidy

clean:
	rm -rf build
