#!/usr/bin/env python3
"""starttls_srv.py: scripted STARTTLS servers for what dovecot and exim
cannot be configured into (and for XMPP, LDAP, PostgreSQL, FTP).

    starttls_srv.py PROTO [--behave ok|none|refuse] --cert CHAIN --key KEY
                    [--tls11] [--lifetime S]

PROTO: smtp imap pop3 ftp xmpp ldap postgres. The server plays the
plaintext part as the real daemons do, then (ok) wraps the connection in
TLS (python ssl, --tls11: TLS 1.1 only, as a legacy server) and answers one
request. none: STARTTLS is not offered (and refused if asked anyway, as
the daemons do); refuse: offered, but the answer is "no" (454, NO, -ERR,
<failure/>, LDAP unavailable, PostgreSQL 'N' for none).

Listens on 127.0.0.1 port 0, prints "PORT n", one thread per connection,
exits by itself after --lifetime seconds (120). Every read is bounded in
time and size.
"""

import argparse
import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import tlsrec  # noqa: E402

A = None


def readline(conn, limit=4096):
    """One line (bytes, with the newline), or b"" on close / time out."""
    conn.settimeout(5.0)
    buf = b""
    try:
        while not buf.endswith(b"\n") and len(buf) < limit:
            c = conn.recv(1)
            if not c:
                break
            buf += c
    except OSError:
        pass
    return buf


def readn(conn, n):
    conn.settimeout(5.0)
    buf = b""
    try:
        while len(buf) < n:
            c = conn.recv(n - len(buf))
            if not c:
                break
            buf += c
    except OSError:
        pass
    return buf


def read_until(conn, mark, limit=8192):
    conn.settimeout(5.0)
    buf = b""
    try:
        while mark not in buf and len(buf) < limit:
            c = conn.recv(1024)
            if not c:
                break
            buf += c
    except OSError:
        pass
    return buf


def go_tls(conn):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if A.tls11:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1_1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.load_cert_chain(A.cert, A.key)
    conn.settimeout(5.0)
    s = ctx.wrap_socket(conn, server_side=True)
    try:
        s.recv(4096)
    except (OSError, ssl.SSLError):
        pass
    s.close()


