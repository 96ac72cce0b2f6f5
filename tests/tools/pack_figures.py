#!/usr/bin/python3
"""Print the headline figures quoted in the example pack's commentary.

Usage: /usr/bin/python3 tests/tools/pack_figures.py [CONTENT_DIR]
Recomputes, from content/data/*.csv, every number the commentary quotes
(SPEC 4.1 definitions), so the text can be checked against the data.
"""
import csv
import datetime
import os
import statistics as st
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(sys.argv[1] if len(sys.argv) > 1 else
                    os.path.join(HERE, "..", "..", "content"), "data")


def load(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(f))


def num(s):
    return None if s in ("", "NA", ".") else float(s)


def flow(demand, resources, mpc, mpr, start):
    b = start * mpc
    out = []
    for d, r in zip(demand, resources):
        b = max(0.0, b + d * mpc - r * mpr)
        out.append(b)
    ld = sum(demand) * mpc / (sum(resources) * mpr)
    return out, ld


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs)


def idva():
    rows = load("idva_daily.csv")
    dates = [datetime.date.fromisoformat(r["date"]) for r in rows]
    ref = [int(r["referrals"]) for r in rows]
    idv = [int(r["idvas_on_duty"]) for r in rows]
    print("== idva (illustrative) %s .. %s, %d days" % (dates[0], dates[-1], len(rows)))
    print("mean referrals/day %.2f (sd %.2f), total %d" % (mean(ref), st.stdev(ref), sum(ref)))
    wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    print("weekday means", ", ".join("%s %.1f" % (wd[k], mean([r for r, d in zip(ref, dates) if d.weekday() == k])) for k in range(7)))
    for m in range(1, 13):
        sel = [r for r, d in zip(ref, dates) if d.month == m]
        print("  month %02d mean %.1f" % (m, mean(sel)))
    xmas = [r for r, d in zip(ref, dates) if (d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 7)]
    euro = [r for r, d in zip(ref, dates) if datetime.date(2024, 6, 14) <= d <= datetime.date(2024, 7, 16)]
    print("Christmas/New Year days mean %.1f; Euro 2024 window (14 Jun-16 Jul) mean %.1f" % (mean(xmas), mean(euro)))
    print("max referrals %d on %s" % (max(ref), dates[ref.index(max(ref))]))
    print("mean IDVAs on duty %.3f; days with 1: %d, 2: %d, 3: %d" % (mean(idv), idv.count(1), idv.count(2), idv.count(3)))
    b, ld = flow(ref, idv, 60, 240, 20)
    cap_day = mean(idv) * 240
    print("mean demand minutes %.1f, mean capacity minutes %.1f, load %.4f" % (mean(ref) * 60, cap_day, ld))
    print("computed backlog end %.0f cases (%.0f minutes), wait %.1f days" % (b[-1] / 60, b[-1], b[-1] / cap_day))
    for q in ("2024-03-31", "2024-06-30", "2024-09-30"):
        i = [d.isoformat() for d in dates].index(q)
        print("  computed backlog at %s: %.0f cases" % (q, b[i] / 60))
    obs = [(d, int(r["waiting"])) for d, r in zip(dates, rows) if r["waiting"]]
    print("observed waiting first %s=%d, last %s=%d, n=%d" % (obs[0][0], obs[0][1], obs[-1][0], obs[-1][1], len(obs)))
    for q in ("2024-03-29", "2024-06-28", "2024-09-27"):
        print("  observed at %s: %s" % (q, dict((d.isoformat(), v) for d, v in obs)[q]))
    D = mean(ref); C = cap_day / 60
    Q = obs[-1][1]
    T = 28; F = 4
    cvd = st.stdev(ref) / D; cvc = st.stdev([i * 4 for i in idv]) / C
    print("queue: D %.2f C %.2f queue_load %.3f; Q %d; mean_wait %.1f days; target queue %.0f; "
          "target capacity %.2f cases/day; relief capacity %.2f cases/day" %
          (D, C, D / C, Q, Q / D, D * T / F, D + (cvd ** 2 + cvc ** 2) / 2 * F / T, D + (Q - D * T / F) / 182))
    print("  observed-list wait at current capacity: %.0f days" % (Q / C))
    pct = [(d, num(r["contacted_48h_pct"]), int(r["referrals"])) for d, r in zip(dates, rows)]
    for a, z, lab in (("2024-01-01", "2024-03-31", "Q1"), ("2024-04-01", "2024-06-30", "Q2"),
                      ("2024-07-01", "2024-09-30", "Q3"), ("2024-10-01", "2024-12-31", "Q4"),
                      ("2024-12-01", "2024-12-31", "Dec")):
        sel = [(p, n) for d, p, n in pct if a <= d.isoformat() <= z and p is not None]
        w = sum(p * n for p, n in sel) / sum(n for p, n in sel)
        print("  contacted_48h %s: mean of daily %% %.1f, referral-weighted %.1f" % (lab, mean([p for p, n in sel]), w))
    print("  days missing contacted_48h: %d" % sum(1 for d, p, n in pct if p is None))
    for name, add, fac in (("transfer/agency +1 IDVA", 1, 1.0), ("channel shift 0.9", 0, 0.9)):
        b2, ld2 = flow([r * fac for r in ref], [i + add for i in idv], 60, 240, 20)
        print("  scenario %s over 2024: load %.3f, end backlog %.0f cases" % (name, ld2, b2[-1] / 60))
    b3, ld3 = flow([r * 0.9 for r in ref], [i + 1 for i in idv], 60, 240, 20)
    print("  scenario +1 IDVA and channel shift: load %.3f, end backlog %.0f cases" % (ld3, b3[-1] / 60))


