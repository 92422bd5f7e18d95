# tests/fuzz.mk: libFuzzer targets (fuzz/*-fuzzer.c), built with clang
# against the engine compiled by clang itself (build-fuzz/, never build/'s
# gcc objects), then run for a bounded time each.
#   make fuzz                   build, run every target FUZZ_SECONDS (60)
#   make fuzz FUZZ_SECONDS=600  longer; -j2 runs two targets at once
#   make fuzz FUZZ_TARGETS=hello
# New inputs go to build-fuzz/corpus/NAME (fuzz/corpus/NAME, committed, is
# read as seeds); crashes to build-fuzz/crash/NAME-*; logs to
# build-fuzz/log/NAME.log. Fails when any target crashed. A crash worth
# keeping goes to fuzz/regress/NAME/ (replayed by tests/check_fuzzregress).
# Needs clang and libclang-rt-14-dev (not in install-deps: make check does
# not use them).
FUZZ_SECONDS ?= 60
FUZZ_B = build-fuzz
FUZZ_CC ?= clang
FUZZ_ALL = $(patsubst fuzz/%-fuzzer.c,%,$(sort $(wildcard fuzz/*-fuzzer.c)))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
              -fsanitize=fuzzer-no-link
# A hang is a bug here too ("never hang"): 5 s for one input is one.
# Chains and answers are a few kB: longer inputs only slow the search.
FUZZ_MAX_LEN ?= 16384
FUZZ_RUN_FLAGS ?= -timeout=5 -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN) \
                  -print_final_stats=1

# Run in a sub-make with B=build-fuzz CC=clang (see fuzz-build below).
$(B)/fuzz/%-fuzzer: fuzz/%-fuzzer.c fuzz/fuzz.h $(B)/libtlsmedic.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(CPPFLAGS) -Ifuzz $(CFLAGS) $(WARN) -fsanitize=fuzzer \
		-o $@ $< $(B)/libtlsmedic.a $(LDLIBS)

fuzz-bins: $(FUZZ_TARGETS:%=$(B)/fuzz/%-fuzzer)

fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null && \
	    $(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a | grep -q / || \
	    { echo "make fuzz needs clang with libFuzzer:" \
	    "apt-get install clang libclang-rt-14-dev"; exit 1; }
	$(Q)$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_CFLAGS)" fuzz-bins

# A test PKI for chain-fuzzer's trust store and fresh DER seeds (the
# committed seeds come from an older PKI and chain to nothing here).
$(FUZZ_B)/pki/.done: tests/lib/mkpki.sh
	@rm -rf $(FUZZ_B)/pki && mkdir -p $(FUZZ_B)/pki $(FUZZ_B)/corpus/chain
	$(Q)tests/lib/mkpki.sh $(FUZZ_B)/pki
	$(Q)for f in $(FUZZ_B)/pki/*-chain.pem; do \
		case $$f in *manysans*) continue;; esac; \
		out=$(FUZZ_B)/corpus/chain/pki-$$(basename $$f .pem); \
		awk -v p=$(FUZZ_B)/pki/.split- \
		    '/BEGIN CERT/ { i++ } i { print > (p i ".pem") }' $$f; \
		: >$$out; \
		for c in $(FUZZ_B)/pki/.split-*.pem; do \
			openssl x509 -in $$c -outform DER >>$$out || exit 1; \
		done; rm -f $(FUZZ_B)/pki/.split-*.pem; \
	done
	@touch $@

$(FUZZ_ALL:%=fuzz-run-%): fuzz-run-%: fuzz-build $(FUZZ_B)/pki/.done
	@mkdir -p $(FUZZ_B)/corpus/$* $(FUZZ_B)/crash $(FUZZ_B)/log
	@echo "  FUZZ    $* for $(FUZZ_SECONDS) s"
	@FUZZ_TRUST=$(FUZZ_B)/pki/roots-and-intercept.pem \
	    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(FUZZ_B)/fuzz/$*-fuzzer $(FUZZ_RUN_FLAGS) \
	    -max_total_time=$(FUZZ_SECONDS) \
	    $(addprefix -dict=,$(wildcard fuzz/$*-fuzzer.dict)) \
	    -artifact_prefix=$(FUZZ_B)/crash/$*- \
	    $(FUZZ_B)/corpus/$* $(wildcard fuzz/corpus/$*) \
	    >$(FUZZ_B)/log/$*.log 2>&1; \
	    echo $$? >$(FUZZ_B)/log/$*.rc

fuzz: $(FUZZ_TARGETS:%=fuzz-run-%)
	@status=0; for t in $(FUZZ_TARGETS); do \
		rc=$$(cat $(FUZZ_B)/log/$$t.rc); \
		runs=$$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' \
		    $(FUZZ_B)/log/$$t.log | tail -1); \
		cov=$$(grep -o 'cov: [0-9]*' $(FUZZ_B)/log/$$t.log | tail -1); \
		if [ "$$rc" = 0 ]; then res=ok; else res="CRASH (exit $$rc)"; \
		    status=1; fi; \
		printf '%-10s %s, %s, corpus %s: %s\n' $$t "$${runs:-? runs}" \
		    "$${cov:-cov: ?}" "$$(ls $(FUZZ_B)/corpus/$$t | wc -l)" "$$res"; \
	done; \
	if [ $$status != 0 ]; then ls $(FUZZ_B)/crash; \
	    echo "see $(FUZZ_B)/log/NAME.log"; fi; exit $$status

clean-fuzz:
	rm -rf $(FUZZ_B)

.PHONY: fuzz fuzz-build fuzz-bins clean-fuzz $(FUZZ_ALL:%=fuzz-run-%)
