#!/usr/bin/env python3
"""Whole-command benchmark of envmon beside InfluxDB 1.x and sqlite3 (run by commands.sh).

  commands_bench.py run --dir TMP --envmon BIN [--stations 100] [--params 10] [--minutes 5000]
      [--year-days 365] [--runs 15] [--batch 5000] [--query-format csv] [--settle-max 180]
      [--format text|json]

Everything happens in TMP, in this order:
  1. data: STATIONS x PARAMS one-minute series over MINUTES minutes ending today 00:00 UTC, in time
     order (every series' value of minute t, then minute t + 1, ...), written three ways with the
     same values: a long CSV for `envmon import` (with its mapping and sensors/*.yaml), InfluxDB
     line protocol, and a CSV of (series, ts, value) for sqlite3 `.import`. Also one series
     (station year-001, PM2.5) of YEAR_DAYS x 1,440 minute values ending at the same time, for
     the queries.
  2. imports, one after the other, each timed as a whole: `envmon import` (one process: wall,
     user + sys from wait4, peak RSS from GNU time); InfluxDB /write in batches of BATCH lines, precision=s, over
     ONE keep-alive connection into a fresh influxd, then over TWO connections into another
     fresh influxd (influxd's CPU from /proc/PID/stat, its peak RSS from VmHWM); sqlite3 `.import`
     into a WITHOUT ROWID table keyed (series, ts), WAL, synchronous=NORMAL as envmon's store.
     Each import's stored count is checked afterwards.
  3. the year series into all three (timed too, for information); influxd is left to finish its
     background work (compactions) before the queries, up to SETTLE_MAX seconds.
  4. queries, RUNS rounds, interleaved (one of each kind a round, after one untimed warm-up):
     hourly means over the year, raw readings of one day, and a no-op (`envmon version`, curl
     /ping, sqlite3 `SELECT 1`). envmon and sqlite3 are timed as whole processes; InfluxDB is
     timed as curl's time_total (the HTTP request alone, without curl's own start-up).
Prints a table with the goals of issue 13, then one JSON line (`--format json`: the JSON alone).
"""
import http.client
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# The ten ambient parameters of a bench station: id, lowest value and spread, in tenths of the
# catalogue's ambient unit (all well inside the instrument ranges).
PARAMS = [("PM2.5", 50, 2000), ("PM10", 100, 3000), ("SO2", 20, 500), ("NO2", 50, 1000), ("CO", 2, 30),
          ("O3", 50, 2000), ("TEMP", -100, 400), ("RH", 100, 900), ("PRES", 950, 100), ("WS", 0, 150)]
YEAR_STATION, YEAR_PARAM = "year-001", "PM2.5"
MEASUREMENT = "air"
RUNNING = []  # the influxd processes started, stopped at exit whatever happens
INFLUX_DB = "bench"


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def arg(args, name, default=None, cast=str):
    if name in args:
        return cast(args[args.index(name) + 1])
    return default


def percentile(values, p):
    """The nearest-rank p-th percentile (p in 0…100) of values; None for none. One definition
    for every benchmark here, so that their p99s mean the same thing."""
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def serve_with_token(envmon, tmp, db, sensors, role="read", store_url=None):
    """Starts `envmon serve` on the store at db (or the PostgreSQL database at store_url) with a new
    token of the role (no rules, HJ 212 and HTTP on free loopback ports); returns (process, http
    port, token). The caller terminates it."""
    new = subprocess.run([envmon, "token", "new", "--name", "bench", "--role", role], check=True, capture_output=True, text=True).stdout
    token = next(l for l in new.splitlines() if l.startswith("token:"))[6:].strip()
    line = next(l for l in new.splitlines() if l.startswith("config:"))[7:].strip()
    conf = os.path.join(tmp, "envmon.yaml")
    with open(conf, "w") as f:
        store = "{url: \"%s\"}" % store_url if store_url else "{path: %s}" % db
        f.write("store: %s\nsensors: [%s]\nrules: {path: %s}\nhj212: {host: 127.0.0.1, port: 0}\n"
                "http:\n  host: 127.0.0.1\n  port: 0\n  tokens:\n    %s\n" % (store, sensors, os.path.join(tmp, "no-rules"), line))
    log = open(os.path.join(tmp, "serve.log"), "w")
    daemon = subprocess.Popen([envmon, "serve", "--config", conf], stdout=subprocess.PIPE, stderr=log, text=True)
    for out in daemon.stdout:
        if "http listening on" in out:
            return daemon, int(out.rsplit(":", 1)[1]), token
    daemon.terminate()
    daemon.wait(30)
    raise SystemExit("envmon serve did not start; see %s" % log.name)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --- data ------------------------------------------------------------------------------------

