#!/usr/bin/env python3
"""proxysrv.py: scripted proxies for the cases no real proxy can be set up
to show. Listens on 127.0.0.1 port 0 and prints "PORT n".

    proxysrv.py ntlm        CONNECT -> 407 offering only NTLM and Negotiate
    proxysrv.py deny        CONNECT -> 403 Forbidden
    proxysrv.py garbage     CONNECT -> bytes that are not HTTP
    proxysrv.py flood       CONNECT -> endless header lines
    proxysrv.py silent      accepts, never answers
    proxysrv.py intercept --cert C --key K [--chain R]
                            CONNECT -> 200, then it is the TLS server itself
                            with its own certificate (a TLS-inspecting proxy)
    proxysrv.py socks5 [--auth USER:PASS] [--map NAME=ADDR]...
                            a SOCKS5 proxy (RFC 1928/1929) that forwards;
                            names resolve only through --map (socks5h tests
                            without DNS)

Each connection is served by a thread; every read has a timeout.
"""

import argparse
import os
import select
import socket
import socketserver
import ssl
import struct
import sys
import tempfile
import threading

A = None
TLS_CTX = None


def read_head(sock, limit=16384):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def pipe(a, b):
    socks = [a, b]
    try:
        while True:
            r, _, _ = select.select(socks, [], [], 30)
            if not r:
                return
            for s in r:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(10)
        try:
            getattr(self, "mode_" + A.mode)(s)
        except (OSError, ssl.SSLError, ValueError):
            pass

    def mode_ntlm(self, s):
        read_head(s)
        s.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                  b"Proxy-Authenticate: NTLM\r\n"
                  b"Proxy-Authenticate: Negotiate\r\n"
                  b"Content-Length: 0\r\n\r\n")

    def mode_deny(self, s):
        read_head(s)
        s.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    def mode_garbage(self, s):
        read_head(s)
        s.sendall(b"\x1b[2J\x00\xffSSH-2.0-nope\r\n\r\n")

    def mode_flood(self, s):
        read_head(s)
        s.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(20000):
            s.sendall(b"X-Pad: " + b"a" * 100 + b"\r\n")

    def mode_silent(self, s):
        s.settimeout(60)
        s.recv(4096)
        threading.Event().wait(30)

    def mode_intercept(self, s):
        read_head(s)
        s.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        ctx = TLS_CTX
        t = ctx.wrap_socket(s, server_side=True)
        req = read_head(t)
        if req:
            t.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                      b"Connection: close\r\n\r\nok")
        t.close()

    def mode_socks5(self, s):
        ver, n = recv_exact(s, 2)
        methods = recv_exact(s, n)
        if ver != 5:
            return
        if A.auth:
            if 2 not in methods:
                s.sendall(b"\x05\xff")
                return
            s.sendall(b"\x05\x02")
            _, ul = recv_exact(s, 2)
            user = recv_exact(s, ul)
            pl = recv_exact(s, 1)[0]
            pw = recv_exact(s, pl)
            if (user + b":" + pw).decode("latin-1") != A.auth:
                s.sendall(b"\x01\x01")
                return
            s.sendall(b"\x01\x00")
        else:
            if 0 not in methods:
                s.sendall(b"\x05\xff")
                return
            s.sendall(b"\x05\x00")
        _, cmd, _, atyp = recv_exact(s, 4)
        if atyp == 1:
            host = socket.inet_ntop(socket.AF_INET, recv_exact(s, 4))
        elif atyp == 4:
            host = socket.inet_ntop(socket.AF_INET6, recv_exact(s, 16))
        else:
            host = recv_exact(s, recv_exact(s, 1)[0]).decode("latin-1")
            host = dict(m.split("=", 1) for m in A.map or []).get(host)
        port = struct.unpack("!H", recv_exact(s, 2))[0]
        reply = b"\x05%c\x00\x01\x00\x00\x00\x00\x00\x00"
        if cmd != 1:
            s.sendall(reply % 7)
            return
        if host is None:
            s.sendall(reply % 4)
            return
        try:
            up = socket.create_connection((host, port), timeout=5)
        except ConnectionRefusedError:
            s.sendall(reply % 5)
            return
        except OSError:
            s.sendall(reply % 4)
            return
        s.sendall(reply % 0)
        s.settimeout(None)
        pipe(s, up)
        up.close()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the probes come all at once


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["ntlm", "deny", "garbage", "flood",
                                     "silent", "intercept", "socks5"])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--chain")
    ap.add_argument("--auth")
    ap.add_argument("--map", action="append")
    A = ap.parse_args()
    if A.mode == "intercept":
        # Made once: the probes come in parallel.
        global TLS_CTX
        TLS_CTX = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if A.chain:
            fd, full = tempfile.mkstemp(suffix=".pem")
            with os.fdopen(fd, "w") as f:
                f.write(open(A.cert).read() + open(A.chain).read())
            TLS_CTX.load_cert_chain(full, A.key)
            os.unlink(full)
        else:
            TLS_CTX.load_cert_chain(A.cert, A.key)
    srv = Server(("127.0.0.1", 0), Handler)
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
