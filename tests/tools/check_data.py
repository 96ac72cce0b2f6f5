#!/usr/bin/python3
"""Check the example pack's CSV files against SPEC 3.3 (a quick pre-flight,
independent of boardpack's own loader).

Usage: /usr/bin/python3 tests/tools/check_data.py [CONTENT_DIR]
For each services/*.md: the data file exists, the declared columns exist,
dates are strictly increasing and regular for the period with no gaps,
demand/capacity cells are numbers >= 0, metric/backlog cells are numbers or
missing (empty, NA, .). Exit status 1 on any problem.
"""
import csv
import datetime
import glob
import os
import sys

import_ok = True
try:
    import yaml  # only for reading front matter; optional
except ImportError:
    import_ok = False

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "content")
MISSING = ("", "NA", ".")
bad = 0


def err(msg):
    global bad
    bad += 1
    print("error: " + msg)


def step(period, a, b):
    if period == "day":
        return (b - a).days == 1
    if period == "week":
        return (b - a).days == 7
    if period == "month":
        return (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1 and b.day == 1
    return False


if not import_ok:
    sys.exit("python3-yaml is needed to read front matter")
for md in sorted(glob.glob(os.path.join(ROOT, "services", "*.md"))):
    text = open(md, encoding="utf-8").read()
    fm = yaml.safe_load(text.split("---\n")[1])
    path = os.path.normpath(os.path.join(os.path.dirname(md), fm["data"]))
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    strict = []
    if "demand" in fm:
        strict.append(fm["demand"]["column"])
        if "column" in fm["capacity"]:
            strict.append(fm["capacity"]["column"])
    loose = [m["column"] for m in fm.get("metrics", [])]
    if fm.get("backlog", {}).get("column"):
        loose.append(fm["backlog"]["column"])
    for c in [fm["date_column"]] + strict + loose:
        if c not in head:
            err("%s: no column %r" % (path, c))
    di = head.index(fm["date_column"])
    prev = None
    for ln, r in enumerate(body, start=2):
        if len(r) != len(head):
            err("%s:%d: %d fields, header has %d" % (path, ln, len(r), len(head)))
            continue
        d = datetime.date.fromisoformat(r[di] if len(r[di]) == 10 else r[di] + "-01")
        if prev and not step(fm["period"], prev, d):
            err("%s:%d: %s does not follow %s" % (path, ln, d, prev))
        prev = d
        for c in strict + loose:
            v = r[head.index(c)]
            if v in MISSING:
                if c in strict:
                    err("%s:%d: missing value in %s" % (path, ln, c))
                continue
            try:
                x = float(v)
            except ValueError:
                err("%s:%d: %r is not a number (%s)" % (path, ln, v, c))
                continue
            if c in strict and x < 0:
                err("%s:%d: negative %s" % (path, ln, c))
    print("%s: %s, %d rows, %s .. %s" % (os.path.basename(md), os.path.basename(path),
                                         len(body), body[0][di], body[-1][di]))
sys.exit(1 if bad else 0)
