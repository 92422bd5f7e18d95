#!/usr/bin/env python3
"""tlssrv.py -- a small TLS test server for the wizard's tmux tests.

Listens on 127.0.0.1 port 0, prints "PORT <n>" on stdout, answers every
request with a short HTTP response that carries a Date: header (so the clock
check has its reference at once), and closes. Runs until killed.

  tlssrv.py CERT KEY [CHAIN] [--sni-required]

--sni-required: a hello without server_name gets a fatal
unrecognized_name alert, as some servers behind shared front ends do.
"""
import email.utils
import os
import ssl
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import tlsrec  # noqa: E402


def serve(conn, ctx):
    conn.settimeout(5)
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 8192:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
            body = b"hello\n"
            head = ("HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Length: %d\r\n"
                    "Connection: close\r\n\r\n" %
                    (email.utils.formatdate(usegmt=True), len(body)))
            tls.sendall(head.encode() + (b"" if data.startswith(b"HEAD")
                                         else body))
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args[2] if len(args) > 2 else args[0], args[1])
    if "--sni-required" in sys.argv:
        def need_sni(sock, name, c):
            if name is None:
                return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
            return None
        ctx.sni_callback = need_sni
    tlsrec.listen_loop(lambda c: serve(c, ctx))


if __name__ == "__main__":
    main()
