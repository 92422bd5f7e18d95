#!/usr/bin/env python3
"""httpsrv.py: a small, misbehaving-on-demand HTTP server for tests.

Listens on 127.0.0.1 (or ::1 with --v6) port 0 and prints "PORT n".
The first path segment picks the behaviour; the rest names a file in DIR:

  /cl/NAME        200, Content-Length, the file
  /chunked/NAME   200, chunked (small odd-sized chunks, a trailer)
  /eof/NAME       200, no length, close at the end
  /status/NNN     that status, a short body
  /silent         accept, read the request, never answer
  /drip/NAME      headers, then the file one byte every 200 ms
  /huge           200, no length, endless bytes
  /hugecl         200, Content-Length: 1000000000, endless bytes
  /garbage        a response that is not HTTP
  /raw/NAME       the file, verbatim, as the whole response; then close
  /ocsp           POST: answer with `openssl ocsp` over DIR/index.txt,
                  DIR/ca.pem, DIR/ca.key (a real responder); GET/other
                  paths: see /cl
  anything else   like /cl/<last segment>

Absolute-form request lines ("GET http://h/x HTTP/1.1") are accepted.
Every request is logged to DIR/requests.log (method, target, headers).
Every HTTP answer carries a Date: header (this machine's time) unless
--no-date is given.
"""
import email.utils
import os
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

DIR = "."
DATE = True
LOCK = threading.Lock()


def read_file(name):
    name = os.path.basename(name)
    try:
        with open(os.path.join(DIR, name), "rb") as f:
            return f.read()
    except OSError:
        return None


def ocsp_answer(req):
    with tempfile.TemporaryDirectory(dir=DIR) as td:
        rq = os.path.join(td, "req.der")
        rs = os.path.join(td, "resp.der")
        with open(rq, "wb") as f:
            f.write(req)
        ca = os.path.join(DIR, "ca.pem")
        cmd = ["openssl", "ocsp", "-index", os.path.join(DIR, "index.txt"),
               "-rsigner", ca, "-rkey", os.path.join(DIR, "ca.key"),
               "-CA", ca, "-reqin", rq, "-respout", rs, "-ndays", "1"]
        subprocess.run(cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10)
        with open(rs, "rb") as f:
            return f.read()


class Handler(socketserver.BaseRequestHandler):
    def read_request(self):
        s = self.request
        s.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            b = s.recv(4096)
            if not b:
                return None
            data += b
            if len(data) > 65536:
                return None
        head, body = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
        headers = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0") or 0)
        while len(body) < n:
            b = s.recv(4096)
            if not b:
                break
            body += b
        if target.startswith("http://"):
            target = "/" + target[7:].partition("/")[2]
        with LOCK:
            with open(os.path.join(DIR, "requests.log"), "a") as f:
                f.write("%s %s %s\n" % (method, target, headers))
        return method, target, headers, body

    def send(self, b):
        # A Date: header after the status line, as real servers send
        # (the client's clock is checked against it); --no-date drops it.
        if DATE and b.startswith(b"HTTP/1.") and b"\r\n" in b:
            i = b.index(b"\r\n") + 2
            b = b[:i] + b"Date: %s\r\n" % email.utils.formatdate(
                usegmt=True).encode() + b[i:]
        self.request.sendall(b)

    def ok(self, body, extra=b""):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s"
                  b"Connection: close\r\n\r\n" % (len(body), extra) + body)

    def handle(self):
        try:
            r = self.read_request()
            if r is None:
                return
            method, target, headers, body = r
            parts = [p for p in target.split("?")[0].split("/") if p]
            mode = parts[0] if parts else ""
            name = parts[-1] if parts else ""
            if mode == "ocsp" and method == "POST":
                self.ok(ocsp_answer(body),
                        b"Content-Type: application/ocsp-response\r\n")
            elif mode == "chunked":
                data = read_file(name) or b""
                self.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                          b"\r\n\r\n")
                i, step = 0, 1
                while i < len(data):
                    c = data[i:i + step]
                    self.send(b"%x;ext=1\r\n%s\r\n" % (len(c), c))
                    i += step
                    step = step * 3 + 1
                self.send(b"0\r\nX-Trailer: yes\r\n\r\n")
            elif mode == "eof":
                data = read_file(name) or b""
                self.send(b"HTTP/1.0 200 OK\r\n\r\n" + data)
            elif mode == "status":
                self.send(b"HTTP/1.1 %s Nope\r\nContent-Length: 4\r\n\r\n"
                          b"nope" % name.encode())
            elif mode == "silent":
                time.sleep(60)
            elif mode == "drip":
                data = read_file(name) or b""
                self.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"
                          % len(data))
                for i in range(len(data)):
                    self.send(data[i:i + 1])
                    time.sleep(0.2)
            elif mode in ("huge", "hugecl"):
                h = b"HTTP/1.1 200 OK\r\n"
                if mode == "hugecl":
                    h += b"Content-Length: 1000000000\r\n"
                self.send(h + b"\r\n")
                chunk = b"A" * 65536
                for _ in range(16384):  # 1 GB at most
                    self.send(chunk)
            elif mode == "raw":
                self.send(read_file(name) or b"")
            elif mode == "garbage":
                self.send(b"\x16\x03\x01\x00\x05hello\r\n\r\n")
            else:
                data = read_file(name)
                if data is None:
                    self.send(b"HTTP/1.1 404 Not Found\r\n"
                              b"Content-Length: 0\r\n\r\n")
                else:
                    self.ok(data)
        except (OSError, subprocess.SubprocessError):
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Server6(Server):
    address_family = socket.AF_INET6


def main():
    global DIR, DATE
    args = sys.argv[1:]
    v6 = "--v6" in args
    DATE = "--no-date" not in args
    args = [a for a in args if a not in ("--v6", "--no-date")]
    DIR = os.path.abspath(args[0]) if args else os.getcwd()
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    srv = (Server6 if v6 else Server)(("::1" if v6 else "127.0.0.1", 0),
                                      Handler)
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
