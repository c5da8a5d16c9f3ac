#!/usr/bin/env python3
"""gen-documents.py — .fwdoc documents for the benchmarks.

Writes flat-N.fwdoc (N rules side by side under one group) and outline-N.fwdoc
(the same number of rules in a 3-level outline: groups of groups of rules)
for each N given (default 1000 10000 100000), into DIR (default .).

The rules cycle through a realistic mix of properties: single addresses,
address lists and networks (IPv4 and IPv6), ports, port lists and ranges,
protocols, connection states, ICMP and ICMPv6 types, interfaces, with is and
is-not and the terminal and non-terminal actions. Ids are deterministic, so
two runs write the same bytes.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import json
import os
import sys


def rule_id(n):
    return "00000000-0000-4000-8000-%012x" % n


def condition(i):
    """Property, relation, value, action, parameter of the i-th leaf rule."""
    a, b, c = (i >> 16) & 255, (i >> 8) & 255, i & 255
    kind = i % 12
    relation = "is-not" if i % 17 == 0 else "is"
    if kind == 0:
        return "source-address", relation, "10.%d.%d.%d" % (a, b, c), "drop", ""
    if kind == 1:
        return ("source-address", "is",
                "10.%d.%d.0/24, 172.16.%d.%d, 2001:db8:%x::/48" % (a, b, b, c, i & 0xffff),
                "pass", "")
    if kind == 2:
        return "destination-port", relation, str(1024 + i % 60000), "pass", ""
    if kind == 3:
        return ("destination-port", "is",
                "%d, %d, %d-%d" % (1 + i % 1000, 2000 + i % 1000, 30000 + i % 1000, 31000 + i % 1000),
                "drop", "")
    if kind == 4:
        return "protocol", "is", ["tcp", "udp", "tcp, udp", "sctp"][i % 4], "count", ""
    if kind == 5:
        return "connection-state", "is", ["new", "established, related", "invalid"][i % 3], "pass", ""
    if kind == 6:
        return "icmp-type", "is", ["echo-request", "3/4", "time-exceeded"][i % 3], "pass", ""
    if kind == 7:
        return "icmpv6-type", "is", ["echo-request", "nd-neighbor-solicit, nd-neighbor-advert"][i % 2], "pass", ""
    if kind == 8:
        return "interface", relation, ["eth%d" % (i % 8), "wlp*", "lo"][i % 3], "pass", ""
    if kind == 9:
        return ("destination-address", relation,
                "192.168.%d.%d-192.168.%d.%d" % (b, 1, b, 1 + c // 2), "reject", "")
    if kind == 10:
        return "source-port", "is", "%d-%d" % (40000 + i % 1000, 50000 + i % 1000), "drop", ""
    return "destination-address", relation, "2001:db8::%x" % (i & 0xffff), "drop", ""


def leaf(i):
    prop, relation, value, action, parameter = condition(i)
    return {"id": rule_id(0x100000000 + i), "enabled": True, "name": "Rule %d" % i,
            "property": prop, "relation": relation, "value": value,
            "action": action, "parameter": parameter}


def group(n, name, prop, value, children):
    return {"id": rule_id(n), "enabled": True, "name": name, "property": prop,
            "relation": "is", "value": value, "action": "group", "parameter": "",
            "children": children}


def document(rules):
    return {"fwdoc": 1, "enabled": True, "default": "pass", "interfaces": {},
            "triggered": {"duration": "15m", "trusted": []},
            "adaptive": {"enabled": False, "failures": 10, "window": "15m",
                         "duration": "15m", "max-duration": "1d", "services": ["sshd"]},
            "rules": rules}


def flat(n):
    return document([group(1, "Incoming", "direction", "in", [leaf(i) for i in range(n)])])


def outline(n):
    """Direction groups, then groups of 10 subgroups, then up to 100 leaves each."""
    outer = []
    i = 0
    g = 2
    while i < n:
        middle = []
        for _ in range(10):
            if i >= n:
                break
            leaves = [leaf(j) for j in range(i, min(n, i + 100))]
            i += len(leaves)
            middle.append(group(g, "Block %d" % g, "interface", "eth%d" % (g % 4), leaves))
            g += 1
        outer.append(group(g, "Section %d" % g, "direction", "in" if g % 3 else "forward", middle))
        g += 1
    return document(outer)


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "."
    sizes = [int(a) for a in sys.argv[2:]] or [1000, 10000, 100000]
    os.makedirs(directory, exist_ok=True)
    for n in sizes:
        for shape, make in (("flat", flat), ("outline", outline)):
            path = os.path.join(directory, "%s-%d.fwdoc" % (shape, n))
            with open(path, "w", encoding="utf-8") as out:
                json.dump(make(n), out, indent=2, ensure_ascii=False)
                out.write("\n")


if __name__ == "__main__":
    main()
