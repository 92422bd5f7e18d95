# tlsmedic -- plain Makefile with pkg-config.
#   make            build ./tlsmedic
#   make check      unit tests (libcheck) + integration tests on loopback
#   make check-asan the same under AddressSanitizer + UBSan (build-asan/)
#   make install    honours PREFIX and DESTDIR (make uninstall undoes it)
#   make deb        the Debian package, in build-deb/
#   V=1             show commands
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
       -Wshadow -Wpointer-arith -Wwrite-strings -Wundef
PKGS = wolfssl json-c ncursesw libidn2
# Debian's wolfSSL needs options.h before any other of its headers.
CPPFLAGS += -include wolfssl/options.h -D_GNU_SOURCE -Isrc -Ilab -Iui -Itests/lib -I$(B)/gen \
            -DTLSMEDIC_VERSION='"$(VERSION)"' -DTLSMEDIC_BUILD_TIME=$(BUILD_TIME)
LDLIBS += $(shell pkg-config --libs $(PKGS)) -lpthread
CHECK_LIBS = $(shell pkg-config --libs check)
VERSION = 0.1.0
# The build day is a clock reference (a clock before it is wrong); honour
# SOURCE_DATE_EPOCH for reproducible builds.
BUILD_TIME := $(or $(SOURCE_DATE_EPOCH),$(shell date +%s))

B ?= build
ifeq ($(V),1)
Q =
else
Q = @
endif

PROG ?= tlsmedic
all: $(PROG)

# The engine may group a layer in a folder (src/x509/, src/netpath/).
ENGINE_SRCS = $(sort $(wildcard src/*.c src/*/*.c))
# The practice lab is a face of the engine, like ui/.
LAB_SRCS = $(sort $(wildcard lab/*.c))
UI_SRCS = $(filter-out ui/main.c,$(sort $(wildcard ui/*.c)))
TEST_SRCS = $(sort $(wildcard tests/check_*.c))
GEN_SRCS =
# Modules that generate C from data (help/, data/) add to GEN_SRCS here.
include $(sort $(wildcard src/*.mk help/*.mk data/*.mk ui/*.mk tests/*.mk))

ENGINE_OBJS = $(ENGINE_SRCS:%.c=$(B)/%.o) $(GEN_SRCS:%.c=%.o)
UI_OBJS = $(UI_SRCS:%.c=$(B)/%.o) $(LAB_SRCS:%.c=$(B)/%.o)
TEST_BINS = $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TESTLIB_OBJS = $(patsubst %.c,$(B)/%.o,$(sort $(wildcard tests/lib/*.c)))

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(B)/gen/%.o: $(B)/gen/%.c
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libtlsmedic.a: $(ENGINE_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/libtlsmedic-ui.a: $(UI_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^ $(if $(UI_OBJS),,)

$(PROG): $(B)/ui/main.o $(B)/libtlsmedic-ui.a $(B)/libtlsmedic.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libtesthelp.a: $(TESTLIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/tests/%: tests/%.c $(B)/libtesthelp.a $(B)/libtlsmedic-ui.a $(B)/libtlsmedic.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ $^ \
		$(LDLIBS) $(CHECK_LIBS)

tests: $(TEST_BINS) $(PROG)

# Unit tests first (fast, one binary per module), then whole-program tests
# against real servers that tests/run-integration starts on loopback.
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
check: tests
	$(Q)tests/run-unit $(TEST_BINS)
	$(Q)TLSMEDIC=$(CURDIR)/$(PROG) tests/run-integration

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
check-asan:
	$(Q)TLSMEDIC_NO_PKG=1 $(MAKE) --no-print-directory B=build-asan PROG=build-asan/tlsmedic \
		CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DOCDIR = $(PREFIX)/share/doc/tlsmedic
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

install: $(PROG)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/tlsmedic
	install -m 644 man/tlsmedic.1 $(DESTDIR)$(MANDIR)/man1/tlsmedic.1
	install -m 644 completion/tlsmedic.bash $(DESTDIR)$(BASHCOMPDIR)/tlsmedic
	$(Q)$(MAKE) --no-print-directory install-data

# Fragments (help/help.mk ...) add their own install-data:: recipes.
install-data::

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tlsmedic $(DESTDIR)$(MANDIR)/man1/tlsmedic.1 \
		$(DESTDIR)$(BASHCOMPDIR)/tlsmedic
	rm -rf $(DESTDIR)$(DOCDIR)

# The Debian package, built from a copy of the tree (without build output)
# so that the artefacts land in build-deb/ and not beside the checkout.
DEB_DIR = build-deb
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/tlsmedic-$(VERSION)
	tar -cf - --exclude-vcs --exclude='./build*' --exclude=./tlsmedic \
		--exclude=__pycache__ . | tar -xf - -C $(DEB_DIR)/tlsmedic-$(VERSION)
	cd $(DEB_DIR)/tlsmedic-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls $(DEB_DIR)/*.deb

clean:
	rm -rf build build-asan build-deb tlsmedic

.PHONY: all check check-asan install install-data uninstall deb clean tests
-include $(shell find $(B) -name '*.d' 2>/dev/null)
