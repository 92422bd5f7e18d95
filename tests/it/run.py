#!/usr/bin/env python3
"""run.py: whole-program tests of tlsmedic against real servers on loopback.

    run.py [-j JOBS] [-k SUBSTRING] [-v] [--keep] CASE_DIR_OR_FILE...

Each case is a file (INI, one [case] section) -- see tests/it/README.  For
each case the runner makes a private temp dir, runs the optional setup
command, starts the case's servers on 127.0.0.1 port 0 (port read from
"ACCEPT 127.0.0.1:PORT" or "PORT n"), runs $TLSMEDIC in each mode the case
names, checks the result, and stops every server by its process group even
when the case fails.  Every wait is bounded.

Prints one line per case, "PASS name (time)" or "FAIL name: reasons", and
last a line "N passed, N failed".  Exits 1 when any case failed.
"""

import argparse
import atexit
import concurrent.futures
import configparser
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
TOP = os.path.dirname(TESTS)
PYTHON = sys.executable or "python3"

EXIT_BY_VERDICT = {"ok": 0, "problems": 1, "unreachable": 3}
DOCUMENTED_EXITS = {0, 1, 2, 3}
# Process start and exit on a loaded machine, on top of 2 x --timeout.
SLACK = 0.5
PROTO_KEYS = ["ssl3.0", "tls1.0", "tls1.1", "tls1.2", "tls1.3"]

# Every server process group we started and have not reaped yet, so that an
# interrupted run still stops them all.
LIVE = set()
LIVE_LOCK = threading.Lock()


def kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def exited(pid, timeout=0.0):
    """Wait up to timeout for pid to exit, without reaping it: while it is
    a zombie its process group id cannot be reused, so killing the group
    still hits only what we started."""
    end = time.monotonic() + timeout
    while True:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT |
                         os.WNOHANG) is not None:
                return True
        except ChildProcessError:
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(0.02)


def stop_all():
    with LIVE_LOCK:
        pids = list(LIVE)
    for pid in pids:
        kill_group(pid, signal.SIGKILL)


RUN_TMP = []  # the run's temp dir, removed on an interrupt too


STOPPING = threading.Event()  # interrupted: start nothing new


def on_signal(signum, _frame):
    STOPPING.set()
    stop_all()
    time.sleep(0.3)  # let workers notice before the files go
    stop_all()
    for d in RUN_TMP:
        shutil.rmtree(d, ignore_errors=True)
    os._exit(128 + signum)


def load_findings_table():
    """{id: default owner} from src/finding.h, the source of truth."""
    table = {}
    try:
        with open(os.path.join(TOP, "src", "finding.h")) as f:
            text = f.read()
    except OSError:
        return table
    for m in re.finditer(r'X\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*OWNER_(\w+)',
                         text):
        table[m.group(1)] = m.group(2).lower()
    return table


FINDINGS = load_findings_table()


def load_owner_titles():
    """{owner: heading of the text report} from src/finding.c."""
    titles = {"client": "For you", "server": "For the site owner",
              "network": "For your network admin"}
    try:
        with open(os.path.join(TOP, "src", "finding.c")) as f:
            text = f.read()
        m = re.search(r"owner_title\(.*?names\[\]\s*=\s*\{(.*?)\}", text,
                      re.S)
        if m:
            found = re.findall(r'"([^"]*)"', m.group(1))
            if len(found) == 3:
                titles = dict(zip(("client", "server", "network"), found))
    except OSError:
        pass
    return titles


OWNER_TITLES = load_owner_titles()


# --- cases ----------------------------------------------------------------

