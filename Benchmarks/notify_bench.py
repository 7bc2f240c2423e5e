#!/usr/bin/env python3
"""Helpers of the notifier benchmarks (notify-latency.sh, notify-storm.sh, notify-throughput.sh),
written apart from envmon's Swift code.

  notify_bench.py sensors DIR --stations N [--params K] [--prefix nb]
      N made-up discharge outlets (ids nb-00001…, MN NB + 21 digits), each with the first K of ten
      mg/L parameters, in the schema of sensors/.
  notify_bench.py receiver LOG [--port P] [--procs N]
      A webhook receiver on 127.0.0.1 (asyncio, HTTP/1.1 keep-alive, 200 to everything); prints
      its port first. One JSON line per request to LOG, written in batches: {"t": arrival (Unix
      seconds, time.time() once the whole request is read), "path", "status", "alerts": [[station,
      parameter, status], …], "n": alert count}. --procs N forks N processes on one SO_REUSEPORT
      socket (each writes LOG.<i>).
  notify_bench.py latency --port P --stations N --gap S --out SENDS
      One exceedance frame (COD 150 mg/L, real-time data) for each of stations 1..N, S seconds
      apart, on one connection; the time just before each write goes to SENDS as
      {"station", "t"}; waits for each 9014.
  notify_bench.py storm --port P --stations N --params K [--conns C]
      One frame per station with all K parameters at 150 mg/L, on C connections at once, as fast
      as the acks come back (a window of 32 frames a connection); prints JSON with the first and
      last send and the last ack (Unix seconds).
  notify_bench.py churn --port P --stations A..B --rate R --duration S
      Stations A..B each send R real-time frames a second, COD alternating 150 and 40 mg/L, so
      each frame of each station is a firing or a resolved transition; prints frames sent/acked.
  notify_bench.py am-latency --am URL --count N --gap S --out SENDS
      Posts N alerts (alertname=am-bench, station=am-00001…) to Alertmanager's /api/v2/alerts,
      S seconds apart; the time just before each post goes to SENDS.
  notify_bench.py report-latency SENDS LOG [--path P]
  notify_bench.py report-storm LOG --since T [--path P]
  notify_bench.py report-throughput LOG [--from T0 --to T1]
"""
import asyncio
import datetime
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "scripts"))

PARAMS = [("COD", "w01018"), ("NH3-N", "w21003"), ("TP", "w21011"), ("TN", "w21001"), ("SS", "w01012"),
          ("BOD5", "w01017"), ("TOC", "w01020"), ("CODMn", "w01019"), ("Oil", "w22001"), ("Phenol", "w23002")]
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def station_id(prefix, i):
    return "%s-%05d" % (prefix, i)


def mn(i):
    return "NB%022d" % i


def password(i):
    return "nb%06d" % (i * 7919 % 1000000)


def arg(args, name, default=None, cast=str):
    if name in args:
        return cast(args[args.index(name) + 1])
    return default


# --- sensors ---------------------------------------------------------------------------------

