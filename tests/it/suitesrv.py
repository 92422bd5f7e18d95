#!/usr/bin/env python3
"""suitesrv.py: a TLS 1.0-1.2 server's first flight for suites Debian's
TLS libraries no longer serve (3DES, RC4: OpenSSL 3 is built without them).

    suitesrv.py --chain CHAIN.pem --suites 0x000a[,0x....] [--min 0x0301]
                [--max 0x0303] [--lifetime SECONDS]

Listens on 127.0.0.1 port 0, prints "PORT n", and answers each ClientHello
as such a server does: a version above --max is answered at --max (a TLS
1.3-only hello gets a TLS 1.2 ServerHello, as from any server that does not
know supported_versions), one below --min with the protocol_version alert;
the first of --suites (server order) the client offers is picked, none ->
handshake_failure alert. Then ServerHello, Certificate (CHAIN.pem as sent)
and ServerHelloDone, with static-RSA suites no ServerKeyExchange is due.
It ends the connection when the client sends its key exchange: it holds no
key, so no handshake ever completes -- what tlsmedic's raw hellos read
(version, suite, chain) is exactly what such a server sends.
"""

import argparse
import base64
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "hostile"))
import tlsrec  # noqa: E402
# TLS bytes by hand: hostile.py's (its main() runs only as a script).
from hostile import handshake, parse_client_hello, record  # noqa: E402


def pem_ders(path):
    text = open(path).read()
    return [base64.b64decode("".join(m.split()))
            for m in re.findall(r"-----BEGIN CERTIFICATE-----(.*?)"
                                r"-----END CERTIFICATE-----", text, re.S)]


def alert(desc, version):
    return record(21, bytes([2, desc]), version)


def serve(conn, a):
    data = tlsrec.read_until(conn, tlsrec.record_done, 3.0, 16384 + 5)
    hello = parse_client_hello(data)
    if hello is None:
        return
    cver, offered = hello[0], hello[1]
    version = min(cver, a.max)
    if version < a.min:
        conn.sendall(alert(70, a.min))
        return
    pick = next((s for s in a.suites if s in offered), None)
    if pick is None:
        conn.sendall(alert(40, version))
        return
    sh = struct.pack(">H", version) + os.urandom(32) + b"\x00" + \
        struct.pack(">HB", pick, 0) + struct.pack(">H", 5) + \
        b"\xff\x01\x00\x01\x00"  # renegotiation_info, empty
    certs = b"".join(len(d).to_bytes(3, "big") + d for d in a.ders)
    flight = handshake(2, sh) + \
        handshake(11, len(certs).to_bytes(3, "big") + certs) + \
        handshake(14, b"")
    conn.sendall(record(22, flight, version))
    # Wait for the client's next flight (or its goodbye), then hang up.
    tlsrec.read_until(conn, tlsrec.record_done, 3.0, 16384)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chain", required=True)
    ap.add_argument("--suites", required=True)
    ap.add_argument("--min", default="0x0301")
    ap.add_argument("--max", default="0x0303")
    ap.add_argument("--lifetime", type=float, default=120.0)
    a = ap.parse_args()
    a.suites = [int(s, 16) for s in a.suites.split(",")]
    a.min = int(a.min, 16)
    a.max = int(a.max, 16)
    a.ders = pem_ders(a.chain)
    tlsrec.exit_after(a.lifetime)
    tlsrec.listen_loop(lambda c: tlsrec.handle(c, lambda x: serve(x, a),
                                               "suitesrv"))


if __name__ == "__main__":
    main()
