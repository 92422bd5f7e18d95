#!/bin/sh
# mkpki.sh DIR -- make a test PKI with the openssl CLI in DIR (created if
# missing). Prints nothing on success; on failure prints openssl's words to
# stderr and exits non-zero. Takes about a second. Explicit dates, so
# nothing made here expires before 2099 unless it is meant to.
#
# Environment (optional):
#   MKPKI_AIA_URL   caIssuers URL put in incomplete.pem
#                   (default http://127.0.0.1:9/inter.der -- nothing there)
#   MKPKI_OCSP_URL  OCSP URL in incomplete.pem (default http://127.0.0.1:9/ocsp)
#   MKPKI_CRL_URL   CRL URL in incomplete.pem (default http://127.0.0.1:9/inter.crl)
#
# Outputs in DIR (PEM unless said; every key is unencrypted):
#   root.pem root.key       trusted test root, CN=tlsmedic Test Root CA (EC)
#   inter.pem inter.key     intermediate signed by root, CN=tlsmedic Test
#                           Intermediate CA; inter.der is the same in DER
#                           (serve it at MKPKI_AIA_URL)
# For every leaf case NAME below: NAME.pem (the leaf alone), NAME.key, and
# NAME-chain.pem (what the server sends, leaf first). Host names are
# NAME.test unless said. Leaves are signed by inter, valid 2020-2099, with
# SAN DNS:NAME.test, unless said.
#   good        SAN good.test, localhost, IP 127.0.0.1, IP ::1 (RSA-2048)
#   expired     valid 2000-01-01 .. 2001-01-01
#   notyet      valid 2098-07-01 12:00 .. 2099-07-01 (UTC; summer, to catch
#               time-zone slips)
#   wronghost   SAN and CN other.test (ask for wronghost.test)
#   nosan       no SAN at all, CN=nosan.test
#   selfsigned  self-signed leaf (CA:FALSE); chain = the leaf
#   weakkey     RSA-1024 key
#   sha1        signed with sha1WithRSAEncryption by interrsa (an RSA
#               intermediate under root: interrsa.pem); chain = leaf+interrsa
#   untrusted   under untrusted-root.pem (CN=tlsmedic Untrusted Root CA,
#               never trust it) via untrusted-inter.pem; chain = leaf +
#               untrusted-inter (root not sent)
#   order       chain = leaf, root, inter (intermediate after the root)
#   stray       chain = leaf, inter, untrusted-inter (unrelated extra cert)
#   incomplete  chain = the leaf alone (inter missing); carries AIA
#               caIssuers, OCSP and CRL URLs (see above)
#   intercept   signed by intercept-ca.pem/.key, a root named like a product
#               (O=Zscaler Inc., CN=Zscaler Root CA); chain = leaf +
#               intercept-ca. Trust intercept-ca.pem to play the victim.
#   confusion   signed by confusion-root2; confusion-root1.pem and
#               confusion-root2.pem have the same subject (CN=tlsmedic
#               Confusion Root CA) and different keys; confusion-roots.pem
#               holds both (root1 first). Leaf has no authority key id.
#   hostile     CN and SAN hold ESC sequences and a C1 byte
#               (ask for hostile.test)
#   manysans    5000 DNS SANs: h0.manysans.test .. h4999.manysans.test
#   cross       chain = good leaf + inter + cross-root.pem: the test root's
#               name and key re-issued by untrusted-root, valid only
#               2000-2001 (an expired cross-sign, as old roots get); host
#               good.test. Trusting root.pem it is harmless; trusting only
#               untrusted-root.pem the path runs through it (expired).
# Also: roots-and-intercept.pem = root.pem + intercept-ca.pem.
set -eu

