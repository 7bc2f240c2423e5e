#!/usr/bin/env python3
"""A webhook receiver for the notifier's end-to-end tests, written apart from envmon's Swift code.

Usage: webhook_receiver.py RECORD_FILE [--port N] MODE...

Listens on 127.0.0.1 (port N, or a free one) and prints the port as the first line of stdout.
Every request is appended to RECORD_FILE as one JSON line, when it arrives and before it is
answered: {"method", "path", "headers": {lower-case name: value}, "body": parsed JSON or null,
"raw": the body as text, "time": arrival (Unix seconds), "answer": status or "hang"}.

MODE is one of:
  ok                 200 to everything
  fail-for SECONDS   503 with `Retry-After: 1` until SECONDS after start, then 200
  status N           always N
  hang               read the request and never answer (the connection stays open)
  hang-until PATH    hang every request that arrives while PATH does not exist, then 200

The server is threaded: a hung request does not hold up the others.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
record_path = args.pop(0)
port = 0
if len(args) >= 2 and args[0] == "--port":
    port = int(args[1])
    args = args[2:]
mode = args[0] if args else "ok"
start = time.time()
if mode == "fail-for":
    fail_until = start + float(args[1])
elif mode == "status":
    fixed_status = int(args[1])
elif mode == "hang-until":
    release_path = args[1]
elif mode not in ("ok", "hang"):
    sys.exit("unknown mode %r (ok, fail-for SECONDS, status N, hang, hang-until PATH)" % mode)

lock = threading.Lock()
hung = threading.Event()  # never set: hung handlers wait on it until the process ends


def answer_for(now):
    if mode == "ok":
        return 200
    if mode == "fail-for":
        return 503 if now < fail_until else 200
    if mode == "status":
        return fixed_status
    if mode == "hang-until":
        return 200 if os.path.exists(release_path) else "hang"
    return "hang"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls (swift-style.md §4.2)

    def handle_any(self):
        now = time.time()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        answer = answer_for(now)
        entry = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
            "raw": text,
            "time": now,
            "answer": answer,
        }
        with lock, open(record_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if answer == "hang":
            hung.wait()
            return
        payload = b'{"status":"ok"}' if 200 <= answer < 300 else b'{"status":"error"}'
        self.send_response(answer)
        if answer == 503:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_PUT = do_GET = handle_any

    def log_message(self, *a):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", port), Handler)
open(record_path, "a").close()
print(server.server_address[1], flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