def smtp(conn):
    conn.sendall(b"220 mail.test ESMTP ready\r\n")
    while True:
        line = readline(conn)
        if not line:
            return
        cmd = line.strip().upper()
        if cmd.startswith(b"EHLO"):
            caps = [b"mail.test", b"PIPELINING", b"SIZE 10240000"]
            if A.behave != "none":
                caps.append(b"STARTTLS")
            caps.append(b"8BITMIME")
            out = b"".join(b"250-" + c + b"\r\n" for c in caps[:-1])
            conn.sendall(out + b"250 " + caps[-1] + b"\r\n")
        elif cmd == b"STARTTLS":
            if A.behave == "ok":
                conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                return go_tls(conn)
            if A.behave == "none":
                conn.sendall(b"502 5.5.1 Error: command not recognized\r\n")
            else:
                conn.sendall(b"454 4.7.0 TLS not available due to local "
                             b"problem\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"221 2.0.0 Bye\r\n")
            return
        else:
            conn.sendall(b"500 5.5.2 Error: command not recognized\r\n")


def imap(conn):
    caps = b"IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE" + (
        b" STARTTLS" if A.behave != "none" else b"") + b" LOGINDISABLED"
    conn.sendall(b"* OK [CAPABILITY " + caps + b"] ready.\r\n")
    while True:
        line = readline(conn)
        if not line:
            return
        parts = line.strip().split(b" ", 1)
        tag = parts[0]
        cmd = parts[1].upper() if len(parts) > 1 else b""
        if cmd == b"CAPABILITY":
            conn.sendall(b"* CAPABILITY " + caps + b"\r\n" + tag +
                         b" OK Capability completed.\r\n")
        elif cmd == b"STARTTLS":
            if A.behave == "ok":
                conn.sendall(tag + b" OK Begin TLS negotiation now.\r\n")
                return go_tls(conn)
            if A.behave == "none":
                conn.sendall(tag + b" BAD Unknown command.\r\n")
            else:
                conn.sendall(tag + b" NO [UNAVAILABLE] TLS support isn't "
                             b"enabled.\r\n")
        elif cmd == b"LOGOUT":
            conn.sendall(b"* BYE Logging out\r\n" + tag + b" OK Logout.\r\n")
            return
        else:
            conn.sendall(tag + b" BAD Error in IMAP command.\r\n")


def pop3(conn):
    conn.sendall(b"+OK Dovecot ready.\r\n")
    while True:
        line = readline(conn)
        if not line:
            return
        cmd = line.strip().upper()
        if cmd == b"CAPA":
            caps = [b"CAPA", b"TOP", b"UIDL", b"RESP-CODES"]
            if A.behave != "none":
                caps.append(b"STLS")
            conn.sendall(b"+OK\r\n" + b"".join(c + b"\r\n" for c in caps)
                         + b".\r\n")
        elif cmd == b"STLS":
            if A.behave == "ok":
                conn.sendall(b"+OK Begin TLS negotiation now.\r\n")
                return go_tls(conn)
            conn.sendall(b"-ERR TLS support isn't enabled.\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"+OK Logging out.\r\n")
            return
        else:
            conn.sendall(b"-ERR Unknown command.\r\n")


def ftp(conn):
    conn.sendall(b"220-Welcome\r\n220 (vsFTPd 3.0.3)\r\n")
    while True:
        line = readline(conn)
        if not line:
            return
        cmd = line.strip().upper()
        if cmd in (b"AUTH TLS", b"AUTH SSL"):
            if A.behave == "ok":
                conn.sendall(b"234 Proceed with negotiation.\r\n")
                return go_tls(conn)
            if A.behave == "none":
                conn.sendall(b"530 Please login with USER and PASS.\r\n"
                             if False else b"502 Command not implemented."
                             b"\r\n")
            else:
                conn.sendall(b"431 Unable to start TLS.\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"221 Goodbye.\r\n")
            return
        else:
            conn.sendall(b"500 Unknown command.\r\n")


def xmpp(conn):
    if b">" not in read_until(conn, b"version='1.0'>"):
        return
    feats = (b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
             b"</starttls>" if A.behave != "none" else b"") + (
        b"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
        b"<mechanism>PLAIN</mechanism></mechanisms>")
    conn.sendall(b"<?xml version='1.0'?><stream:stream "
                 b"xmlns='jabber:client' "
                 b"xmlns:stream='http://etherx.jabber.org/streams' "
                 b"id='x1' from='good.test' version='1.0'>"
                 b"<stream:features>" + feats + b"</stream:features>")
    got = read_until(conn, b"/>")
    if b"<starttls" not in got:
        return
    if A.behave == "ok":
        conn.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        return go_tls(conn)
    conn.sendall(b"<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                 b"</stream:stream>")


def ldap_response(code, msg):
    def tlv(tag, body):
        n = len(body)
        if n < 0x80:
            return bytes([tag, n]) + body
        return bytes([tag, 0x82, n >> 8, n & 0xff]) + body
    body = (tlv(0x0a, bytes([code])) + tlv(0x04, b"") + tlv(0x04, msg))
    if code == 0:
        body += tlv(0x8a, b"1.3.6.1.4.1.1466.20037")
    return tlv(0x30, tlv(0x02, b"\x01") + tlv(0x78, body))


def ldap(conn):
    hdr = readn(conn, 2)
    if len(hdr) < 2 or hdr[0] != 0x30 or hdr[1] >= 0x80:
        return
    readn(conn, hdr[1])
    if A.behave == "ok":
        conn.sendall(ldap_response(0, b""))
        return go_tls(conn)
    if A.behave == "none":
        conn.sendall(ldap_response(2, b"unsupported extended operation"))
    else:
        conn.sendall(ldap_response(52, b"Could not initialize TLS"))


def postgres(conn):
    req = readn(conn, 8)
    if req != b"\x00\x00\x00\x08\x04\xd2\x16\x2f":
        return
    if A.behave == "ok":
        conn.sendall(b"S")
        return go_tls(conn)
    if A.behave == "none":
        conn.sendall(b"N")
    else:
        msg = b"SFATAL\x00C08P01\x00Mno SSL here\x00\x00"
        conn.sendall(b"E" + len(msg).to_bytes(4, "big") + msg)


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("proto", choices=["smtp", "imap", "pop3", "ftp", "xmpp",
                                      "ldap", "postgres"])
    ap.add_argument("--behave", choices=["ok", "none", "refuse"],
                    default="ok")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--tls11", action="store_true")
    ap.add_argument("--lifetime", type=float, default=120.0)
    A = ap.parse_args()
    tlsrec.exit_after(A.lifetime)
    fn = globals()[A.proto]
    tlsrec.listen_loop(lambda c: tlsrec.handle(c, fn, "starttls_srv"))


if __name__ == "__main__":
    sys.exit(main())
