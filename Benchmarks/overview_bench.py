#!/usr/bin/env python3
"""Input and timing for the dashboard overview of many stations (issue 16).

  overview_bench.py csv FILE --stations 1000 --hours 6 [--end EPOCH]
      minute readings of the made-up stations of `envmon simulate --stations N` (mixed kinds:
      air, outlet, stack, river in turn, the parameters of SyntheticStations) for the HOURS
      hours before END (default: now, rounded down to the minute), local wall times in
      Asia/Shanghai. About 1 value in 40 is close to its limit and 1 in 100 beyond it.
  overview_bench.py mapping FILE
      the long mapping of that file (kind minute).
  overview_bench.py get URL --requests 50 [--header 'Name: value']...
      GETs URL REQUESTS times over one keep-alive connection after 3 unmeasured ones, and prints
      p50/p90/p99/max of the time to the whole answer (ms), its size and status.
"""
import datetime
import http.client
import sys
import time
import urllib.parse

import commands_bench as cb  # beside this file

KINDS = ["ambient", "outlet", "stack", "river"]
PARAMS = {  # id, typical, limit (None: no limit), low/high instrument clamp
    "ambient": [("PM2.5", 40, 75), ("PM10", 70, 150), ("NO2", 40, 200), ("O3", 90, 200), ("CO", 0.8, 10)],
    "outlet": [("COD", 30, 50), ("NH3-N", 2, 5), ("TP", 0.2, 0.5), ("pH", 7.2, None), ("Q-water", 40, None)],
    "stack": [("Dust", 4, 10), ("SO2", 18, 35), ("NOx", 30, 50), ("O2", 9, None), ("Q-gas", 40, None)],
    "river": [("DO", 7, None), ("CODMn", 4, 6), ("NH3-N", 0.6, 1), ("TP", 0.12, 0.2), ("WT", 15, None)],
}


def arg(args, name, default=None, cast=str):
    return cast(args[args.index(name) + 1]) if name in args else default


def value(i, p, minute, typical, limit):
    # Deterministic: a slow wave per station and parameter, a few stations near or over the limit.
    h = (i * 2654435761 + p * 40503) % 1000
    wave = 1 + 0.15 * ((minute * (p + 3) + h) % 120 - 60) / 60
    v = typical * wave
    if limit is not None and h % 100 == 7:
        v = limit * 1.2
    elif limit is not None and h % 40 == 3:
        v = limit * 0.9
    return v


def cmd_csv(args):
    path = args[0]
    n = arg(args, "--stations", 1000, int)
    hours = arg(args, "--hours", 6, int)
    end = arg(args, "--end", int(time.time()) // 60 * 60, int)
    zone = datetime.timezone(datetime.timedelta(hours=8))
    start = end - hours * 3600
    rows = 0
    with open(path, "w") as f:
        f.write("time,station,parameter,value,flag\n")
        for t in range(start, end, 60):
            local = datetime.datetime.fromtimestamp(t, zone).strftime("%Y-%m-%dT%H:%M")
            minute = (t - start) // 60
            for i in range(1, n + 1):
                kind = KINDS[(i - 1) % 4]
                sid = "sim-%04d" % i
                for p, (param, typical, limit) in enumerate(PARAMS[kind]):
                    f.write("%s,%s,%s,%.4g,N\n" % (local, sid, param, value(i, p, minute, typical, limit)))
                    rows += 1
    print("wrote %d rows (%d stations, %d h to %s)" % (rows, n, hours,
          datetime.datetime.fromtimestamp(end, zone).isoformat()), file=sys.stderr)


def cmd_mapping(args):
    with open(args[0], "w") as f:
        f.write("# Written by Benchmarks/overview_bench.py\nformat: csv\nkind: minute\n"
                "time: {column: time, zone: Asia/Shanghai}\nstation: {column: station}\n"
                "long: {parameter: parameter, value: value, flag: flag}\n")


def cmd_get(args):
    url = urllib.parse.urlsplit(args[0])
    n = arg(args, "--requests", 50, int)
    headers = {}
    for i, a in enumerate(args):
        if a == "--header":
            k, v = args[i + 1].split(":", 1)
            headers[k.strip()] = v.strip()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    path = url.path + ("?" + url.query if url.query else "")
    times = []
    server = []
    size = status = 0
    for i in range(n + 3):
        t = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t) * 1000
        status, size = r.status, len(body)
        if status != 200:
            sys.exit("GET %s: %d %s" % (path, status, body[:300]))
        if i >= 3:
            times.append(dt)
            timing = r.getheader("Server-Timing") or ""
            if "dur=" in timing:
                server.append(float(timing.split("dur=")[1].split(",")[0]))
    times.sort()
    server.sort()

    pct = cb.percentile
    print("GET %s x%d (client, whole answer): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; %d bytes, status %d"
          % (path, n, pct(times, 50), pct(times, 90), pct(times, 99), times[-1], size, status))
    if server:
        print("server (Server-Timing render): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
              % (pct(server, 50), pct(server, 90), pct(server, 99), server[-1]))


if __name__ == "__main__":
    {"csv": cmd_csv, "mapping": cmd_mapping, "get": cmd_get}[sys.argv[1]](sys.argv[2:])
