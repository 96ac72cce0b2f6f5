#!/usr/bin/python3
"""Generate the ILLUSTRATIVE (synthetic) IDVA service data of the example pack.

Usage: /usr/bin/python3 tests/tools/gen_idva.py [OUT_FILE]
  default OUT_FILE: content/data/idva_daily.csv

Standard library only, fixed seed: the output is byte-identical on every run.
The numbers are invented. They follow the worked example of the victim
support demand analysis guide (shared/reference/queue.md): about 12 referrals
a day, 60 IDVA minutes per case, 2 IDVAs giving 240 minutes a day to cases,
20 victims waiting at the start.

Columns (one row a day, 2024-01-01 .. 2024-12-31):
  date               ISO date
  referrals          new referrals accepted that day (Poisson around a mean
                     with a weekly pattern: Monday peak, quieter weekends;
                     a seasonal pattern: New Year and Christmas rise, summer
                     rise, spikes on the days after England matches in the
                     Euro 2024 football tournament)
  idvas_on_duty      IDVAs available for casework: usually 2, 1 on days of
                     leave or sickness (more leave in August and at
                     Christmas), 3 on a few days a partner-team IDVA covers
  waiting            observed waiting list (victims allocated to no IDVA yet)
                     from the Friday census; empty on other days. Simulated
                     with the same arrivals and capacity as the flow model,
                     but some waiting victims disengage or are closed after
                     a risk review each day (0.8 % of the list a day), which
                     the minutes-based flow model does not see.
  contacted_48h_pct  % of the day's referrals first contacted within 48 hours
                     (binomial; empty when there were no referrals). A duty
                     desk from 2024-04-01 lifts the rate; it slips from
                     October as the waiting list grows.
"""
import csv
import datetime
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, "..", "..", "content", "data", "idva_daily.csv")

SEED = 20241231
MEAN_REFERRALS = 12.0
MINUTES_PER_CASE = 60
MINUTES_PER_IDVA = 240
START_WAITING = 20
RENEGE_PER_DAY = 0.008

# Monday first: Monday peak (weekend incidents reach the service), quiet weekend.
WEEKDAY = [1.30, 1.10, 1.02, 0.98, 0.95, 0.80, 0.85]

# England matches at Euro 2024 (Germany), with result.
ENGLAND = {
    datetime.date(2024, 6, 16): "won", datetime.date(2024, 6, 20): "drew",
    datetime.date(2024, 6, 25): "drew", datetime.date(2024, 6, 30): "won",
    datetime.date(2024, 7, 6): "won", datetime.date(2024, 7, 10): "won",
    datetime.date(2024, 7, 14): "lost",
}


def season(d):
    f = 1.0
    if d.month == 1 and d.day <= 7:
        f *= 1.25                        # New Year
    elif d.month == 1:
        f *= 1.05
    elif d.month == 2:
        f *= 0.92
    elif d.month in (6, 7, 8):
        f *= 1.08                        # summer
    elif d.month == 12 and d.day >= 20:
        f *= 1.22                        # Christmas
    for match, result in ENGLAND.items():
        lag = (d - match).days           # police referrals arrive a day or two later
        if lag in (1, 2):
            bump = 0.45 if result == "lost" else 0.25
            f *= 1.0 + (bump if lag == 1 else bump / 2)
    return f


def poisson(rng, lam):
    # Knuth's multiplication method (fine for lam < 30).
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binomial(rng, n, p):
    return sum(1 for _ in range(n) if rng.random() < p)


def main():
    rng = random.Random(SEED)
    days = []
    d = datetime.date(2024, 1, 1)
    while d.year == 2024:
        days.append(d)
        d += datetime.timedelta(days=1)
    shape = [WEEKDAY[x.weekday()] * season(x) for x in days]
    scale = MEAN_REFERRALS * len(days) / sum(shape)   # expected annual mean 12

    queue = float(START_WAITING)
    rows = []
    for x, s in zip(days, shape):
        referrals = poisson(rng, scale * s)

        u = rng.random()
        leave = 0.16 if x.month == 8 or (x.month == 12 and x.day >= 20) else 0.06
        if u < leave:
            idvas = 1                    # annual leave
        elif u < leave + 0.04:
            idvas = 1                    # sickness
        elif u > 0.97:
            idvas = 3                    # partner-team IDVA covering
        else:
            idvas = 2

        served = idvas * MINUTES_PER_IDVA / MINUTES_PER_CASE
        queue = max(0.0, queue + referrals - served)
        queue -= sum(1 for _ in range(int(round(queue))) if rng.random() < RENEGE_PER_DAY)
        queue = max(0.0, queue)
        waiting = str(int(round(queue))) if x.weekday() == 4 else ""

        if x < datetime.date(2024, 4, 1):
            p = 0.84
        elif x < datetime.date(2024, 10, 1):
            p = 0.92
        else:
            p = 0.92 - 0.0008 * (x - datetime.date(2024, 10, 1)).days
        if referrals:
            pct = "%.1f" % (100.0 * binomial(rng, referrals, p) / referrals)
        else:
            pct = ""
        rows.append((x.isoformat(), referrals, idvas, waiting, pct))

    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "referrals", "idvas_on_duty", "waiting", "contacted_48h_pct"])
        w.writerows(rows)
    print("wrote %s (%d rows)" % (os.path.normpath(OUT), len(rows)))


if __name__ == "__main__":
    main()