class Case:
    """One case file. Keys are documented in tests/it/README."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        group = os.path.basename(os.path.dirname(os.path.dirname(path)))
        if group in ("hostile",):
            self.name = "hostile/" + self.name
        cp = configparser.ConfigParser(interpolation=None,
                                       inline_comment_prefixes=None)
        cp.optionxform = str
        cp.read(path)
        if not cp.has_section("case"):
            raise ValueError("%s: no [case] section" % path)
        c = cp["case"]
        self.about = c.get("about", "")
        self.pki = c.getboolean("pki", True)
        # setup* and server* keys run in file order, so a server's port can
        # go into a certificate made before the next server starts.
        self.steps = [(k, v.strip()) for k, v in c.items()
                      if re.match(r"^(setup|server)\d*$", k) and v.strip()]
        self.address = c.get("address", "127.0.0.1")
        self.parse = c.getboolean("parse", True)
        self.server_wait = c.getfloat("server_wait", 20.0)
        self.host = c.get("host", "good.test")
        self.target = c.get("target", "{host}:{port}")
        self.resolve = c.getboolean("resolve", True)
        self.args = c.get("args", "")
        self.wrap = c.get("wrap", "")
        self.modes = c.get("modes", "json").split()
        self.timeout = c.getint("timeout", 5)
        self.limit = c.getfloat("limit", 2.0 * self.timeout + SLACK)
        self.expect = parse_expect(c.get("expect", ""))
        self.forbid = split_list(c.get("forbid", ""))
        self.allow = split_list(c.get("allow", ""))
        self.strict = c.getboolean("strict", True)
        self.verdict = c.get("verdict", "").strip() or None
        ex = c.get("exit", "").strip()
        self.exits = {int(x) for x in split_list(ex)} if ex else None
        self.checks = [x.strip() for x in c.get("check", "").splitlines()
                       if x.strip()]
        self.requires = split_list(c.get("requires", ""))
        self.probe = c.get("probe", "").strip()
        self.after = [x.strip() for x in c.get("after", "").splitlines()
                      if x.strip()]


def split_list(s):
    return [x for x in re.split(r"[\s,]+", s.strip()) if x]


def parse_expect(s):
    """"id:owner[:severity]" items -> [(id, owner, severity or None)]."""
    out = []
    for item in split_list(s):
        parts = item.split(":")
        if len(parts) < 2:
            raise ValueError("expect item %r needs an owner (id:owner)" %
                             item)
        out.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    return out


# --- servers --------------------------------------------------------------

class Server:
    """A server in its own process group; stdout+stderr drained by a
    thread (so it never blocks on a full pipe), the tail kept for
    failure reports."""

    PORT_RE = re.compile(rb"^(?:ACCEPT\s+\S*:(\d+)|PORT\s+(\d+))\s*$")

    def __init__(self, argv, cwd, wait):
        self.argv = argv
        self.port = None
        self.tail = b""
        self.ready = threading.Event()
        if STOPPING.is_set():
            raise RuntimeError("interrupted")
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        with LIVE_LOCK:
            LIVE.add(self.proc.pid)
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        if not self.ready.wait(wait) or self.port is None:
            raise RuntimeError("server gave no port within %gs: %s | %s" %
                               (wait, " ".join(argv)[:120],
                                self.tail_text()))

    def _drain(self):
        buf = b""
        try:
            while True:
                chunk = self.proc.stdout.read1(65536)
                if not chunk:
                    break
                self.tail = (self.tail + chunk)[-4096:]
                if self.port is None:
                    buf += chunk
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        m = self.PORT_RE.match(line.strip())
                        if m:
                            self.port = int(m.group(1) or m.group(2))
                            self.ready.set()
                            break
                    buf = buf[-4096:]
        except (OSError, ValueError):
            pass
        self.ready.set()

    def tail_text(self):
        t = self.tail.decode("utf-8", "replace").strip().splitlines()
        return " / ".join(t[-3:])[:300]

    def alive(self):
        return not exited(self.proc.pid)

    def stop(self):
        pid = self.proc.pid
        kill_group(pid, signal.SIGTERM)
        if not exited(pid, 2):
            kill_group(pid, signal.SIGKILL)
            exited(pid, 2)
        kill_group(pid, signal.SIGKILL)  # stray children of the group
        with LIVE_LOCK:
            LIVE.discard(pid)
        try:
            self.proc.wait(2)
        except subprocess.TimeoutExpired:
            pass
        self.reader.join(1)
        try:
            self.proc.stdout.close()
        except OSError:
            pass


def free_port():
    """A port nobody listens on: bind port 0, note it, close."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- checking output --------------------------------------------------------

