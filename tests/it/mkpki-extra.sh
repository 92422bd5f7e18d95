#!/bin/sh
# mkpki-extra.sh -- certificates the integration cases need beyond
# tests/lib/mkpki.sh. Prints nothing on success; openssl's words on failure.
#
#   mkpki-extra.sh DIR
#       DIR already holds mkpki.sh's output. Adds:
#       NAME-rest.pem    for each NAME-chain.pem with more than the leaf:
#                        the chain minus the leaf (openssl s_server wants the
#                        leaf in -cert and the rest in -cert_chain)
#       root-inter.pem   root + inter (for s_server -build_chain)
#       revoked.pem/.key leaf for revoked.test under inter, revoked at inter;
#                        its OCSP URL is http://127.0.0.1:9/ocsp (nobody)
#       revoked-ocsp.der an OCSP response by inter saying "revoked" (staple it
#                        with s_server -status_file)
#
#   mkpki-extra.sh revoked PKI OUT URL
#       For a case whose OCSP responder / CRL server listens at URL (e.g.
#       http://127.0.0.1:PORT): in OUT, a leaf revoked.pem for revoked.test
#       under PKI's inter with OCSP URL/ocsp and CRL URL/inter.crl, marked
#       revoked in OUT/index.txt; OUT/inter.crl (DER) lists it; OUT/ca.pem
#       and OUT/ca.key are inter's, as tests/lib/httpsrv.py's /ocsp wants.
#
#   mkpki-extra.sh fresh PKI OUT DAYS [URL]
#       In OUT, a leaf fresh.pem/.key (+ -rest, -chain) for fresh.test under
#       PKI's inter, issued now and valid DAYS days, with OCSP URL/ocsp when
#       URL is given; OUT/index.txt says it is good (for httpsrv.py's /ocsp).
#
#   mkpki-extra.sh aia PKI OUT URL
#       In OUT, a leaf aia.pem/.key for aia.test under PKI's inter whose AIA
#       caIssuers is URL/inter.der, and inter.der itself to serve from OUT.
set -eu

LOG=/dev/null
run() {
	"$@" >>"$LOG" 2>&1 || { cat "$LOG" >&2; echo "mkpki-extra: failed: $*" >&2; exit 1; }
}

# inter_leaf PKI OUT EXTRA_EXT_LINES [NAME]: a leaf NAME.pem (revoked.pem) under
# inter in OUT,
# and OUT/.ca with an index that marks it revoked
inter_leaf() {
	pki=$1 out=$2 ext=$3 n=${4:-revoked}
	mkdir -p "$out/.ca"
	: >"$out/.ca/index.txt"
	echo 01 >"$out/.ca/crlnumber"
	cat >"$out/.ca/leaf.cnf" <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:$n.test
$ext
EOF
	cat >"$out/.ca/ca.cnf" <<EOF
[ ca ]
default_ca = tca
[ tca ]
database = $out/.ca/index.txt
crlnumber = $out/.ca/crlnumber
default_md = sha256
default_crl_days = 3650
EOF
	cp "$pki/leaf.key" "$out/$n.key"
	run openssl req -new -key "$out/$n.key" -subj /CN=$n.test \
	    -out "$out/.ca/csr"
	run openssl x509 -req -in "$out/.ca/csr" -CA "$pki/inter.pem" \
	    -CAkey "$pki/inter.key" -set_serial "0x$(openssl rand -hex 8)" \
	    -days 3650 -sha256 -extfile "$out/.ca/leaf.cnf" -out "$out/$n.pem"
	serial=$(openssl x509 -in "$out/$n.pem" -noout -serial | sed 's/.*=//')
	printf 'R\t20991231235959Z\t240101000000Z,keyCompromise\t%s\tunknown\t/CN=%s.test\n' \
	    "$serial" "$n" >"$out/.ca/index.txt"
	cp "$out/.ca/index.txt" "$out/index.txt"
	cp "$pki/inter.pem" "$out/ca.pem"
	cp "$pki/inter.key" "$out/ca.key"
	cat "$pki/inter.pem" >"$out/$n-rest.pem"
	cat "$out/$n.pem" "$pki/inter.pem" >"$out/$n-chain.pem"
}

