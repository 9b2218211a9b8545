#!/usr/bin/env python3
"""tests/ip_verdict.py: the tests' one reading of iproute2's `ip -j addr`
output, taken inside a session.

    ip_verdict.py HOST_INODE      stdin: "INODE\\n" then `ip -j addr show`
        prints host | isolated | isolated+v6 | what else it saw
    ip_verdict.py --want ADDR...  stdin: `ip -j addr show`
        prints good, or each difference from "only lo, UP, with ADDR..."
"""
import json
import sys


def describe(links):
    names = [l["ifname"] for l in links]
    up = all("UP" in l["flags"] and "LOWER_UP" in l["flags"] for l in links)
    addrs = sorted("%s %s/%d" % (a["family"], a["local"], a["prefixlen"])
                   for l in links for a in l.get("addr_info", []))
    return names, up, addrs


def verdict(host, data):
    ino, _, rest = data.partition("\n")
    if not ino.strip().isdigit():
        return "no namespace inode: %r" % data[:300]
    if ino.strip() == host:
        return "host"
    try:
        names, up, addrs = describe(json.loads(rest))
    except ValueError:
        return "bad ip -j output: %r" % rest[:300]
    if names == ["lo"] and up and addrs == ["inet 127.0.0.1/8"]:
        return "isolated"
    if names == ["lo"] and up and addrs == ["inet 127.0.0.1/8", "inet6 ::1/128"]:
        return "isolated+v6"
    return "other namespace: links %s up %s addrs %s" % (names, up, addrs)


def differences(want, data):
    try:
        links = json.loads(data)
    except ValueError as e:
        return "not JSON: %s" % e
    names, up, addrs = describe(links)
    problems = []
    if names != ["lo"]:
        problems.append("links: %s" % names)
    if not up:
        problems.append("not up: %s" % [l["flags"] for l in links])
    if addrs != sorted(want):
        problems.append("addresses %s, want %s" % (addrs, sorted(want)))
    return "\n".join(problems) or "good"


if sys.argv[1] == "--want":
    print(differences(sys.argv[2:], sys.stdin.read()))
else:
    print(verdict(sys.argv[1], sys.stdin.read()))
