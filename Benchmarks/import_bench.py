#!/usr/bin/env python3
"""Input for timing `envmon import` on a long CSV (one reading a row).

  import_bench.py sensors DIR [--stations 100]
      writes DIR/ibNNNN.yaml: ambient-air stations with the ten parameters below.
  import_bench.py mapping FILE [--zone Asia/Shanghai]
      writes the long mapping (time,station,parameter,value,flag; kind minute).
  import_bench.py csv FILE [--stations 100] [--minutes 5000] [--start 2026-01-01T00:00] [--bad N]
      writes stations x 10 parameters x minutes rows in time order (local wall times, no offset).
      --bad N: every N-th row is spoilt in one of several ways (bad time, unknown station,
      not a number, out of range, unknown flag, missing value, short row), for comparing the
      rejections of two builds; 0 (default) writes clean data only.

The defaults give the 5 M-sample workload of issue 13 (100 stations x 10 parameters x 5,000 minutes).
Values are deterministic (no random module), so two runs write the same file.
"""
import datetime
import os
import sys

PARAMS = [  # id, unit, low, high
    ("PM2.5", "µg/m3", 5, 300), ("PM10", "µg/m3", 10, 500), ("SO2", "µg/m3", 2, 200), ("NO2", "µg/m3", 5, 180),
    ("CO", "mg/m3", 0.2, 4), ("O3", "µg/m3", 10, 220), ("TEMP", "°C", -10, 35), ("RH", "%", 10, 99),
    ("PRES", "kPa", 95, 103), ("WS", "m/s", 0, 15),
]


def arg(args, name, default=None, cast=str):
    if name in args:
        return cast(args[args.index(name) + 1])
    return default


def station_id(i):
    return "ib%04d" % i


def cmd_sensors(args):
    folder = args[0]
    n = arg(args, "--stations", 100, int)
    os.makedirs(folder, exist_ok=True)
    for i in range(1, n + 1):
        lines = ["id: %s" % station_id(i), 'name: "Import bench site %04d"' % i, "kind: ambient-air",
                 "time_zone: Asia/Shanghai", "interval: 60s", "parameters:"]
        lines += ['  %s: {unit: "%s"}' % (p, u) for p, u, _, _ in PARAMS]
        with open(os.path.join(folder, station_id(i) + ".yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


def cmd_mapping(args):
    zone = arg(args, "--zone", "Asia/Shanghai")
    with open(args[0], "w") as f:
        f.write("# Written by Benchmarks/import_bench.py: one reading a row, local wall times.\n"
                "format: csv\nkind: minute\nmissing: [\"NA\", \"\"]\n"
                "time: {column: time, zone: %s}\nstation: {column: station}\n"
                "long: {parameter: parameter, value: value, flag: flag}\n" % zone)


def cmd_csv(args):
    path = args[0]
    n = arg(args, "--stations", 100, int)
    minutes = arg(args, "--minutes", 5000, int)
    start = datetime.datetime.fromisoformat(arg(args, "--start", "2026-01-01T00:00"))
    bad = arg(args, "--bad", 0, int)
    ids = [station_id(i) for i in range(1, n + 1)]
    row = 0
    with open(path, "w", buffering=1 << 20) as f:
        f.write("time,station,parameter,value,flag\n")
        for m in range(minutes):
            t = (start + datetime.timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M")
            out = []
            for s, sid in enumerate(ids):
                for k, (p, _, lo, hi) in enumerate(PARAMS):
                    row += 1
                    # A smooth-ish deterministic wave per series.
                    x = ((m * 37 + s * 101 + k * 13) % 1000) / 1000.0
                    v = round(lo + (hi - lo) * x, 2)
                    line = "%s,%s,%s,%s,N" % (t, sid, p, v)
                    if bad and row % bad == 0:
                        line = spoil(row // bad, t, sid, p, v)
                    out.append(line)
            f.write("\n".join(out) + "\n")


def spoil(j, t, sid, p, v):
    kind = j % 8
    if kind == 0: return "%sX,%s,%s,%s,N" % (t, sid, p, v)          # bad time
    if kind == 1: return "%s,nowhere,%s,%s,N" % (t, p, v)           # unknown station
    if kind == 2: return "%s,%s,%s,abc,N" % (t, sid, p)             # not a number
    if kind == 3: return "%s,%s,%s,99999,N" % (t, sid, p)           # outside the range
    if kind == 4: return "%s,%s,%s,%s,Q" % (t, sid, p, v)           # unknown flag
    if kind == 5: return "%s,%s,%s,NA,N" % (t, sid, p)              # missing
    if kind == 6: return "%s,%s,%s" % (t, sid, p)                   # short row
    return "%s,%s,COD,%s,N" % (t, sid, v)                           # parameter the station lacks


COMMANDS = {"sensors": cmd_sensors, "mapping": cmd_mapping, "csv": cmd_csv}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
