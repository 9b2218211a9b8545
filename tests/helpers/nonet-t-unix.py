#!/usr/bin/python3
# For tests/t-mask.sh.
#   nonet-t-unix.py listen READY PATH...   listening stream sockets (0666)
#                                          that accept and close; touches
#                                          READY once all listen
#   nonet-t-unix.py probe PATH...          prints PATH:RESULT for each, the
#                                          result "ok" or the errno's name
#                                          (a directory: "dir=N" entries)
import errno
import os
import selectors
import socket
import sys

if sys.argv[1] == "listen":
    sel = selectors.DefaultSelector()
    for path in sys.argv[3:]:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        os.chmod(path, 0o666)
        s.listen(16)
        sel.register(s, selectors.EVENT_READ)
    open(sys.argv[2], "w").close()
    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            conn.close()
else:
    out = []
    for path in sys.argv[2:]:
        if os.path.isdir(path):
            out.append("%s:dir=%d" % (path, len(os.listdir(path))))
            continue
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(path)
            result = "ok"
        except socket.timeout:
            result = "timeout"
        except OSError as e:
            result = errno.errorcode.get(e.errno, str(e.errno))
        s.close()
        out.append("%s:%s" % (path, result))
    print(" ".join(out))