def station_id(i):
    return "bench-%03d" % i


def write_sensors(folder, stations, params):
    os.makedirs(folder, exist_ok=True)
    for i in range(1, stations + 1):
        write_station(folder, station_id(i), [p for p, _, _ in PARAMS[:params]])
    write_station(folder, YEAR_STATION, [YEAR_PARAM])


def write_station(folder, sid, params):
    lines = ["id: %s" % sid, 'name: "Bench station %s"' % sid, "kind: ambient-air", "time_zone: Asia/Shanghai",
             "interval: 60s", "parameters:"] + ["  %s: {}" % p for p in params]
    with open(os.path.join(folder, sid + ".yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


MAPPING = """# Long CSV written by commands_bench.py: one reading a row, times in UTC.
format: csv
kind: minute
time: {column: time, zone: UTC}
station: {column: station}
long: {parameter: parameter, value: value}
"""


def iso_minute(ts):
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(ts))


def write_data(d, series, start, minutes, first_sqlite_id):
    """series: [(station, parameter, base, spread)]. Writes d.csv, d.lp, d.sqlite.csv."""
    prefixes = [(",%s,%s," % (s, p), "%s,parameter=%s,station=%s value=" % (MEASUREMENT, p, s), "%d," % (first_sqlite_id + k))
                for k, (s, p, _, _) in enumerate(series)]
    with open(d + ".csv", "w") as fc, open(d + ".lp", "w") as fl, open(d + ".sqlite.csv", "w") as fs:
        fc.write("time,station,parameter,value\n")
        for t in range(minutes):
            ts = start + 60 * t
            tstr = iso_minute(ts)
            tail = " %d\n" % ts
            stamp = ",%d," % ts
            c, l, q = [], [], []
            for k, (_, _, base, spread) in enumerate(series):
                v = "%.1f" % ((base + (k * 7919 + t * 104729) % spread) / 10)
                pc, pl, pq = prefixes[k]
                c.append(tstr + pc + v + "\n")
                l.append(pl + v + tail)
                q.append(pq[:-1] + stamp + v + "\n")
            fc.write("".join(c))
            fl.write("".join(l))
            fs.write("".join(q))


# --- processes -------------------------------------------------------------------------------

def timed(argv, stdout=subprocess.DEVNULL, stdin=None, rss=False):
    """Runs argv to completion: wall seconds, user and sys seconds (from wait4), and with rss=True
    its peak RSS (KiB) as GNU time reports it. Not ru_maxrss of our own wait4: a child started
    with vfork, as subprocess does, carries this process's high-water mark over its exec."""
    with tempfile.NamedTemporaryFile() as err, tempfile.NamedTemporaryFile(mode="r") as peak:
        if rss:
            argv = ["/usr/bin/time", "-f", "%M", "-o", peak.name] + argv
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=stdout, stdin=stdin, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit("%s failed (exit %d): %s" % (" ".join(argv[:6]), p.returncode, err.read().decode(errors="replace")[-2000:]))
        r = {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime}
        if rss:
            r["rss_kib"] = int(peak.read().split()[-1])
        return r


def proc_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_hwm_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
    return int(m.group(1))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- InfluxDB --------------------------------------------------------------------------------

class Influx:
    """One influxd of our own: loopback HTTP on a free port, its files under TMP/NAME, no other listeners."""

    def __init__(self, tmp, name):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        self.port, rpc = free_port(), free_port()
        conf = os.path.join(self.dir, "influxdb.conf")
        with open(conf, "w") as f:
            f.write(INFLUX_CONF % {"dir": self.dir, "port": self.port, "rpc": rpc})
        self.log = open(os.path.join(self.dir, "influxd.log"), "w")
        RUNNING.append(self)
        self.proc = subprocess.Popen(["influxd", "-config", conf], stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        with open(os.path.join(tmp, "influxd.pids"), "a") as f:
            f.write("%d\n" % self.proc.pid)
        for _ in range(300):
            try:
                if self.request("GET", "/ping")[0] == 204:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit("influxd exited (%d); see %s" % (self.proc.returncode, self.log.name))
            time.sleep(0.1)
        else:
            raise SystemExit("influxd did not answer /ping within 30 s")
        self.query("CREATE DATABASE " + INFLUX_DB, post=True)

    def request(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        c.request(method, path, body=body)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    def query(self, q, post=False):
        from urllib.parse import urlencode
        status, data = self.request("POST" if post else "GET", "/query?" + urlencode({"db": INFLUX_DB, "q": q}))
        if status != 200 or b'"error"' in data:
            raise SystemExit("InfluxDB query failed (%d): %s: %s" % (status, q, data[:500]))
        return json.loads(data)

    def count(self, where):
        r = self.query("SELECT count(value) FROM %s WHERE %s" % (MEASUREMENT, where))
        series = r["results"][0].get("series")
        return series[0]["values"][0][1] if series else 0

    def cpu(self):
        return proc_cpu(self.proc.pid)

    def settle(self, limit):
        """Waits until influxd uses under 2 % of a core over a second (twice in a row), at most limit s."""
        t0, quiet, last = time.time(), 0, self.cpu()
        while time.time() - t0 < limit and quiet < 2:
            time.sleep(1)
            now = self.cpu()
            quiet = quiet + 1 if now - last < 0.02 else 0
            last = now
        return time.time() - t0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


INFLUX_CONF = """reporting-disabled = true
bind-address = "127.0.0.1:%(rpc)d"
[meta]
  dir = "%(dir)s/meta"
  logging-enabled = false
[data]
  dir = "%(dir)s/data"
  wal-dir = "%(dir)s/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:%(port)d"
  log-enabled = false
  pprof-enabled = false
[logging]
  level = "warn"
[ifql]
  enabled = false
[[graphite]]
  enabled = false
[[collectd]]
  enabled = false
[[opentsdb]]
  enabled = false
[[udp]]
  enabled = false
"""


def line_batches(path, batch):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [b"\n".join(lines[i:i + batch]) + b"\n" for i in range(0, len(lines), batch)], len(lines)


def influx_write(influx, batches, conns):
    """Posts the batches in order over `conns` keep-alive connections (threads taking the next
    batch in turn); wall time from the first send to the last 204, influxd's CPU and peak RSS."""
    nxt = [0]
    lock = threading.Lock()
    errors = []

    def worker():
        c = http.client.HTTPConnection("127.0.0.1", influx.port, timeout=600)
        while not errors:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= len(batches):
                break
            c.request("POST", "/write?db=%s&precision=s" % INFLUX_DB, body=batches[i],
                      headers={"Content-Type": "text/plain; charset=utf-8"})
            r = c.getresponse()
            body = r.read()
            if r.status != 204:
                errors.append("batch %d: HTTP %d %s" % (i, r.status, body[:300]))
        c.close()

    load = loadavg()
    cpu0, ru0 = influx.cpu(), resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu, ru = influx.cpu() - cpu0, resource.getrusage(resource.RUSAGE_SELF)
    if errors:
        raise SystemExit("InfluxDB write failed: " + errors[0])
    return {"wall": wall, "server_cpu": cpu, "client_cpu": ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime,
            "rss_kib": proc_hwm_kib(influx.proc.pid), "load": load}


def curl_time(url, params):
    """One GET through curl: curl's time_total (the request alone) and the response."""
    argv = ["curl", "-sS", "-G", url, "-o", "-", "-w", "\n%{http_code} %{time_total}"]
    for k, v in params.items():
        argv += ["--data-urlencode", "%s=%s" % (k, v)]
    out = subprocess.run(argv, check=True, capture_output=True).stdout
    body, _, tail = out.rpartition(b"\n")
    code, total = tail.split()
    if code not in (b"200", b"204") or b'"error"' in body:
        raise SystemExit("curl %s failed: %s %s" % (url, code, body[:300]))
    return float(total), body


# --- the run ---------------------------------------------------------------------------------

def run(args):
    tmp = arg(args, "--dir")
    envmon = arg(args, "--envmon")
    stations = arg(args, "--stations", 100, int)
    params = arg(args, "--params", 10, int)
    minutes = arg(args, "--minutes", 5000, int)
    year_days = arg(args, "--year-days", 365, int)
    runs = arg(args, "--runs", 15, int)
    batch = arg(args, "--batch", 5000, int)
    qformat = arg(args, "--query-format", "csv")
    settle_max = arg(args, "--settle-max", 180, float)
    out_format = arg(args, "--format", "text")
    if not 1 <= params <= len(PARAMS):
        raise SystemExit("PARAMS must be 1…%d" % len(PARAMS))
    res = {"config": {"stations": stations, "params": params, "minutes": minutes, "year_days": year_days, "runs": runs,
                      "batch": batch, "query_format": qformat, "envmon": envmon},
           "load_start": loadavg(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    versions = {"envmon": subprocess.run([envmon, "version"], capture_output=True, text=True).stdout.split("\n")[0],
                "influxd": subprocess.run(["influxd", "version"], capture_output=True, text=True).stdout.strip(),
                "sqlite3": subprocess.run(["sqlite3", "-version"], capture_output=True, text=True).stdout.split()[0]}
    res["versions"] = versions

    # 1. data
    end = int(time.time()) // 86400 * 86400
    start = end - 60 * minutes
    ystart = end - year_days * 86400
    series = [(station_id(i), p, base, spread) for i in range(1, stations + 1) for p, base, spread in PARAMS[:params]]
    n_bulk, n_year = len(series) * minutes, year_days * 1440
    log("writing %d x %d minutes = %d samples (three formats) and a year series of %d into %s" % (len(series), minutes, n_bulk, n_year, tmp))
    t0 = time.time()
    write_sensors(os.path.join(tmp, "sensors"), stations, params)
    with open(os.path.join(tmp, "long.mapping.yaml"), "w") as f:
        f.write(MAPPING)
    bulk, year = os.path.join(tmp, "bulk"), os.path.join(tmp, "year")
    write_data(bulk, series, start, minutes, 1)
    write_data(year, [(YEAR_STATION, YEAR_PARAM, 50, 2000)], ystart, year_days * 1440, len(series) + 1)
    res["data"] = {"samples": n_bulk, "series": len(series), "from": iso_minute(start), "to": iso_minute(end),
                   "year_from": iso_minute(ystart), "year_samples": n_year, "write_s": round(time.time() - t0, 1),
                   "bytes": {ext: os.path.getsize(bulk + ext) for ext in (".csv", ".lp", ".sqlite.csv")}}
    log("data written in %.0f s" % (time.time() - t0))

    db = os.path.join(tmp, "envmon.sqlite")
    envmon_base = [envmon]
    store_args = ["--db", db, "--sensors", os.path.join(tmp, "sensors")]

    def envmon_import(path, expected):
        out = os.path.join(tmp, os.path.basename(path) + ".import.json")
        load = loadavg()
        with open(out, "w") as f:
            r = timed(envmon_base + ["import"] + store_args + ["--mapping", os.path.join(tmp, "long.mapping.yaml"),
                                                               "--format", "json", path], stdout=f, rss=True)
        r["load"] = load
        with open(out) as f:
            report = json.load(f)[0]
        r["stored"] = report["store"]["inserted"]
        if r["stored"] != expected:
            raise SystemExit("envmon import stored %d of %d samples: %s" % (r["stored"], expected, out))
        return r

    sq = os.path.join(tmp, "peer.sqlite")
    subprocess.run(["sqlite3", sq, "PRAGMA journal_mode=WAL; CREATE TABLE sample (series INTEGER NOT NULL, ts INTEGER NOT NULL, "
                    "value REAL NOT NULL, PRIMARY KEY (series, ts)) WITHOUT ROWID;"], check=True, capture_output=True)

    def sqlite_import(path, expected, before):
        script = os.path.join(tmp, "import.sql")
        with open(script, "w") as f:
            f.write("PRAGMA synchronous=NORMAL;\n.import --csv %s sample\n" % path)
        load = loadavg()
        with open(script) as f:
            r = timed(["sqlite3", "-bail", sq], stdin=f, rss=True)
        r["load"] = load
        got = int(subprocess.run(["sqlite3", sq, "SELECT count(*) FROM sample"], check=True, capture_output=True, text=True).stdout)
        r["stored"] = got - before
        if r["stored"] != expected:
            raise SystemExit("sqlite3 .import stored %d of %d rows" % (r["stored"], expected))
        return r

    # 2. imports
    log("envmon import of %d samples" % n_bulk)
    res["envmon_import"] = envmon_import(bulk + ".csv", n_bulk)
    res["envmon_import"]["store_bytes"] = os.path.getsize(db)
    log("  %.1f s" % res["envmon_import"]["wall"])

    log("sqlite3 .import of %d rows" % n_bulk)
    res["sqlite_import"] = sqlite_import(bulk + ".sqlite.csv", n_bulk, 0)
    log("  %.1f s" % res["sqlite_import"]["wall"])

    batches, nlines = line_batches(bulk + ".lp", batch)
    assert nlines == n_bulk
    bulk_where = "time >= %ds AND time < %ds" % (start, end)
    for conns in (1, 2):
        log("InfluxDB /write over %d connection(s), %d batches" % (conns, len(batches)))
        influx = Influx(tmp, "influx-%dconn" % conns)
        r = influx_write(influx, batches, conns)
        r["stored"] = influx.count(bulk_where)
        if r["stored"] != n_bulk:
            raise SystemExit("InfluxDB stored %d of %d points" % (r["stored"], n_bulk))
        res["influx_import_%d" % conns] = r
        log("  %.1f s" % r["wall"])
        if conns == 1:
            influx.stop()
    del batches

    # 3. the year series, into all three; the 2-connection influxd stays for the queries
    log("the year series (%d samples) into envmon, InfluxDB and sqlite3" % n_year)
    res["envmon_import_year"] = envmon_import(year + ".csv", n_year)
    ybatches, _ = line_batches(year + ".lp", batch)
    res["influx_import_year"] = influx_write(influx, ybatches, 1)
    year_where = "station = '%s' AND parameter = '%s' AND time >= %ds AND time < %ds" % (YEAR_STATION, YEAR_PARAM, ystart, end)
    if influx.count(year_where) != n_year:
        raise SystemExit("InfluxDB did not store the year series")
    res["sqlite_import_year"] = sqlite_import(year + ".sqlite.csv", n_year, n_bulk)
    res["influx_settle_s"] = round(influx.settle(settle_max), 1)
    log("influxd idle after %.0f s" % res["influx_settle_s"])

    # 4. queries
    res["queries"] = queries(tmp, envmon_base, store_args, influx, sq, ystart, end, len(series) + 1, runs, qformat)
    influx.stop()
    res["load_end"] = loadavg()
    res["goals"] = goals(res)
    if out_format == "json":
        print(json.dumps(res, indent=1))
    else:
        print_table(res)
        print(json.dumps(res, separators=(",", ":")))


def queries(tmp, envmon_base, store_args, influx, sq, ystart, end, sqlite_series, runs, qformat):
    day_from = end - 86400
    q_from, q_to, d_from = iso_sec(ystart), iso_sec(end), iso_sec(day_from)
    sel = "station = '%s' AND parameter = '%s'" % (YEAR_STATION, YEAR_PARAM)
    url = "http://127.0.0.1:%d" % influx.port
    ev = envmon_base + ["query"] + store_args + ["--station", YEAR_STATION, "--parameter", YEAR_PARAM]
    jobs = {
        "envmon_step": lambda: timed(ev + ["--format", qformat, "--from", q_from, "--to", q_to, "--step", "1h"])["wall"],
        "influx_step": lambda: curl_time(url + "/query", {"db": INFLUX_DB, "q": "SELECT mean(value) FROM %s WHERE %s AND time >= '%s' AND time < '%s' GROUP BY time(1h)" % (MEASUREMENT, sel, q_from, q_to)})[0],
        "sqlite_step": lambda: timed(["sqlite3", "-csv", sq, "SELECT ts / 3600 * 3600 AS hour, avg(value), count(*) FROM sample WHERE series = %d AND ts >= %d AND ts < %d GROUP BY hour" % (sqlite_series, ystart, end)])["wall"],
        "envmon_day": lambda: timed(ev + ["--format", qformat, "--from", d_from, "--to", q_to])["wall"],
        "influx_day": lambda: curl_time(url + "/query", {"db": INFLUX_DB, "q": "SELECT value FROM %s WHERE %s AND time >= '%s' AND time < '%s'" % (MEASUREMENT, sel, d_from, q_to)})[0],
        "sqlite_day": lambda: timed(["sqlite3", "-csv", sq, "SELECT ts, value FROM sample WHERE series = %d AND ts >= %d AND ts < %d" % (sqlite_series, day_from, end)])["wall"],
        "envmon_version": lambda: timed(envmon_base + ["version"])["wall"],
        "influx_ping": lambda: curl_time(url + "/ping", {})[0],
        "sqlite_noop": lambda: timed(["sqlite3", sq, "SELECT 1"])["wall"],
    }
    check = answers(tmp, ev, q_from, q_to, d_from, url, sel, end - ystart)
    log("queries: %d rounds of %d kinds (plus one warm-up)" % (runs, len(jobs)))
    load = loadavg()
    for job in jobs.values():
        job()
    times = {k: [] for k in jobs}
    for _ in range(runs):
        for k, job in jobs.items():
            times[k].append(job() * 1000)
    out = {k: {"median_ms": statistics.median(v), "min_ms": min(v), "max_ms": max(v), "runs_ms": [round(x, 2) for x in v]}
           for k, v in times.items()}
    out["check"] = check
    out["load"] = load
    return out


def iso_sec(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def answers(tmp, ev, q_from, q_to, d_from, url, sel, span):
    """Checks once, untimed, that both answers hold what they should and agree."""
    step = subprocess.run(ev + ["--from", q_from, "--to", q_to, "--step", "1h", "--format", "csv"], check=True,
                          capture_output=True, text=True).stdout.splitlines()[1:]
    day = subprocess.run(ev + ["--from", d_from, "--to", q_to, "--format", "csv"], check=True,
                         capture_output=True, text=True).stdout.splitlines()[1:]
    _, body = curl_time(url + "/query", {"db": INFLUX_DB, "q": "SELECT mean(value) FROM %s WHERE %s AND time >= '%s' AND time < '%s' GROUP BY time(1h)" % (MEASUREMENT, sel, q_from, q_to)})
    ivals = json.loads(body)["results"][0]["series"][0]["values"]
    hours = span // 3600
    if len(step) != hours or len(ivals) != hours or len(day) != 1440:
        raise SystemExit("query answers: envmon %d hours and %d readings, InfluxDB %d hours (expected %d and 1440)"
                         % (len(step), len(day), len(ivals), hours))
    worst = max(abs(float(step[i].split(",")[1]) - ivals[i][1]) for i in range(hours))
    if worst > 0.05:
        raise SystemExit("envmon's and InfluxDB's hourly means differ by up to %g" % worst)
    return {"hours": hours, "day_readings": len(day), "max_mean_difference": worst}


# --- the table -------------------------------------------------------------------------------

def goals(res):
    e, i1, i2 = res["envmon_import"], res["influx_import_1"], res["influx_import_2"]
    q = res["queries"]
    rate = lambda r: r["stored"] / r["wall"]
    g = [("import rate >= 2x InfluxDB 1 connection", rate(e) / rate(i1), ">= 2", rate(e) >= 2 * rate(i1)),
         ("import rate >= 1.2x InfluxDB 2 connections", rate(e) / rate(i2), ">= 1.2", rate(e) >= 1.2 * rate(i2)),
         ("import peak RSS < 150 MiB", e["rss_kib"] / 1024, "< 150 MiB", e["rss_kib"] < 150 * 1024),
         ("query --step 1h over a year <= 40 ms", q["envmon_step"]["median_ms"], "<= 40 ms", q["envmon_step"]["median_ms"] <= 40),
         ("query --step 1h >= 2x faster than InfluxDB", q["influx_step"]["median_ms"] / q["envmon_step"]["median_ms"], ">= 2",
          q["influx_step"]["median_ms"] >= 2 * q["envmon_step"]["median_ms"]),
         ("one-day raw read <= envmon version + 10 ms", q["envmon_day"]["median_ms"] - q["envmon_version"]["median_ms"], "<= 10 ms",
          q["envmon_day"]["median_ms"] <= q["envmon_version"]["median_ms"] + 10)]
    return [{"goal": a, "value": round(b, 3), "target": c, "met": d} for a, b, c, d in g]


def print_table(res):
    c, d = res["config"], res["data"]
    print("Whole commands, same data: %d stations x %d parameters, one value a minute, %d minutes = %s samples (%s .. %s), "
          "time order; query series: %d one-minute values (%s .. %s)."
          % (c["stations"], c["params"], c["minutes"], fmt_int(d["samples"]), d["from"], d["to"], d["year_samples"], d["year_from"], d["to"]))
    print("Versions: %s; %s; sqlite3 %s. Load average at start %s, at end %s. Queries: median of %d runs (min-max)."
          % (res["versions"]["envmon"], res["versions"]["influxd"], res["versions"]["sqlite3"], res["load_start"], res["load_end"], c["runs"]))
    print()
    rows = []
    imp = [("envmon_import", None), ("influx_import_1", "server"), ("influx_import_2", "server"), ("sqlite_import", None)]

    def cells(f):
        return [f(res[k], s) for k, s in imp]

    e = res["envmon_import"]
    rate = lambda r: r["stored"] / r["wall"]
    rows.append(["import %s samples: wall" % fmt_int(d["samples"])] + cells(lambda r, s: "%.2f s" % r["wall"]) + [""])
    rows.append(["  M samples/s"] + cells(lambda r, s: "%.3f" % (rate(r) / 1e6)) +
                ["envmon / Influx 1c %.2fx, / 2c %.2fx, / sqlite3 %.2fx" % (rate(e) / rate(res["influx_import_1"]),
                                                                           rate(e) / rate(res["influx_import_2"]),
                                                                           rate(e) / rate(res["sqlite_import"]))])
    rows.append(["  CPU cores (user+sys)/wall"] + cells(lambda r, s: "%.2f" % ((r["server_cpu"] if s else r["user"] + r["sys"]) / r["wall"])) +
                ["InfluxDB: influxd only (client %.2f / %.2f cores)" % (res["influx_import_1"]["client_cpu"] / res["influx_import_1"]["wall"],
                                                                      res["influx_import_2"]["client_cpu"] / res["influx_import_2"]["wall"])])
    rows.append(["  peak RSS"] + cells(lambda r, s: "%.0f MiB" % (r["rss_kib"] / 1024)) + ["InfluxDB: influxd VmHWM"])
    y = [res["envmon_import_year"], res["influx_import_year"], None, res["sqlite_import_year"]]
    rows.append(["import 1 series x %s (info)" % fmt_int(d["year_samples"])] +
                [("%.2f s" % r["wall"]) if r else "" for r in y] + ["InfluxDB: 1 connection"])
    q = res["queries"]

    def qrow(label, keys, note):
        rows.append([label] + [("%.1f ms (%.1f-%.1f)" % (q[k]["median_ms"], q[k]["min_ms"], q[k]["max_ms"])) if k else "" for k in keys] + [note])

    qrow("query --step 1h, %s" % ("1 year" if c["year_days"] == 365 else "%d days" % c["year_days"]), ["envmon_step", "influx_step", None, "sqlite_step"],
         "InfluxDB / envmon %.2fx" % (q["influx_step"]["median_ms"] / q["envmon_step"]["median_ms"]))
    qrow("query raw, 1 day (1,440)", ["envmon_day", "influx_day", None, "sqlite_day"],
         "envmon - version = %.1f ms" % (q["envmon_day"]["median_ms"] - q["envmon_version"]["median_ms"]))
    qrow("no-op", ["envmon_version", "influx_ping", None, "sqlite_noop"], "envmon version | curl /ping | sqlite3 SELECT 1")
    head = ["what", "envmon", "InfluxDB 1 conn", "InfluxDB 2 conn", "sqlite3", "ratio(s) / notes"]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(r[i].ljust(widths[i]) for i in range(len(r))) + " |"
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print()
    print("envmon, sqlite3: whole process (spawn to exit), queries with --format %s to /dev/null. InfluxDB: /write from "
          "first send to last 204, batches of %d lines, precision=s; queries: curl's time_total (the request alone); "
          "query and no-op rows use one connection. influxd settled %.0f s before the queries."
          % (c["query_format"], c["batch"], res["influx_settle_s"]))
    print("Load average (1, 5, 15 min) as each began: envmon import %s; sqlite3 %s; InfluxDB 1 conn %s, 2 conn %s; queries %s."
          % (res["envmon_import"]["load"], res["sqlite_import"]["load"], res["influx_import_1"]["load"],
             res["influx_import_2"]["load"], q["load"]))
    print()
    gw = max(len(g["goal"]) for g in res["goals"])
    for g in res["goals"]:
        print("goal: %s  %s  (%s %s)" % (g["goal"].ljust(gw), "met   " if g["met"] else "MISSED", g["value"], g["target"]))
    print()


def fmt_int(n):
    return "{:,}".format(n)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if len(sys.argv) < 2 or sys.argv[1] != "run":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        run(sys.argv[2:])
    finally:
        for influx in RUNNING:
            influx.stop()


if __name__ == "__main__":
    main()
