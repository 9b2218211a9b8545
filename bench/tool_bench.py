#!/usr/bin/env python3
"""bench/tool_bench.py: whole-process time of nonet's commands next to the
tools they stand beside, interleaved, medians.  Prints JSON lines.

    tool_bench.py NONET RUNS NAME "NONET ARGS" "OTHER CMD" "WHAT"...
Each command runs through /bin/sh -c with output to /dev/null."""
import json
import statistics
import subprocess
import sys
import time


def once(cmd):
    t0 = time.perf_counter()
    rc = subprocess.call(cmd, shell=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1000, rc


def main():
    runs = int(sys.argv[1])
    args = sys.argv[2:]
    for i in range(0, len(args), 4):
        name, ours, other, what = args[i:i + 4]
        a, b, failures = [], [], 0
        for _ in range(runs):
            for cmd, into in ((ours, a), (other, b)):
                ms, rc = once(cmd)
                into.append(ms)
                failures += rc not in (0, 1) and cmd == ours
        print(json.dumps({"bench": "tool", "name": name, "what": what,
                          "nonet_ms": round(statistics.median(a), 2),
                          "other_ms": round(statistics.median(b), 2),
                          "runs": runs, "failures": failures}), flush=True)


main()
