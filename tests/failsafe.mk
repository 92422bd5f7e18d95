# tests/failsafe.mk: `make check-limits` -- the whole-program cases under
# ulimit -n and -v (tests/failsafe/limits): no finding may blame the server
# or the network for our own failure. A few minutes: not in `make check`.
check-limits: $(PROG)
	$(Q)TLSMEDIC=$(CURDIR)/$(PROG) tests/failsafe/limits

.PHONY: check-limits
