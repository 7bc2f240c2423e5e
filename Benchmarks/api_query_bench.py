#!/usr/bin/env python3
"""The hourly trend over a year of minute data through the API (issue 15): envmon serve's
GET /api/v1/query?step=1h, p50/p90/p99 of REQUESTS requests over one keep-alive connection, beside
InfluxDB 1.x's /query with GROUP BY time(1h) on the same data over a keep-alive connection too.

  api_query_bench.py --dir TMP --envmon PATH [--year-days 365] [--requests 300] [--influx 1] [--format text|json]

Data: the same year series as commands_bench.py (station year-001, PM2.5, one value a minute,
YEAR_DAYS x 1,440 values ending at the top of the current hour), imported with `envmon import`
before the daemon starts, and written to a fresh influxd in batches of 5,000 lines.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import commands_bench as cb  # noqa: E402


def arg(name, default=None, cast=str):
    return cb.arg(sys.argv, name, default, cast)


def keepalive(port, path, requests, headers=None, check=None):
    """GETs `path` REQUESTS times over one keep-alive connection (after 10 warm-ups); latencies in ms."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, body = [], b""
    for i in range(requests + 10):
        t0 = time.perf_counter()
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            raise SystemExit("GET %s: HTTP %d %s" % (path, r.status, body[:300]))
        if r.getheader("Connection", "").lower() == "close":
            raise SystemExit("the server closed the keep-alive connection")
        if i >= 10:
            times.append(dt)
    c.close()
    if check:
        check(body)
    return {"requests": len(times), "p50_ms": round(cb.percentile(times, 50), 3), "p90_ms": round(cb.percentile(times, 90), 3),
            "p99_ms": round(cb.percentile(times, 99), 3), "max_ms": round(max(times), 3), "mean_ms": round(statistics.mean(times), 3),
            "bytes": len(body)}