def control_problems(data, where):
    """Control bytes that must never reach a terminal: C0 except \\n and
    \\t, DEL, and C1 (U+0080..U+009F); also invalid UTF-8."""
    bad = []
    for i, b in enumerate(data):
        if (b < 0x20 and b not in (0x0A, 0x09)) or b == 0x7F:
            bad.append("byte 0x%02x at %d" % (b, i))
            break
    try:
        text = data.decode("utf-8")
        for i, ch in enumerate(text):
            if 0x80 <= ord(ch) <= 0x9F:
                bad.append("C1 U+%04X at char %d" % (ord(ch), i))
                break
    except UnicodeDecodeError as e:
        bad.append("invalid UTF-8 at %d" % e.start)
    return ["%s: %s" % (where, b) for b in bad]


def json_get(doc, path):
    """Path like "protocols/tls1.0" or "chain/#" (length) or "chain/0/key";
    "findings/id=cert.purpose/evidence" picks the list element by its id."""
    cur = doc
    for part in path.split("/"):
        if part == "#":
            return len(cur)
        if isinstance(cur, list) and part.startswith("id="):
            cur = [e for e in cur if e.get("id") == part[3:]][0]
        elif isinstance(cur, list):
            cur = cur[int(part)]
        else:
            cur = cur[part]
    return cur


def run_check(doc, expr):
    """"PATH OP VALUE": OP is == != contains !contains >= <=; VALUE JSON
    (true, null, 3, "x") or a bare word."""
    m = re.match(r"^(\S+)\s+(==|!=|>=|<=|contains|!contains|matches)\s+(.*)$",
                 expr)
    if not m:
        return "bad check %r" % expr
    path, op, raw = m.groups()
    try:
        want = json.loads(raw)
    except ValueError:
        want = raw
    try:
        got = json_get(doc, path)
    except (KeyError, IndexError, TypeError, ValueError):
        return "%s: missing" % path
    ok = {
        "==": lambda: got == want,
        "!=": lambda: got != want,
        ">=": lambda: isinstance(got, (int, float)) and got >= want,
        "<=": lambda: isinstance(got, (int, float)) and got <= want,
        "contains": lambda: want in got,
        "!contains": lambda: want not in got,
        "matches": lambda: re.search(str(want), str(got)) is not None,
    }[op]()
    return None if ok else "%s %s %s, got %s" % (path, op, raw,
                                                 json.dumps(got)[:120])


def check_shape(doc):
    """The JSON contract every report must keep."""
    errs = []
    if not isinstance(doc, dict):
        return ["JSON is not an object"]
    for key in ("target", "verdict", "findings", "protocols", "ciphers",
                "chain", "handshakes", "elapsed_ms"):
        if key not in doc:
            errs.append("JSON lacks %r" % key)
    t = doc.get("target")
    if isinstance(t, dict):
        for key in ("host", "port", "address", "sni"):
            if key not in t:
                errs.append("JSON target lacks %r" % key)
    elif t is not None:
        errs.append("JSON target is not an object")
    if doc.get("verdict") not in EXIT_BY_VERDICT:
        errs.append("verdict %r unknown" % doc.get("verdict"))
    fs = doc.get("findings")
    if not isinstance(fs, list):
        errs.append("findings is not a list")
        fs = []
    for f in fs:
        if not isinstance(f, dict):
            errs.append("a finding is not an object")
            continue
        for key in ("id", "owner", "severity", "summary", "evidence"):
            if key not in f:
                errs.append("finding %s lacks %r" % (f.get("id"), key))
        if FINDINGS and f.get("id") not in FINDINGS:
            errs.append("unknown finding id %r" % f.get("id"))
        if f.get("owner") not in ("client", "server", "network"):
            errs.append("finding %s: owner %r" % (f.get("id"),
                                                 f.get("owner")))
        if f.get("severity") not in ("info", "warning", "error"):
            errs.append("finding %s: severity %r" % (f.get("id"),
                                                    f.get("severity")))
    p = doc.get("protocols")
    if isinstance(p, dict):
        for k, v in p.items():
            if k not in PROTO_KEYS or v not in (True, False, None):
                errs.append("protocols %r: %r" % (k, v))
    for key in ("handshakes", "elapsed_ms"):
        v = doc.get(key)
        if key in doc and (not isinstance(v, int) or isinstance(v, bool) or
                           v < 0):
            errs.append("%s is %r" % (key, v))
    ciphers = doc.get("ciphers")
    if isinstance(p, dict) and isinstance(ciphers, dict):
        for k, v in p.items():
            got = ciphers.get(k)
            if v is True and got == []:
                errs.append("%s accepted but no suite listed" % k)
            if v is False and isinstance(got, list) and got:
                errs.append("%s refused but suites listed" % k)
    c = doc.get("chain")
    if isinstance(c, list):
        for cert in c:
            if not isinstance(cert, dict) or "subject" not in cert:
                errs.append("chain entry without subject")
                break
    verdict = doc.get("verdict")
    serious = [f for f in fs if isinstance(f, dict) and
               f.get("severity") in ("warning", "error")]
    if verdict == "ok" and serious:
        errs.append("verdict ok with %s" % ",".join(
            str(f.get("id")) for f in serious))
    if verdict == "problems" and not serious:
        errs.append("verdict problems without an error/warning finding")
    return errs


