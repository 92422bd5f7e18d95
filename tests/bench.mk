# tests/bench.mk: `make bench` -- tlsmedic against sslscan and testssl.sh
# through a latency relay (100 ms, then 0 ms round trip), on loopback only.
# Takes several minutes, so it is not part of `make check`.
bench: $(PROG)
	$(Q)python3 tests/bench/bench.py $(CURDIR)/$(PROG)

.PHONY: bench
