#!/usr/bin/env python3
"""The station page over a year of minute data (issue 16): GET /stations/{id}?range=year on a running
`envmon serve`, REQUESTS times over one keep-alive connection; server time, size, and the charts in it.

  dashboard_station_bench.py --dir TMP --envmon PATH [--days 365] [--requests 50] [--format text|json]

Data: two stations, each one value a minute for DAYS x 1,440 minutes ending at the current minute,
imported with `envmon import` before the daemon starts:
  - year-outlet, a discharge outlet reporting COD (limit max 50 mg/L, hour), NH3-N, TP, TN, pH and
    flow, about 1 % of the minutes flagged M (maintenance) in runs of an hour, and a 10-day hole;
  - year-site, an ambient-air site reporting the six AQI pollutants (its page adds the daily AQI
    of the year).
Goal: the page renders in < 100 ms server-side and weighs < 300 KB.
"""
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import commands_bench as cb  # noqa: E402

MAPPING = """format: csv
kind: minute
time: {column: time, zone: UTC}
station: {column: station}
long: {parameter: parameter, value: value, flag: flag}
"""


def arg(name, default=None, cast=str):
    return cb.arg(sys.argv, name, default, cast)


def write_sensors(folder):
    with open(os.path.join(folder, "year-outlet.yaml"), "w") as f:
        f.write('id: year-outlet\nname: "Bench outlet 年度排口"\nkind: discharge-outlet\ntime_zone: Asia/Shanghai\ninterval: 60s\n'
                'parameters:\n  COD:\n    unit: mg/L\n    limit: {max: 50, basis: hour, source: "GB 18918-2002 1A"}\n'
                '  NH3-N: {unit: mg/L}\n  TP: {unit: mg/L}\n  TN: {unit: mg/L}\n  pH: {}\n  Q-water: {unit: L/s}\n')
    with open(os.path.join(folder, "year-site.yaml"), "w") as f:
        f.write('id: year-site\nname: "Bench site 年度站点"\nkind: ambient-air\ntime_zone: Asia/Shanghai\ninterval: 60s\n'
                'parameters:\n  PM2.5: {}\n  PM10: {}\n  SO2: {}\n  NO2: {}\n  CO: {}\n  O3: {}\n')


def write_csv(path, start, minutes):
    rnd = random.Random(16)
    hole = (start + 200 * 86400, start + 210 * 86400)
    with open(path, "w") as f:
        f.write("time,station,parameter,value,flag\n")
        flagged_until = 0
        for i in range(minutes):
            t = start + i * 60
            stamp = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(t))
            if not (hole[0] <= t < hole[1]):
                if t >= flagged_until and rnd.random() < 1 / 6000:
                    flagged_until = t + 3600
                flag = "M" if t < flagged_until else "N"
                r = rnd.random()
                f.write("%s,year-outlet,COD,%.2f,%s\n" % (stamp, 30 + 15 * r + (25 if i % 9973 == 0 else 0), flag))
                f.write("%s,year-outlet,NH3-N,%.2f,%s\n" % (stamp, 1 + 2 * r, flag))
                f.write("%s,year-outlet,TP,%.3f,%s\n" % (stamp, 0.2 + 0.2 * r, flag))
                f.write("%s,year-outlet,TN,%.2f,%s\n" % (stamp, 8 + 4 * r, flag))
                f.write("%s,year-outlet,pH,%.2f,%s\n" % (stamp, 7 + 0.5 * r, flag))
                f.write("%s,year-outlet,Q-water,%.1f,%s\n" % (stamp, 500 + 80 * r, flag))
            r = rnd.random()
            f.write("%s,year-site,PM2.5,%.1f,N\n%s,year-site,PM10,%.1f,N\n%s,year-site,SO2,%.1f,N\n"
                    "%s,year-site,NO2,%.1f,N\n%s,year-site,CO,%.2f,N\n%s,year-site,O3,%.1f,N\n"
                    % (stamp, 20 + 60 * r, stamp, 40 + 80 * r, stamp, 5 + 10 * r, stamp, 15 + 30 * r, stamp, 0.4 + 0.6 * r,
                       stamp, 30 + 120 * r))


