#!/usr/bin/env python3
"""bench/report.py: turns pam_bench's JSON lines into bench/results.json
(figures, ratios, targets met or missed) and prints them as a table.

    report.py RESULTS.jsonl BUILD > results.json
    report.py --table results.json
"""
import json
import platform
import sys
import time


def load(path):
    rows = [json.loads(line) for line in open(path) if line.startswith("{")]
    by = {}
    for r in rows:
        by.setdefault((r["bench"], r.get("target")), []).append(r)
    return rows, by


def one(by, bench, target):
    found = by.get((bench, target))
    return found[-1] if found else None


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def targets(by):
    t = []

    def add(name, value, limit, what):
        t.append({"target": name, "value": value, "limit": limit,
                  "met": value is not None and value <= limit, "what": what})

    med = lambda b, x: (one(by, b, x) or {}).get("median_us")
    priv, newnet = med("time", "nonet-private"), med("time", "newnet")
    permit, floor = med("time", "permit"), med("time", "@floor")
    add("private / pam_newnet", ratio(priv, newnet), 1.0,
        "median open+close, nonet private vs libpam-net's pam_newnet")
    module = priv - permit if priv and permit else None
    add("(private - pam_permit) / floor", ratio(module, floor), 1.15,
        "the module's part of a login (PAM's own cost removed) vs the "
        "kernel doing the same work in-process")
    shared, usernet = med("time", "nonet-shared"), med("time", "usernet")
    add("shared / pam_usernet", ratio(shared, usernet), 1.0,
        "a later login of a user with a session open")
    add("shared / private", ratio(shared, priv), 0.25,
        "joining vs making a namespace")
    if shared and priv and permit:
        add("(shared - pam_permit) / (private - pam_permit)",
            ratio(shared - permit, priv - permit), 0.25,
            "the module's part of a later shared login vs of a private one")
    for target in ("nonet-private", "nonet-shared"):
        h = one(by, "hold", target)
        if h:
            add("failures, %d sessions held (%s)" % (h["n"], target),
                h["failures"], 0, "sessions that could not be opened")
    h, f = one(by, "hold", "nonet-private"), one(by, "hold", "@floor")
    if h and f and f["slab_per_session_kb"]:
        add("slab per session / floor's", ratio(h["slab_per_session_kb"],
                                               f["slab_per_session_kb"]), 1.1,
            "kernel memory (Slab) per private session vs per bare namespace")
    for target in ("nonet-private", "newnet", "nonet-uplink"):
        s = one(by, "storm", target)
        if s:
            add("failures in a storm of %d (%s)" % (s["n"] + s["failures"],
                                                  target),
                s["failures"], 0, "logins released at the same moment")
    pol = [r for r in by.get(("policy", None), []) if "groups_looked_up" in r]
    for r in pol:
        if r["action"] == "private" and not r["groups_looked_up"]:
            add("group lookups, policy naming no group", 0, 0,
                "no NSS group lookup when no rule names a group")
    for r in by.get(("tool", None), []):
        # audit judges what lsns only lists: 10% for that and the noise
        # of a shared machine (this was t-audit's limit).
        limit = 1.1 if r["name"].startswith("audit ") else 1.0
        add(r["name"], ratio(r["nonet_ms"], r["other_ms"]), limit, r["what"])
    return t


def main():
    if sys.argv[1] == "--table":
        res = json.load(open(sys.argv[2]))
        print("%-44s %12s %10s  %s" % ("figure", "median", "p99", "n"))
        for r in res["figures"]:
            if r["bench"] in ("time", "storm", "policy") and "median_us" in r:
                name = str(r["target"])
                if name.startswith("@setns="):
                    name = "@setns"
                print("%-44s %10.1fus %8.1fus  %d%s" % (
                    r["bench"] + " " + name.split("/")[-1],
                    r["median_us"], r["p99_us"], r["n"],
                    "  failures %d" % r["failures"] if r["failures"] else ""))
            elif r["bench"] == "tool":
                print("%-44s %8.1f ms vs %8.1f ms, ratio %.2f" % (
                    r["name"], r["nonet_ms"], r["other_ms"],
                    r["nonet_ms"] / r["other_ms"] if r["other_ms"] else 0))
            elif r["bench"] == "hold":
                print("%-44s open all %.0f ms, %.1f KB/session (slab %.1f), "
                      "drained %.0f ms after close, failures %d" % (
                          "hold %d %s" % (r["n"], r["target"]),
                          r["open_all_ms"], r["mem_per_session_kb"],
                          r["slab_per_session_kb"],
                          r["freed_after_close_ms"], r["failures"]))
        print()
        print("%-44s %8s %8s  %s" % ("target", "value", "limit", "met"))
        for t in res["targets"]:
            print("%-44s %8s %8s  %s" % (t["target"], t["value"], t["limit"],
                                         "yes" if t["met"] else "NO"))
        return 0
    rows, by = load(sys.argv[1])
    json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": {"kernel": platform.release(),
                           "cpus": __import__("os").cpu_count()},
               "build": sys.argv[2], "figures": rows, "targets": targets(by)},
              sys.stdout, indent=1)
    print()
    return 0


sys.exit(main())
