#!/usr/bin/env python3
"""mailsrv.py: a real mail daemon from Debian (dovecot, exim4) with a
private configuration in the current directory (the case's {tmp}).

    mailsrv.py dovecot imap|imaps|pop3|pop3s --cert CHAIN --key KEY
               [--no-tls] [--tls11]
    mailsrv.py exim smtp|smtps --cert CHAIN --key KEY [--no-tls] [--tls11]

imap/pop3/smtp: STARTTLS (the plaintext port); imaps/pop3s/smtps: TLS at
once. --no-tls: the daemon offers no TLS at all (ssl = no; no
tls_advertise_hosts). --tls11: TLS 1.1 only (a legacy server).

Neither daemon can listen on port 0 and tell the port, so this picks one:
bind 127.0.0.1 port 0, read the port, close, hand it to the daemon. Another
process could take the port in between (a tiny race); the daemon then
fails to start and the case fails with its log, it never tests the wrong
server. Prints "PORT n" once the daemon accepts connections, then waits.
The daemon runs in the foreground as our child, in our process group, so
the harness stops both by pid; --lifetime (120 s) bounds a lost run.
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
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def dovecot_conf(a, d, port, cert, key):
    svc = {"imap": ("imap-login", "imap", False),
           "imaps": ("imap-login", "imaps", True),
           "pop3": ("pop3-login", "pop3", False),
           "pop3s": ("pop3-login", "pop3s", True)}[a.service]
    other = {"imap-login": ("pop3-login", "pop3", "pop3s"),
             "pop3-login": ("imap-login", "imap", "imaps")}[svc[0]]
    mine = ("imap", "imaps") if svc[0] == "imap-login" else ("pop3", "pop3s")
    if a.no_tls:
        ssl = "ssl = no\n"
    else:
        ssl = ("ssl = yes\nssl_cert = <%s\nssl_key = <%s\n" % (cert, key))
        if a.tls11:
            ssl += ("ssl_min_protocol = TLSv1.1\n"
                    "ssl_cipher_list = ALL:@SECLEVEL=0\n"
                    "ssl_options = no_compression\n")
    listeners = ""
    for name in mine:
        p = port if name == svc[1] else 0
        listeners += ("  inet_listener %s {\n    address = 127.0.0.1\n"
                      "    port = %d\n%s  }\n" % (
                          name, p, "    ssl = yes\n" if name.endswith("s")
                          and p else ""))
    return """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
protocols = {proto}
listen = 127.0.0.1
{ssl}
auth_mechanisms = plain
disable_plaintext_auth = yes
mail_location = maildir:{d}/mail
default_login_user = dovenull
default_internal_user = dovecot
passdb {{
  driver = static
  args = password=secret
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={d}/home
}}
service {svc} {{
{listeners}}}
service {osvc} {{
  inet_listener {o1} {{
    port = 0
  }}
  inet_listener {o2} {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""".format(d=d, proto=svc[1].rstrip("s"), ssl=ssl, svc=svc[0],
           listeners=listeners, osvc=other[0], o1=other[1], o2=other[2])


def exim_conf(a, d, port, cert, key):
    lines = [
        "primary_hostname = mail.test",
        "spool_directory = %s/spool" % d,
        "log_file_path = %s/exim-%%slog" % d,
        "pid_file_path = %s/exim.pid" % d,
        "daemon_smtp_ports = %d" % port,
        "local_interfaces = 127.0.0.1",
        # Scans open many connections in a burst: no cap in the test.
        "smtp_accept_max = 0",
        "host_lookup =",
        "rfc1413_hosts =",
        "acl_smtp_rcpt = acl_check_rcpt",
    ]
    if a.no_tls:
        lines.append("tls_advertise_hosts =")
    else:
        lines += ["tls_advertise_hosts = *",
                  "tls_certificate = %s" % cert,
                  "tls_privatekey = %s" % key,
                  "tls_verify_certificates =",
                  # GnuTLS priorities: modern only, or TLS 1.1 only.
                  "tls_require_ciphers = %s" % (
                      "NORMAL:-VERS-ALL:+VERS-TLS1.1:%COMPAT" if a.tls11
                      else "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1")]
        if a.service == "smtps":
            lines.append("tls_on_connect_ports = %d" % port)
    lines += ["begin acl", "acl_check_rcpt:", "  deny", "begin routers",
              "begin transports", ""]
    return "\n".join(lines)


def wait_port(port, proc, limit):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("daemon", choices=["dovecot", "exim"])
    ap.add_argument("service",
                    choices=["imap", "imaps", "pop3", "pop3s", "smtp",
                             "smtps"])
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--no-tls", action="store_true")
    ap.add_argument("--tls11", action="store_true")
    ap.add_argument("--lifetime", type=float, default=120.0)
    a = ap.parse_args()
    d = os.path.join(os.getcwd(), "mailsrv")
    os.makedirs(d, exist_ok=True)
    # The daemons drop root: their users must read the key and write here.
    cert = os.path.join(d, "cert.pem")
    key = os.path.join(d, "key.pem")
    shutil.copy(a.cert, cert)
    shutil.copy(a.key, key)
    for sub in ("spool", "run", "state", "mail", "home"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    for p in (d, cert, key, os.path.join(d, "spool")):
        os.chmod(p, 0o777 if os.path.isdir(p) else 0o644)
    # exim writes its logs as its own user: it must pass through the
    # harness's private temp dirs (search only, no listing).
    for p in (os.getcwd(), os.path.dirname(os.getcwd())):
        os.chmod(p, os.stat(p).st_mode | 0o011)
    port = free_port()
    conf = os.path.join(d, "%s.conf" % a.daemon)
    if a.daemon == "dovecot":
        if a.service not in ("imap", "imaps", "pop3", "pop3s"):
            sys.exit("dovecot serves imap(s) and pop3(s)")
        with open(conf, "w") as f:
            f.write(dovecot_conf(a, d, port, cert, key))
        argv = ["dovecot", "-F", "-c", conf]
        log = os.path.join(d, "dovecot.log")
    else:
        if a.service not in ("smtp", "smtps"):
            sys.exit("exim serves smtp(s)")
        with open(conf, "w") as f:
            f.write(exim_conf(a, d, port, cert, key))
        exim = shutil.which("exim4") or "/usr/sbin/exim4"
        argv = [exim, "-C", conf, "-bdf", "-oX", str(port)]
        log = os.path.join(d, "exim-mainlog")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    stop = lambda *_: (proc.terminate(), sys.exit(0))  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    if not wait_port(port, proc, 15):
        proc.kill()
        try:
            sys.stdout.write(open(log).read()[-600:])
        except OSError:
            pass
        sys.exit("%s did not start on port %d" % (a.daemon, port))
    print("PORT %d" % port, flush=True)
    try:
        proc.wait(a.lifetime)
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.wait(5)


if __name__ == "__main__":
    sys.exit(main())