def cmd_sensors(args):
    folder = args[0]
    n = arg(args, "--stations", 1000, int)
    k = arg(args, "--params", 1, int)
    prefix = arg(args, "--prefix", "nb")
    os.makedirs(folder, exist_ok=True)
    for i in range(1, n + 1):
        lines = ["id: %s" % station_id(prefix, i), 'name: "Bench outlet %05d"' % i, "kind: discharge-outlet",
                 "time_zone: Asia/Shanghai", "interval: 60s", "hj212:", '  mn: "%s"' % mn(i), '  password: "%s"' % password(i),
                 "labels:", '  bench: "true"', "parameters:"]
        lines += ["  %s:\n    unit: mg/L" % p for p, _ in PARAMS[:k]]
        with open(os.path.join(folder, station_id(prefix, i) + ".yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


# --- frames ----------------------------------------------------------------------------------

from hj212 import frame  # noqa: E402
import commands_bench as cb  # noqa: E402  (beside this file)

_qn = [0]


def realtime_frame(i, values, when=None):
    """A CN 2011 frame of station i with {code: value}, DataTime `when` (Beijing, now by default)."""
    now = datetime.datetime.now(BEIJING)
    _qn[0] = (_qn[0] + 1) % 1000
    qn = now.strftime("%Y%m%d%H%M%S") + "%03d" % _qn[0]
    t = (when or now).strftime("%Y%m%d%H%M%S")
    cp = ";".join("%s-Rtd=%s,%s-Flag=N" % (c, v, c) for c, v in values.items())
    seg = "QN=%s;ST=32;CN=2011;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s;%s&&" % (qn, password(i), mn(i), t, cp)
    return frame(seg)


class AckReader(threading.Thread):
    """Counts 9014 replies on a socket."""

    def __init__(self, sock):
        super().__init__(daemon=True)
        self.sock, self.acks, self.last = sock, 0, 0.0
        self.cond = threading.Condition()

    def run(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            n = buf.count(b"CN=9014")
            if n:
                buf = buf[buf.rfind(b"CN=9014") + 7:]
                with self.cond:
                    self.acks += n
                    self.last = time.time()
                    self.cond.notify_all()

    def wait_for(self, count, timeout=30):
        end = time.time() + timeout
        with self.cond:
            while self.acks < count and time.time() < end:
                self.cond.wait(0.5)
            return self.acks >= count


def cmd_latency(args):
    port = arg(args, "--port", cast=int)
    n = arg(args, "--stations", 300, int)
    gap = arg(args, "--gap", 0.05, float)
    out = open(arg(args, "--out"), "w")
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = AckReader(s)
    reader.start()
    start = time.time()
    for i in range(1, n + 1):
        target = start + (i - 1) * gap
        delay = target - time.time()
        if delay > 0:
            time.sleep(delay)
        data = realtime_frame(i, {"w01018": 150})
        t = time.time()
        s.sendall(data)
        out.write(json.dumps({"station": i, "t": t}) + "\n")
        if not reader.wait_for(i, 10):
            sys.exit("frame %d not acknowledged" % i)
    out.close()
    print(json.dumps({"sent": n, "acked": reader.acks}))


def cmd_storm(args):
    port = arg(args, "--port", cast=int)
    n = arg(args, "--stations", 1000, int)
    k = arg(args, "--params", 10, int)
    conns = arg(args, "--conns", 8, int)
    window = 32
    frames = [realtime_frame(i, {c: 150 for _, c in PARAMS[:k]}) for i in range(1, n + 1)]
    parts = [frames[j::conns] for j in range(conns)]
    socks = []
    for _ in range(conns):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        r = AckReader(s)
        r.start()
        socks.append((s, r))
    sent_first, sent_last = [None], [0.0]
    lock = threading.Lock()

    def pump(j):
        s, r = socks[j]
        for idx, f in enumerate(parts[j]):
            if idx >= window:
                r.wait_for(idx - window + 1, 60)
            t = time.time()
            with lock:
                if sent_first[0] is None:
                    sent_first[0] = t
            s.sendall(f)
            with lock:
                sent_last[0] = max(sent_last[0], time.time())
        r.wait_for(len(parts[j]), 120)

    threads = [threading.Thread(target=pump, args=(j,)) for j in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acked = sum(r.acks for _, r in socks)
    print(json.dumps({"frames": n, "acked": acked, "first_send": sent_first[0], "last_send": sent_last[0],
                      "last_ack": max(r.last for _, r in socks)}))


def cmd_churn(args):
    port = arg(args, "--port", cast=int)
    a, b = (int(x) for x in arg(args, "--stations").split(".."))
    rate = arg(args, "--rate", 20, float)
    duration = arg(args, "--duration", 30, float)
    stations = list(range(a, b + 1))
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = AckReader(s)
    reader.start()
    start = time.time()
    sent = 0
    tick = 0
    base = datetime.datetime.now(BEIJING).replace(microsecond=0) - datetime.timedelta(seconds=int(duration * rate) + 60)
    while time.time() - start < duration:
        target = start + tick / rate
        delay = target - time.time()
        if delay > 0:
            time.sleep(delay)
        # Distinct DataTimes, one a second of data per frame, ending before now.
        when = base + datetime.timedelta(seconds=tick)
        value = 150 if tick % 2 == 0 else 40
        s.sendall(b"".join(realtime_frame(i, {"w01018": value}, when) for i in stations))
        sent += len(stations)
        tick += 1
    reader.wait_for(sent, 30)
    print(json.dumps({"churn_frames": sent, "churn_acked": reader.acks, "churn_stations": len(stations), "churn_rate": rate}))


def cmd_am_latency(args):
    import urllib.request
    url = arg(args, "--am").rstrip("/") + "/api/v2/alerts"
    n = arg(args, "--count", 300, int)
    gap = arg(args, "--gap", 0.05, float)
    out = open(arg(args, "--out"), "w")
    start = time.time()
    for i in range(1, n + 1):
        target = start + (i - 1) * gap
        delay = target - time.time()
        if delay > 0:
            time.sleep(delay)
        body = json.dumps([{"labels": {"alertname": "am-bench", "station": "am-%05d" % i, "parameter": "COD"},
                            "annotations": {"summary": "bench"},
                            "startsAt": datetime.datetime.now(datetime.timezone.utc).isoformat()}]).encode()
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        t = time.time()
        urllib.request.urlopen(req, timeout=10).read()
        out.write(json.dumps({"station": "am-%05d" % i, "t": t}) + "\n")
    out.close()


# --- receiver --------------------------------------------------------------------------------

def cmd_receiver(args):
    log = args[0]
    port = arg(args, "--port", 0, int)
    procs = arg(args, "--procs", 1, int)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    print(sock.getsockname()[1], flush=True)
    if procs == 1:
        serve(sock, log)
        return
    children = []
    for i in range(procs):
        pid = os.fork()
        if pid == 0:
            serve(sock, "%s.%d" % (log, i))
            os._exit(0)
        children.append(pid)
    import signal

    def stop(*_):
        for c in children:
            try:
                os.kill(c, signal.SIGTERM)
            except OSError:
                pass
    signal.signal(signal.SIGTERM, stop)
    for c in children:
        try:
            os.waitpid(c, 0)
        except ChildProcessError:
            pass


def serve(sock, log):
    import signal
    out = open(log, "a", buffering=1 << 20)
    pending = []

    def flush():
        if pending:
            out.write("".join(pending))
            pending.clear()
            out.flush()

    def record(t, path, body):
        try:
            d = json.loads(body) if body else {}
        except ValueError:
            d = {}
        alerts = [[a.get("labels", {}).get("station"), a.get("labels", {}).get("parameter"), a.get("status")]
                  for a in d.get("alerts", [])] if isinstance(d, dict) else []
        pending.append(json.dumps({"t": t, "path": path, "status": d.get("status") if isinstance(d, dict) else None,
                                   "n": len(alerts), "alerts": alerts}) + "\n")

    reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}"

    async def handle(reader, writer):
        sk = writer.get_extra_info("socket")
        if sk is not None:
            sk.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                path = lines[0].split(b" ")[1].decode() if len(lines[0].split(b" ")) > 1 else ""
                length = 0
                for line in lines[1:]:
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:].strip())
                body = await reader.readexactly(length) if length else b""
                record(time.time(), path, body)
                writer.write(reply)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def flusher():
        while True:
            await asyncio.sleep(0.2)
            flush()

    async def main():
        server = await asyncio.start_server(handle, sock=sock, limit=1 << 22)
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        loop.add_signal_handler(signal.SIGTERM, lambda: done.done() or done.set_result(None))
        loop.add_signal_handler(signal.SIGINT, lambda: done.done() or done.set_result(None))
        f = asyncio.ensure_future(flusher())
        async with server:
            await done
        f.cancel()
        flush()

    asyncio.run(main())


# --- reports ---------------------------------------------------------------------------------

def read_log(path):
    entries = []
    paths = [path] + sorted(p for p in (os.path.join(os.path.dirname(path) or ".", f) for f in os.listdir(os.path.dirname(path) or "."))
                            if p.startswith(path + "."))
    for p in paths:
        if os.path.exists(p):
            with open(p) as f:
                entries += [json.loads(line) for line in f if line.strip()]
    entries.sort(key=lambda e: e["t"])
    return entries


pct = cb.percentile


def summary_ms(values):
    return {"count": len(values), **{k: round(pct(values, q) * 1000, 1) for k, q in
                                     (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))}} if values else {"count": 0}


