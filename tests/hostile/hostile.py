#!/usr/bin/env python3
"""hostile.py: misbehaving servers for tlsmedic's robustness tests.

    hostile.py MODE [--dir DIR] [--lifetime SECONDS]

Listens on 127.0.0.1 port 0 (the OS picks), prints "PORT n", then serves
every connection in its own thread the way MODE says. Loopback only, and the
process exits by itself after --lifetime seconds in case the harness dies
before it can stop us. TLS modes write their CA to DIR/ca.pem first (so the
client can trust it with --ca-file) and only then print the port.

Plain-TCP modes (raw bytes, no TLS library):
  garbage          random bytes and terminal escapes instead of a ServerHello
  http             an HTTP/1.1 response
  ssh              an SSH banner, sent first as sshd does
  smtp             an SMTP greeting, sent first
  reset            half a ServerHello, then a TCP RST (SO_LINGER 0)
  close-after-hello  a whole ServerHello, then FIN
  drip             a ServerHello and a huge Certificate, one byte a second
  silent           accept and never answer
  flood            a ServerHello, then 10 MB of handshake records
  biglen           a record whose length field is 0xffff (> 2^14 + 2048)
  sh-truncated     a ServerHello cut short, then FIN
  sh-badlen        handshake length larger than its record, record shorter
                   than its header says
  sh-version       a ServerHello for version 0x7f7f
  sh-extoverrun    extension lengths that run past the message
  sh-sessid        a session id length of 255
  alert-garbage    an alert record of 300 bytes of junk
  close-at-once    accept and send FIN at once, before reading anything
  empty-records    zero-length handshake records, endlessly
  fragmented       ServerHello, Certificate, ServerHelloDone in records of
                   one byte each (legal, if unkind)
  hrr-loop         a HelloRetryRequest for every ClientHello, again and again
  sslv2            an SSL 2.0 SERVER-HELLO
Modes with a real TLS server (python ssl) and certificates made here:
  evil-names       names (subject, issuer, SAN) with ESC/CSI, C0/C1, DEL,
                   invalid UTF-8 and 10 kB strings
  chain50          a chain of 50 certificates
  san5000          a leaf with 5,000 SANs
  date-none, date-bad, date-future, date-past
                   a good certificate, and an HTTP answer whose Date: is
                   absent / malformed (with escapes) / 2089 / 1987
  http-huge        a good certificate, then endless HTTP header bytes
  http-silent      a good certificate, then no HTTP answer at all
"""

import datetime
import os
import random
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import tlsrec  # noqa: E402

HOST = "hostile.test"


def log(msg):
    sys.stderr.write("hostile: %s\n" % msg)
    sys.stderr.flush()


# --- TLS bytes by hand --------------------------------------------------

def record(ctype, payload, version=0x0303):
    return struct.pack(">BHH", ctype, version, len(payload)) + payload


def handshake(htype, body, length=None):
    n = len(body) if length is None else length
    return bytes([htype]) + n.to_bytes(3, "big") + body


def server_hello(version=0x0303, suite=0xC02F, sid=None, exts=b"",
                 sid_len=None):
    sid = os.urandom(32) if sid is None else sid
    body = struct.pack(">H", version) + os.urandom(32)
    body += bytes([len(sid) if sid_len is None else sid_len]) + sid
    body += struct.pack(">HB", suite, 0)
    if exts is not None:
        body += struct.pack(">H", len(exts)) + exts
    return body


def parse_client_hello(data):
    """(legacy_version, [suites], [supported_versions]) or None."""
    try:
        if len(data) < 9 or data[0] != 0x16 or data[5] != 0x01:
            return None
        p = 9
        ver = struct.unpack(">H", data[p:p + 2])[0]
        p += 2 + 32
        p += 1 + data[p]
        n = struct.unpack(">H", data[p:p + 2])[0]
        suites = [struct.unpack(">H", data[p + 2 + i:p + 4 + i])[0]
                  for i in range(0, n, 2)]
        p += 2 + n
        p += 1 + data[p]
        versions = []
        if p + 2 <= len(data):
            end = p + 2 + struct.unpack(">H", data[p:p + 2])[0]
            p += 2
            while p + 4 <= min(end, len(data)):
                et, el = struct.unpack(">HH", data[p:p + 4])
                if et == 43 and el >= 1:
                    vl = data[p + 4]
                    versions = [struct.unpack(">H", data[p + 5 + i:p + 7 + i])[0]
                                for i in range(0, vl, 2)]
                p += 4 + el
        return ver, suites, versions
    except (IndexError, struct.error):
        return None


