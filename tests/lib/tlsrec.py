"""tlsrec.py: what the python test servers share (tests/hostile/hostile.py,
tests/it/srv.py, tests/tui/tlssrv.py).

Bounded reads (a TLS record, an HTTP head), the silent peer, the loopback
listener with a thread a connection, and the guard that makes a server
exit by itself when the harness that started it is gone.
"""

import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time


def record_done(data):
    """A whole TLS record (header and the length it gives) is in data."""
    return len(data) >= 5 and \
        len(data) >= 5 + struct.unpack(">H", data[3:5])[0]


def read_until(conn, done, wait=3.0, limit=65536):
    """Read until done(data), EOF, limit bytes or wait seconds: whichever
    comes first. Errors end the read, never the caller."""
    conn.settimeout(wait)
    data = b""
    end = time.monotonic() + wait
    try:
        while len(data) < limit and time.monotonic() < end:
            if done(data):
                break
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data


def reply_ok(s, date, server):
    """A short HTTP 200 ("ok\\n") with the Date: line given (or b""), then
    a clean TLS close where the peer allows one."""
    s.sendall(b"HTTP/1.1 200 OK\r\n" + date + b"Server: " + server +
              b"\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
    try:
        s.unwrap()
    except (OSError, ssl.SSLError):
        pass


def serve_silent(conn, lifetime):
    """Accept and never answer; return when the peer goes away."""
    conn.settimeout(1.0)
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        try:
            if not conn.recv(4096):
                return
        except socket.timeout:
            continue


def handle(conn, fn, tag):
    """fn(conn), then close; an exception is logged, not raised (clients
    hang up mid-way all the time)."""
    try:
        fn(conn)
    except Exception as e:
        sys.stderr.write("%s: %s: %s\n" % (tag, type(e).__name__, e))
        sys.stderr.flush()
    finally:
        try:
            conn.close()
        except OSError:
            pass


def exit_after(lifetime):
    """Never outlive a harness that could not stop us; SIGTERM ends us at
    once and a peer that hangs up does not."""
    signal.signal(signal.SIGALRM, lambda *_: os._exit(0))
    signal.alarm(int(lifetime))
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def listen_loop(serve, v6=False):
    """Listen on 127.0.0.1 (::1) port 0, print "PORT n", run serve(conn)
    in a thread for each connection. Never returns."""
    ls = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                       socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("::1" if v6 else "127.0.0.1", 0))
    ls.listen(64)
    print("PORT %d" % ls.getsockname()[1], flush=True)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
