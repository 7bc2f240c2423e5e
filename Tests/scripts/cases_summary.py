#!/usr/bin/env python3
"""The case register's summary as of a date, computed straight from a cases YAML file, without
envmon: a case counts when opened on or before the date; its status is the last status its notes
(and its closing) dated on or before the date give; it is overdue when its deadline is before the
date and it is neither done nor closed. Prints JSON like `envmon cases summary --format json`."""
import json
import sys

import yaml

path, as_of = sys.argv[1], sys.argv[2]
cases = yaml.safe_load(open(path, encoding="utf-8"))
cases = cases.get("cases", cases) if isinstance(cases, dict) else cases


def counts():
    return {"total": 0, "open": 0, "inProgress": 0, "done": 0, "closed": 0, "overdue": 0}


def add(c, status, overdue):
    c["total"] += 1
    c[{"open": "open", "in-progress": "inProgress", "done": "done", "closed": "closed"}[status]] += 1
    c["overdue"] += overdue


total, by_source, by_unit = counts(), {}, {}
for case in cases:
    if str(case.get("opened", "0000-00-00")) > as_of:
        continue
    status = "open"
    for note in case.get("notes", []):
        if str(note["date"]) <= as_of and note.get("status"):
            status = note["status"]
    closed = case.get("closed")
    if closed and str(closed["date"]) <= as_of:
        status = "closed"
    deadline = case.get("deadline")
    overdue = int(deadline is not None and str(deadline) < as_of and status not in ("done", "closed"))
    add(total, status, overdue)
    add(by_source.setdefault(case["source"], counts()), status, overdue)
    add(by_unit.setdefault(case.get("unit", ""), counts()), status, overdue)

for c in [total, *by_source.values(), *by_unit.values()]:
    c["finished"] = c["done"] + c["closed"]
print(json.dumps({"asOf": as_of, **total, "bySource": by_source, "byUnit": by_unit}, ensure_ascii=False, sort_keys=True))
