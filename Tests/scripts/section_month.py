#!/usr/bin/env python3
"""The month of river sections from a long-format CSV (time,station,parameter,value,flag), computed
straight from the file: an independent check of `envmon report water` that shares no code with envmon.

Per station and parameter, the mean of the month's readings flagged N (exact decimals). Each item is
classed by GB 3838-2002 Table 1 for rivers (limits typed from reference/standards.md §3.1: the best
class whose limit the mean meets, DO "at least", pH inside 6-9 or worse than V); the section class is
the worst among the items the evaluation method counts (not water temperature, TN or fecal coliform);
items worse than the target class have the multiple (C - limit)/limit, except pH and DO.

Usage: section_month.py FILE.csv TARGET(I..V) -> JSON {station: {"class": "IV", "means": {...},
  "itemClasses": {...}, "exceedances": {param: multiple or null}, "meetsTarget": bool}}
"""

import csv
import json
import sys
from decimal import Decimal

CLASSES = ["I", "II", "III", "IV", "V"]
AT_MOST = {  # rivers
    "CODMn": ["2", "4", "6", "10", "15"], "COD": ["15", "15", "20", "30", "40"], "BOD5": ["3", "3", "4", "6", "10"],
    "NH3-N": ["0.15", "0.5", "1.0", "1.5", "2.0"], "TP": ["0.02", "0.1", "0.2", "0.3", "0.4"],
}
DO = ["7.5", "6", "5", "3", "2"]
NOT_COUNTED = {"WT", "TN", "FecalColiform"}


def classify(param, c):
    """Index 0..5 (5 = worse than V), or None for an item without class limits."""
    if param == "pH":
        return 0 if Decimal(6) <= c <= Decimal(9) else 5
    if param == "DO":
        for i, limit in enumerate(DO):
            if c >= Decimal(limit):
                return i
        return 5
    if param in AT_MOST:
        for i, limit in enumerate(AT_MOST[param]):
            if c <= Decimal(limit):
                return i
        return 5
    return None


def main(path, target_name):
    target = CLASSES.index(target_name)
    readings = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["flag"] != "N":
                continue
            readings.setdefault(row["station"], {}).setdefault(row["parameter"], []).append(Decimal(row["value"]))
    out = {}
    for station, params in readings.items():
        means = {p: sum(v) / len(v) for p, v in params.items()}
        classes = {p: classify(p, m) for p, m in means.items() if p not in NOT_COUNTED}
        classes = {p: c for p, c in classes.items() if c is not None}
        worst = max(classes.values())
        exceedances = {}
        for p, c in classes.items():
            if c > target:
                multiple = None
                if p in AT_MOST:
                    limit = Decimal(AT_MOST[p][target])
                    multiple = float((means[p] - limit) / limit)
                exceedances[p] = multiple
        out[station] = {
            "class": (CLASSES + ["劣V"])[worst], "means": {p: float(m) for p, m in means.items()},
            "readings": {p: len(v) for p, v in params.items()},
            "itemClasses": {p: (CLASSES + ["劣V"])[c] for p, c in classes.items()},
            "exceedances": exceedances, "meetsTarget": worst <= target,
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: section_month.py FILE.csv TARGET")
    main(sys.argv[1], sys.argv[2])
