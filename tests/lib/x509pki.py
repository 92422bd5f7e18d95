#!/usr/bin/env python3
"""x509pki.py -- one small PKI per certificate rule, made at test time
(python3-cryptography), for tests/check_x509.c, the integration cases
tests/it/cases/x509-*.case and tests/it/x509-measure.py.

    x509pki.py DIR [NAME...]     make the named cases (default: all) in DIR
    x509pki.py --list            print "NAME HOST EXPECT" for every case

For every case NAME, in DIR:
    NAME-root.pem       the root to trust (--ca-file)
    NAME.pem NAME.key   the server's certificate and key (PEM)
    NAME-rest.pem       what the server sends after its certificate (may be
                        empty: then serve NAME.pem alone)
    NAME-chain.pem      NAME.pem + NAME-rest.pem
    NAME-chain.der      the same as DER certificates back to back
The host name is NAME.test unless the table says otherwise. EXPECT is
"finding-id@position" (1 = the server's certificate, as sent) or "ok".

Certificates that break DER or X.509 on purpose (a duplicate extension, a
malformed subjectAltName) cannot be made by the library: they are made
with a placeholder extension whose OID is then patched, and the TBS is
re-signed by hand.
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

NOT_BEFORE = datetime.datetime(2020, 1, 1)
NOT_AFTER = datetime.datetime(2099, 1, 1)
PLACEHOLDER_3 = ObjectIdentifier("2.5.29.99")           # 55 1d 63
PLACEHOLDER_8 = ObjectIdentifier("1.3.6.1.5.5.7.1.99")  # 2b 06 01 05 05 07 01 63
UNKNOWN_CRIT = ObjectIdentifier("1.3.6.1.4.1.55555.1.1")

_keys = {}


def key(kind="ec"):
    """Keys are cached per kind: generating RSA keys is the slow part."""
    if kind not in _keys:
        if kind == "ec":
            _keys[kind] = ec.generate_private_key(ec.SECP256R1())
        elif kind == "p192":
            _keys[kind] = ec.generate_private_key(ec.SECP192R1())
        elif kind == "dsa":
            _keys[kind] = dsa.generate_private_key(2048)
        elif kind.startswith("rsa"):
            _keys[kind] = rsa.generate_private_key(65537, int(kind[3:]))
        else:
            raise ValueError(kind)
    return _keys[kind]


def fresh(kind="ec"):
    k = key(kind)
    del _keys[kind]
    return k


def name(cn, o="tlsmedic x509 tests"):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def ca_exts(pathlen=None, nc=None, ku=True, bc=True, ca=True, eku=None):
    e = []
    if bc:
        e.append((x509.BasicConstraints(ca=ca, path_length=pathlen), True))
    if ku:
        e.append((x509.KeyUsage(False, False, False, False, False, ku is True,
                                ku is True, False, False)
                  if ku is True else ku, True))
    if nc is not None:
        e.append((nc, True))
    if eku is not None:
        e.append((x509.ExtendedKeyUsage(eku), False))
    return e


def leaf_exts(host, eku=(ExtendedKeyUsageOID.SERVER_AUTH,), ku="server",
              sans=None, ca=False):
    e = [(x509.BasicConstraints(ca=ca, path_length=None), True)]
    if ku == "server":
        e.append((x509.KeyUsage(True, False, True, False, False, False, False,
                                False, False), True))
    elif ku is not None:
        e.append((ku, True))
    if eku is not None:
        e.append((x509.ExtendedKeyUsage(list(eku)), False))
    if sans is None:
        sans = [x509.DNSName(host)]
    if sans:
        e.append((x509.SubjectAlternativeName(sans), False))
    return e


def sign(subject, subject_key, issuer, issuer_key, exts, serial=None):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(subject_key.public_key())
         .serial_number(serial or x509.random_serial_number())
         .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER))
    for ext, crit in exts:
        b = b.add_extension(ext, critical=crit)
    return b.sign(issuer_key, hashes.SHA256())


# --- DER by hand, for the broken certificates ---

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def der_split(b):
    """(tag, header length, content length) of the element at b[0]."""
    tag, first = b[0], b[1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7f
    return tag, 2 + n, int.from_bytes(b[2:2 + n], "big")


def patched(cert, issuer_key, replace):
    """cert with bytes replaced inside its TBS, re-signed by issuer_key."""
    der = cert.public_bytes(serialization.Encoding.DER)
    _, h, _ = der_split(der)
    inner = der[h:]
    _, th, tl = der_split(inner)
    tbs = inner[:th + tl]
    rest = inner[th + tl:]
    _, ah, al = der_split(rest)
    algid = rest[:ah + al]
    new = tbs
    for old, repl in replace:
        assert old in new, (old, cert.subject)
        new = new.replace(old, repl, 1)
    if len(new) != len(tbs):
        _, nh, nl = der_split(new)
        new = tlv(0x30, new[nh:])
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        sig = issuer_key.sign(new, ec.ECDSA(hashes.SHA256()))
    else:
        sig = issuer_key.sign(new, padding.PKCS1v15(), hashes.SHA256())
    return x509.load_der_x509_certificate(
        tlv(0x30, new + algid + tlv(0x03, b"\0" + sig)))


OID_SAN = b"\x06\x03\x55\x1d\x11"
OID_AIA = b"\x06\x08\x2b\x06\x01\x05\x05\x07\x01\x01"
OID_P3 = b"\x06\x03\x55\x1d\x63"
OID_P8 = b"\x06\x08\x2b\x06\x01\x05\x05\x07\x01\x63"


class Case:
    def __init__(self, name, expect, host=None):
        self.name = name
        self.expect = expect
        self.host = host or name + ".test"
        self.root = None
        self.leaf = None
        self.leaf_key = None
        self.rest = []


def standard(c, root_exts=None, inter_exts=None, leaf=None, leaf_key=None,
             root_key_kind="ec", send_inter=True, inter_key=None):
    rk = fresh(root_key_kind)
    rname = name("%s root" % c.name)
    c.root = sign(rname, rk, rname, rk, root_exts or ca_exts())
    ik = inter_key or fresh("ec")
    iname = name("%s intermediate" % c.name)
    inter = sign(iname, ik, rname, rk, inter_exts or ca_exts())
    lk = leaf_key or fresh("ec")
    c.leaf = sign(name(c.host), lk, iname, ik,
                  leaf if leaf is not None else leaf_exts(c.host))
    c.leaf_key = lk
    c.rest = [inter] if send_inter else []
    return rk, ik, lk


def dns_nc(permitted=None, excluded=None):
    return x509.NameConstraints(
        permitted_subtrees=[x509.DNSName(d) for d in permitted]
        if permitted else None,
        excluded_subtrees=[x509.DNSName(d) for d in excluded]
        if excluded else None)


def ip_nc(permitted=None, excluded=None):
    import ipaddress
    return x509.NameConstraints(
        permitted_subtrees=[x509.IPAddress(ipaddress.ip_network(d))
                            for d in permitted] if permitted else None,
        excluded_subtrees=[x509.IPAddress(ipaddress.ip_network(d))
                           for d in excluded] if excluded else None)


def build(n):
    """Make case n (see CASES)."""
    host, expect, fn = CASES[n]
    c = Case(n, expect, host)
    fn(c)
    return c


def c_ok(c):
    standard(c)


def c_leaf_eku_client(c):
    standard(c, leaf=leaf_exts(c.host, eku=[ExtendedKeyUsageOID.CLIENT_AUTH]))


def c_leaf_eku_empty(c):
    standard(c, leaf=leaf_exts(c.host, eku=[]))


def c_leaf_ku_certsign(c):
    standard(c, leaf=leaf_exts(c.host, ku=x509.KeyUsage(
        False, False, False, False, False, True, False, False, False)))


def c_leaf_ca(c):
    standard(c, leaf=leaf_exts(c.host, ca=True, ku=None))


def c_inter_not_ca(c):
    standard(c, inter_exts=ca_exts(ca=False, ku=None))


def c_inter_no_bc(c):
    standard(c, inter_exts=ca_exts(bc=False))


def c_inter_no_certsign(c):
    standard(c, inter_exts=ca_exts(ku=x509.KeyUsage(
        True, False, False, False, False, False, True, False, False)))


def c_inter_eku_client(c):
    standard(c, inter_exts=ca_exts(eku=[ExtendedKeyUsageOID.CLIENT_AUTH]))


def c_pathlen_inter(c):
    rk = fresh()
    rname = name("%s root" % c.name)
    c.root = sign(rname, rk, rname, rk, ca_exts())
    k1, k2, lk = fresh(), fresh(), fresh()
    n1, n2 = name("%s CA 1" % c.name), name("%s CA 2" % c.name)
    ca1 = sign(n1, k1, rname, rk, ca_exts(pathlen=0))
    ca2 = sign(n2, k2, n1, k1, ca_exts())
    c.leaf = sign(name(c.host), lk, n2, k2, leaf_exts(c.host))
    c.leaf_key = lk
    c.rest = [ca2, ca1]


def c_pathlen_root(c):
    standard(c, root_exts=ca_exts(pathlen=0))


def c_nc_excluded(c):
    standard(c, inter_exts=ca_exts(nc=dns_nc(excluded=["nc-excluded.test"])))


def c_nc_permitted_label(c):
    # "notallowed.test" is not inside "allowed.test" (wolfSSL thinks so)
    standard(c, inter_exts=ca_exts(nc=dns_nc(permitted=["allowed.test"])))


def c_nc_permitted_ok(c):
    standard(c, inter_exts=ca_exts(nc=dns_nc(
        permitted=["nc-permitted-ok.test"])))


def c_nc_excluded_label_ok(c):
    # excluded "bad.test" does not exclude "notbad.test" (wolfSSL: it does)
    standard(c, inter_exts=ca_exts(nc=dns_nc(excluded=["bad.test"])))


def c_nc_ip(c):
    import ipaddress
    standard(c, inter_exts=ca_exts(nc=ip_nc(permitted=["10.0.0.0/8"])),
             leaf=leaf_exts(c.host, sans=[
                 x509.DNSName(c.host),
                 x509.IPAddress(ipaddress.ip_address("11.1.2.3"))]))


def c_nc_email(c):
    # email constraints govern the subject's emailAddress too
    rk = fresh()
    rname = name("%s root" % c.name)
    c.root = sign(rname, rk, rname, rk, ca_exts())
    ik, lk = fresh(), fresh()
    iname = name("%s intermediate" % c.name)
    nc = x509.NameConstraints(
        permitted_subtrees=[x509.RFC822Name("example.test")],
        excluded_subtrees=None)
    inter = sign(iname, ik, rname, rk, ca_exts(nc=nc))
    subj = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tlsmedic x509 tests"),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "joe@other.test"),
        x509.NameAttribute(NameOID.COMMON_NAME, c.host)])
    c.leaf = sign(subj, lk, iname, ik, leaf_exts(c.host))
    c.leaf_key = lk
    c.rest = [inter]


def c_nc_root(c):
    standard(c, root_exts=ca_exts(nc=dns_nc(permitted=["elsewhere.test"])))


def c_crit_leaf(c):
    standard(c, leaf=leaf_exts(c.host) + [
        (x509.UnrecognizedExtension(UNKNOWN_CRIT, b"\x05\x00"), True)])


def c_crit_inter(c):
    standard(c, inter_exts=ca_exts() + [
        (x509.UnrecognizedExtension(UNKNOWN_CRIT, b"\x05\x00"), True)])


def c_dup_ext_leaf(c):
    san = x509.SubjectAlternativeName([x509.DNSName(c.host)])
    body = san.public_bytes()
    _, ik, _ = standard(c, leaf=leaf_exts(c.host) + [
        (x509.UnrecognizedExtension(PLACEHOLDER_3, body), False)])
    c.leaf = patched(c.leaf, ik, [(OID_P3, OID_SAN)])


def c_bad_san_leaf(c):
    # a SAN whose value is an OCTET STRING, not a SEQUENCE of names
    _, ik, _ = standard(c, leaf=leaf_exts(c.host, sans=[]) + [
        (x509.UnrecognizedExtension(PLACEHOLDER_3,
                                    b"\x04\x0b" + c.host.encode()[:11]),
         False)])
    c.leaf = patched(c.leaf, ik, [(OID_P3, OID_SAN)])


def c_bad_aia_inter(c):
    rk, ik, lk = standard(c, inter_exts=ca_exts() + [
        (x509.UnrecognizedExtension(PLACEHOLDER_8, b"\x30\x05\x30\x03\x06"
                                    b"\x01\x00"), False)])
    c.rest = [patched(c.rest[0], rk, [(OID_P8, OID_AIA)])]


def c_nc_leaf(c):
    # name constraints in a server certificate: RFC 5280 forbids it,
    # OpenSSL accepts it, wolfSSL cannot read the certificate
    standard(c, leaf=leaf_exts(c.host) + [
        (dns_nc(permitted=[c.host]), True)])


def c_weak_leaf(c):
    standard(c, leaf_key=fresh("rsa1024"))


def c_weak_root(c):
    standard(c, root_key_kind="rsa1024")


def c_p192_inter(c):
    standard(c, inter_key=fresh("p192"))


def c_many_sans(c):
    sans = [x509.DNSName(c.host)] + [
        x509.DNSName("h%d.%s" % (i, c.host)) for i in range(1200)]
    standard(c, leaf=leaf_exts(c.host, sans=sans))


def c_big_chain(c):
    # about 120 kB: every certificate carries a large (non-critical)
    # extension, as some private PKIs do
    pad = [(x509.UnrecognizedExtension(ObjectIdentifier(
        "1.3.6.1.4.1.55555.2.1"), b"\x04\x82\x9c\x40" + b"p" * 40000), False)]
    rk = fresh()
    rname = name("%s root" % c.name)
    c.root = sign(rname, rk, rname, rk, ca_exts())
    prev_n, prev_k, rest = rname, rk, []
    for i in range(2):
        k = fresh()
        nm = name("%s CA %d" % (c.name, i + 1))
        rest.insert(0, sign(nm, k, prev_n, prev_k, ca_exts() + pad))
        prev_n, prev_k = nm, k
    lk = fresh()
    c.leaf = sign(name(c.host), lk, prev_n, prev_k, leaf_exts(c.host) + pad)
    c.leaf_key = lk
    c.rest = rest


def infamous(cn, o):
    def f(c):
        rk = fresh()
        rname = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
                           x509.NameAttribute(NameOID.COMMON_NAME, cn)]) \
            if o else x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        c.root = sign(rname, rk, rname, rk, ca_exts())
        lk = fresh()
        c.leaf = sign(name(c.host), lk, rname, rk, leaf_exts(c.host))
        c.leaf_key = lk
        c.rest = [c.root]
    return f


def c_lookalike(c):
    # a self-signed server certificate that merely says "Zscaler"
    lk = fresh()
    nm = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                       "Zscaler Inc."),
                    x509.NameAttribute(NameOID.COMMON_NAME, c.host)])
    c.leaf = sign(nm, lk, nm, lk, leaf_exts(c.host))
    c.leaf_key = lk
    c.root = c.leaf
    c.rest = []


# name: (host or None, expected "id@position" or "ok", builder)
CASES = {
    "ok": (None, "ok", c_ok),
    "leaf-eku-client": (None, "cert.purpose@1", c_leaf_eku_client),
    "leaf-eku-empty": (None, "cert.purpose@1", c_leaf_eku_empty),
    "leaf-ku-certsign": (None, "cert.purpose@1", c_leaf_ku_certsign),
    "leaf-ca": (None, "cert.purpose@1", c_leaf_ca),
    "inter-not-ca": (None, "cert.chain.invalid_issuer@2", c_inter_not_ca),
    "inter-no-bc": (None, "cert.chain.invalid_issuer@2", c_inter_no_bc),
    "inter-no-certsign": (None, "cert.chain.invalid_issuer@2",
                          c_inter_no_certsign),
    "inter-eku-client": (None, "cert.chain.invalid_issuer@2",
                         c_inter_eku_client),
    "pathlen-inter": (None, "cert.chain.invalid_issuer@3", c_pathlen_inter),
    "pathlen-root": (None, "cert.chain.invalid_issuer@root", c_pathlen_root),
    "nc-excluded": ("www.nc-excluded.test", "cert.chain.invalid_issuer@2",
                    c_nc_excluded),
    "nc-permitted-label": ("notallowed.test", "cert.chain.invalid_issuer@2",
                           c_nc_permitted_label),
    "nc-permitted-ok": ("www.nc-permitted-ok.test", "ok", c_nc_permitted_ok),
    "nc-excluded-label-ok": ("notbad.test", "ok", c_nc_excluded_label_ok),
    "nc-ip": (None, "cert.chain.invalid_issuer@2", c_nc_ip),
    "nc-email": (None, "cert.chain.invalid_issuer@2", c_nc_email),
    "nc-root": (None, "cert.chain.invalid_issuer@root", c_nc_root),
    "crit-leaf": (None, "cert.critical_extension@1", c_crit_leaf),
    "crit-inter": (None, "cert.critical_extension@2", c_crit_inter),
    "dup-ext-leaf": (None, "cert.malformed@1", c_dup_ext_leaf),
    "bad-san-leaf": (None, "cert.malformed@1", c_bad_san_leaf),
    "bad-aia-inter": (None, "cert.malformed@2", c_bad_aia_inter),
    "nc-leaf": (None, "cert.malformed@1", c_nc_leaf),
    "weak-leaf": (None, "cert.weak_key@1", c_weak_leaf),
    "weak-root": (None, "cert.weak_key@root", c_weak_root),
    "p192-inter": (None, "cert.weak_key@2", c_p192_inter),
    "many-sans": (None, "ok", c_many_sans),
    "big-chain": (None, "ok", c_big_chain),
    "superfish": (None, "mitm.interception@2",
                  infamous("Superfish, Inc.", "Superfish, Inc.")),
    "edellroot": (None, "mitm.interception@2", infamous("eDellRoot", None)),
    "mkcert": (None, "mitm.interception@2",
               infamous("mkcert dev@laptop", "mkcert development CA")),
    "lookalike": (None, "cert.self_signed@1", c_lookalike),
}


def pem(cs):
    return b"".join(x.public_bytes(serialization.Encoding.PEM) for x in cs)


def write(d, c):
    p = lambda suffix: os.path.join(d, c.name + suffix)
    with open(p("-root.pem"), "wb") as f:
        f.write(pem([c.root]))
    with open(p(".pem"), "wb") as f:
        f.write(pem([c.leaf]))
    with open(p(".key"), "wb") as f:
        f.write(c.leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    with open(p("-rest.pem"), "wb") as f:
        f.write(pem(c.rest))
    with open(p("-chain.pem"), "wb") as f:
        f.write(pem([c.leaf] + c.rest))
    with open(p("-chain.der"), "wb") as f:
        f.write(b"".join(x.public_bytes(serialization.Encoding.DER)
                         for x in [c.leaf] + c.rest))


def main(argv):
    if argv[1:2] == ["--list"]:
        for n, (host, expect, _) in CASES.items():
            print(n, host or n + ".test", expect)
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    d = argv[1]
    os.makedirs(d, exist_ok=True)
    names = argv[2:] or list(CASES)
    for n in names:
        if n not in CASES:
            sys.stderr.write("x509pki: no case %s\n" % n)
            return 2
        write(d, build(n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
