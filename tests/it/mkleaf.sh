#!/bin/sh
# mkleaf.sh PKI NAME KEY [NSANS] -- a leaf for NAME.test signed by PKI's
# intermediate (tests/lib/mkpki.sh), written as NAME.pem and NAME.key in
# the current directory. KEY: rsa2048, rsa4096, dsa (2048 bits) or p192.
# NSANS (default 1): DNS names NAME.test, h1.NAME.test ... up to NSANS.
# Valid from now for ten years, serverAuth, like mkpki.sh's leaves.
set -eu
[ $# -ge 3 ] || { echo "usage: mkleaf.sh PKI NAME KEY [NSANS]" >&2; exit 2; }
P=$1 N=$2 K=$3 S=${4:-1}
case $K in
rsa*)	openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${K#rsa}" \
	    -out "$N.key" 2>/dev/null ;;
dsa)	openssl genpkey -genparam -algorithm DSA \
	    -pkeyopt dsa_paramgen_bits:2048 -out "$N.param" 2>/dev/null
	openssl genpkey -paramfile "$N.param" -out "$N.key" ;;
p192)	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-192 \
	    -out "$N.key" ;;
*)	echo "mkleaf.sh: unknown key $K" >&2; exit 2 ;;
esac
{
	printf 'basicConstraints=critical,CA:FALSE\n'
	printf 'keyUsage=critical,digitalSignature,keyEncipherment\n'
	printf 'extendedKeyUsage=serverAuth\n'
	printf 'subjectAltName=DNS:%s.test' "$N"
	i=1
	while [ "$i" -lt "$S" ]; do
		printf ',DNS:h%d.%s.test' "$i" "$N"
		i=$((i + 1))
	done
	printf '\n'
} > "$N.ext"
openssl req -new -key "$N.key" -subj "/CN=$N.test" -out "$N.csr" 2>/dev/null
openssl x509 -req -in "$N.csr" -CA "$P/inter.pem" -CAkey "$P/inter.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 3650 -sha256 \
    -extfile "$N.ext" -out "$N.pem" 2>/dev/null
