#!/usr/bin/python3
"""Extract the real public data used by the example pack into content/data/.

Usage: /usr/bin/python3 tests/tools/extract_real.py [SRC_DIR] [OUT_DIR]
  SRC_DIR  folder holding the shared real data sets
           (default /work/shared/data/real; see its SOURCES.md)
  OUT_DIR  default: content/data beside this repository's tests/

Standard library only. Deterministic: the same inputs give byte-identical
outputs. The inputs are checked against the sha256 sums recorded in the
shared SOURCES.md, so the provenance in content/data/SOURCES.md holds.

Outputs (one ISO date column, then numeric columns, LF line endings):
  ambulance_swast_daily.csv  date,incidents
      SWASFT 'Trust' series (whole trust), 2018-01-01 .. 2019-12-31.
  ae_scotland_monthly.csv    date,attendances,within_4h_pct,over_8h_pct,over_12h_pct
      Scotland (HBT S92000003), 2017-01 .. 2024-12, first of month.
  rtt_wales_monthly.csv      date,waiting_all,within_26w_pct,over_36w
      All Wales, 2011-09 .. 2022-07. within_26w_pct is derived:
      100 x 'Up to 26 weeks' / 'All', rounded to 1 decimal place.
"""
import csv
import datetime
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/real"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "content", "data")

SHA256 = {
    "swast_ambulance_daily.csv":
        "fe42d2a5101a31f68af94875af49837b43965ac6bf34c849c3fae6cb8b0a31bc",
    "phs_ae_monthly.csv":
        "00d06988847d806e57a1c53b8996b8471509175c886dbc7df54cebbc9ebe4a59",
    "wales_rtt_waiting_list_monthly.csv":
        "622114c43ce7fbdb6ddd5bb8632e1112a8bbfe5d845758ac132bb2467eb4b5e3",
}


def source(name):
    path = os.path.join(SRC, name)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256[name]:
        sys.exit("%s: sha256 %s does not match SOURCES.md" % (path, digest))
    return path


def write(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print("wrote %s (%d rows)" % (os.path.normpath(path), len(rows)))


def ambulance():
    first, last = "2018-01-01", "2019-12-31"
    rows = []
    with open(source("swast_ambulance_daily.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["ORA"] == "Trust" and first <= r["Actual_dt"] <= last:
                rows.append((r["Actual_dt"], int(r["Actual_Value"])))
    rows.sort()
    d = datetime.date.fromisoformat(first)
    for date, _ in rows:  # one row a day, no gaps
        assert date == d.isoformat(), (date, d)
        d += datetime.timedelta(days=1)
    assert rows[-1][0] == last
    write("ambulance_swast_daily.csv", ["date", "incidents"], rows)


def ae_scotland():
    first, last = "2017-01-01", "2024-12-01"
    rows = []
    with open(source("phs_ae_monthly.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["HBT"] == "S92000003" and first <= r["Date2"] <= last:
                rows.append((r["Date2"], int(r["NumberOfAttendancesAll"]),
                             r["PercentageOnTarget"], r["% Waiting over 8hrs"],
                             r["% Waiting over 12hrs"]))
    rows.sort()
    assert len(rows) == 96 and rows[0][0] == first and rows[-1][0] == last
    write("ae_scotland_monthly.csv",
          ["date", "attendances", "within_4h_pct", "over_8h_pct", "over_12h_pct"],
          rows)


def rtt_wales():
    rows = []
    with open(source("wales_rtt_waiting_list_monthly.csv"), newline="") as f:
        for r in csv.DictReader(f):
            total = int(r["All"])
            within = int(r["Up to 26 weeks"])
            pct = "%.1f" % (100.0 * within / total)
            rows.append((r["Date"], total, pct, int(r["Over 36 weeks"])))
    rows.sort()
    assert len(rows) == 131
    write("rtt_wales_monthly.csv",
          ["date", "waiting_all", "within_26w_pct", "over_36w"], rows)


if __name__ == "__main__":
    ambulance()
    ae_scotland()
    rtt_wales()
