#!/usr/bin/env python3
"""offerfilter.py: a TCP front for a real TLS server that refuses some
ClientHellos the way picky or broken servers do, and passes the others on.

    offerfilter.py [--backend PORT] [--refuse-ffdhe] [--alert N]
                   [--always] [--lifetime SECONDS]

Listens on 127.0.0.1 port 0 and prints "PORT n". For every connection it
reads the ClientHello (one record, bounded) and:
  --always        answers every hello with a fatal alert N (default 80,
                  internal_error) -- a server failing every handshake;
  --refuse-ffdhe  answers with alert N a hello whose supported_groups names
                  an FFDHE group (0x0100..0x01ff) -- on every version --
                  and passes the others to the backend;
otherwise it passes the hello and everything after it, both ways, to
127.0.0.1:--backend. Loopback only; exits by itself after --lifetime.
"""

import argparse
import os
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import tlsrec  # noqa: E402


def hello_groups(rec):
    """The supported_groups of a ClientHello record, or [] when absent or
    when the bytes do not parse."""
    try:
        body = rec[5:]
        if body[0] != 1:
            return []
        p = 4 + 2 + 32
        p += 1 + body[p]                                   # session id
        p += 2 + struct.unpack(">H", body[p:p + 2])[0]     # suites
        p += 1 + body[p]                                   # compression
        end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
        p += 2
        while p + 4 <= end:
            t, n = struct.unpack(">HH", body[p:p + 4])
            if t == 0x000a:
                lst = body[p + 6:p + 4 + n]
                return [struct.unpack(">H", lst[i:i + 2])[0]
                        for i in range(0, len(lst) - 1, 2)]
            p += 4 + n
    except (IndexError, struct.error):
        pass
    return []


def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def make_serve(a):
    def serve(conn):
        rec = tlsrec.read_until(conn, tlsrec.record_done, wait=5.0,
                                limit=20000)
        refuse = a.always or (a.refuse_ffdhe and any(
            0x0100 <= g <= 0x01ff for g in hello_groups(rec)))
        if refuse or not a.backend:
            conn.sendall(b"\x15\x03\x03\x00\x02\x02" + bytes([a.alert]))
            return
        back = socket.create_connection(("127.0.0.1", a.backend), timeout=5)
        back.settimeout(None)
        conn.settimeout(None)
        back.sendall(rec)
        t = threading.Thread(target=pipe, args=(back, conn), daemon=True)
        t.start()
        pipe(conn, back)
        t.join(5)
        back.close()
    return serve


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", type=int, default=0)
    ap.add_argument("--refuse-ffdhe", action="store_true")
    ap.add_argument("--always", action="store_true")
    ap.add_argument("--alert", type=int, default=80)
    ap.add_argument("--lifetime", type=float, default=120.0)
    a = ap.parse_args()
    tlsrec.exit_after(a.lifetime)
    fn = make_serve(a)
    tlsrec.listen_loop(lambda c: tlsrec.handle(c, fn, "offerfilter"))


if __name__ == "__main__":
    sys.exit(main())
