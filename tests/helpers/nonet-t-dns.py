#!/usr/bin/python3
# A DNS resolver for tests/t-mask.sh: listens on ADDR:53 (UDP), appends
# every query name to LOG, answers A queries with 192.0.2.7 and others
# with no record.  Touches READY once it listens.
import socket
import struct
import sys

log_path, addr, ready = sys.argv[1:4]
log = open(log_path, "a", buffering=1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, 53))
open(ready, "w").close()
while True:
    data, peer = s.recvfrom(4096)
    try:
        qid = struct.unpack("!H", data[:2])[0]
        i, labels = 12, []
        while data[i]:
            labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
            i += data[i] + 1
        qtype = struct.unpack("!H", data[i + 1:i + 3])[0]
    except (IndexError, struct.error):
        continue
    log.write(".".join(labels) + "\n")
    question = data[12:i + 5]
    if qtype == 1:
        answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 7])
        s.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + answer, peer)
    else:
        s.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 0, 0, 0) + question, peer)
