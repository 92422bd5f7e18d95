#!/bin/sh
# mkseeds.sh: remake the seed corpora that come from real servers and the
# test PKI (fuzz/corpus/hello, fuzz/corpus/chain). Run from the top of the
# tree after `make`; needs openssl. Servers listen on 127.0.0.1 port 0 and
# are stopped by pid. The other corpora are written by hand.
set -eu
top=$(pwd)
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
pid=
cc -include wolfssl/options.h -D_GNU_SOURCE -Isrc -o "$tmp/hello-seeds" \
    fuzz/tools/hello-seeds.c build/libtlsmedic.a \
    $(pkg-config --libs wolfssl json-c ncursesw) -lpthread
tests/lib/mkpki.sh "$tmp/pki"
P=$tmp/pki
# One server per configuration: tag, then s_server options.
while read -r tag opts; do
	# shellcheck disable=SC2086
	openssl s_server -accept 127.0.0.1:0 -naccept 8 -cert "$P/good.pem" \
	    -key "$P/good.key" -cert_chain "$P/inter.pem" -www $opts \
	    >"$tmp/out" 2>/dev/null </dev/null &
	pid=$!
	port=
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$tmp/out")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] && "$tmp/hello-seeds" fuzz/corpus/hello "$tag" "$port"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
done <<LIST
any
tls12 -tls1_2
tls13 -tls1_3
certreq -tls1_2 -verify 1
ecdsa -tls1_2 -cipher ECDHE-RSA-AES128-SHA
LIST
# Chains as sent (DER back to back) for chain-fuzzer.
for f in "$P"/*-chain.pem; do
	n=$(basename "$f" .pem)
	awk -v p="$tmp/split-" '/BEGIN CERT/ { i++ } i { print > (p i ".pem") }' "$f"
	: >"fuzz/corpus/chain/$n"
	for c in "$tmp"/split-*.pem; do
		openssl x509 -in "$c" -outform DER >>"fuzz/corpus/chain/$n"
	done
	rm -f "$tmp"/split-*.pem
done