def key_of(station):
    """1, "nb-00001" and "am-00001" are all station 1."""
    return str(int(str(station).rsplit("-", 1)[-1]))


def cmd_report_latency(args):
    sends = {}
    with open(args[0]) as f:
        for line in f:
            e = json.loads(line)
            sends[key_of(e["station"])] = e["t"]
    path = arg(args, "--path")
    arrivals = {}
    for e in read_log(args[1]):
        if path and e["path"] != path:
            continue
        for st, _, status in e["alerts"]:
            if status != "firing" or st is None:
                continue
            arrivals.setdefault(key_of(st), e["t"])
    lat = [arrivals[k] - t for k, t in sends.items() if k in arrivals]
    print(json.dumps({"sent": len(sends), "arrived": len(lat), "latency_ms": summary_ms(lat)}))


def cmd_report_storm(args):
    since = arg(args, "--since", 0.0, float)
    entries = read_log(args[0])
    msgs = [e for e in entries if e["status"] == "firing"]
    alerts = sum(e["n"] for e in msgs)
    distinct = len({(a[0], a[1]) for e in msgs for a in e["alerts"]})
    groups = len({e["alerts"][0][0] for e in msgs if e["alerts"]})
    last = max((e["t"] for e in msgs), default=None)
    first = min((e["t"] for e in msgs), default=None)
    print(json.dumps({"messages": len(msgs), "groups": groups, "alerts": alerts, "distinct_alerts": distinct,
                      "first_message_after_s": round(first - since, 3) if first else None,
                      "last_message_after_s": round(last - since, 3) if last else None}))


