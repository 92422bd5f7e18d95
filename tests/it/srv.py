#!/usr/bin/env python3
"""srv.py: well-behaved test servers the openssl CLI cannot play.

    srv.py tls --cert CHAIN.pem --key KEY.pem [--require-sni]
               [--sni NAME=CHAIN.pem,KEY.pem]... [--tls12] [--no-date]
               [--client-ca CA.pem]
    srv.py http | ssh | smtp | silent | reset

Listens on 127.0.0.1 port 0 (--v6: ::1), prints "PORT n", serves each
connection in a thread, and exits by itself after --lifetime seconds (120)
so a lost harness leaves nothing behind.

tls: a TLS server (python ssl) that answers any HTTP request with a real
     Date: header. --require-sni aborts a handshake without SNI with the
     unrecognized_name alert; --sni picks another certificate for NAME.
     --client-ca asks for a client certificate (optional at the TLS level)
     and answers HTTP 400 without one, as nginx's ssl_verify_client does.
http/ssh/smtp: a plain-TCP server speaking that protocol (ssh and smtp talk
     first, as the real daemons do). silent: accepts and never answers.
reset: reads the ClientHello, then resets the connection (SO_LINGER 0).
"""

import argparse
import email.utils
import os
import socket
import ssl
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import tlsrec  # noqa: E402


def head_or_record(data):
    return b"\r\n\r\n" in data or (data[:1] == b"\x16" and
                                   tlsrec.record_done(data))


def read_some(conn, wait=3.0, limit=65536):
    """An HTTP request head or a TLS record, bounded in size and time."""
    return tlsrec.read_until(conn, head_or_record, wait, limit)


def serve_http(conn):
    read_some(conn)
    body = b"<html><body>plain HTTP, no TLS here</body></html>\n"
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nDate: " +
                 email.utils.formatdate(usegmt=True).encode() +
                 b"\r\nContent-Type: text/html\r\nContent-Length: " +
                 str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" +
                 body)


def serve_ssh(conn):
    conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    read_some(conn)
    conn.sendall(b"Invalid SSH identification string.\r\n")


def serve_smtp(conn):
    conn.sendall(b"220 mail.example.test ESMTP Postfix (Debian/GNU)\r\n")
    read_some(conn)
    conn.sendall(b"500 5.5.2 Error: bad syntax\r\n")


def serve_silent(conn):
    tlsrec.serve_silent(conn, LIFETIME)


def serve_reset(conn):
    read_some(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))


def make_tls(a):
    def ctx_for(chain, key):
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        c.load_cert_chain(chain, key)
        if a.tls12:
            c.maximum_version = ssl.TLSVersion.TLSv1_2
        if a.client_ca:
            c.verify_mode = ssl.CERT_OPTIONAL
            c.load_verify_locations(a.client_ca)
        return c

    default = ctx_for(a.cert, a.key)
    named = {}
    for spec in a.sni:
        host, files = spec.split("=", 1)
        chain, key = files.split(",", 1)
        named[host.lower()] = ctx_for(chain, key)

    def pick(sock, server_name, _ctx):
        if server_name is None:
            if a.require_sni:
                return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
            return None
        c = named.get(server_name.lower())
        if c is not None:
            sock.context = c
        return None

    default.sni_callback = pick
    for c in named.values():
        c.sni_callback = pick

    def serve(conn):
        conn.settimeout(10)
        s = default.wrap_socket(conn, server_side=True)
        try:
            req = read_some(s, wait=5, limit=8192)
            if not req:
                return
            if a.client_ca and s.getpeercert() is None:
                s.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0"
                          b"\r\nConnection: close\r\n\r\n")
                return
            date = b"" if a.no_date else (
                b"Date: " + email.utils.formatdate(usegmt=True).encode() +
                b"\r\n")
            tlsrec.reply_ok(s, date, b"srv.py")
        finally:
            s.close()
    return serve


LIFETIME = 120.0


def main():
    global LIFETIME
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["tls", "http", "ssh", "smtp", "silent",
                                     "reset"])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--sni", action="append", default=[])
    ap.add_argument("--require-sni", action="store_true")
    ap.add_argument("--tls12", action="store_true")
    ap.add_argument("--no-date", action="store_true")
    ap.add_argument("--client-ca")
    ap.add_argument("--v6", action="store_true")
    ap.add_argument("--lifetime", type=float, default=120.0)
    a = ap.parse_args()
    LIFETIME = a.lifetime
    tlsrec.exit_after(LIFETIME)

    if a.mode == "tls":
        fn = make_tls(a)
    else:
        fn = {"http": serve_http, "ssh": serve_ssh, "smtp": serve_smtp,
              "silent": serve_silent, "reset": serve_reset}[a.mode]
    tlsrec.listen_loop(lambda c: tlsrec.handle(c, fn, "srv"), a.v6)


if __name__ == "__main__":
    sys.exit(main())
