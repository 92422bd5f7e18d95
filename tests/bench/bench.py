#!/usr/bin/env python3
"""bench.py: tlsmedic against sslscan and testssl.sh over a slow link.

    bench.py TLSMEDIC [--out FILE]

Starts the bench servers (benchsrv.py: healthy, expired, tls10, dhe, sni) on
127.0.0.1, puts latproxy.py in front of each, and runs every tool against
the same relay: first at 100 ms round trip (50 ms each way), then at 0 ms.
Per case and tool it prints the median wall time, the TCP connections the
relay saw, and tlsmedic's time as a ratio of the peer's; then whether
tlsmedic reported at least what the peer did (protocols, suites, the
certificate), and the issue's targets with HOLDS / MISSED.

Loopback only; every server and relay is started in its own session and
stopped by its pid; every tool run has a time cap. Runs (environment):
  BENCH_RUNS=5        tlsmedic runs per case (medians)
  BENCH_SSLSCAN_FAR=1 sslscan runs per case at 100 ms (it takes ~20 s each)
  BENCH_SSLSCAN_NEAR=3  at 0 ms
  BENCH_TESTSSL_CAP0=10 testssl cap (s) at 0 ms; at 100 ms the cap is 55x
                      tlsmedic's median there (30..120 s), so a capped run
                      still decides the 50x target. testssl runs once.
  BENCH_TESTSSL_CAP_MAX=120  upper bound of that cap
  BENCH_TESTSSL_FULL=healthy  cases where testssl runs to its end at 0 ms
                      (cap 150 s), to compare its whole report; a capped
                      run is compared on what it printed by the cap
  BENCH_CASES="healthy tls10"  only these cases (a quick look)
  BENCH_PEERS="sslscan"        only these peers ("" for tlsmedic alone)
"""