[ $# -eq 1 ] || { echo "usage: mkpki.sh DIR" >&2; exit 2; }
D=$1
mkdir -p "$D"
cd "$D"
mkdir -p .ca/new
: >.ca/index.txt
echo 'unique_subject = no' >.ca/index.txt.attr
AIA=${MKPKI_AIA_URL:-http://127.0.0.1:9/inter.der}
OCSP=${MKPKI_OCSP_URL:-http://127.0.0.1:9/ocsp}
CRL=${MKPKI_CRL_URL:-http://127.0.0.1:9/inter.crl}
LOG=.ca/log
OLD=20200101000000Z
FAR=20991231235959Z

cat >.ca/ca.cnf <<EOF
[ ca ]
default_ca = tca
[ tca ]
dir = .ca
database = .ca/index.txt
new_certs_dir = .ca/new
serial = .ca/serial
default_md = sha256
policy = anything
unique_subject = no
preserve = yes
email_in_dn = no
[ anything ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[ req ]
distinguished_name = dn
string_mask = utf8only
[ dn ]
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
openssl rand -hex 8 >.ca/serial

run() {
	"$@" >>$LOG 2>&1 || { cat $LOG >&2; echo "mkpki: failed: $*" >&2; exit 1; }
}

eckey() { run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
rsakey() { run openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" -out "$1"; }

# sign OUT KEY SUBJ ISSUER(-self) EXTFILE SECTION START END [MD]
sign() {
	out=$1 key=$2 subj=$3 iss=$4 ext=$5 sec=$6 start=$7 end=$8 md=${9:-sha256}
	run openssl req -new -config .ca/ca.cnf -utf8 -key "$key" -subj "$subj" \
	    -out .ca/csr
	if [ "$iss" = "-self" ]; then
		set -- -selfsign -keyfile "$key"
	else
		set -- -cert "$iss.pem" -keyfile "$iss.key"
	fi
	run openssl ca -batch -config .ca/ca.cnf -utf8 -notext "$@" \
	    -in .ca/csr -out "$out" -startdate "$start" -enddate "$end" \
	    -md "$md" -extfile "$ext" -extensions "$sec"
}

# leaf NAME ISSUER SAN [START END MD KEY SUBJ]
leaf() {
	name=$1 iss=$2 san=$3
	{
		echo "[ leaf ]"
		echo "basicConstraints = critical,CA:FALSE"
		echo "keyUsage = critical,digitalSignature,keyEncipherment"
		echo "extendedKeyUsage = serverAuth"
		echo "subjectKeyIdentifier = hash"
		# openssl 3 adds an AKID by default: "none" keeps it out.
		if [ "$iss" = "-self" ] || [ "$name" = confusion ]; then
			echo "authorityKeyIdentifier = none"
		else
			echo "authorityKeyIdentifier = keyid"
		fi
		[ -z "$san" ] || echo "subjectAltName = $san"
		[ "$name" != incomplete ] || {
			echo "authorityInfoAccess = caIssuers;URI:$AIA,OCSP;URI:$OCSP"
			echo "crlDistributionPoints = URI:$CRL"
		}
	} >.ca/leaf.cnf
	[ -f "$name.key" ] || cp ${7:-leaf.key} "$name.key"
	sign "$name.pem" "$name.key" "${8:-/CN=$name.test}" "$iss" .ca/leaf.cnf \
	    leaf "${4:-$OLD}" "${5:-$FAR}" "${6:-sha256}"
}

eckey root.key
sign root.pem root.key "/O=tlsmedic tests/CN=tlsmedic Test Root CA" -self \
    .ca/ca.cnf root $OLD $FAR
eckey inter.key
sign inter.pem inter.key "/O=tlsmedic tests/CN=tlsmedic Test Intermediate CA" \
    root .ca/ca.cnf inter $OLD $FAR
run openssl x509 -in inter.pem -outform DER -out inter.der
rsakey interrsa.key 2048
sign interrsa.pem interrsa.key "/O=tlsmedic tests/CN=tlsmedic Test RSA Intermediate CA" \
    root .ca/ca.cnf inter $OLD $FAR
eckey untrusted-root.key
sign untrusted-root.pem untrusted-root.key \
    "/O=Nobody/CN=tlsmedic Untrusted Root CA" -self .ca/ca.cnf root $OLD $FAR
eckey untrusted-inter.key
sign untrusted-inter.pem untrusted-inter.key \
    "/O=Nobody/CN=tlsmedic Untrusted Intermediate CA" untrusted-root \
    .ca/ca.cnf inter $OLD $FAR
eckey intercept-ca.key
sign intercept-ca.pem intercept-ca.key "/O=Zscaler Inc./CN=Zscaler Root CA" \
    -self .ca/ca.cnf root $OLD $FAR
eckey confusion-root1.key
sign confusion-root1.pem confusion-root1.key \
    "/O=tlsmedic tests/CN=tlsmedic Confusion Root CA" -self .ca/ca.cnf root \
    $OLD $FAR
eckey confusion-root2.key
sign confusion-root2.pem confusion-root2.key \
    "/O=tlsmedic tests/CN=tlsmedic Confusion Root CA" -self .ca/ca.cnf root \
    $OLD $FAR

sign cross-root.pem root.key "/O=tlsmedic tests/CN=tlsmedic Test Root CA" \
    untrusted-root .ca/ca.cnf inter 20000101000000Z 20010101000000Z

eckey leaf.key
rsakey good.key 2048
leaf good inter "DNS:good.test,DNS:localhost,IP:127.0.0.1,IP:::1"
leaf expired inter DNS:expired.test 20000101000000Z 20010101000000Z
leaf notyet inter DNS:notyet.test 20980701120000Z 20990701000000Z
leaf wronghost inter DNS:other.test "" "" "" "" /CN=other.test
leaf nosan inter ""
leaf selfsigned -self DNS:selfsigned.test
rsakey weakkey.key 1024
leaf weakkey inter DNS:weakkey.test
leaf sha1 interrsa DNS:sha1.test "" "" sha1
leaf untrusted untrusted-inter DNS:untrusted.test
leaf order inter DNS:order.test
leaf stray inter DNS:stray.test
leaf incomplete inter DNS:incomplete.test
leaf intercept intercept-ca DNS:intercept.test
leaf confusion confusion-root2 DNS:confusion.test
ESC=$(printf '\033')
C1=$(printf '\302\233')
leaf hostile inter "DNS:hostile.test,DNS:x${ESC}[2Jy.test" "" "" "" "" \
    "/CN=evil${ESC}]0;pwned${ESC}\\\\${C1}name"
sans=$(awk 'BEGIN { for (i = 0; i < 5000; i++)
	printf "%sDNS:h%d.manysans.test", i ? "," : "", i }')
leaf manysans inter "$sans"

for n in good expired notyet wronghost nosan weakkey incomplete \
    hostile manysans confusion; do
	cat $n.pem >$n-chain.pem
	[ $n = incomplete ] || [ $n = confusion ] || cat inter.pem >>$n-chain.pem
done
cp selfsigned.pem selfsigned-chain.pem
cat sha1.pem interrsa.pem >sha1-chain.pem
cat untrusted.pem untrusted-inter.pem >untrusted-chain.pem
cat order.pem root.pem inter.pem >order-chain.pem
cat stray.pem inter.pem untrusted-inter.pem >stray-chain.pem
cat intercept.pem intercept-ca.pem >intercept-chain.pem
cat confusion-root1.pem confusion-root2.pem >confusion-roots.pem
cat root.pem intercept-ca.pem >roots-and-intercept.pem
cat good.pem inter.pem cross-root.pem >cross-chain.pem
rm -f .ca/csr .ca/leaf.cnf
