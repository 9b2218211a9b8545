#!/usr/bin/python3
# For tests/t-mask.sh: connects to the bus at ADDRESS-PATH, owns NAME,
# touches READY, and then never answers (callers that pass the bus's
# policy time out; callers it stops get AccessDenied at once).  Speaks the
# D-Bus wire protocol itself: no bindings needed.
import os
import socket
import struct
import sys

path, name, ready = sys.argv[1:4]


class Msg:
    def __init__(self):
        self.b = bytearray()

    def align(self, n):
        self.b += b"\0" * (-len(self.b) % n)

    def byte(self, v):
        self.b += bytes([v])

    def u32(self, v):
        self.align(4)
        self.b += struct.pack("<I", v)

    def string(self, s):
        self.u32(len(s))
        self.b += s.encode() + b"\0"

    def sig(self, s):
        self.byte(len(s))
        self.b += s.encode() + b"\0"


def call(serial, member, sig="", args=()):
    body = Msg()
    for t, v in zip(sig, args):
        body.string(v) if t == "s" else body.u32(v)
    fields = [(1, "o", "/org/freedesktop/DBus"), (2, "s", "org.freedesktop.DBus"),
              (3, "s", member), (6, "s", "org.freedesktop.DBus")]
    if sig:
        fields.append((8, "g", sig))
    m = Msg()
    m.b += b"l\x01\x00\x01"
    m.u32(len(body.b))
    m.u32(serial)
    arr = Msg()
    for code, t, v in fields:
        arr.align(8)
        arr.byte(code)
        arr.sig(t)
        arr.sig(v) if t == "g" else arr.string(v)
    m.u32(len(arr.b))
    m.align(8)  # the array's first struct; arr was built from offset 16
    m.b += arr.b
    m.align(8)
    return bytes(m.b + body.b)


s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.sendall(b"\0AUTH EXTERNAL " + str(os.getuid()).encode().hex().encode() + b"\r\n")
if not s.recv(4096).startswith(b"OK"):
    sys.exit("bus refused the authentication")
s.sendall(b"BEGIN\r\n")
s.sendall(call(1, "Hello"))
s.sendall(call(2, "RequestName", "su", (name, 4)))
got = b""
while b"NameAcquired" not in got or name.encode() not in got:
    data = s.recv(4096)  # Hello's reply, then the signal NameAcquired
    if not data:
        sys.exit("the bus hung up: " + repr(got))
    got += data
open(ready, "w").close()
while s.recv(4096):
    pass