def main():
    tmp = arg("--dir")
    envmon = arg("--envmon")
    year_days = arg("--year-days", 365, int)
    requests = arg("--requests", 300, int)
    with_influx = arg("--influx", 1, int)
    fmt = arg("--format", "text")
    postgres = arg("--postgres", 0, int)
    end = int(time.time()) // 3600 * 3600
    ystart = end - year_days * 86400
    n_year = year_days * 1440
    res = {"config": {"year_days": year_days, "requests": requests, "samples": n_year, "load_start": cb.loadavg()}}

    sensors = os.path.join(tmp, "sensors")
    os.makedirs(sensors, exist_ok=True)
    cb.write_station(sensors, cb.YEAR_STATION, [cb.YEAR_PARAM])
    with open(os.path.join(tmp, "long.mapping.yaml"), "w") as f:
        f.write(cb.MAPPING)
    year = os.path.join(tmp, "year")
    cb.log("writing the year series (%d samples)" % n_year)
    cb.write_data(year, [(cb.YEAR_STATION, cb.YEAR_PARAM, 50, 2000)], ystart, n_year, 1)
    db = os.path.join(tmp, "envmon.sqlite")
    cb.log("envmon import")
    subprocess.run([envmon, "import", "--db", db, "--sensors", sensors, "--mapping", os.path.join(tmp, "long.mapping.yaml"), year + ".csv"],
                   check=True, stdout=subprocess.DEVNULL)

    pg, store_url = None, None
    if postgres:
        # The same year, moved into a private PostgreSQL by `envmon migrate` (which checks it).
        import pg_server
        pg = pg_server.PostgresServer()
    try:
        if pg:
            store_url = pg.create("bench")
            cb.log("envmon migrate to PostgreSQL")
            t0 = time.time()
            out = subprocess.run([envmon, "migrate", "--sensors", sensors, "--from", "sqlite:" + db, "--to", store_url], capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit("envmon migrate failed (%d):\n%s%s" % (out.returncode, out.stdout[-3000:], out.stderr[-3000:]))
            res["config"]["store"] = "postgresql"
            res["config"]["migrate_s"] = round(time.time() - t0, 1)
        daemon, port, token = cb.serve_with_token(envmon, tmp, db, sensors, store_url=store_url)
    except BaseException:
        if pg:
            pg.stop()
        raise
    try:
        auth = {"Authorization": "Bearer " + token}
        q = {"station": cb.YEAR_STATION, "parameter": cb.YEAR_PARAM, "from": cb.iso_sec(ystart), "to": cb.iso_sec(end), "step": "1h"}
        hours = year_days * 24

        def rows(kind):
            def check(body):
                n = body.count(b"\n") - 1 if kind == "csv" else len(json.loads(body)["rows"])
                if n != hours:
                    raise SystemExit("the API answered %d rows, not %d" % (n, hours))
            return check
        cb.log("envmon API: %d requests, CSV then JSON" % requests)
        res["envmon_api_csv"] = keepalive(port, "/api/v1/query?" + urlencode(dict(q, format="csv")), requests, auth, rows("csv"))
        res["envmon_api_json"] = keepalive(port, "/api/v1/query?" + urlencode(q), requests, auth, rows("json"))
        res["envmon_stations"] = keepalive(port, "/api/v1/stations", requests, auth)
    finally:
        daemon.terminate()
        daemon.wait(30)
        if pg:
            pg.stop()

    if with_influx:
        influx = cb.Influx(tmp, "influx")
        try:
            batches, _ = cb.line_batches(year + ".lp", 5000)
            cb.log("InfluxDB: writing the year")
            cb.influx_write(influx, batches, 1)
            res["influx_settle_s"] = round(influx.settle(180), 1)
            sel = "station = '%s' AND parameter = '%s'" % (cb.YEAR_STATION, cb.YEAR_PARAM)
            iq = "SELECT mean(value), count(value) FROM %s WHERE %s AND time >= '%s' AND time < '%s' GROUP BY time(1h)" % (
                cb.MEASUREMENT, sel, cb.iso_sec(ystart), cb.iso_sec(end))

            def check(body):
                n = len(json.loads(body)["results"][0]["series"][0]["values"])
                if n < hours:
                    raise SystemExit("InfluxDB answered %d rows, not %d" % (n, hours))
            cb.log("InfluxDB: %d requests" % requests)
            res["influx_group_by"] = keepalive(influx.port, "/query?" + urlencode({"db": cb.INFLUX_DB, "q": iq}), requests, None, check)
        finally:
            influx.stop()
    res["config"]["load_end"] = cb.loadavg()
    if fmt == "json":
        print(json.dumps(res))
        return
    c = res["config"]
    print("hourly trend over %d days of minute data (%d samples), %d requests over one keep-alive connection; load %s -> %s"
          % (c["year_days"], c["samples"], c["requests"], c["load_start"], c["load_end"]))
    print("%-44s %9s %9s %9s %9s %9s" % ("", "p50 ms", "p90 ms", "p99 ms", "max ms", "bytes"))
    for k, label in [("envmon_api_csv", "envmon /api/v1/query?step=1h&format=csv"), ("envmon_api_json", "envmon /api/v1/query?step=1h (JSON)"),
                     ("envmon_stations", "envmon /api/v1/stations (1 station)"), ("influx_group_by", "InfluxDB 1.6 GROUP BY time(1h)")]:
        if k in res:
            r = res[k]
            print("%-44s %9.2f %9.2f %9.2f %9.2f %9d" % (label, r["p50_ms"], r["p90_ms"], r["p99_ms"], r["max_ms"], r["bytes"]))
    goal = res["envmon_api_csv"]["p99_ms"]
    bound = 20 if postgres else 10  # issue 17 on PostgreSQL, issue 15 on SQLite
    print("store: %s; goal p99 < %d ms (CSV): %s" % ("PostgreSQL" if postgres else "SQLite", bound,
                                                     "met" if goal < bound else "NOT met (%.2f ms)" % goal))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