def check_findings(case, doc):
    errs = []
    fs = [f for f in doc.get("findings", []) if isinstance(f, dict)]
    by_id = {}
    for f in fs:
        by_id.setdefault(f.get("id"), []).append(f)
    for fid, owner, sev in case.expect:
        got = by_id.get(fid)
        if not got:
            errs.append("missing %s" % fid)
            continue
        if owner != "*" and all(f.get("owner") != owner for f in got):
            errs.append("%s owner %s, want %s" % (
                fid, got[0].get("owner"), owner))
        if sev and all(f.get("severity") != sev for f in got):
            errs.append("%s severity %s, want %s" % (
                fid, got[0].get("severity"), sev))
    for fid in case.forbid:
        if fid in by_id:
            errs.append("unexpected %s" % fid)
    if case.strict:
        wanted = {e[0] for e in case.expect} | set(case.allow) | \
            set(case.forbid)
        extra = sorted({f.get("id") for f in fs
                        if f.get("severity") in ("warning", "error") and
                        f.get("id") not in wanted})
        if extra:
            errs.append("also reported %s" % ",".join(map(str, extra)))
    return errs


# --- running a case -------------------------------------------------------

def subst(template, vals):
    def rep(m):
        key = m.group(1)
        if key not in vals:
            raise KeyError("unknown placeholder {%s}" % key)
        return str(vals[key])
    return re.sub(r"\{(\w+)\}", rep, template)


