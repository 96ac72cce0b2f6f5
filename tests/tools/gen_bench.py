#!/usr/bin/python3
"""Generate synthetic packs for `make bench` (tests/bench.sh).

usage: gen_bench.py DIR [SERVICES] [DAYS] [METRICS] [PATHS]
       gen_bench.py --hugo DIR [SERVICES]

First form: a national pack in DIR.  Each service has DAYS of daily data
(demand, capacity, METRICS metrics), three scenarios and a simulation of
PATHS paths x 182 days, so the whole pipeline runs.

Second form: the side-by-side comparison with Hugo.  DIR/hugo is a plain
Hugo site (one page per service, the same Markdown commentary, minimal
layouts) and DIR/pack the boardpack pack of the same pages, where each
page also has 36 monthly points of one measure (SPC and its chart, no
simulation).

Deterministic: the same arguments give the same bytes.
"""
import datetime
import os
import random
import sys


def commentary(i):
    """The Markdown commentary of service i (both sides of the Hugo
    comparison use exactly this text)."""
    return ("## Commentary\n\nDemand for service %d is **stable**; "
            "see the charts below.  Staffing held at the planned level "
            "through the quarter, and the waiting list is within the "
            "[target](https://example.org/targets).\n\n"
            "- Review the rota for weekends\n"
            "- Agree the agency budget with finance\n\n"
            "| Action | Owner | Due |\n|---|---|---|\n"
            "| Review rota | Owner %d | March |\n"
            "| Agency budget | Finance | April |\n" % (i, i))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def national(out, nsvc, ndays, nmet, paths):
    rng = random.Random(20241231)
    start = datetime.date(2022, 1, 3)
    last = start + datetime.timedelta(days=ndays - 1)
    write(os.path.join(out, "boardpack.yml"),
          "title: Synthetic National Pack\norganisation: Benchmark\n"
          "date: %s\nperiod_label: Benchmark\n" % last.isoformat())
    write(os.path.join(out, "index.md"),
          "# Summary\n\nA synthetic pack of %d services.\n" % nsvc)
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
        write(os.path.join(out, "data", sid + ".csv"), "\n".join(rows) + "\n")
        mets = "".join(
            "  - column: m%d\n    label: Measure %d\n    unit: \"%%\"\n"
            "    improvement: increase\n    target: 90\n" % (k, k)
            for k in range(nmet))
        write(os.path.join(out, "services", sid + ".md"),
              "---\ntitle: Service %d\nowner: Owner %d\norder: %d\n"
              "data: ../data/%s.csv\ndate_column: date\nperiod: day\n"
              "demand:\n  column: demand\n  minutes_per_case: 60\n"
              "capacity:\n  column: staff\n  minutes_per_resource: 480\n"
              "target_wait_days: 28\nmetrics:\n%s"
              "scenarios:\n"
              "  - name: Add one\n    capacity_add: 1\n    cost_per_period: 200\n"
              "  - name: Agency\n    capacity_factor: 1.1\n    cost_per_period: 300\n"
              "  - name: Channel shift\n    demand_factor: 0.9\n    cost_per_period: 50\n"
              "simulation:\n  horizon: 182\n  paths: %d\n  seed: 1\n---\n%s"
              % (i, i, i, sid, mets, paths, commentary(i)))


def hugo(out, nsvc):
    rng = random.Random(36)
    h = os.path.join(out, "hugo")
    write(os.path.join(h, "hugo.toml"),
          "baseURL = 'https://example.org/'\ntitle = 'Synthetic pack'\n"
          "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', "
          "'robotsTXT', '404']\n")
    base = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>{{ .Title }}</title></head>\n<body><main>"
            "<h1>{{ .Title }}</h1>\n%s</main></body></html>\n")
    write(os.path.join(h, "layouts", "_default", "single.html"),
          base % "{{ .Content }}")
    write(os.path.join(h, "layouts", "_default", "list.html"),
          base % "<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
          "{{ .Title }}</a></li>{{ end }}</ul>")
    write(os.path.join(h, "layouts", "index.html"),
          base % "{{ .Content }}<ul>{{ range .Site.RegularPages }}<li>"
          "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>")
    write(os.path.join(h, "content", "_index.md"),
          "---\ntitle: Synthetic pack\n---\nA synthetic pack of %d "
          "services.\n" % nsvc)
    p = os.path.join(out, "pack")
    write(os.path.join(p, "boardpack.yml"),
          "title: Synthetic pack\norganisation: Benchmark\n"
          "date: 2024-12-31\nperiod_label: Benchmark\n")
    write(os.path.join(p, "index.md"),
          "A synthetic pack of %d services.\n" % nsvc)
    for i in range(nsvc):
        sid = "svc-%04d" % i
        write(os.path.join(h, "content", "services", sid + ".md"),
              "---\ntitle: Service %d\n---\n%s" % (i, commentary(i)))
        rows = ["month,satisfied_pct"]
        for m in range(36):
            rows.append("%04d-%02d,%.1f" % (2022 + m // 12, m % 12 + 1,
                                            rng.gauss(88, 3)))
        write(os.path.join(p, "data", sid + ".csv"), "\n".join(rows) + "\n")
        write(os.path.join(p, "services", sid + ".md"),
              "---\ntitle: Service %d\nowner: Owner %d\norder: %d\n"
              "data: ../data/%s.csv\ndate_column: month\nperiod: month\n"
              "metrics:\n  - column: satisfied_pct\n    label: Satisfied\n"
              "    unit: \"%%\"\n    improvement: increase\n    target: 85\n"
              "---\n%s" % (i, i, i, sid, commentary(i)))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--hugo":
        hugo(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1000)
        return
    out = sys.argv[1]
    nsvc = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    ndays = int(sys.argv[3]) if len(sys.argv) > 3 else 3 * 365
    nmet = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    paths = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
    national(out, nsvc, ndays, nmet, paths)


main()
