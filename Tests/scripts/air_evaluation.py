#!/usr/bin/env python3
"""The annual ambient-air evaluation of Beijing PRSA site files, computed straight from the CSVs.

An independent check of `envmon report air`: it shares no code and no store with envmon. The PRSA
files give local Beijing wall-clock hours in year/month/day/hour columns (all before 2026-03-01, so
GB 3095-2012 grade 2 and HJ 633-2012 throughout; the script refuses later dates rather than guess).

Per site and year, from the hourly values (NA = missing):
  - 24-h means of SO2, NO2, PM10, PM2.5 and CO (CO mg/m3 = the file's ug/m3 / 1000) with >= 20 hours;
  - O3 MDA8: the 17 8-h windows starting 00..16 h, each with >= 6 hours; >= 14 windows, or fewer
    when the largest exceeds 160; the O3 daily maximum 1-h value with >= 20 hours (HJ 633-2012 day);
  - the daily AQI by HJ 633-2012 (Table 1 breakpoints typed from reference/standards.md §1.1, exact
    fractions, IAQI rounded up, 500 above the table, 8-h O3 above 800 not indexed): a day is valid
    when the six basic indicators are, or when those present give AQI > 100; good when AQI <= 100;
  - means of the valid daily values; percentiles by k = 1 + (n-1) p/100 with linear interpolation;
  - composite index = SO2/60 + NO2/40 + PM10/70 + PM2.5/35 (means) + CO p95/4 + O3 MDA8 p90/160.
The city is the two (or more) sites together: each day and indicator, the mean of the sites' valid
daily values, then the same.

Usage: air_evaluation.py YEAR[,YEAR...] FILE.csv [FILE.csv ...]
  -> JSON {"YEAR": {"sites": {station: {...}}, "city": {...}}, ...}
"""

import csv
import json
import math
import sys
from decimal import Decimal
from fractions import Fraction

POLLUTANTS = ["SO2", "NO2", "PM10", "PM2.5", "CO"]
BREAKPOINTS = {  # HJ 633-2012 Table 1: concentrations at IAQI 0, 50, 100, 150, 200, 300, 400, 500
    "SO2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "NO2": [0, 40, 80, 180, 280, 565, 750, 940],
    "PM10": [0, 50, 150, 250, 350, 420, 500, 600],
    "PM2.5": [0, 35, 75, 115, 150, 250, 350, 500],
    "CO": [0, 2, 4, 14, 24, 36, 48, 60],
    "O3_8h": [0, 100, 160, 215, 265, 800],
    "O3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
}
INDEX = [0, 50, 100, 150, 200, 300, 400, 500]
ANNUAL_LIMIT = {"SO2": 60, "NO2": 40, "PM10": 70, "PM2.5": 35}
DAILY_LIMIT = {"SO2": 150, "NO2": 80, "PM10": 150, "PM2.5": 75, "CO": 4, "O3": 160}
PERCENTILES = [("SO2", "SO2:24h:p98", 98), ("NO2", "NO2:24h:p98", 98), ("PM10", "PM10:24h:p95", 95),
               ("PM2.5", "PM2.5:24h:p95", 95), ("CO", "CO:24h:p95", 95), ("O3_8h", "O3:mda8:p90", 90)]


def iaqi(name, c):
    """Exact IAQI (c a Fraction), or None when not indexed."""
    bp = BREAKPOINTS[name]
    if name == "O3_8h" and c > 800:
        return None
    if c > bp[-1]:
        return 500
    for i in range(1, len(bp)):
        if c <= bp[i]:
            value = Fraction(INDEX[i] - INDEX[i - 1]) / (bp[i] - bp[i - 1]) * (c - bp[i - 1]) + INDEX[i - 1]
            return math.ceil(value)
    return None


def percentile(values, p):
    if not values:
        return None
    xs = sorted(values)
    k = 1 + Fraction(len(xs) - 1) * p / 100
    s = math.floor(k)
    if s >= len(xs):
        return float(xs[-1])
    return float(xs[s - 1] + (xs[s] - xs[s - 1]) * (k - s))


