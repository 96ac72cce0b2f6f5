#!/usr/bin/python3
"""Generate a synthetic national pack for `make bench`.

usage: gen_bench.py DIR [SERVICES] [DAYS] [METRICS]

Each service has DAYS of daily data (demand, capacity, METRICS metrics),
a scenario block and a simulation block, so the whole pipeline runs.
Deterministic: the same arguments give the same bytes.
"""
import datetime
import os
import random
import sys


def main():
    out = sys.argv[1]
    nsvc = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    ndays = int(sys.argv[3]) if len(sys.argv) > 3 else 3 * 365
    nmet = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    rng = random.Random(20241231)
    os.makedirs(os.path.join(out, "services"), exist_ok=True)
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    start = datetime.date(2022, 1, 3)
    last = start + datetime.timedelta(days=ndays - 1)
    with open(os.path.join(out, "boardpack.yml"), "w") as f:
        f.write("title: Synthetic National Pack\n"
                "organisation: Benchmark\n"
                "date: %s\nperiod_label: Benchmark\n" % last.isoformat())
    with open(os.path.join(out, "index.md"), "w") as f:
        f.write("# Summary\n\nA synthetic pack of %d services.\n" % nsvc)
    for i in range(nsvc):
        sid = "svc-%04d" % i
        base = rng.uniform(5, 200)
        res = max(1, round(base * 60 / 480 * rng.uniform(0.9, 1.15)))
        rows = ["date,demand,staff," + ",".join("m%d" % k for k in range(nmet))]
        for d in range(ndays):
            day = start + datetime.timedelta(days=d)
            wk = 0.7 if day.weekday() >= 5 else 1.0
            dem = max(0, int(rng.gauss(base * wk, base ** 0.5)))
            staff = res if rng.random() > 0.05 else res - 1
            mets = ["%.1f" % rng.gauss(90, 3) for _ in range(nmet)]
            rows.append("%s,%d,%d,%s" % (day.isoformat(), dem, staff,
                                         ",".join(mets)))
        with open(os.path.join(out, "data", sid + ".csv"), "w") as f:
            f.write("\n".join(rows) + "\n")
        mets = "".join(
            "  - column: m%d\n    label: Measure %d\n    unit: \"%%\"\n"
            "    improvement: increase\n    target: 90\n" % (k, k)
            for k in range(nmet))
        with open(os.path.join(out, "services", sid + ".md"), "w") as f:
            f.write("---\ntitle: Service %d\nowner: Owner %d\norder: %d\n"
                    "data: ../data/%s.csv\ndate_column: date\nperiod: day\n"
                    "demand:\n  column: demand\n  minutes_per_case: 60\n"
                    "capacity:\n  column: staff\n  minutes_per_resource: 480\n"
                    "target_wait_days: 28\nmetrics:\n%s"
                    "scenarios:\n"
                    "  - name: Add one\n    capacity_add: 1\n    cost_per_period: 200\n"
                    "  - name: Agency\n    capacity_factor: 1.1\n    cost_per_period: 300\n"
                    "  - name: Channel shift\n    demand_factor: 0.9\n    cost_per_period: 50\n"
                    "simulation:\n  horizon: 182\n  paths: 10000\n  seed: 1\n---\n"
                    "## Commentary\n\nDemand for service %d is **stable**; "
                    "see the charts below.\n\n| Action | Owner |\n|---|---|\n"
                    "| Review rota | Owner %d |\n" % (i, i, i, sid, mets, i, i))


main()
