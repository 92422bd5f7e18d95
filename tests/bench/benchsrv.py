#!/usr/bin/env python3
"""benchsrv.py: the bench's TLS servers, one case each, on loopback.

    benchsrv.py CASE --pki DIR [--lifetime S]

CASE is healthy (TLS 1.2 + 1.3, good.test), expired (the same with an
expired leaf, expired.test), tls10 (TLS 1.0 only, good.test), dhe (TLS 1.2
with DHE suites only, good.test) or sni (refuses a hello without SNI with
unrecognized_name; good.test). DIR is made by tests/lib/mkpki.sh, plus
dh.pem (openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048).
CASE ocsp is healthy with a leaf that has OCSP and CRL URLs: DIR is made by
tests/lib/revokepki.py (good.pem, ca.pem, leaf.key).

CASE smtp is healthy behind an SMTP STARTTLS front (220 greeting, EHLO
offering STARTTLS, then TLS), like a mail submission port.

Listens on 127.0.0.1 port 0, prints "PORT n", and serves each connection in
its own thread, like a real server. (openssl s_server serves one client at a
time: behind a 100 ms relay every tool would wait in its queue.) Answers any
HTTP request with a Date: header. Exits after --lifetime seconds.
"""

import argparse
import email.utils
import os
import socket
import ssl
import sys
import threading


def context(case, pki):
	ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	leaf = "expired" if case == "expired" else "good"
	inter = "ca.pem" if case == "ocsp" else "inter.pem"
	key = "leaf.key" if case == "ocsp" else leaf + ".key"
	chain = os.path.join(pki, leaf + ".pem")
	# The leaf, then the intermediate (a correct chain).
	both = os.path.join(pki, leaf + "+inter.pem")
	with open(both, "w") as f:
		f.write(open(chain).read() + open(os.path.join(pki, inter)).read())
	ctx.load_cert_chain(both, os.path.join(pki, key))
	if case == "tls10":
		ctx.minimum_version = ssl.TLSVersion.TLSv1
		ctx.maximum_version = ssl.TLSVersion.TLSv1
		ctx.set_ciphers("ALL:!3DES:@SECLEVEL=0")
	elif case == "dhe":
		ctx.minimum_version = ssl.TLSVersion.TLSv1_2
		ctx.maximum_version = ssl.TLSVersion.TLSv1_2
		ctx.set_ciphers("kDHE+aRSA")
		ctx.load_dh_params(os.path.join(pki, "dh.pem"))
	else:
		ctx.minimum_version = ssl.TLSVersion.TLSv1_2
	if case == "sni":
		def need_name(sock, name, c):
			if name is None:
				return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
			return None
		ctx.sni_callback = need_name
	return ctx


def smtp_front(conn):
	"""The plaintext part of SMTP up to STARTTLS; False if the client left
	or spoke something else."""
	f = conn.makefile("rb")
	conn.sendall(b"220 mail.good.test ESMTP bench\r\n")
	for _ in range(10):
		line = f.readline(1024).strip().upper()
		if not line:
			return False
		if line.startswith((b"EHLO", b"HELO")):
			conn.sendall(b"250-mail.good.test\r\n250-PIPELINING\r\n"
			             b"250 STARTTLS\r\n")
		elif line == b"STARTTLS":
			conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
			return True
		elif line == b"QUIT":
			conn.sendall(b"221 2.0.0 Bye\r\n")
			return False
		else:
			conn.sendall(b"502 5.5.2 Not here\r\n")
	return False


def serve(conn, ctx, smtp=False):
	conn.settimeout(10)
	try:
		if smtp and not smtp_front(conn):
			conn.close()
			return
	except (OSError, ValueError):
		conn.close()
		return
	try:
		tls = ctx.wrap_socket(conn, server_side=True)
	except (OSError, ssl.SSLError, ValueError):
		conn.close()
		return
	try:
		data = b""
		while b"\r\n\r\n" not in data and len(data) < 16384:
			chunk = tls.recv(4096)
			if not chunk:
				break
			data += chunk
		if data:
			body = b"<html><body>bench</body></html>\n"
			tls.sendall(b"HTTP/1.1 200 OK\r\nDate: " +
			            email.utils.formatdate(usegmt=True).encode() +
			            b"\r\nContent-Type: text/html\r\nContent-Length: " +
			            str(len(body)).encode() +
			            b"\r\nConnection: close\r\n\r\n" + body)
	except (OSError, ssl.SSLError, ValueError):
		pass
	finally:
		try:
			tls.close()
		except OSError:
			pass


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("case", choices=["healthy", "expired", "tls10", "dhe",
	                                 "sni", "ocsp", "smtp"])
	ap.add_argument("--pki", required=True)
	ap.add_argument("--lifetime", type=float, default=900)
	a = ap.parse_args()
	ctx = context(a.case, a.pki)
	ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	ls.bind(("127.0.0.1", 0))
	ls.listen(256)
	print("PORT %d" % ls.getsockname()[1], flush=True)
	t = threading.Timer(a.lifetime, lambda: os._exit(0))
	t.daemon = True
	t.start()
	while True:
		conn, _ = ls.accept()
		threading.Thread(target=serve, args=(conn, ctx, a.case == "smtp"),
		                 daemon=True).start()


if __name__ == "__main__":
	main()