def run_bounded(argv, cwd, timeout):
    """Run argv in its own process group, registered so an interrupted run
    stops it too. Returns (status, stdout, stderr); status None: killed
    after timeout seconds."""
    if STOPPING.is_set():
        return 1, b"", b"interrupted"
    p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    with LIVE_LOCK:
        LIVE.add(p.pid)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        kill_group(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out, err
    finally:
        with LIVE_LOCK:
            LIVE.discard(p.pid)


def run_setup(cmd, cwd):
    """A shell step, bounded; returns None or why it failed."""
    rc, out, err = run_bounded(["sh", "-ec", cmd], cwd, 60)
    if rc is None:
        return "setup took over 60s"
    if rc == 0:
        return None
    msg = (err or out).decode("utf-8", "replace").strip()
    return "setup failed: %s" % " / ".join(msg.splitlines()[-2:])[:300]


def run_tlsmedic(argv, limit, env):
    """Returns (exit status or None on timeout, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    if STOPPING.is_set():
        return None, b"", b"", 0.0
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True, env=env)
    with LIVE_LOCK:
        LIVE.add(p.pid)
    try:
        out, err = p.communicate(timeout=limit + 1)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        kill_group(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = None
    finally:
        with LIVE_LOCK:
            LIVE.discard(p.pid)
    return rc, out, err, time.monotonic() - t0


def run_case(case, ctx):
    reasons = []
    tmp = tempfile.mkdtemp(prefix="case-", dir=ctx.tmp)
    vals = {"tmp": tmp, "pki": ctx.pki_dir, "host": case.host,
            "tests": TESTS, "hostile": os.path.join(TESTS, "hostile"),
            "it": HERE, "python": PYTHON, "timeout": case.timeout,
            "port": "", "port2": "", "port3": ""}
    servers = []
    t0 = time.monotonic()
    try:
        for req in case.requires:
            if shutil.which(req) is None:
                return ["needs %s (tests/install-deps)" % req], 0
        if case.probe:
            rc, _, err = run_bounded(["sh", "-c", case.probe], tmp, 10)
            if rc != 0:
                return ["cannot run here: `%s` failed (%s)" % (
                    case.probe, err.decode("utf-8", "replace").strip()[:100])
                        ], 0
        if case.pki:
            if ctx.pki_error:
                return [ctx.pki_error], 0
        for key, cmd in case.steps:
            if key.startswith("setup"):
                err = run_setup(subst(cmd, vals), tmp)
                if err:
                    return [err], 0
                continue
            pkey = "port" + key[len("server"):]
            if cmd == "refused":
                vals[pkey] = free_port()
                continue
            argv = shlex.split(subst(cmd, vals))
            s = Server(argv, tmp, case.server_wait)
            servers.append(s)
            vals[pkey] = s.port
        env = dict(os.environ)
        # faketime preloads a library: let an ASan build run under it.
        env["ASAN_OPTIONS"] = ":".join(x for x in (
            env.get("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1"),
            "verify_asan_link_order=0") if x)
        for mode in case.modes:
            argv = shlex.split(subst(case.wrap, vals)) + [ctx.binary]
            argv.append("--%s" % mode)
            if case.resolve:
                argv += ["--resolve", subst("{host}:{port}:", vals) +
                         case.address]
            argv += ["--timeout", str(case.timeout)]
            argv += shlex.split(subst(case.args, vals))
            argv.append(subst(case.target, vals))
            rc, out, err, secs = run_tlsmedic(argv, case.limit, env)
            reasons += judge(case, mode, rc, out, err, secs)
            if ctx.verbose:
                sys.stderr.write("--- %s %s rc=%s %.1fs\n%s\n%s\n" % (
                    case.name, " ".join(argv), rc, secs,
                    out.decode("utf-8", "replace")[:4000],
                    err.decode("utf-8", "replace")[:2000]))
        for cmd in case.after:
            rc, out, err = run_bounded(["sh", "-c", subst(cmd, vals)], tmp,
                                       10)
            if rc != 0:
                reasons.append("after: `%s` failed" % cmd)
        for s in servers:
            if not s.alive() and reasons:
                reasons.append("server died: %s" % s.tail_text())
    except Exception as e:  # a broken case fails, the run goes on
        reasons.append("%s: %s" % (type(e).__name__, e))
    finally:
        for s in servers:
            s.stop()
        if not ctx.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return reasons, time.monotonic() - t0


def judge(case, mode, rc, out, err, secs):
    tag = "" if mode == "json" else "[%s] " % mode
    errs = []
    if rc is None:
        return [tag + "did not end within %gs (killed at %gs)" % (
            case.limit, case.limit + 1)]
    if rc < 0:
        errs.append("killed by signal %d" % -rc)
    elif rc not in DOCUMENTED_EXITS:
        errs.append("exit %d (undocumented)" % rc)
    if secs > case.limit:
        errs.append("took %.1fs > %gs" % (secs, case.limit))
    for text in (b"AddressSanitizer", b"runtime error:", b"LeakSanitizer",
                 b"ASan runtime", b"ThreadSanitizer"):
        if text in err:
            errs.append("sanitizer: %s" % text.decode())
    errs += control_problems(out, "stdout") + control_problems(err, "stderr")
    if case.exits is not None and rc is not None and rc >= 0 and \
            rc not in case.exits:
        errs.append("exit %d, want %s (stderr: %s)" % (
            rc, "/".join(map(str, sorted(case.exits))),
            err.decode("utf-8", "replace").strip()[:160]))
    if mode == "json" and case.parse:
        try:
            doc = json.loads(out.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            snippet = out.decode("utf-8", "replace").strip()[:100]
            return [tag + x for x in errs +
                    ["stdout is not JSON (%s): %r" % (str(e)[:60], snippet)]]
        errs += check_shape(doc)
        ms = doc.get("elapsed_ms") if isinstance(doc, dict) else None
        if isinstance(ms, int) and ms > secs * 1000 + 200:
            errs.append("elapsed_ms %d but the run took %.0f ms" % (
                ms, secs * 1000))
        v = doc.get("verdict") if isinstance(doc, dict) else None
        if v in EXIT_BY_VERDICT and rc is not None and rc >= 0 and \
                rc != EXIT_BY_VERDICT[v]:
            errs.append("verdict %s but exit %d" % (v, rc))
        if case.verdict and v != case.verdict:
            errs.append("verdict %s, want %s" % (v, case.verdict))
        if isinstance(doc, dict):
            errs += check_findings(case, doc)
            for expr in case.checks:
                e = run_check(doc, expr)
                if e:
                    errs.append(e)
    elif mode != "json":
        text = out.decode("utf-8", "replace")
        if not text.strip():
            errs.append("empty report")
        # The text face must tell the same story as the JSON: each
        # expected finding under its owner's heading.
        for fid, owner, _ in case.expect:
            if fid not in text:
                errs.append("text lacks %s" % fid)
            if owner in OWNER_TITLES and OWNER_TITLES[owner] not in text:
                errs.append("text lacks the heading %r" % OWNER_TITLES[owner])
    return [tag + x for x in errs]


class Context:
    pass


def make_pki(ctx):
    """The shared PKI (tests/lib/mkpki.sh, then our extras), once a run."""
    ctx.pki_dir = os.path.join(ctx.tmp, "pki")
    ctx.pki_error = None
    os.makedirs(ctx.pki_dir)
    mkpki = os.environ.get("MKPKI", os.path.join(TESTS, "lib", "mkpki.sh"))
    extra = os.path.join(HERE, "mkpki-extra.sh")
    for script in (mkpki, extra):
        if not os.path.exists(script):
            ctx.pki_error = "%s missing" % os.path.relpath(script, TOP)
            return
        rc, out, err = run_bounded(["sh", script, ctx.pki_dir], ctx.tmp, 90)
        if rc is None:
            ctx.pki_error = "%s took over 90s" % os.path.basename(script)
            return
        if rc != 0:
            msg = (err or out).decode("utf-8", "replace").strip()
            ctx.pki_error = "%s failed: %s" % (
                os.path.basename(script), " / ".join(msg.splitlines()[-2:]))
            return


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if f.endswith(".case"))
        else:
            files.append(p)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", "--jobs", type=int,
                    default=int(os.environ.get("IT_JOBS", "4")))
    ap.add_argument("-k", "--filter", action="append", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temp dir (printed)")
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(stop_all)

    ctx = Context()
    ctx.verbose, ctx.keep = a.verbose, a.keep
    ctx.binary = os.path.abspath(os.environ.get(
        "TLSMEDIC", os.path.join(TOP, "tlsmedic")))
    paths = a.paths or [os.path.join(HERE, "cases"),
                        os.path.join(TESTS, "hostile", "cases")]
    cases, bad = [], []
    for f in collect(paths):
        try:
            c = Case(f)
        except (ValueError, configparser.Error) as e:
            bad.append((os.path.basename(f), str(e)))
            continue
        if not a.filter or any(k in c.name for k in a.filter):
            cases.append(c)

    ctx.tmp = tempfile.mkdtemp(prefix="tlsmedic-it-")
    if not a.keep:
        RUN_TMP.append(ctx.tmp)
    t0 = time.monotonic()
    passed = failed = 0
    try:
        if not os.access(ctx.binary, os.X_OK):
            print("FAIL setup: TLSMEDIC=%s is not executable" % ctx.binary)
            print("0 passed, %d failed" % (len(cases) or 1))
            return 1
        # Run a copy: others may relink the binary while we test it.
        snap = os.path.join(ctx.tmp, "tlsmedic")
        try:
            shutil.copy2(ctx.binary, snap)
            ctx.binary = snap
        except OSError:
            pass
        if any(c.pki for c in cases):
            make_pki(ctx)
        else:
            ctx.pki_dir, ctx.pki_error = "", None
        for name, why in bad:
            print("FAIL %s: bad case file: %s" % (name, why), flush=True)
            failed += 1
        with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
            futs = {ex.submit(run_case, c, ctx): c for c in cases}
            for fut in concurrent.futures.as_completed(futs):
                c = futs[fut]
                reasons, secs = fut.result()
                if reasons:
                    failed += 1
                    print("FAIL %s: %s" % (c.name, "; ".join(reasons)),
                          flush=True)
                else:
                    passed += 1
                    print("PASS %s (%.1fs)" % (c.name, secs), flush=True)
    finally:
        stop_all()
        if a.keep:
            print("kept %s" % ctx.tmp)
        else:
            shutil.rmtree(ctx.tmp, ignore_errors=True)
    sys.stderr.write("integration: %.1fs wall\n" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