def read_hello(conn, limit=65536, wait=3.0):
    """Read a ClientHello record, bounded in size and time."""
    return tlsrec.read_until(conn, tlsrec.record_done, wait, limit)


def answer_for(hello):
    """Version and suite a server would pick for this ClientHello."""
    parsed = parse_client_hello(hello)
    if parsed is None:
        return 0x0303, 0xC02F
    ver, suites, versions = parsed
    ver = min(ver, 0x0303)
    real = [s for s in suites if s not in (0x00FF, 0x5600) and
            (s & 0x0F0F) != 0x0A0A]
    legacy = [s for s in real if s >> 8 != 0x13]
    suite = (legacy or real or [0xC02F])[0]
    return ver, suite


ESCAPES = (b"\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\x1b[2J\x1bc\x9b6n"
           b"\xc2\x9b31m\xc2\x85\x00\x01\x7f\x08\r\xff\xfe\xc0\xaf\xed\xa0\x80")


# --- plain-TCP modes ----------------------------------------------------

def m_garbage(conn):
    read_hello(conn)
    rnd = random.Random(1)
    junk = bytes(rnd.randrange(256) for _ in range(4000))
    conn.sendall(b"\x1b[2J\x1b[H" + ESCAPES + junk + ESCAPES)


def m_http(conn):
    read_hello(conn)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nServer: nginx\x1b[31m\r\n"
                 b"Content-Type: text/html\r\nContent-Length: 30\r\n"
                 b"Connection: close\r\n\r\n<html>plain HTTP here</html>\r\n")


