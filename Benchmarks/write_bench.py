#!/usr/bin/env python3
"""envmon's /write beside InfluxDB 1.x's /write on the same data in the same run (run by write-load.sh).

  write_bench.py run --dir TMP --envmon BIN [--stations 100] [--params 10] [--minutes 5000]
      [--batch 5000] [--runs 3] [--synchronous full|normal] [--format text|json]

Data: STATIONS x PARAMS one-minute series over MINUTES minutes ending today 00:00 UTC, in time
order, as InfluxDB line protocol (`air,parameter=P,station=S value=V T`, precision s): the
workload of commands.sh. Each run posts all of it in batches of BATCH lines, in order, over ONE
keep-alive connection and then over TWO (threads taking the next batch in turn), into a fresh
`envmon serve` (fresh store, no rules; its local admin token) and into a fresh influxd, the four
one after the other (envmon first in odd runs, InfluxDB first in even ones). Each is timed from
the first send to the last 204; the server's CPU is read from /proc/PID/stat and this client's
own CPU from getrusage, so a client that is the bottleneck shows. envmon's stored count is
checked in its /metrics (envmon_readings_ingested_total{source="http"}). envmon runs with its
default `store.synchronous: full` (a write is answered once synced to disk, as InfluxDB's WAL
syncs every write by default); `--synchronous normal` shows what the syncs cost.
"""
import http.client
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import commands_bench as cb  # noqa: E402  (Influx, write_sensors, PARAMS, proc_cpu, …)


def lp_data(path, series, start, minutes):
    with open(path, "w") as f:
        prefixes = ["%s,parameter=%s,station=%s value=" % (cb.MEASUREMENT, p, s) for s, p, _, _ in series]
        for t in range(minutes):
            tail = " %d\n" % (start + 60 * t)
            f.write("".join(prefixes[k] + "%.1f" % ((base + (k * 7919 + t * 104729) % spread) / 10) + tail
                            for k, (_, _, base, spread) in enumerate(series)))


def post_batches(port, path, batches, conns, headers, server_pid):
    """Posts the batches in order over `conns` keep-alive connections; wall time from the first
    send to the last 204, the server's and the client's CPU seconds."""
    nxt = [0]
    lock = threading.Lock()
    errors = []

    def worker():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while not errors:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= len(batches):
                break
            c.request("POST", path, body=batches[i], headers=dict(headers, **{"Content-Type": "text/plain; charset=utf-8"}))
            r = c.getresponse()
            body = r.read()
            if r.status != 204:
                errors.append("batch %d: HTTP %d %s" % (i, r.status, body[:300]))
        c.close()

    load = cb.loadavg()
    cpu0, ru0 = cb.proc_cpu(server_pid), resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu, ru = cb.proc_cpu(server_pid) - cpu0, resource.getrusage(resource.RUSAGE_SELF)
    if errors:
        raise SystemExit("write failed: " + errors[0])
    return {"wall": wall, "server_cpu": cpu, "client_cpu": ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime,
            "rss_kib": cb.proc_hwm_kib(server_pid), "load": load}


