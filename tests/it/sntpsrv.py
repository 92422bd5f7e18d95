#!/usr/bin/env python3
"""sntpsrv.py: a small SNTP server (RFC 4330) for tests.

Listens on UDP 127.0.0.1 (or ::1 with --v6) port 0, prints "PORT n", and
answers every client request with this machine's time, plus --offset
SECONDS (to play a server that is wrong). --kiss answers with a
kiss-o'-death (stratum 0), which a client must not use. Every request is
counted in --log FILE (one line each) when given.
"""
import argparse
import os
import signal
import socket
import struct
import time

NTP_DELTA = 2208988800


def ntp_stamp(t):
    s = int(t) + NTP_DELTA
    f = int((t - int(t)) * (1 << 32)) & 0xffffffff
    return struct.pack("!II", s & 0xffffffff, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--offset", type=float, default=0.0)
    ap.add_argument("--kiss", action="store_true")
    ap.add_argument("--v6", action="store_true")
    ap.add_argument("--log")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *x: os._exit(0))
    fam = socket.AF_INET6 if a.v6 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(("::1" if a.v6 else "127.0.0.1", 0))
    print("PORT %d" % s.getsockname()[1], flush=True)
    while True:
        data, peer = s.recvfrom(512)
        t2 = time.time() + a.offset
        if a.log:
            with open(a.log, "a") as f:
                f.write("request %d bytes\n" % len(data))
        if len(data) < 48 or (data[0] & 7) != 3:
            continue
        stratum = 0 if a.kiss else 2
        head = struct.pack("!BBbb", (4 << 3) | 4, stratum, 6, -20)
        head += struct.pack("!II", 0, 0) + b"LOCL"
        reply = (head + ntp_stamp(t2 - 1) + data[40:48] + ntp_stamp(t2) +
                 ntp_stamp(time.time() + a.offset))
        s.sendto(reply, peer)


if __name__ == "__main__":
    main()
