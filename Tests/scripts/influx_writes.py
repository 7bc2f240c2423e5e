"""Writes through python's influxdb client (PyPI `influxdb` 5.x) into envmon's /write, as a
Telegraf-era InfluxDB 1.x user would, and prints what each call gave as one JSON object.

usage: influx_writes.py PORT TOKEN SCENARIO NOW
  basic      points with the parameter tag (precision s), each precision, gzip, malformed lines
  roles      one write without a token and one with TOKEN (expected refused)
  stream LOG writes batches of 50 lines until killed; appends each batch answered 204 to LOG
"""
import json
import sys

from influxdb import InfluxDBClient
from influxdb.exceptions import InfluxDBClientError, InfluxDBServerError

port, token, scenario, now = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
hour = now // 3600 * 3600


def client(password=token, gzip=False):
    return InfluxDBClient("127.0.0.1", port, "plant-3", password, "envmon", gzip=gzip, timeout=30)


def attempt(call):
    try:
        call()
        return {"ok": True}
    except InfluxDBClientError as e:
        content = e.content if isinstance(e.content, str) else e.content.decode("utf-8", "replace")
        try:
            content = json.loads(content)["error"]  # InfluxDB's {"error": "..."}
        except (ValueError, KeyError, TypeError):
            pass
        return {"ok": False, "code": e.code, "content": content}
    except InfluxDBServerError as e:
        return {"ok": False, "code": 500, "content": str(e)}


out = {}
if scenario == "basic":
    c = client()
    out["ping"] = c.ping()
    # The parameter tag with the value and flag fields, precision s: COD at hour-10 min .. hour-6 min.
    points = [{"measurement": "reading", "tags": {"station": "sim-0002", "parameter": "COD"},
               "time": hour - 600 + 60 * i, "fields": {"value": 20.0 + i, "flag": "N"}} for i in range(5)]
    out["tagged"] = attempt(lambda: c.write_points(points, time_precision="s"))
    # Each precision: NH3-N as a field key, one point an hour back per precision.
    scale = {"n": 10**9, "u": 10**6, "ms": 1000, "s": 1}
    for k, p in enumerate(["n", "u", "ms", "s", "m", "h"]):
        t = hour - 3600 * (k + 1)
        stamp = t * scale[p] if p in scale else (t // 60 if p == "m" else t // 3600)
        point = {"measurement": "reading", "tags": {"station": "sim-0002"}, "time": stamp, "fields": {"NH3-N": 1.0 + k}}
        out["precision_" + p] = attempt(lambda: c.write_points([point], time_precision=p))
    # gzip: TP (w21011 by its HJ 212 code) at hour-5 min, with a maintenance flag.
    g = client(gzip=True)
    out["gzip"] = attempt(lambda: g.write_points(
        ["reading,station=sim-0002,parameter=w21011 value=0.25,flag=\"M\" %d" % (hour - 300)], protocol="line", time_precision="s"))
    # Malformed lines between good ones: the good ones are stored, the answer is a partial write.
    lines = ["reading,station=sim-0002 pH=7.1 %d" % (hour - 240),
             "reading,station=sim-0002 pH= %d" % (hour - 180),
             "reading,station=sim-0002 pH=7.3 %d" % (hour - 120),
             "reading,station=sim-0002 pH=7.4 12x",
             "reading,station=nowhere pH=7.5 %d" % (hour - 60)]
    out["malformed"] = attempt(lambda: c.write_points(lines, protocol="line", time_precision="s"))
    out["all_bad"] = attempt(lambda: c.write_points(["reading,station=sim-0002 pH"], protocol="line"))
elif scenario == "roles":
    out["no_token"] = attempt(lambda: InfluxDBClient("127.0.0.1", port, database="envmon").write_points(
        ["reading,station=sim-0002 COD=1 %d" % now], protocol="line", time_precision="s"))
    out["token"] = attempt(lambda: client().write_points(
        ["reading,station=sim-0002 COD=1 %d" % now], protocol="line", time_precision="s"))
    out["ping_no_token"] = InfluxDBClient("127.0.0.1", port).ping()
elif scenario == "stream":
    log = open(sys.argv[5], "a")
    c = client()
    batch = 0
    while True:
        # 50 lines a request: 10 instants of the 5 parameters of sim-0002, a minute apart,
        # going back from now (each batch its own instants).
        lines = []
        for i in range(10):
            t = now - 60 * (batch * 10 + i)
            for param, value in [("COD", 20 + i), ("NH3-N", 1 + i / 10), ("TP", 0.1 + i / 100), ("pH", 7), ("Q-water", 100 + i)]:
                lines.append("r,station=sim-0002 %s=%s %d" % (param, value, t))
        r = attempt(lambda: c.write_points(lines, protocol="line", time_precision="s"))
        if r["ok"]:
            log.write("\n".join(lines) + "\n")
            log.flush()
        batch += 1
print(json.dumps(out))
