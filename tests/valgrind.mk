# tests/valgrind.mk: make check-valgrind -- the unit tests (CK_FORK=no)
# and whole-program runs of ./tlsmedic --batch / --json against loopback
# servers, all under valgrind memcheck. Fails on any memcheck error or any
# "definitely lost" block outside system libraries (tests/valgrind.supp).
# Logs in build/valgrind/. Slow: minutes, not seconds.
check-valgrind: tests
	$(Q)tests/valgrind-run $(CURDIR)/$(PROG) $(TEST_BINS)

.PHONY: check-valgrind
