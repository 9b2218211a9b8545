#!/usr/bin/env python3
# nonet-t-exam.py: one candidate of tests/t-exam.sh, run inside a PAM
# session as the user.  Prints one "NAME RESULT" line per probe (RESULT is
# what came back, or "no:" and the error) to OUT.
#
#   nonet-t-exam.py serve OUT READY DONE IP PROBES...
#       listens on TCP 7000, UDP 7001 (7100, 7101 for TAG b: 100 more per
#       letter) and the abstract socket @TAG, TAG being OUT's file name; writes
#       READY, probes, then answers until DONE exists.
#   nonet-t-exam.py probe OUT IP PROBES...
#       probes only.
# A probe is NAME=KIND:HOST:PORT, KIND tcp, udp, abstract (HOST: the
# abstract name; an IPv6 HOST in brackets, [ADDR]) or name (HOST: a name
# looked up with getaddrinfo, IPv4, as any program would: NSS, then the
# resolver of /etc/resolv.conf; PORT unused); IP is the ip(8) binary, whose
# `ip -j addr` goes to OUT.json.
import os
import socket
import subprocess
import sys
import threading
import time

TIMEOUT = 1.5


def probe(kind, host, port):
    try:
        if kind == "tcp":
            s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
            return s.recv(100).decode().strip() or "connected"
        if kind == "udp":
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.settimeout(TIMEOUT)
            s.sendto(b"hello", (host, int(port)))
            return s.recv(100).decode().strip()
        if kind == "name":
            got = socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)
            return " ".join(sorted({a[4][0] for a in got}))
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        s.connect("\0" + host)
        return s.recv(100).decode().strip() or "connected"
    except OSError as e:
        return "no: " + type(e).__name__


def serve_tcp(s, text):
    while True:
        c, _ = s.accept()
        c.sendall(text)
        c.close()


def serve_udp(s, text):
    while True:
        _, peer = s.recvfrom(100)
        s.sendto(text, peer)


def listen(tag):
    port = 7000 + 100 * (ord(tag[0]) - ord("a"))
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("0.0.0.0", port))
    t.listen()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", port + 1))
    a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    a.bind("\0" + tag)
    a.listen()
    for fn, s in ((serve_tcp, t), (serve_udp, u), (serve_tcp, a)):
        threading.Thread(target=fn, args=(s, b"candidate\n"), daemon=True).start()


def run_probes(out, ip, probes):
    with open(out + ".json", "w") as f:
        subprocess.run([ip, "-j", "addr", "show"], stdout=f, check=False)
    with open(out, "w") as f:
        f.write("netns %d\n" % os.stat("/proc/self/ns/net").st_ino)
        f.write("pid %d\n" % os.getpid())
        for p in probes:
            name, spec = p.split("=", 1)
            kind, rest = spec.split(":", 1)
            host, port = rest.rsplit(":", 1)
            host = host.strip("[]")
            f.write("%s %s\n" % (name, probe(kind, host, port)))


def main():
    role = sys.argv[1]
    if role == "serve":
        out, ready, done, ip = sys.argv[2:6]
        listen(os.path.basename(out))
        run_probes(out, ip, sys.argv[6:])
        open(ready, "w").close()
        for _ in range(1200):
            if os.path.exists(done):
                break
            time.sleep(0.05)
    else:
        out, ip = sys.argv[2:4]
        run_probes(out, ip, sys.argv[4:])


main()