def ambulance():
    rows = load("ambulance_swast_daily.csv")
    dates = [r["date"] for r in rows]
    inc = [int(r["incidents"]) for r in rows]
    print("== ambulance (SWASFT Trust) %s .. %s, %d days" % (dates[0], dates[-1], len(rows)))
    print("mean incidents/day %.1f (2018 %.1f, 2019 %.1f, growth %.1f%%)" % (
        mean(inc), mean(inc[:365]), mean(inc[365:]), 100 * (mean(inc[365:]) / mean(inc[:365]) - 1)))
    print("min %d on %s; max %d on %s" % (min(inc), dates[inc.index(min(inc))], max(inc), dates[inc.index(max(inc))]))
    wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    dd = [datetime.date.fromisoformat(d) for d in dates]
    print("weekday means", ", ".join("%s %.0f" % (wd[k], mean([r for r, d in zip(inc, dd) if d.weekday() == k])) for k in range(7)))
    for m in (1, 7, 12):
        print("  month %02d mean %.0f" % (m, mean([r for r, d in zip(inc, dd) if d.month == m])))
    res, mpr, mpc = 360, 600, 90
    b, ld = flow(inc, [res] * len(inc), mpc, mpr, 0)
    cap = res * mpr
    print("capacity %d crews x %d min = %d min/day = %.0f incidents/day; load %.4f" % (res, mpr, cap, cap / mpc, ld))
    w = [x / cap for x in b]
    print("days with carried-over shortfall %d; days wait > 1 day %d; max %.2f days (%.0f crew-hours) on %s; end %.2f days" % (
        sum(1 for x in b if x > 0), sum(1 for x in w if x > 1), max(w), max(b) / 60, dates[w.index(max(w))], w[-1]))
    days_over = sum(1 for x in inc if x * mpc > cap)
    print("days demand > capacity: %d (%.0f%%)" % (days_over, 100 * days_over / len(inc)))
    s = sorted(x * mpc for x in inc)
    def q(p):
        h = (len(s) - 1) * p / 100; lo = int(h); return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])
    print("percentile capacity (crews of 600 min):", ", ".join("p%d %.0f" % (p, q(p) / mpr) for p in (50, 80, 85, 90, 95)))


def ae():
    rows = load("ae_scotland_monthly.csv")
    print("== A&E Scotland %s .. %s, %d months" % (rows[0]["date"], rows[-1]["date"], len(rows)))
    for r in rows:
        if r["date"][5:7] == "12" or r["date"] in ("2020-04-01",):
            print("  %s att %s 4h %s 8h %s 12h %s" % (r["date"], r["attendances"], r["within_4h_pct"], r["over_8h_pct"], r["over_12h_pct"]))
    def m(a, z, c):
        return mean([num(r[c]) for r in rows if a <= r["date"] <= z])
    for a, z in (("2017-01-01", "2020-03-01"), ("2020-04-01", "2021-06-01"), ("2021-07-01", "2024-12-01"), ("2024-01-01", "2024-12-01")):
        print("  %s..%s mean 4h %.1f, 8h %.1f, 12h %.1f, attendances %.0f" % (a, z, m(a, z, "within_4h_pct"), m(a, z, "over_8h_pct"), m(a, z, "over_12h_pct"), m(a, z, "attendances")))
    print("  months >= 95%% target: %d of %d; last month >= 95%%: %s" % (
        sum(1 for r in rows if float(r["within_4h_pct"]) >= 95), len(rows),
        max([r["date"] for r in rows if float(r["within_4h_pct"]) >= 95] or ["none"])))
    print("  total attendances 2024 %d, 2019 %d" % (sum(int(r["attendances"]) for r in rows if r["date"][:4] == "2024"), sum(int(r["attendances"]) for r in rows if r["date"][:4] == "2019")))


def rtt():
    rows = load("rtt_wales_monthly.csv")
    print("== RTT Wales %s .. %s, %d months" % (rows[0]["date"], rows[-1]["date"], len(rows)))
    for d in ("2011-09-01", "2019-12-01", "2020-02-01", "2020-03-01", "2020-04-01", "2021-03-01", "2021-07-01", "2022-07-01"):
        r = [x for x in rows if x["date"] == d][0]
        print("  %s all %s within26 %s over36 %s" % (d, r["waiting_all"], r["within_26w_pct"], r["over_36w"]))
    a = [int(r["waiting_all"]) for r in rows]
    print("  growth since 2020-02: %.1f%%; growth last 12 months %d (%.0f a month)" % (
        100 * (a[-1] / a[[r["date"] for r in rows].index("2020-02-01")] - 1), a[-1] - a[-13], (a[-1] - a[-13]) / 12))
    print("  months meeting 95%% within 26 weeks: %d" % sum(1 for r in rows if float(r["within_26w_pct"]) >= 95))
    print("  min over36 %s on %s" % min((int(r["over_36w"]), r["date"]) for r in rows))


if __name__ == "__main__":
    idva()
    ambulance()
    ae()
    rtt()
