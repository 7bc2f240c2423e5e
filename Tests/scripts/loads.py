#!/usr/bin/env python3
"""Emission loads of the demo outlets and stacks, computed straight from a long-format CSV.

An independent check of `envmon report load`: it shares no code and no store with envmon.

  loads.py generate OUT.csv        writes 90 days (2026-01-01 … 2026-03-31, Asia/Shanghai local hours)
                                   of hourly data of the five Qinghe sources, with gaps, calibration
                                   hours, a stopped source and a low-capture quarter
  loads.py compute FILE.csv FROM TO  -> JSON on stdout:
      {"STATION": {"POLLUTANT": {"measuredKg", "substitutedKg", "measuredHours", "substitutedHours",
                                 "stoppedHours", "missingHours", "volumeM3", "flowWeightedMean"}}}

Rows are `time,station,parameter,value,flag` (time local YYYY-MM-DDTHH:MM, value in the catalogue
unit: mg/L and L/s for water, mg/m3 and m3/s for flue gas). An hour is valid when its row is
flagged N, stopped when flagged F, missing otherwise (no row, C, M, D…). Missing hours are
substituted per parameter, as HJ 75-2017 is remembered (standards.md 6.1, [M]): with the quarter's
valid capture alpha >= 90 % (valid hours over the hours from the series' first valid hour, less
stopped ones), a gap of <= 24 h takes the mean of the valid hours before and after it (the one before
alone when none follows), a longer gap the maximum of the preceding 720 valid hours; with alpha < 90 %
the maximum of the preceding 2160. Nothing before the first valid hour is substituted. An hour's load
is C x Q: mg/L x L/s x 3.6 m3/h / 1000 = kg/h for water, mg/m3 x m3/s x 3600 / 1e6 for flue gas;
either parameter stopped makes the hour stopped (no load).
"""

import csv
import datetime as dt
import json
import random
import sys

START = dt.datetime(2026, 1, 1)
DAYS = 90
HOURS = DAYS * 24
SOURCES = {
    # station: (flow, [(pollutant, level)], flow level)
    "qinghe-wwtp-outlet": ("Q-water", [("COD", 22), ("NH3-N", 0.6), ("TN", 10), ("TP", 0.2)], 578.7),
    "qinghe-paper-mill-outlet": ("Q-water", [("COD", 58), ("NH3-N", 2.1), ("TN", 7.4), ("TP", 0.34)], 92.6),
    "qinghe-coking-outlet": ("Q-water", [("COD", 51), ("NH3-N", 3.4)], 22.6),
    "qinghe-cement-kiln-stack": ("Q-gas", [("SO2", 45), ("NOx", 265), ("Dust", 6)], 180.0),
    "qinghe-power-plant-stack": ("Q-gas", [("SO2", 17), ("NOx", 35), ("Dust", 2.6)], 222.0),
}
WATER = {"COD", "NH3-N", "TN", "TP"}


def at(day, hour):
    """Hour index of 2026 local date (month, day) and hour, counted from 1 January."""
    return int((dt.datetime(2026, day[0], day[1], hour) - START).total_seconds() // 3600)


def generate(path):
    rng = random.Random(14)
    # Per station: hour index -> flag for every parameter ('skip' drops the row), and per-parameter overrides.
    rows = []
    coking_drop = set(rng.sample(range(24, HOURS), 240))  # ~11 % missing: alpha < 90 %
    for block in (at((2, 20), 0), at((3, 10), 6)):
        coking_drop.update(range(block, block + 30))
    for i in range(HOURS):
        t = START + dt.timedelta(hours=i)
        text = t.strftime("%Y-%m-%dT%H:%M")
        for station, (flow, pollutants, qlevel) in SOURCES.items():
            day = 1 + 0.15 * (((i % 24) - 12) / 12)
            params = [(p, lvl * day * rng.uniform(0.85, 1.15)) for p, lvl in pollutants] + [(flow, qlevel * day * rng.uniform(0.9, 1.1))]
            for p, v in params:
                flag = "N"
                if station == "qinghe-wwtp-outlet":
                    if at((1, 10), 2) <= i < at((1, 10), 8) or at((3, 5), 0) <= i < at((3, 6), 16):
                        continue  # a 6-h and a 40-h gap
                    if p == "COD" and i == at((2, 3), 3):
                        flag = "C"  # the COD analyser's calibration hour
                elif station == "qinghe-paper-mill-outlet":
                    if i >= HOURS - 10:
                        continue  # silent for the last 10 hours
                elif station == "qinghe-coking-outlet":
                    if i in coking_drop:
                        continue
                elif station == "qinghe-cement-kiln-stack":
                    if at((2, 14), 9) <= i < at((2, 14), 17):
                        flag, v = "F", 0.0  # kiln stopped
                    elif at((1, 20), 5) <= i < at((1, 20), 8):
                        continue
                elif station == "qinghe-power-plant-stack":
                    if p == "Q-gas" and at((2, 1), 0) <= i < at((2, 2), 6):
                        flag = "D"  # flow meter fault for 30 h
                rows.append((text, station, p, "%.3f" % v, flag))
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["time", "station", "parameter", "value", "flag"])
        w.writerows(rows)