class Envmon:
    """One `envmon serve` of our own on a fresh store; its HTTP port read from its first lines."""

    def __init__(self, tmp, name, binary, synchronous):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        config = os.path.join(self.dir, "envmon.yaml")
        with open(config, "w") as f:
            f.write("store: {synchronous: %s}\nlog: {stats_interval: 0}\n" % synchronous)
        self.db = os.path.join(self.dir, "store.sqlite")
        self.out = open(os.path.join(self.dir, "serve.out"), "w+")
        self.log = open(os.path.join(self.dir, "serve.log"), "w")
        self.proc = subprocess.Popen(
            [binary, "serve", "--config", config, "--db", self.db, "--sensors", os.path.join(tmp, "sensors"), "--rules", os.path.join(self.dir, "no-rules"),
             "--hj212-host", "127.0.0.1", "--hj212-port", "0", "--http-port", "0"],
            stdout=self.out, stderr=self.log, start_new_session=True, cwd=self.dir)
        self.port = None
        for _ in range(300):
            self.out.seek(0)
            m = re.search(r"http listening on 127\.0\.0\.1:(\d+)", self.out.read())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                raise SystemExit("envmon serve exited; see %s" % self.log.name)
            time.sleep(0.1)
        else:
            raise SystemExit("envmon serve did not listen within 30 s")
        with open(self.db + ".token") as f:
            self.token = f.read().strip()

    def ingested(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        c.request("GET", "/metrics", headers={"Authorization": "Bearer " + self.token})
        text = c.getresponse().read().decode()
        m = re.search(r'envmon_readings_ingested_total\{source="http"\} (\d+)', text)
        return int(m.group(1)) if m else 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run(args):
    tmp, binary = cb.arg(args, "--dir"), cb.arg(args, "--envmon")
    stations, params = cb.arg(args, "--stations", 100, int), cb.arg(args, "--params", 10, int)
    minutes, batch, runs = cb.arg(args, "--minutes", 5000, int), cb.arg(args, "--batch", 5000, int), cb.arg(args, "--runs", 3, int)
    out_format = cb.arg(args, "--format", "text")
    synchronous = cb.arg(args, "--synchronous", "full")
    end = int(time.time()) // 86400 * 86400
    start = end - 60 * minutes
    series = [(cb.station_id(i), p, base, spread) for i in range(1, stations + 1) for p, base, spread in cb.PARAMS[:params]]
    n = len(series) * minutes
    cb.log("writing %d lines (%d series x %d minutes) into %s" % (n, len(series), minutes, tmp))
    cb.write_sensors(os.path.join(tmp, "sensors"), stations, params)
    lp = os.path.join(tmp, "bulk.lp")
    lp_data(lp, series, start, minutes)
    batches, count = cb.line_batches(lp, batch)
    assert count == n
    res = {"config": {"stations": stations, "params": params, "minutes": minutes, "batch": batch, "runs": runs, "lines": n,
                      "envmon": binary, "synchronous": synchronous, "influxd": subprocess.run(["influxd", "version"], capture_output=True, text=True).stdout.strip()},
           "runs": []}
    for r in range(1, runs + 1):
        row = {}
        order = ["envmon", "influx"] if r % 2 else ["influx", "envmon"]
        for conns in (1, 2):
            for who in order:
                name = "%s-%d-%dconn" % (who, r, conns)
                cb.log("run %d: %s over %d connection%s" % (r, who, conns, "" if conns == 1 else "s"))
                if who == "envmon":
                    e = Envmon(tmp, name, binary, synchronous)
                    try:
                        m = post_batches(e.port, "/write?db=bench&precision=s", batches, conns, {"Authorization": "Bearer " + e.token}, e.proc.pid)
                        m["stored"] = e.ingested()
                    finally:
                        e.stop()
                    if m["stored"] != n:
                        raise SystemExit("envmon stored %d of %d lines (see %s)" % (m["stored"], n, e.log.name))
                else:
                    i = cb.Influx(tmp, name)
                    try:
                        m = post_batches(i.port, "/write?db=%s&precision=s" % cb.INFLUX_DB, batches, conns, {}, i.proc.pid)
                    finally:
                        i.stop()
                m["lines_per_s"] = n / m["wall"]
                row["%s_%d" % (who, conns)] = m
                cb.log("  %.0f lines/s in %.1f s; server CPU %.1f s, client CPU %.1f s" % (m["lines_per_s"], m["wall"], m["server_cpu"], m["client_cpu"]))
        for conns in (1, 2):
            row["ratio_%d" % conns] = row["envmon_%d" % conns]["lines_per_s"] / row["influx_%d" % conns]["lines_per_s"]
        res["runs"].append(row)
    if out_format == "json":
        print(json.dumps(res))
        return
    print("write load: %d lines (%d stations x %d parameters x %d minutes), batches of %d, precision s; envmon synchronous %s"
          % (n, stations, params, minutes, batch, synchronous))
    print("%-4s %-6s %14s %14s %7s   %s" % ("run", "conns", "envmon l/s", "InfluxDB l/s", "ratio", "CPU s (envmon srv/cli, influxd srv/cli)"))
    for k, row in enumerate(res["runs"], 1):
        for conns in (1, 2):
            e, i = row["envmon_%d" % conns], row["influx_%d" % conns]
            print("%-4d %-6d %14.0f %14.0f %6.2fx   %.1f/%.1f, %.1f/%.1f" % (
                k, conns, e["lines_per_s"], i["lines_per_s"], row["ratio_%d" % conns], e["server_cpu"], e["client_cpu"], i["server_cpu"], i["client_cpu"]))
    print("goal: envmon >= 1.5x InfluxDB over one connection and over two")
    print(json.dumps(res))


def main():
    if len(sys.argv) < 2 or sys.argv[1] != "run":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        run(sys.argv[2:])
    finally:
        for influx in cb.RUNNING:
            influx.stop()


if __name__ == "__main__":
    main()