def cmd_report_throughput(args):
    t0 = arg(args, "--from", None, float)
    t1 = arg(args, "--to", None, float)
    entries = [e for e in read_log(args[0]) if (t0 is None or e["t"] >= t0) and (t1 is None or e["t"] < t1)]
    if not entries:
        print(json.dumps({"messages": 0}))
        return
    lo = t0 if t0 is not None else entries[0]["t"]
    hi = t1 if t1 is not None else entries[-1]["t"]
    span = max(hi - lo, 1e-9)
    per_second = {}
    for e in entries:
        per_second.setdefault(int(e["t"] - lo), [0, 0])
        per_second[int(e["t"] - lo)][0] += 1
        per_second[int(e["t"] - lo)][1] += e["n"]
    secs = [per_second.get(s, [0, 0])[1] for s in range(int(span))]
    print(json.dumps({"window_s": round(span, 1), "messages": len(entries), "notifications": sum(e["n"] for e in entries),
                      "messages_per_s": round(len(entries) / span), "notifications_per_s": round(sum(e["n"] for e in entries) / span),
                      "firing": sum(e["n"] for e in entries if e["status"] == "firing"),
                      "resolved": sum(e["n"] for e in entries if e["status"] == "resolved"),
                      "notifications_per_s_by_second": secs}))


def cmd_hammer(args):
    """Posts a one-alert webhook body over C keep-alive connections (P processes) for S seconds:
    the receiver's own capacity."""
    port = arg(args, "--port", cast=int)
    conns = arg(args, "--conns", 4, int)
    seconds = arg(args, "--seconds", 5, float)
    procs = arg(args, "--procs", 1, int)
    alert = {"status": "firing", "labels": {"alertname": "x", "station": "nb-00001", "parameter": "COD", "severity": "critical"},
             "annotations": {"summary": "COD reading above 100 mg/L", "value": "150"}, "startsAt": "2025-01-01T00:00:00Z",
             "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "", "fingerprint": "0123456789abcdef"}
    body = json.dumps({"version": "4", "groupKey": "k", "status": "firing", "receiver": "r", "groupLabels": {}, "commonLabels": {},
                       "commonAnnotations": {}, "externalURL": "", "alerts": [alert]}).encode()
    req = b"POST /hammer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    r, w = os.pipe()
    for _ in range(procs):
        if os.fork() == 0:
            counts = [0] * conns
            end = time.time() + seconds

            def run(j):
                s = socket.create_connection(("127.0.0.1", port))
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                while time.time() < end:
                    s.sendall(req)
                    got = b""
                    while not got.endswith(b'{"status":"ok"}'):
                        got += s.recv(4096)
                    counts[j] += 1
            ts = [threading.Thread(target=run, args=(j,)) for j in range(conns)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            os.write(w, b"%d\n" % sum(counts))
            os._exit(0)
    total = 0
    for _ in range(procs):
        os.wait()
    os.close(w)
    total = sum(int(x) for x in os.read(r, 1 << 16).split())
    print(json.dumps({"requests": total, "per_second": round(total / seconds), "conns": conns * procs}))


COMMANDS = {"hammer": cmd_hammer, "sensors": cmd_sensors, "receiver": cmd_receiver, "latency": cmd_latency, "storm": cmd_storm, "churn": cmd_churn,
            "am-latency": cmd_am_latency, "report-latency": cmd_report_latency, "report-storm": cmd_report_storm,
            "report-throughput": cmd_report_throughput}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