def read_site(path, years):
    hours = {}  # (y, m, d) -> {pollutant: [24 values or None]}
    station = None
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            station = row["station"]
            key = (int(row["year"]), int(row["month"]), int(row["day"]))
            if key >= (2026, 3, 1):
                sys.exit("HJ 633-2026 applies from 2026-03-01; this check only knows HJ 633-2012")
            if key[0] not in years:
                continue
            day = hours.setdefault(key, {p: [None] * 24 for p in POLLUTANTS + ["O3"]})
            for p in POLLUTANTS + ["O3"]:
                text = row[p]
                if text not in ("NA", ""):
                    v = Fraction(Decimal(text))
                    day[p][int(row["hour"])] = v / 1000 if p == "CO" else v
    return station, hours


def daily_values(hours):
    out = {}
    for key, day in hours.items():
        values = {}
        for p in POLLUTANTS:
            valid = [v for v in day[p] if v is not None]
            values[p] = sum(valid) / len(valid) if len(valid) >= 20 else None
        o3 = day["O3"]
        windows = []
        for start in range(17):
            w = [v for v in o3[start:start + 8] if v is not None]
            if len(w) >= 6:
                windows.append(sum(w) / len(w))
        mda8 = None
        if windows and (len(windows) >= 14 or max(windows) > DAILY_LIMIT["O3"]):
            mda8 = max(windows)
        values["O3_8h"] = mda8
        valid = [v for v in o3 if v is not None]
        values["O3_1h"] = max(valid) if len(valid) >= 20 else None
        out[key] = values
    return out


def evaluate(days, year):
    import calendar
    all_days = [(year, m, d) for m in range(1, 13) for d in range(1, calendar.monthrange(year, m)[1] + 1)]
    valid_days = good_days = 0
    for key in all_days:
        v = days.get(key)
        if v is None:
            continue
        present = {n: c for n, c in v.items() if c is not None}
        if not present:
            continue
        indices = [iaqi(n, c) for n, c in present.items()]
        indices = [i for i in indices if i is not None]
        if not indices:
            continue
        aqi = max(indices)
        complete = all(v[n] is not None for n in POLLUTANTS + ["O3_8h"])
        if not complete and aqi <= 100:
            continue
        valid_days += 1
        if aqi <= 100:
            good_days += 1
    series = {n: [days[k][n] for k in all_days if k in days and days[k][n] is not None] for n in POLLUTANTS + ["O3_8h"]}
    means = {p: (float(sum(series[p]) / len(series[p])) if series[p] else None) for p in ANNUAL_LIMIT}
    pct = {key: percentile(series[n], p) for n, key, p in PERCENTILES}
    composite = None
    if all(means[p] is not None for p in ANNUAL_LIMIT) and pct["CO:24h:p95"] is not None and pct["O3:mda8:p90"] is not None:
        composite = sum(means[p] / ANNUAL_LIMIT[p] for p in ANNUAL_LIMIT) + pct["CO:24h:p95"] / 4 + pct["O3:mda8:p90"] / 160
    return {
        "validDays": valid_days, "goodDays": good_days,
        "goodDayShare": good_days / valid_days if valid_days else None,
        "annualMean": means, "percentiles": pct, "compositeIndex": composite,
        "validDailyValues": {n: len(series[n]) for n in series},
    }


def main(years, paths):
    stations = []
    site_days = []
    for path in paths:
        station, hours = read_site(path, years)
        stations.append(station)
        site_days.append(daily_values(hours))
    city = {}
    for key in set().union(*[d.keys() for d in site_days]):
        values = {}
        for n in POLLUTANTS + ["O3_8h", "O3_1h"]:
            vs = [d[key][n] for d in site_days if key in d and d[key][n] is not None]
            values[n] = sum(vs) / len(vs) if vs else None
        city[key] = values
    out = {}
    for year in years:
        out[str(year)] = {
            "sites": {st: evaluate(days, year) for st, days in zip(stations, site_days)},
            "city": evaluate(city, year),
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: air_evaluation.py YEAR[,YEAR...] FILE.csv [FILE.csv ...]")
    main([int(y) for y in sys.argv[1].split(",")], sys.argv[2:])
