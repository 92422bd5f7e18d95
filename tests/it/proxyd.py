#!/usr/bin/env python3
"""proxyd.py: run a real proxy daemon from Debian for one test case.

    proxyd.py squid DIR [--auth USER:PASS] [--host "ADDR NAME"]...
    proxyd.py microsocks DIR [--auth USER:PASS]

Neither daemon can be told to listen on port 0 and say which port it got,
so: pick a free port on 127.0.0.1, write a private config in DIR, start the
daemon in the foreground (our process group: the harness stops both by
it), wait until it accepts, print "PORT n", and wait for it. If it exits
before accepting (the port was taken meanwhile), try another port, up to
5 times. Every wait is bounded.

squid: CONNECT allowed to any port (the tests' servers are on high ports),
names from DIR/hosts only (never DNS), no cache, logs in DIR; with --auth,
Basic sign-in checked by squid's own basic_ncsa_auth against DIR/passwd
(an APR1 hash made here with openssl passwd).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def accepting(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def squid_argv(d, port, a):
    squid = shutil.which("squid") or "/usr/sbin/squid"
    hosts = os.path.join(d, "hosts")
    with open(hosts, "w") as f:
        for h in a.host or []:
            f.write(h + "\n")
    lines = [
        "http_port 127.0.0.1:%d" % port,
        "pid_filename %s" % os.path.join(d, "squid.pid"),
        "cache_log %s" % os.path.join(d, "cache.log"),
        "access_log %s" % os.path.join(d, "access.log"),
        "cache deny all",
        "cache_mem 4 MB",
        "coredump_dir %s" % d,
        "hosts_file %s" % hosts,
        # Names come from the hosts file; a lookup that misses fails at
        # once instead of leaving the machine.
        "dns_nameservers 127.0.0.1",
        "dns_timeout 2 seconds",
        "connect_timeout 5 seconds",
        "shutdown_lifetime 0 seconds",
        "pinger_enable off",
        # a fresh machine may have no resolvable host name of its own
        "visible_hostname tlsmedic-test",
    ]
    if a.auth:
        user, pw = a.auth.split(":", 1)
        h = subprocess.run(["openssl", "passwd", "-apr1", pw],
                           capture_output=True, text=True, check=True,
                           timeout=20).stdout.strip()
        passwd = os.path.join(d, "passwd")
        with open(passwd, "w") as f:
            f.write("%s:%s\n" % (user, h))
        os.chmod(passwd, 0o644)
        lines += [
            "auth_param basic program /usr/lib/squid/basic_ncsa_auth %s" %
            passwd,
            "auth_param basic children 1 startup=1 idle=1",
            "auth_param basic realm tlsmedic-test",
            "acl users proxy_auth REQUIRED",
            "http_access allow users",
            "http_access deny all",
        ]
    else:
        lines.append("http_access allow all")
    conf = os.path.join(d, "squid.conf")
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    return [squid, "-N", "-f", conf]


def microsocks_argv(d, port, a):
    argv = [shutil.which("microsocks") or "/usr/bin/microsocks",
            "-i", "127.0.0.1", "-p", str(port)]
    if a.auth:
        user, pw = a.auth.split(":", 1)
        argv += ["-u", user, "-P", pw]
    return argv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["squid", "microsocks"])
    ap.add_argument("dir")
    ap.add_argument("--auth")
    ap.add_argument("--host", action="append")
    a = ap.parse_args()
    d = os.path.abspath(a.dir)
    os.makedirs(d, exist_ok=True)
    # squid drops to its own user: it must read and write here, and pass
    # through the harness' private temp dirs above (search only, no list).
    os.chmod(d, 0o777)
    top = os.path.realpath(os.environ.get("TMPDIR", "/tmp"))
    up = os.path.dirname(d)
    while os.path.realpath(up).startswith(top + os.sep):
        st = os.stat(up)
        if st.st_uid == os.getuid():
            os.chmod(up, (st.st_mode & 0o7777) | 0o111)
        up = os.path.dirname(up)
    make = squid_argv if a.kind == "squid" else microsocks_argv
    for _ in range(5):
        port = free_port()
        p = subprocess.Popen(make(d, port, a), stdin=subprocess.DEVNULL,
                             stdout=sys.stderr, stderr=sys.stderr)

        def stop(_sig, _frm, p=p):
            p.terminate()
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                p.kill()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        end = time.monotonic() + 20
        while time.monotonic() < end and p.poll() is None:
            if accepting(port):
                print("PORT %d" % port, flush=True)
                p.wait()
                return 0
            time.sleep(0.05)
        if p.poll() is None:
            p.kill()
            p.wait(3)
    print("%s did not start" % a.kind, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