import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Cases of tlsmedic alone, after those: a name with three addresses (three
# relays on 127.0.0.1-3, one port, one server behind them) and a mail
# submission port with STARTTLS (skipped when tlsmedic has no --starttls).
EXTRA = ["addrs3", "starttls"]
CASES = [("healthy", "good.test"), ("expired", "expired.test"),
         ("tls10", "good.test"), ("dhe", "good.test"), ("sni", "good.test"),
         ("ocsp", "good.test")]
# ocsp: healthy, but the leaf names an OCSP responder and a CRL, reached
# through a relay of the same delay -- every check, revocation included.
# tlsmedic only: the peers do not fetch revocation the same way, and the
# ten-minute budget has no room for them.
TLSMEDIC_ONLY = ("ocsp",)
PROTO_KEYS = {"ssl3.0": "SSLv3", "tls1.0": "TLSv1.0", "tls1.1": "TLSv1.1",
              "tls1.2": "TLSv1.2", "tls1.3": "TLSv1.3"}

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SSLSCAN_FAR = int(os.environ.get("BENCH_SSLSCAN_FAR", "1"))
SSLSCAN_NEAR = int(os.environ.get("BENCH_SSLSCAN_NEAR", "3"))
TESTSSL_CAP0 = float(os.environ.get("BENCH_TESTSSL_CAP0", "10"))
TESTSSL_FULL = os.environ.get("BENCH_TESTSSL_FULL", "healthy").split()
TESTSSL_CAP_MAX = float(os.environ.get("BENCH_TESTSSL_CAP_MAX", "120"))
PEERS = os.environ.get("BENCH_PEERS", "sslscan testssl").split()
if os.environ.get("BENCH_CASES"):  # e.g. "healthy tls10" for a quick look
	CASES = [c for c in CASES if c[0] in os.environ["BENCH_CASES"].split()]
	EXTRA = [c for c in EXTRA if c in os.environ["BENCH_CASES"].split()]

procs = []


def log(msg):
	print(msg, file=sys.stderr, flush=True)


def start(argv, timeout=15.0):
	"""Start a server that prints "PORT n"; returns (Popen, port)."""
	p = subprocess.Popen(argv, stdout=subprocess.PIPE,
	                     stderr=subprocess.DEVNULL, start_new_session=True)
	procs.append(p)
	end = time.monotonic() + timeout
	buf = b""
	while time.monotonic() < end:
		r, _, _ = select.select([p.stdout], [], [], 0.1)
		if r:
			chunk = os.read(p.stdout.fileno(), 256)
			if not chunk:
				break
			buf += chunk
			m = re.search(rb"PORT (\d+)\n", buf)
			if m:
				return p, int(m.group(1))
		if p.poll() is not None:
			break
	stop(p)
	raise RuntimeError("no port from %s" % " ".join(argv))


def stop(p):
	if p.poll() is None:
		try:
			os.killpg(p.pid, signal.SIGTERM)
		except ProcessLookupError:
			pass
		try:
			p.wait(2)
		except subprocess.TimeoutExpired:
			os.killpg(p.pid, signal.SIGKILL)
			p.wait(2)
	if p.stdout:
		p.stdout.close()


def run(argv, cap, env=None):
	"""Run a tool with a time cap: (wall s, capped, stdout text)."""
	t0 = time.monotonic()
	p = subprocess.Popen(argv, stdout=subprocess.PIPE,
	                     stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
	                     start_new_session=True, env=env)
	try:
		out, _ = p.communicate(timeout=cap)
		capped = False
	except subprocess.TimeoutExpired:
		os.killpg(p.pid, signal.SIGKILL)
		out, _ = p.communicate()
		capped = True
	return time.monotonic() - t0, capped, out.decode("utf-8", "replace")


class Relay:
	def __init__(self, port, delay_ms, tmp, name, listen="127.0.0.1",
	             lport=0):
		self.stats = os.path.join(tmp, "relay-%s-%d" % (name, delay_ms))
		self.p, self.port = start([sys.executable,
		    os.path.join(HERE, "latproxy.py"), "--target",
		    "127.0.0.1:%d" % port, "--delay-ms", str(delay_ms),
		    "--lifetime", "900", "--stats", self.stats, "--listen",
		    listen, "--port", str(lport)])

	def count(self):
		with open(self.stats) as f:
			return int(f.read().strip() or 0)


def relay_check(tmp):
	"""The relay itself: a client that sends at once must get its first
	answer after two round trips (connect + request), and be counted."""
	import socket
	import threading
	ls = socket.socket()
	ls.bind(("127.0.0.1", 0))
	ls.listen(1)
	ls.settimeout(5)

	def echo():
		try:
			c, _ = ls.accept()
			c.settimeout(5)
			c.sendall(c.recv(16))
			c.close()
		except OSError:
			pass
	threading.Thread(target=echo, daemon=True).start()
	relay = Relay(ls.getsockname()[1], 50, tmp, "check")
	t0 = time.monotonic()
	s = socket.create_connection(("127.0.0.1", relay.port), 5)
	s.settimeout(5)
	s.sendall(b"x")
	got = s.recv(16)
	ms = (time.monotonic() - t0) * 1000
	s.close()
	n = relay.count()
	stop(relay.p)
	ls.close()
	ok = got == b"x" and 195 <= ms <= 320 and n == 1
	log("relay check: echo after %.0f ms (want 200), %d connection(s)%s" %
	    (ms, n, "" if ok else "  -- WRONG"))
	if not ok:
		sys.exit("bench: the latency relay does not behave; not measuring")
	return ms


def openssl_names():
	"""OpenSSL cipher name -> IANA name (sslscan prints OpenSSL's)."""
	out = subprocess.run(["openssl", "ciphers", "-V", "-stdname",
	                      "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
	                     capture_output=True, text=True).stdout
	names = {}
	for line in out.splitlines():
		f = line.split()
		if len(f) >= 5 and f[1] == "-" and f[3] == "-":
			names[f[4]] = f[2]
	return names


def parse_tlsmedic(text):
	try:
		d = json.loads(text)
	except ValueError:
		return None
	protos = {PROTO_KEYS[k] for k, v in d["protocols"].items() if v}
	suites = set()
	for k, v in d["ciphers"].items():
		for s in v or []:
			suites.add((PROTO_KEYS[k], s))
	chain = d.get("chain") or []
	leaf = chain[0] if chain else {}
	return {"protos": protos, "suites": suites, "leaf": leaf,
	        "revocation": d.get("checks", {}).get("revocation"),
	        "handshakes": d.get("handshakes"), "elapsed": d.get("elapsed_ms"),
	        "findings": sorted(f["id"] for f in d.get("findings", []))}


def parse_sslscan(text, names):
	protos, suites, cert = set(), set(), {}
	for line in text.splitlines():
		m = re.match(r"(SSLv[23]|TLSv1\.[0-3])\s+enabled", line)
		if m:
			protos.add(m.group(1))
		m = re.match(r"(Preferred|Accepted)\s+(\S+)\s+\d+ bits\s+(\S+)", line)
		if m:
			suites.add((m.group(2), names.get(m.group(3), m.group(3))))
		m = re.match(r"(Subject|Issuer|Altnames|Not valid after|"
		             r"Signature Algorithm|RSA Key Strength|"
		             r"ECC Curve Name):\s+(.*)", line)
		if m:
			cert[m.group(1)] = m.group(2).strip()
	return {"protos": protos, "suites": suites, "cert": cert}


def parse_testssl(text):
	protos, suites = set(), set()
	tmap = {"SSLv3": "SSLv3", "TLS 1": "TLSv1.0", "TLS 1.1": "TLSv1.1",
	        "TLS 1.2": "TLSv1.2", "TLS 1.3": "TLSv1.3"}
	cert = {}
	for line in text.splitlines():
		m = re.match(r" (SSLv3|TLS 1(?:\.[123])?)\s+(offered|not offered)",
		             line)
		if m and m.group(2) == "offered":
			protos.add(tmap[m.group(1)])
		m = re.match(r" x[0-9a-f]+\s+\S+\s.*\s(TLS_\w+)\s*$", line)
		if m:
			suites.add(m.group(1))
		m = re.match(r" (Common Name \(CN\)|subjectAltName \(SAN\)|Issuer|"
		             r"Certificate Validity \(UTC\)|Server key size|"
		             r"Signature Algorithm)\s+(.*)", line)
		if m:
			cert[m.group(1)] = m.group(2).strip()
	return {"protos": protos, "suites": suites, "cert": cert}


def covers(tm, peer, kind):
	"""Does tlsmedic report at least what the peer did? Returns words."""
	if tm is None:
		return "tlsmedic gave no report"
	miss = []
	extra = peer["protos"] - tm["protos"]
	if extra:
		miss.append("protocols " + ",".join(sorted(extra)))
	if kind == "sslscan":
		lost = peer["suites"] - tm["suites"]
	else:  # testssl prints IANA names without the version
		lost = peer["suites"] - {s for _, s in tm["suites"]}
	if lost:
		miss.append("suites " + ",".join(sorted(str(x) for x in lost)))
	leaf = tm["leaf"]
	if peer["cert"]:
		for key in ("subject", "issuer", "sans", "not_after", "key",
		            "signature"):
			if not leaf.get(key):
				miss.append("cert " + key)
		bits = peer["cert"].get("RSA Key Strength") or \
		    peer["cert"].get("Server key size", "")
		m = re.search(r"(\d{3,5})", bits)
		if m and m.group(1) not in leaf.get("key", ""):
			miss.append("cert key size")
	return "yes" if not miss else "MISSES " + "; ".join(miss)


def fmt_s(v, capped=False):
	if v is None:
		return "-"
	return (">%.0f s" if capped else "%.2f s") % v


def ratio(a, b, capped):
	if a is None or b is None or b <= 0:
		return "-"
	r = a / b
	return ("<%.3f (>%.0fx)" if capped else "%.3f (%.0fx)") % (r, 1 / r)


def bench_case(name, host, port, delay, tmp, prog, root, names, rows,
               checks):
	relay = Relay(port, delay, tmp, name)
	target = "%s:%d" % (host, relay.port)
	# tlsmedic: the full diagnosis, every check, RSS by /usr/bin/time -v.
	walls, conns, rss, tm = [], [], [], None
	for i in range(RUNS):
		tv = os.path.join(tmp, "time-v")
		c0 = relay.count()
		w, capped, out = run(["/usr/bin/time", "-v", "-o", tv, prog,
		    "--json", "--resolve", "%s:127.0.0.1" % target, "--ca-file",
		    root, target], 60)
		conns.append(relay.count() - c0)
		walls.append(w if not capped else 60.0)
		with open(tv) as f:
			m = re.search(r"Maximum resident set size \(kbytes\): (\d+)",
			              f.read())
			if m:
				rss.append(int(m.group(1)))
		tm = parse_tlsmedic(out) or tm
	tmw = statistics.median(walls)
	naccepted = len(tm["suites"]) if tm else 0
	rows.append([name, "tlsmedic", fmt_s(tmw), "%d" % statistics.median(conns),
	             "-", "%d suites, %s, revocation %s" % (naccepted,
	             " ".join(tm["findings"]) if tm and tm["findings"] else "ok",
	             tm["revocation"] if tm else "-")])
	checks.setdefault("conns", []).append(
	    (delay, name, max(conns), naccepted))
	checks.setdefault("rss", []).extend(rss)
	checks.setdefault("tlsmedic", {})[(delay, name)] = tmw
	log("  %s tlsmedic %s, %s conns" % (name, fmt_s(tmw), conns))

	if name in TLSMEDIC_ONLY:
		stop(relay.p)
		return
	if "sslscan" in PEERS and shutil.which("sslscan"):
		n = SSLSCAN_FAR if delay else SSLSCAN_NEAR
		walls, conns, capped_any, peer = [], [], False, None
		for i in range(max(1, n)):
			c0 = relay.count()
			w, capped, out = run(["sslscan", "--no-colour",
			    "--sni-name=" + host, "127.0.0.1:%d" % relay.port], 240)
			conns.append(relay.count() - c0)
			walls.append(w)
			capped_any |= capped
			peer = parse_sslscan(out, names)
		pw = statistics.median(walls)
		cov = covers(tm, peer, "sslscan")
		rows.append([name, "sslscan", fmt_s(pw, capped_any),
		             "%d" % statistics.median(conns),
		             ratio(tmw, pw, capped_any), cov])
		checks.setdefault("sslscan", []).append(
		    (delay, name, pw / tmw, capped_any, cov))
		log("  %s sslscan %s" % (name, fmt_s(pw, capped_any)))

	if "testssl" in PEERS and shutil.which("testssl"):
		cap = min(TESTSSL_CAP_MAX, max(30, 55 * tmw))
		if delay == 0:
			cap = 150 if name in TESTSSL_FULL else TESTSSL_CAP0
		c0 = relay.count()
		w, capped, out = run(["testssl", "--quiet", "--color", "0",
		    "--warnings", "off", "--openssl-timeout", "10",
		    "--nodns", "none", "--ip", "127.0.0.1", "-p", "-e", "-S",
		    target], cap)
		peer = parse_testssl(out)
		cov = covers(tm, peer, "testssl")
		if capped:  # what it printed by the cap
			cov = "partial: " + cov
		rows.append([name, "testssl", fmt_s(cap if capped else w, capped),
		             "%d" % (relay.count() - c0),
		             ratio(tmw, cap if capped else w, capped), cov])
		checks.setdefault("testssl", []).append(
		    (delay, name, (cap if capped else w) / tmw, capped, cov))
		log("  %s testssl %s" % (name, fmt_s(cap if capped else w, capped)))
	stop(relay.p)


def shared_relays(port, delay, tmp, name, addrs):
	"""One relay per address, all on one port (the first one's): the
	servers of a round-robin name. A port taken on a later address
	starts them again on another."""
	for attempt in range(10):
		relays = [Relay(port, delay, tmp, "%s-1" % name, addrs[0])]
		try:
			for i, a in enumerate(addrs[1:]):
				relays.append(Relay(port, delay, tmp, "%s-%d" % (name,
				    i + 2), a, relays[0].port))
			return relays
		except RuntimeError:
			for r in relays:
				stop(r.p)
	raise RuntimeError("no port free on %s" % ", ".join(addrs))


def tlsmedic_runs(argv, relays, tmp):
	"""RUNS runs of argv: (median wall, max connections, last JSON)."""
	walls, conns, doc = [], [], None
	for i in range(RUNS):
		c0 = sum(r.count() for r in relays)
		w, capped, out = run(argv, 60)
		conns.append(sum(r.count() for r in relays) - c0)
		walls.append(w if not capped else 60.0)
		try:
			doc = json.loads(out)
		except ValueError:
			pass
	return statistics.median(walls), max(conns), doc


def extra_case(name, delay, tmp, prog, root, port, rows, checks):
	"""The cases of tlsmedic alone (EXTRA); returns False if skipped."""
	if name == "addrs3":
		addrs = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
		relays = shared_relays(port, delay, tmp, name, addrs)
		target = "good.test:%d" % relays[0].port
		argv = [prog, "--json", "--resolve", "%s:%s" % (target,
		        ",".join(addrs)), "--ca-file", root, target]
	else:
		help_text = run([prog, "--help"], 10)[2]
		if "--starttls" not in help_text:
			checks.setdefault("skipped", {})[name] = "this tlsmedic " \
			    "has no --starttls"
			return False
		relays = [Relay(port, delay, tmp, name)]
		target = "good.test:%d" % relays[0].port
		argv = [prog, "--json", "--starttls", "smtp", "--resolve",
		        "%s:127.0.0.1" % target, "--ca-file", root, target]
	w, n, doc = tlsmedic_runs(argv, relays, tmp)
	for r in relays:
		stop(r.p)
	ids = [f.get("id") for f in (doc or {}).get("findings", [])
	       if f.get("severity") in ("warning", "error")]
	note = "%s, %s" % (doc.get("verdict") if doc else "no report",
	                   " ".join(ids) if ids else "no findings")
	if name == "addrs3" and doc:
		note += ", addresses: %s" % " ".join(
		    a.get("status", "?") for a in doc.get("addresses", []))
	rows.append([name, "tlsmedic", fmt_s(w), "%d" % n, "-", note])
	checks.setdefault("tlsmedic", {})[(delay, name)] = w
	log("  %s tlsmedic %s, %d conns" % (name, fmt_s(w), n))
	return True


def ocsp_case(delay, tmp):
	"""An HTTP server with a real OCSP responder (tests/lib/httpsrv.py)
	behind a relay of this delay, a PKI whose leaf points at that relay
	(tests/lib/revokepki.py), and the bench server with that leaf.
	Returns (server port, trust anchor)."""
	d = tempfile.mkdtemp(prefix="revoke-%d." % delay, dir=tmp)
	http = start([sys.executable, os.path.join(ROOT, "tests/lib/httpsrv.py"),
	              d])[1]
	relay = Relay(http, delay, tmp, "ocsp-http")
	subprocess.run([sys.executable, os.path.join(ROOT,
	               "tests/lib/revokepki.py"), d, str(relay.port)],
	               check=True, timeout=60)
	port = start([sys.executable, os.path.join(HERE, "benchsrv.py"), "ocsp",
	              "--pki", d, "--lifetime", "900"])[1]
	return port, os.path.join(d, "root.pem")


def wizard_first_screen(prog, runs=5):
	"""ms from fork to the welcome text on a pty (80x24, TERM=xterm)."""
	import fcntl
	import pty
	import struct
	import termios
	times = []
	for i in range(runs):
		t0 = time.monotonic()
		pid, fd = pty.fork()
		if pid == 0:
			os.environ["TERM"] = "xterm"
			os.execv(prog, [prog])
		fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
		buf, seen = b"", None
		end = t0 + 5
		while time.monotonic() < end:
			r, _, _ = select.select([fd], [], [], 0.05)
			if r:
				try:
					chunk = os.read(fd, 65536)
				except OSError:
					break
				buf += chunk
				if b"does not work?" in buf:
					seen = time.monotonic() - t0
					break
		os.kill(pid, signal.SIGKILL)
		os.waitpid(pid, 0)
		os.close(fd)
		if seen is not None:
			times.append(seen * 1000)
	return statistics.median(times) if times else None


def batch_loopback(prog, port, host, root, runs=5):
	walls = []
	for i in range(runs):
		target = "%s:%d" % (host, port)
		w, capped, _ = run([prog, "--batch", "--resolve",
		    "%s:127.0.0.1" % target, "--ca-file", root, target], 30)
		walls.append(w)
	return statistics.median(walls)


def table(rows):
	head = ["case", "tool", "wall", "TCP", "tlsmedic/tool", "notes"]
	w = [max(len(str(r[i])) for r in rows + [head]) for i in range(5)]
	lines = ["  ".join(h.ljust(w[i]) if i < 5 else h
	                   for i, h in enumerate(head))]
	for r in rows:
		lines.append("  ".join(str(c).ljust(w[i]) if i < 5 else str(c)
		                       for i, c in enumerate(r)))
	return lines


def ensure_peers():
	missing = [p for p, cmd in (("sslscan", "sslscan"), ("testssl.sh",
	           "testssl"), ("time", "/usr/bin/time")) if not shutil.which(cmd)]
	if missing and os.geteuid() == 0:
		log("installing " + " ".join(missing))
		env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
		subprocess.run(["apt-get", "install", "-y", "-qq",
		                "--no-install-recommends"] + missing, env=env,
		               stdout=subprocess.DEVNULL)
	for cmd in ("sslscan", "testssl"):
		if not shutil.which(cmd):
			log("%s missing: its rows are left out" % cmd)
	if not shutil.which("/usr/bin/time"):
		sys.exit("bench: /usr/bin/time (Debian package time) is needed")


def main():
	prog = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
	                       os.path.join(ROOT, "tlsmedic"))
	out_file = os.path.join(HERE, "last-results.txt")
	if "--out" in sys.argv:
		out_file = sys.argv[sys.argv.index("--out") + 1]
	t_start = time.monotonic()
	load0 = os.getloadavg()[0]
	ensure_peers()
	tmp = tempfile.mkdtemp(prefix="tlsmedic-bench.")
	# A copy: others may rebuild ./tlsmedic while the bench runs.
	shutil.copy2(prog, os.path.join(tmp, "tlsmedic"))
	prog = os.path.join(tmp, "tlsmedic")
	try:
		return bench(prog, tmp, out_file, t_start, load0)
	finally:
		for p in procs:
			stop(p)
		shutil.rmtree(tmp, ignore_errors=True)


def bench(prog, tmp, out_file, t_start, load0):
	pki = os.path.join(tmp, "pki")
	subprocess.run(["sh", os.path.join(ROOT, "tests/lib/mkpki.sh"), pki],
	               check=True, timeout=60)
	subprocess.run(["openssl", "genpkey", "-genparam", "-algorithm", "DH",
	                "-pkeyopt", "group:ffdhe2048", "-out",
	                os.path.join(pki, "dh.pem")], check=True, timeout=30,
	               stdout=subprocess.DEVNULL)
	root = os.path.join(pki, "root.pem")
	names = openssl_names()
	echo_ms = relay_check(tmp)
	servers = {}
	for name, host in CASES:
		if name not in TLSMEDIC_ONLY:
			servers[name] = start([sys.executable, os.path.join(HERE,
			    "benchsrv.py"), name, "--pki", pki, "--lifetime",
			    "900"])[1]
	if EXTRA:
		servers["healthy3"] = start([sys.executable, os.path.join(HERE,
		    "benchsrv.py"), "healthy", "--pki", pki, "--lifetime",
		    "900"])[1]
		servers["smtp"] = start([sys.executable, os.path.join(HERE,
		    "benchsrv.py"), "smtp", "--pki", pki, "--lifetime",
		    "900"])[1]
	out = []
	checks = {}
	for delay in (50, 0):
		log("RTT %d ms" % (2 * delay))
		rows = []
		for name, host in CASES:
			port, croot = servers.get(name), root
			if name == "ocsp":
				port, croot = ocsp_case(delay, tmp)
			bench_case(name, host, port, delay, tmp, prog, croot,
			           names, rows, checks)
		for name in EXTRA:
			extra_case(name, delay, tmp, prog, root,
			           servers["smtp" if name == "starttls" else
			                   "healthy3"], rows, checks)
		out.append("Round trip %d ms (relay holds each chunk %d ms each "
		           "way, and a TCP connect costs a round trip)" %
		           (2 * delay, delay))
		out.append("tlsmedic: median of %d runs; sslscan: median of %d; "
		           "testssl: 1 run, %s (\">\" = stopped at the cap)" %
		           (RUNS, SSLSCAN_FAR if delay else SSLSCAN_NEAR,
		            "capped at 55x tlsmedic's time" if delay else
		            "capped at %.0f s (%s: 150 s)" % (TESTSSL_CAP0,
		                                            ",".join(TESTSSL_FULL))))
		out.extend(table(rows))
		out.append("")

	base = "healthy" if "healthy" in servers else next(
	    (n for n in servers if n in dict(CASES)), None)
	batch = batch_loopback(prog, servers[base], dict(CASES)[base], root) \
	    if base else None
	wiz = wizard_first_screen(prog)
	far = {n: t for (d, n), t in checks.get("tlsmedic", {}).items()
	       if d == 50}
	targets = []

	def target(ok, text):
		targets.append("%-7s %s" % ("HOLDS" if ok else "MISSED", text))

	for n in ("healthy", "ocsp"):
		if n in far:
			target(far[n] <= 1.5, "%s at 100 ms, full diagnosis (every "
			       "check) <= 1.5 s: %.2f s" % (n, far[n]))
	if "addrs3" in far:
		target(far["addrs3"] <= 1.2, "a name with three addresses at 100 "
		       "ms (full diagnosis on one, comparison on two) <= 1.2 s: "
		       "%.2f s" % far["addrs3"])
	if "starttls" in far:
		target(far["starttls"] <= 1.5, "a mail server (SMTP STARTTLS) at "
		       "100 ms, full diagnosis <= 1.5 s: %.2f s" % far["starttls"])
	for n, why in checks.get("skipped", {}).items():
		targets.append("%-7s %s: %s" % ("SKIPPED", n, why))
	for peer, want in (("sslscan", 10), ("testssl", 50)):
		rs = [(n, r, c) for d, n, r, c, _ in checks.get(peer, []) if d == 50]
		if not rs:
			target(False, "%s not run: %dx not measured" % (peer, want))
			continue
		worst = min(rs, key=lambda x: x[1])
		target(worst[1] >= want, "every case at 100 ms >= %dx faster than "
		       "%s: worst %s %s%.0fx" % (want, peer, worst[0],
		       ">" if worst[2] else "", worst[1]))
		cov = ["%d ms %s: %s" % (2 * d, n, c) for d, n, _, _, c in
		       checks[peer] if "MISSES" in c or "no report" in c]
		full = [n for d, n, _, capped, c in checks[peer] if not capped]
		target(not cov and bool(full), "reports at least what %s "
		       "does (protocols, suites, certificate): %s" % (peer,
		       "; ".join(cov) if cov else "yes on %d full run(s) (%s)%s" % (
		           len(full), ", ".join(sorted(set(full))),
		           ", capped ones on what they printed" if
		           len(full) < len(checks[peer]) else "")))
	over = [(d, n, c, a) for d, n, c, a in checks.get("conns", [])
	        if c > a + 12]
	target(not over, "TCP connections per diagnosis <= accepted suites + "
	       "12: %s" % (", ".join("%s %d<=%d+12" % (n, c, a) for d, n, c, a in
	                             checks.get("conns", []) if d == 50)))
	if batch is not None:
		target(batch <= 0.3, "tlsmedic --batch on loopback (%s, no relay) "
		       "<= 0.3 s: %.3f s" % (base, batch))
	target(wiz is not None and wiz <= 50, "start to the wizard's first "
	       "screen <= 50 ms: %s" % ("%.1f ms" % wiz if wiz else "not seen"))
	peak = max(checks["rss"]) / 1024 if checks.get("rss") else 0
	target(0 < peak <= 20, "peak RSS (/usr/bin/time -v, every run) <= 20 "
	       "MB: %.1f MB" % peak)
	total = time.monotonic() - t_start
	target(total < 600, "make bench under ten minutes: %.0f s" % total)
	out.append("Targets")
	out.extend(targets)
	out.append("")
	out.append("Relay check: a client that sends at once got its first "
	           "answer after %.0f ms through the 100 ms relay (2 round trips: "
	           "connect, then request)." % echo_ms)
	out.append("Method: servers are benchsrv.py (Python ssl, one thread per "
	           "connection, as real servers; openssl s_server serves one "
	           "client at a time and would queue every tool behind the "
	           "relay). TCP = connections the relay accepted per run. The "
	           "wizard time is fork to the welcome text on an 80x24 pty; "
	           "RSS is the peak over every tlsmedic run above.")
	text = "\n".join(out) + "\n"
	# Others may share the machine: the load says how quiet it was.
	head = ("tlsmedic bench, %s, %d cores, load %.1f at start, %.1f at "
	        "end, %s\n\n" % (time.strftime("%Y-%m-%d"), os.cpu_count(),
	        load0, os.getloadavg()[0], subprocess.run([prog, "--version"],
	        capture_output=True, text=True).stdout.splitlines()[0]))
	sys.stdout.write(head + text)
	with open(out_file, "w") as f:
		f.write(head + text)
	return 0


if __name__ == "__main__":
	sys.exit(main())