def timed_gets(port, path, requests, headers):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times, server, body = [], [], b""
    for i in range(requests + 3):
        t0 = time.perf_counter()
        c.request("GET", path, headers=headers)
        r = c.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            raise SystemExit("GET %s: HTTP %d %s" % (path, r.status, body[:300]))
        if i >= 3:
            times.append(dt)
            timing = r.getheader("Server-Timing", "")
            if "dur=" in timing:
                server.append(float(timing.split("dur=")[1].split(",")[0].split(";")[0]))
    c.close()
    text = body.decode("utf-8")
    return {"requests": len(times), "p50_ms": round(cb.percentile(times, 50), 2), "p90_ms": round(cb.percentile(times, 90), 2),
            "max_ms": round(max(times), 2),
            "server_p50_ms": round(cb.percentile(server, 50), 2) if server else None, "server_p90_ms": round(cb.percentile(server, 90), 2) if server else None,
            "server_p99_ms": round(cb.percentile(server, 99), 2) if server else None, "mean_ms": round(statistics.mean(times), 2), "bytes": len(body),
            "svgs": text.count("<svg"), "limit_lines": text.count('data-test="limit-line"'),
            "shaded": text.count('data-test="shaded-period"')}


def main():
    tmp = arg("--dir")
    envmon = arg("--envmon")
    days = arg("--days", 365, int)
    requests = arg("--requests", 50, int)
    fmt = arg("--format", "text")
    end = int(time.time()) // 60 * 60
    start = end - days * 86400
    res = {"config": {"days": days, "requests": requests, "samples_per_station": days * 1440, "load_start": cb.loadavg()}}
    sensors = os.path.join(tmp, "sensors")
    os.makedirs(sensors, exist_ok=True)
    write_sensors(sensors)
    with open(os.path.join(tmp, "m.mapping.yaml"), "w") as f:
        f.write(MAPPING)
    csv = os.path.join(tmp, "year.csv")
    cb.log("writing %d minutes of two stations" % (days * 1440))
    write_csv(csv, start, days * 1440)
    db = os.path.join(tmp, "envmon.sqlite")
    cb.log("envmon import")
    subprocess.run([envmon, "import", "--db", db, "--sensors", sensors, "--mapping", os.path.join(tmp, "m.mapping.yaml"), csv],
                   check=True, stdout=subprocess.DEVNULL)
    daemon, port, token = cb.serve_with_token(envmon, tmp, db, sensors)
    try:
        headers = {"Authorization": "Bearer " + token, "Accept-Language": "zh-CN"}
        for sid in ["year-outlet", "year-site"]:
            for rng in ["year", "month", "day"]:
                cb.log("GET /stations/%s?range=%s x %d" % (sid, rng, requests))
                res["%s %s" % (sid, rng)] = timed_gets(port, "/stations/%s?range=%s" % (sid, rng), requests, headers)
    finally:
        daemon.terminate()
        daemon.wait(30)
    res["config"]["load_end"] = cb.loadavg()
    if fmt == "json":
        print(json.dumps(res))
        return
    c = res["config"]
    print("station page, %d days of minute data per station, %d requests each over one keep-alive connection; load %s -> %s"
          % (c["days"], c["requests"], c["load_start"], c["load_end"]))
    print("%-24s %8s %8s %8s %11s %11s %11s %9s %5s %6s %7s" % ("page", "p50 ms", "p90 ms", "max ms", "server p50", "server p90", "server p99",
                                                               "bytes", "svg", "limits", "shaded"))
    for k, r in res.items():
        if k == "config":
            continue
        print("%-24s %8.2f %8.2f %8.2f %11s %11s %11s %9d %5d %6d %7d" % (k, r["p50_ms"], r["p90_ms"], r["max_ms"], r["server_p50_ms"],
                                                                       r["server_p90_ms"], r["server_p99_ms"], r["bytes"], r["svgs"],
                                                                       r["limit_lines"], r["shaded"]))
    worst = max((r for k, r in res.items() if k.endswith("year")), key=lambda r: r["p90_ms"])
    print("goal < 100 ms and < 300 KB for a year: %s (p90 %.2f ms, %d bytes)" % (
        "met" if worst["p90_ms"] < 100 and worst["bytes"] < 300_000 else "NOT met", worst["p90_ms"], worst["bytes"]))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
