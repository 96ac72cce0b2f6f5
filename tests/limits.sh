#!/bin/sh
# tests/limits.sh: resource limits (README "Limits").  Generates at test
# time an hourly CSV of LIMIT_ROWS rows (default 1,000,000; 5,000,000 is
# the figure the README quotes) with an unreferenced text column, checks
# it with `boardpack check`, and asserts the peak RSS stays under
# LIMIT_RSS_MB (default 400): memory proportional to the referenced
# columns, not to the file.  Needs python3 for the generator and for
# getrusage; skipped (no PASS, no FAIL) without it or under VALGRIND.
# Env: BIN, VALGRIND.  Prints PASS/FAIL lines.
: "${BIN:?set BIN to the boardpack binary}"
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3) || exit 0
[ -z "$VALGRIND" ] || exit 0
rows=${LIMIT_ROWS:-1000000}
mb=${LIMIT_RSS_MB:-400}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/c/services" "$tmp/c/data"
printf 'title: Limits\ndate: 2024-12-31\n' >"$tmp/c/boardpack.yml"
cat >"$tmp/c/services/big.md" <<'MD'
---
title: Big
data: ../data/big.csv
period: hour
demand: {column: referrals, minutes_per_case: 10}
capacity: {column: staff, minutes_per_resource: 60}
target_wait_days: 2
metrics:
  - {column: pct}
---
Body.
MD
"$py" - "$tmp/c/data/big.csv" "$rows" <<'PY'
import sys, datetime
path, n = sys.argv[1], int(sys.argv[2])
t = datetime.datetime(1900, 1, 1)
h = datetime.timedelta(hours=1)
with open(path, "w") as f:
    f.write("date,note,referrals,staff,pct\n")
    for i in range(n):
        f.write("%s,row %d of the limits test,%d,%d,%d.5\n" %
                (t.strftime("%Y-%m-%dT%H"), i, i % 7, 1 + i % 3, i % 100))
        t += h
PY
size=$(($(wc -c <"$tmp/c/data/big.csv") >> 20))
"$py" - "$BIN" "$tmp/c" "$mb" "$rows" "$size" <<'PY'
import resource, subprocess, sys
bin, content, mb, rows, size = sys.argv[1:6]
r = subprocess.run([bin, "check", content], stderr=subprocess.PIPE)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
if r.returncode != 0:
    print("FAIL limits/check-%s-rows (exit %d)" % (rows, r.returncode))
    sys.stdout.write(r.stderr.decode(errors="replace")[:2000])
elif peak >= int(mb):
    print("FAIL limits/check-%s-rows: peak RSS %d MB >= %s MB (file %s MB)"
          % (rows, peak, mb, size))
else:
    print("PASS limits/check-%s-rows (file %s MB, peak RSS %d MB < %s MB)"
          % (rows, size, peak, mb))
PY
