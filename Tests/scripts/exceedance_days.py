#!/usr/bin/env python3
"""Daily PM2.5 exceedance days of one Beijing PRSA site file, computed straight from the CSV.

An independent check of `envmon report exceedance-days`: it shares no code and no store with envmon.
The PRSA files give local Beijing wall-clock hours in year/month/day/hour columns, so a (year, month,
day) group is a local calendar day. A day needs at least 20 non-NA hourly values (GB 3095 Table 4);
its mean exceeds when strictly above the grade-2 24-h limit, 75 ug/m3 in GB 3095-2012, the edition in
force for every date before 2026-03-01 (the script refuses later dates rather than guess).
Sums are taken in decimal, so a day averaging exactly 75 is not an exceedance by binary rounding.

Usage: exceedance_days.py FILE.csv  -> JSON on stdout:
  {"station": ..., "days": {"YYYY-MM-DD": {"validHours": n, "mean": m or null, "verdict": ...}},
   "exceedanceDays": n, "validDays": n, "noDataDays": n, "years": {"2013": {...}}}
"""

import csv
import json
import sys
from decimal import Decimal

LIMIT = Decimal(75)
MIN_HOURS = 20
EDITION_CHANGE = (2026, 3, 1)


def main(path):
    days = {}
    station = None
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            station = row["station"]
            key = (int(row["year"]), int(row["month"]), int(row["day"]))
            if key >= EDITION_CHANGE:
                sys.exit(f"{key}: GB 3095-2026 applies from 2026-03-01; this check only knows GB 3095-2012")
            values = days.setdefault(key, [])
            if row["PM2.5"] not in ("NA", ""):
                values.append(Decimal(row["PM2.5"]))

    out_days = {}
    totals = {"exceedanceDays": 0, "validDays": 0, "noDataDays": 0}
    years = {}
    for key in sorted(days):
        values = days[key]
        year = years.setdefault(str(key[0]), {"days": 0, "exceedanceDays": 0, "validDays": 0, "noDataDays": 0})
        year["days"] += 1
        if len(values) >= MIN_HOURS:
            total = sum(values)
            verdict = "exceeds" if total > LIMIT * len(values) else "meets"
            mean = float(total / len(values))
            for t in (totals, year):
                t["validDays"] += 1
                if verdict == "exceeds":
                    t["exceedanceDays"] += 1
        else:
            verdict, mean = "no-data", None
            for t in (totals, year):
                t["noDataDays"] += 1
        out_days["%04d-%02d-%02d" % key] = {"validHours": len(values), "mean": mean, "verdict": verdict}

    json.dump({"station": station, "days": out_days, **totals, "years": years}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: exceedance_days.py FILE.csv")
    main(sys.argv[1])
