#!/usr/bin/env python3
"""x509-measure.py -- how often tlsmedic judges a chain like OpenSSL.

For every case of tests/lib/x509pki.py: `openssl verify -purpose sslserver
-verify_hostname HOST -CAfile ROOT -untrusted REST LEAF` gives OpenSSL's
verdict (accept / reject); tlsmedic runs against `openssl s_server` on
127.0.0.1 (port 0) serving the same chain, with --ca-file ROOT, and its
verdict is "reject" when any warning or error finding concerns the
certificate (cert.*, mitm.*), "incomplete" when the certificate check was
skipped, else "accept". Prints one line per case and the counts.

    TLSMEDIC=./tlsmedic tests/it/x509-measure.py [-v] [NAME...]

Every server is stopped by its pid; every wait is bounded. Exit status 0
(it measures; it does not judge).
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "..", "lib", "x509pki.py")


def openssl_verdict(d, name, host):
    rest = os.path.join(d, name + "-rest.pem")
    cmd = ["openssl", "verify", "-purpose", "sslserver", "-verify_hostname",
           host, "-CAfile", os.path.join(d, name + "-root.pem")]
    if os.path.getsize(rest) > 0:
        cmd += ["-untrusted", rest]
    cmd.append(os.path.join(d, name + ".pem"))
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    out = (p.stdout + p.stderr).strip().replace("\n", " | ")
    return ("accept" if p.returncode == 0 else "reject"), out


def serve(d, name):
    rest = os.path.join(d, name + "-rest.pem")
    cmd = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-www",
           "-cert", os.path.join(d, name + ".pem"),
           "-key", os.path.join(d, name + ".key"),
           "-cipher", "DEFAULT:@SECLEVEL=0"]
    if os.path.getsize(rest) > 0:
        cmd += ["-cert_chain", rest]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, text=True,
                         start_new_session=True)
    deadline = time.time() + 10
    while time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        m = re.match(r"ACCEPT 127\.0\.0\.1:(\d+)", line)
        if m:
            return p, int(m.group(1))
    stop(p)
    return None, 0


def stop(p):
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        p.wait(timeout=3)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=3)


def tlsmedic_verdict(tm, d, name, host):
    srv, port = serve(d, name)
    if srv is None:
        return "no-server", []
    try:
        cmd = [tm, "--json", "--timeout", "5", "--ca-file",
               os.path.join(d, name + "-root.pem"), "--resolve",
               "%s:%d:127.0.0.1" % (host, port), "%s:%d" % (host, port)]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    finally:
        stop(srv)
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        return "crash", []
    ids = ["%s:%s:%s" % (f["id"], f["owner"], f["severity"])
           for f in rep.get("findings", [])]
    bad = [f for f in rep.get("findings", [])
           if f["severity"] != "info" and
           (f["id"].startswith("cert.") or f["id"].startswith("mitm."))]
    checks = rep.get("checks", {})
    cert = checks.get("cert") if isinstance(checks, dict) else None
    if bad:
        return "reject", ids
    if isinstance(cert, dict) and cert.get("state") == "skipped" or \
            cert == "skipped":
        return "incomplete", ids
    return "accept", ids


def main(argv):
    verbose = "-v" in argv
    names = [a for a in argv[1:] if a != "-v"]
    tm = os.environ.get("TLSMEDIC", "./tlsmedic")
    lst = subprocess.run([sys.executable, PKI, "--list"], capture_output=True,
                         text=True, check=True).stdout.split("\n")
    cases = [l.split() for l in lst if l.strip()]
    if names:
        cases = [c for c in cases if c[0] in names]
    agree = disagree = 0
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, PKI, d] + [c[0] for c in cases],
                       check=True, timeout=300)
        for name, host, expect in cases:
            ov, otext = openssl_verdict(d, name, host)
            tv, ids = tlsmedic_verdict(tm, d, name, host)
            same = ov == tv
            agree += same
            disagree += not same
            print("%-22s openssl %-6s tlsmedic %-10s %s  %s" % (
                name, ov, tv, "agree" if same else "DISAGREE",
                " ".join(ids)))
            if verbose:
                print("    openssl: %s" % otext)
    print("agree %d, disagree %d (of %d cases)" % (agree, disagree,
                                                   agree + disagree))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