if [ "${1:-}" = fresh ]; then
	[ $# -ge 4 ] || { echo "usage: mkpki-extra.sh fresh PKI OUT DAYS [URL]" >&2; exit 2; }
	pki=$2 out=$3 days=$4 url=${5:-}
	mkdir -p "$out"
	LOG=$out/.extra-log
	ext=
	[ -z "$url" ] || ext="authorityInfoAccess = OCSP;URI:$url/ocsp"
	inter_leaf "$pki" "$out" "$ext" fresh
	# Issued now (not 2020): a clock behind by hours already sees it
	# "not yet valid"; valid DAYS days; good in the responder's index.
	run openssl x509 -req -in "$out/.ca/csr" -CA "$pki/inter.pem" \
	    -CAkey "$pki/inter.key" -set_serial "0x$(openssl rand -hex 8)" \
	    -days "$days" -sha256 -extfile "$out/.ca/leaf.cnf" -out "$out/fresh.pem"
	serial=$(openssl x509 -in "$out/fresh.pem" -noout -serial | sed 's/.*=//')
	printf 'V\t20991231235959Z\t\t%s\tunknown\t/CN=fresh.test\n' \
	    "$serial" >"$out/index.txt"
	cat "$out/fresh.pem" "$pki/inter.pem" >"$out/fresh-chain.pem"
	exit 0
fi

if [ "${1:-}" = aia ]; then
	[ $# -eq 4 ] || { echo "usage: mkpki-extra.sh aia PKI OUT URL" >&2; exit 2; }
	pki=$2 out=$3 url=$4
	mkdir -p "$out"
	LOG=$out/.extra-log
	inter_leaf "$pki" "$out" "authorityInfoAccess = caIssuers;URI:$url/inter.der" aia
	cp "$pki/inter.der" "$out/inter.der"
	exit 0
fi

if [ "${1:-}" = revoked ]; then
	[ $# -eq 4 ] || { echo "usage: mkpki-extra.sh revoked PKI OUT URL" >&2; exit 2; }
	pki=$2 out=$3 url=$4
	mkdir -p "$out"
	LOG=$out/.extra-log
	inter_leaf "$pki" "$out" "authorityInfoAccess = OCSP;URI:$url/ocsp
crlDistributionPoints = URI:$url/inter.crl"
	run openssl ca -config "$out/.ca/ca.cnf" -gencrl -cert "$pki/inter.pem" \
	    -keyfile "$pki/inter.key" -out "$out/.ca/inter.crl.pem"
	run openssl crl -in "$out/.ca/inter.crl.pem" -outform DER -out "$out/inter.crl"
	exit 0
fi

[ $# -eq 1 ] || { echo "usage: mkpki-extra.sh DIR" >&2; exit 2; }
D=$1
LOG=$D/.extra-log
for chain in "$D"/*-chain.pem; do
	name=${chain%-chain.pem}
	# Everything after the first END CERTIFICATE line.
	awk 'seen { print } /-----END CERTIFICATE-----/ { seen = 1 }' "$chain" \
	    >"$name-rest.pem"
	grep -q 'BEGIN CERTIFICATE' "$name-rest.pem" || rm -f "$name-rest.pem"
done

# Like a real leaf it names a responder; nothing listens there, so only
# the staple can tell.
cat "$D/root.pem" "$D/inter.pem" >"$D/root-inter.pem"

inter_leaf "$D" "$D/.revoked" "authorityInfoAccess = OCSP;URI:http://127.0.0.1:9/ocsp"
cp "$D/.revoked/revoked.pem" "$D/.revoked/revoked.key" \
    "$D/.revoked/revoked-rest.pem" "$D/.revoked/revoked-chain.pem" "$D/"
run openssl ocsp -index "$D/.revoked/index.txt" -rsigner "$D/inter.pem" \
    -rkey "$D/inter.key" -CA "$D/inter.pem" -issuer "$D/inter.pem" \
    -cert "$D/revoked.pem" -no_nonce -ndays 3650 -respout "$D/revoked-ocsp.der"