def substitute(states, quarters):
    """states: per hour ('v', x) valid, ('s',) stopped, ('m',) missing -> list of (kind, value)."""
    n = len(states)
    out = [("m", None) if s[0] == "m" else (("stopped", None) if s[0] == "s" else ("measured", s[1])) for s in states]
    first = next((i for i, s in enumerate(states) if s[0] == "v"), None)
    if first is None:
        return out
    valid, counted = {}, {}
    for i in range(first, n):
        q = quarters[i]
        if states[i][0] == "v":
            valid[q] = valid.get(q, 0) + 1
        if states[i][0] != "s":
            counted[q] = counted.get(q, 0) + 1
    previous = []
    i = first
    while i < n:
        kind = states[i][0]
        if kind == "v":
            previous.append(states[i][1])
            i += 1
        elif kind == "m":
            j = i
            while j < n and states[j][0] == "m":
                j += 1
            q = quarters[i]
            alpha = valid.get(q, 0) / counted[q] if counted.get(q) else 1.0
            value = None
            if alpha >= 0.9 and j - i <= 24:
                around = previous[-1:] + ([states[j][1]] if j < n and states[j][0] == "v" else [])
                value = sum(around) / len(around) if around else None
            else:
                window = previous[-(720 if alpha >= 0.9 else 2160):]
                value = max(window) if window else None
            if value is not None:
                for h in range(i, j):
                    out[h] = ("substituted", value)
            i = j
        else:
            i += 1
    return out


def compute(path, first, last):
    data = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            t = dt.datetime.strptime(row["time"], "%Y-%m-%dT%H:%M")
            data.setdefault(row["station"], {}).setdefault(row["parameter"], {})[t] = (float(row["value"]), row["flag"])
    begin = dt.datetime.strptime(first, "%Y-%m-%d")
    end = dt.datetime.strptime(last, "%Y-%m-%d") + dt.timedelta(days=1)
    # The grid starts well before the period, as the lookback needs; nothing is there before the data.
    grid_start = min(begin, dt.datetime(begin.year, 1, 1)) - dt.timedelta(days=100)
    n = int((end - grid_start).total_seconds() // 3600)
    times = [grid_start + dt.timedelta(hours=h) for h in range(n)]
    quarters = [t.year * 4 + (t.month - 1) // 3 for t in times]
    result = {}
    for station, (flow, pollutants, _) in SOURCES.items():
        series = data.get(station, {})

        def states(p):
            out = []
            for t in times:
                v = series.get(p, {}).get(t)
                if v is None or v[1] not in ("N", "F"):
                    out.append(("m",))
                elif v[1] == "F":
                    out.append(("s",))
                else:
                    out.append(("v", v[0]))
            return out

        q = substitute(states(flow), quarters)
        for p, _ in pollutants:
            c = substitute(states(p), quarters)
            acc = {"measuredKg": 0.0, "substitutedKg": 0.0, "measuredHours": 0, "substitutedHours": 0, "stoppedHours": 0, "missingHours": 0,
                   "volumeM3": 0.0, "weighted": 0.0}
            for h, t in enumerate(times):
                if not (begin <= t < end):
                    continue
                (ck, cv), (qk, qv) = c[h], q[h]
                if ck == "stopped" or qk == "stopped":
                    acc["stoppedHours"] += 1
                elif cv is not None and qv is not None:
                    kg = cv * qv * 3.6 / 1000 if p in WATER else cv * qv * 3600 / 1e6
                    if ck == "substituted" or qk == "substituted":
                        acc["substitutedKg"] += kg
                        acc["substitutedHours"] += 1
                    else:
                        acc["measuredKg"] += kg
                        acc["measuredHours"] += 1
                    volume = qv * 3.6 if p in WATER else qv * 3600
                    acc["volumeM3"] += volume
                    acc["weighted"] += cv * volume
                else:
                    acc["missingHours"] += 1
            acc["flowWeightedMean"] = acc.pop("weighted") / acc["volumeM3"] if acc["volumeM3"] > 0 else None
            result.setdefault(station, {})[p] = acc
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "compute":
        compute(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
