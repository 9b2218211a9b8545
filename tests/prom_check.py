#!/usr/bin/env python3
"""prom_check.py FILE: a strict parser of the Prometheus text exposition
format (0.0.4), as node_exporter's textfile collector reads it.

Exits 0 and prints the samples as JSON ([[name, {label: value}, value],
...]) when FILE is valid; exits 1 with "FILE:LINE: reason" otherwise.
Strict where the format is: metric and label names, label value escapes
(only \\\\, \\" and \\n), HELP escapes (\\\\ and \\n), at most one HELP and
one TYPE per metric and both before its first sample, each metric's lines
in one group, values that are floats (NaN and +/-Inf included), an
optional integer timestamp, no duplicate series, a final newline.  Stricter
than the format where nonet wants it: every metric must have HELP and TYPE.
"""
import json
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"
                   r"|[Nn]a[Nn]|[Ii]nf(?:inity)?)$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"),
            "summary": ("_sum", "_count")}


class Invalid(Exception):
    pass


def parse_label_value(text, i):
    """The value of a label from the opening quote at text[i]; (value, next)."""
    if i >= len(text) or text[i] != '"':
        raise Invalid("label value must be quoted")
    out, i = [], i + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            nxt = text[i + 1:i + 2]
            if nxt not in ("\\", '"', "n"):
                raise Invalid("bad escape \\%s in a label value" % nxt)
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        if c == "\n":
            raise Invalid("raw newline in a label value")
        out.append(c)
        i += 1
    raise Invalid("unterminated label value")


def parse_labels(text, i):
    """{...} from text[i] == '{'; (labels, next)."""
    labels, i = {}, i + 1
    while True:
        if text[i:i + 1] == "}":
            return labels, i + 1
        m = LABEL.match(text, i)
        if not m:
            raise Invalid("bad label name at column %d" % (i + 1))
        name = m.group(0)
        if name.startswith("__"):
            raise Invalid("label name %s is reserved" % name)
        if name in labels:
            raise Invalid("label %s given twice" % name)
        i = m.end()
        if text[i:i + 1] != "=":
            raise Invalid("'=' expected after label %s" % name)
        labels[name], i = parse_label_value(text, i + 1)
        if text[i:i + 1] == ",":
            i += 1
        elif text[i:i + 1] != "}":
            raise Invalid("',' or '}' expected at column %d" % (i + 1))


def parse_sample(line):
    m = NAME.match(line)
    if not m:
        raise Invalid("bad metric name")
    name, i, labels = m.group(0), m.end(), {}
    if line[i:i + 1] == "{":
        labels, i = parse_labels(line, i)
    rest = line[i:]
    if not rest.startswith(" "):
        raise Invalid("a space must separate the value")
    fields = rest.split(" ")[1:]
    if len(fields) not in (1, 2) or not FLOAT.match(fields[0]):
        raise Invalid("bad value %r" % rest.strip())
    if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
        raise Invalid("bad timestamp %r" % fields[1])
    return name, labels, float(fields[0])


def family_of(name, types):
    for fam, kind in types.items():
        if name == fam or (name.startswith(fam) and
                           name[len(fam):] in SUFFIXES.get(kind, ())):
            return fam
    return name


class Checker:
    def __init__(self):
        self.helps, self.types, self.seen, self.done = {}, {}, set(), set()
        self.current, self.samples = None, []

    def enter(self, family):
        """Each family's lines must form one group."""
        if family != self.current:
            if family in self.done:
                raise Invalid("lines of %s are not in one group" % family)
            if self.current:
                self.done.add(self.current)
            self.current = family

    def comment(self, line):
        parts = line.split(" ", 3)
        if len(parts) < 3 or parts[1] not in ("HELP", "TYPE"):
            return  # an ordinary comment
        kind, name = parts[1], parts[2]
        if not NAME.fullmatch(name):
            raise Invalid("bad metric name %r in %s" % (name, kind))
        self.enter(name)
        table = self.helps if kind == "HELP" else self.types
        if name in table:
            raise Invalid("second %s for %s" % (kind, name))
        if any(family_of(s[0], {name: "untyped"}) == name for s in self.samples):
            raise Invalid("%s of %s after its samples" % (kind, name))
        text = parts[3] if len(parts) > 3 else ""
        if kind == "TYPE" and text not in TYPES:
            raise Invalid("unknown type %r" % text)
        if kind == "HELP" and re.search(r"\\[^\\n]", text.replace("\\\\", "")):
            raise Invalid("bad escape in HELP of %s" % name)
        table[name] = text

    def sample(self, line):
        name, labels, value = parse_sample(line)
        family = family_of(name, self.types)
        self.enter(family)
        if family not in self.types or family not in self.helps:
            raise Invalid("sample of %s before its HELP and TYPE" % family)
        key = (name, tuple(sorted(labels.items())))
        if key in self.seen:
            raise Invalid("duplicate series %s%s" % (name, labels))
        self.seen.add(key)
        self.samples.append([name, labels, value])


def check(text):
    if text and not text.endswith("\n"):
        raise Invalid("0: no newline at the end")
    c = Checker()
    for number, line in enumerate(text.split("\n")[:-1], 1):
        try:
            if line.startswith("#"):
                c.comment(line)
            elif line.strip():
                c.sample(line)
        except Invalid as e:
            raise Invalid("%d: %s" % (number, e))
    return c.samples


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: prom_check.py FILE")
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            samples = check(f.read())
    except (Invalid, UnicodeDecodeError) as e:
        print("%s:%s" % (sys.argv[1], e), file=sys.stderr)
        sys.exit(1)
    print(json.dumps(samples))


if __name__ == "__main__":
    main()