def m_ssh(conn):
    conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\x1b[5m\x9b2J\r\n")
    read_hello(conn)
    conn.sendall(b"Invalid SSH identification string.\r\n")


def m_smtp(conn):
    conn.sendall(b"220 mail.hostile.test ESMTP Postfix \x1b]0;x\x07\r\n")
    read_hello(conn)
    conn.sendall(b"500 5.5.2 Error: bad syntax\r\n")


def m_reset(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    sh = record(22, handshake(2, server_hello(ver, suite)))
    conn.sendall(sh[:len(sh) // 2])
    time.sleep(0.1)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))


def m_close_after_hello(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    conn.sendall(record(22, handshake(2, server_hello(ver, suite))))


def m_drip(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    data = record(22, handshake(2, server_hello(ver, suite)))
    data += record(22, handshake(11, b"\x00" * 16000, 0xFFFFFF))
    for b in data:
        conn.sendall(bytes([b]))
        time.sleep(1.0)


def m_silent(conn):
    tlsrec.serve_silent(conn, LIFETIME)


def m_flood(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    conn.sendall(record(22, handshake(2, server_hello(ver, suite))))
    chunk = record(22, handshake(11, os.urandom(16380), 0xFFFFFF))
    sent = 0
    conn.settimeout(10)
    while sent < 10 * 1024 * 1024:
        conn.sendall(chunk)
        sent += len(chunk)


def m_biglen(conn):
    read_hello(conn)
    conn.sendall(b"\x16\x03\x03\xff\xff" + b"\x02\x00\xff\xfb" +
                 os.urandom(20000))


def m_sh_truncated(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    sh = record(22, handshake(2, server_hello(ver, suite)))
    conn.sendall(sh[:5 + 4 + 20])


def m_sh_badlen(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    body = server_hello(ver, suite)
    # The handshake header claims 64 kB inside a 60-byte record, and the
    # record header claims 300 bytes of which 60 arrive.
    hs = handshake(2, body, 0x00FFFF)
    conn.sendall(struct.pack(">BHH", 22, 0x0303, 300) + hs[:60])
    time.sleep(0.3)


def m_sh_version(conn):
    read_hello(conn)
    ext = struct.pack(">HHH", 43, 2, 0x7F7F)
    conn.sendall(record(22, handshake(2, server_hello(0x7F7F, 0x1301,
                                                      exts=ext)), 0x7F7F))


def m_sh_extoverrun(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    # Extensions block says 200 bytes, holds 8; inside it an extension
    # claims 0xfff0 bytes.
    exts = struct.pack(">HH", 0xFF01, 0xFFF0) + b"\x00\x00\x00\x00"
    body = server_hello(ver, suite, exts=None) + struct.pack(">H", 200) + exts
    conn.sendall(record(22, handshake(2, body)))
    time.sleep(0.3)


def m_sh_sessid(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    body = server_hello(ver, suite, sid=os.urandom(32), sid_len=255)
    conn.sendall(record(22, handshake(2, body)))
    time.sleep(0.3)


def m_alert_garbage(conn):
    read_hello(conn)
    conn.sendall(record(21, b"\x02\x28" + ESCAPES * 6 + os.urandom(100)))


def m_close_at_once(conn):
    # FIN before a word; drain afterwards so the kernel does not turn the
    # close into a RST because of an unread ClientHello.
    conn.shutdown(socket.SHUT_WR)
    read_hello(conn, wait=2.0)


def m_empty_records(conn):
    read_hello(conn)
    chunk = b"\x16\x03\x03\x00\x00" * 20000
    conn.settimeout(10)
    sent = 0
    while sent < 10 * 1024 * 1024:
        conn.sendall(chunk)
        sent += len(chunk)


def m_fragmented(conn):
    hello = read_hello(conn)
    ver, suite = answer_for(hello)
    chain = [der_of_pem(p) for p in GOOD_CHAIN]
    certs = b"".join(len(c).to_bytes(3, "big") + c for c in chain)
    msgs = (handshake(2, server_hello(ver, suite)) +
            handshake(11, len(certs).to_bytes(3, "big") + certs) +
            handshake(14, b""))
    out = b"".join(record(22, msgs[i:i + 1]) for i in range(len(msgs)))
    conn.sendall(out)
    time.sleep(0.5)


HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891"
                           "c2a211167abb8c5e079e09e2c8a8339c")


def m_hrr_loop(conn):
    ext = struct.pack(">HHH", 43, 2, 0x0304) + struct.pack(">HHH", 51, 2,
                                                            0x0017)
    body = struct.pack(">H", 0x0303) + HRR_RANDOM + b"\x00" + \
        struct.pack(">HB", 0x1301, 0) + struct.pack(">H", len(ext)) + ext
    hrr = record(22, handshake(2, body))
    for _ in range(50):
        if not read_hello(conn):
            return
        conn.sendall(hrr)


def m_sslv2(conn):
    read_hello(conn)
    body = (b"\x04\x00\x01\x00\x02" + struct.pack(">HHH", 0, 3, 16) +
            b"\x07\x00\xc0" + os.urandom(16))
    conn.sendall(bytes([0x80 | (len(body) >> 8), len(body) & 0xFF]) + body)
    time.sleep(0.3)


# --- certificates (python3-cryptography) ---------------------------------

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_tlv(data, p):
    """(tag, header_len, value_len) of the TLV at p."""
    tag = data[p]
    first = data[p + 1]
    if first < 0x80:
        return tag, 2, first
    k = first & 0x7F
    return tag, 2 + k, int.from_bytes(data[p + 2:p + 2 + k], "big")


def resign(der, patches, key):
    """Replace placeholder bytes in a certificate's TBS (same lengths) and
    sign it again, so the names carry bytes no library lets us set."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    _, h, _ = der_tlv(der, 0)
    p = h
    _, th, tl = der_tlv(der, p)
    tbs = der[p:p + th + tl]
    p += th + tl
    _, ah, al = der_tlv(der, p)
    alg = der[p:p + ah + al]
    for old, new in patches:
        assert len(old) == len(new), "patch must keep the length"
        tbs = tbs.replace(old, new)
    for old, new in patches:
        assert new in tbs or old not in der, "placeholder not patched"
    if isinstance(key, rsa.RSAPrivateKey):
        sig = key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    else:
        sig = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    bits = b"\x03" + der_len(len(sig) + 1) + b"\x00" + sig
    body = tbs + alg + bits
    return b"\x30" + der_len(len(body)) + body


def pem(der):
    import base64
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) +
            "\n-----END CERTIFICATE-----\n").encode()


def make_cert(subject, issuer, pub, signer, ca, sans=None, days=30):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(days=1))
         .not_valid_after(now + datetime.timedelta(days=days))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
                        critical=True))
    if sans is not None:
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return b.sign(signer, hashes.SHA256())


def name(cn, *extra):
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    for oid, val in extra:
        attrs.append(x509.NameAttribute(oid, val))
    return x509.Name(attrs)


def ec_key():
    from cryptography.hazmat.primitives.asymmetric import ec
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key):
    from cryptography.hazmat.primitives import serialization
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def der_of(cert):
    from cryptography.hazmat.primitives import serialization
    return cert.public_bytes(serialization.Encoding.DER)


def pki_good(d):
    """A CA and a leaf for HOST; returns (chain_pem, key_pem)."""
    from cryptography import x509
    ca_key, key = ec_key(), ec_key()
    ca_name = name("Hostile Test CA")
    ca = make_cert(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    leaf = make_cert(name(HOST), ca_name, key.public_key(), ca_key, False,
                     [x509.DNSName(HOST)])
    write(d, "ca.pem", pem(der_of(ca)))
    return pem(der_of(leaf)), key_pem(key)


def placeholder(tag, n):
    s = ("PH%s" % tag).ljust(n, "q")
    return s[:n]


def pki_evil(d):
    """CA and leaf whose names hold escapes, C0/C1, DEL, invalid UTF-8 and
    10 kB strings, in the subject, the issuer and the SANs. OpenSSL (our
    server) refuses to load an invalid UTF8String, so the raw-byte fields
    become T61Strings, which nobody validates; the CN stays a UTF8String
    holding valid UTF-8 that is still hostile (ESC, C1 as U+009B, bidi)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    utf8_cn = ("\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\x1b[2J\u009b6n\u0085"
               "\u202eevil\x7f\x08\r").encode()
    long_o = (b"\x1b[7m" + b"A" * 90 + b"\x9b\x85\xff\x00") * 100  # ~10 kB
    bad_utf8 = ESCAPES + b"\xc3\x28\xe2\x82\xf8\x88\x80"
    san_esc = b"\x1b[31mred\x1b[0m.\x9b2J.\xff\x00.hostile.test"
    san_long = (b"a" * 60 + b"\x1b.") * 170  # ~10 kB
    # (tag, value): 0x0c UTF8String, 0x14 T61String, 0x16 IA5String (SAN)
    fields = {"CN": (0x0C, utf8_cn), "O": (0x14, long_o),
              "OU": (0x14, bad_utf8), "LC": (0x14, b"\x9b" + bad_utf8[1:]),
              "S1": (0x16, san_esc), "S2": (0x16, san_long)}
    ph = {t: placeholder(t, len(v)) for t, (_, v) in fields.items()}
    patches = []
    for t, (tag, v) in fields.items():
        # Names are UTF8Strings as cryptography writes them; SANs are
        # implicitly tagged [2] (0x82) IA5Strings.
        otag = 0x82 if tag == 0x16 else 0x0C
        ntag = 0x82 if tag == 0x16 else tag
        patches.append((bytes([otag]) + der_len(len(v)) + ph[t].encode(),
                        bytes([ntag]) + der_len(len(v)) + v))

    def evil_name(cn):
        return name(cn, (NameOID.ORGANIZATION_NAME, ph["O"]),
                    (NameOID.ORGANIZATIONAL_UNIT_NAME, ph["OU"]))

    ca_key, key = ec_key(), ec_key()
    ca_name = evil_name(ph["CN"])
    ca = make_cert(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    leaf = make_cert(evil_name(ph["LC"]), ca_name, key.public_key(), ca_key,
                     False, [x509.DNSName(ph["S1"]), x509.DNSName(ph["S2"]),
                             x509.DNSName(HOST)])
    ca_der = resign(der_of(ca), patches, ca_key)
    leaf_der = resign(der_of(leaf), patches, ca_key)
    write(d, "ca.pem", pem(ca_der))
    return pem(leaf_der) + pem(ca_der), key_pem(key)


def pki_chain(d, n):
    """A root, n-2 intermediates and a leaf: n certificates sent."""
    from cryptography import x509
    keys = [ec_key() for _ in range(n)]
    names = [name("Hostile Chain Root")] + \
        [name("Hostile Intermediate %d" % i) for i in range(1, n - 1)]
    certs = [make_cert(names[0], names[0], keys[0].public_key(), keys[0],
                       True)]
    for i in range(1, n - 1):
        certs.append(make_cert(names[i], names[i - 1], keys[i].public_key(),
                               keys[i - 1], True))
    leaf = make_cert(name(HOST), names[-1], keys[-1].public_key(),
                     keys[-2], False, [x509.DNSName(HOST)])
    write(d, "ca.pem", pem(der_of(certs[0])))
    chain = [leaf] + certs[::-1]
    return b"".join(pem(der_of(c)) for c in chain), key_pem(keys[-1])


def pki_sans(d, n):
    from cryptography import x509
    ca_key, key = ec_key(), ec_key()
    ca_name = name("Hostile Test CA")
    ca = make_cert(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    sans = [x509.DNSName("h%d.many.hostile.test" % i) for i in range(n - 1)]
    sans.append(x509.DNSName(HOST))
    leaf = make_cert(name(HOST), ca_name, key.public_key(), ca_key, False,
                     sans)
    write(d, "ca.pem", pem(der_of(ca)))
    return pem(der_of(leaf)), key_pem(key)


def der_of_pem(data):
    import base64
    lines = data.decode().strip().splitlines()
    return base64.b64decode("".join(lines[1:-1]))


GOOD_CHAIN = []  # PEM blocks of a good leaf and its CA (raw modes)


def write(d, fname, data):
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


# --- TLS modes ----------------------------------------------------------

DATES = {
    "date-none": None,
    "date-bad": b"Date: \x1b[2J\x1b[Hyesterday-ish, 99 Foo 20x9 \xff\xfe GMT\r\n",
    "date-future": b"Date: Sun, 06 Nov 2089 08:49:37 GMT\r\n",
    "date-past": b"Date: Thu, 01 Jan 1987 00:00:00 GMT\r\n",
}


def tls_serve(conn, ctx, mode):
    conn.settimeout(10)
    s = ctx.wrap_socket(conn, server_side=True)
    try:
        req = b""
        end = time.monotonic() + 5
        while b"\r\n\r\n" not in req and len(req) < 8192 and \
                time.monotonic() < end:
            chunk = s.recv(4096)
            if not chunk:
                return
            req += chunk
        if mode == "http-silent":
            tlsrec.serve_silent(s, LIFETIME)
            return
        if mode == "http-huge":
            s.sendall(b"HTTP/1.1 200 OK\r\nX-Junk: ")
            for _ in range(200):
                s.sendall(b"\x1b[2Ja" * 1000)
            return
        date = DATES.get(mode, b"")
        if mode not in DATES:
            date = time.strftime("Date: %a, %d %b %Y %H:%M:%S GMT\r\n",
                                 time.gmtime()).encode()
        elif date is None:
            date = b""
        tlsrec.reply_ok(s, date, b"hostile\x1b[31m")
    finally:
        s.close()


def tls_context(mode, d):
    if mode == "evil-names":
        chain, key = pki_evil(d)
    elif mode == "chain50":
        chain, key = pki_chain(d, 50)
    elif mode == "san5000":
        chain, key = pki_sans(d, 5000)
    else:
        chain, key = pki_good(d)
    write(d, "server-chain.pem", chain)
    write(d, "server-key.pem", key)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, "server-chain.pem"),
                        os.path.join(d, "server-key.pem"))
    return ctx


RAW = {
    "garbage": m_garbage, "http": m_http, "ssh": m_ssh, "smtp": m_smtp,
    "reset": m_reset, "close-after-hello": m_close_after_hello,
    "drip": m_drip, "silent": m_silent, "flood": m_flood,
    "biglen": m_biglen, "sh-truncated": m_sh_truncated,
    "sh-badlen": m_sh_badlen, "sh-version": m_sh_version,
    "sh-extoverrun": m_sh_extoverrun, "sh-sessid": m_sh_sessid,
    "alert-garbage": m_alert_garbage, "close-at-once": m_close_at_once,
    "empty-records": m_empty_records, "fragmented": m_fragmented,
    "hrr-loop": m_hrr_loop, "sslv2": m_sslv2,
}
TLS = ["evil-names", "chain50", "san5000", "http-huge",
       "http-silent"] + list(DATES)
LIFETIME = 120


def main():
    global LIFETIME
    args = sys.argv[1:]
    if not args or args[0] not in list(RAW) + TLS:
        sys.stderr.write("usage: hostile.py MODE [--dir DIR] "
                         "[--lifetime S]\nmodes: %s\n" %
                         " ".join(list(RAW) + TLS))
        return 2
    mode, d = args[0], None
    i = 1
    while i < len(args):
        if args[i] == "--dir":
            d = args[i + 1]
        elif args[i] == "--lifetime":
            LIFETIME = float(args[i + 1])
        i += 2
    tlsrec.exit_after(LIFETIME)

    if mode in TLS:
        if d is None:
            sys.stderr.write("hostile.py: %s needs --dir\n" % mode)
            return 2
        ctx = tls_context(mode, d)
        fn = lambda c: tls_serve(c, ctx, mode)  # noqa: E731
    else:
        fn = RAW[mode]
        if mode == "fragmented":
            import tempfile
            with tempfile.TemporaryDirectory() as td:
                leaf, _ = pki_good(td)
                with open(os.path.join(td, "ca.pem"), "rb") as f:
                    ca = f.read()
            GOOD_CHAIN.extend([leaf, ca])

    tlsrec.listen_loop(lambda c: tlsrec.handle(c, fn, "hostile"))


if __name__ == "__main__":
    sys.exit(main())
