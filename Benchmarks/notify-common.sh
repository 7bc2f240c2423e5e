# Sourced by the notifier benchmarks (notify-latency.sh, notify-storm.sh, notify-throughput.sh):
# builds envmon in release (unless SKIP_BUILD=1), makes TMP (kept with KEEP=1), and defines
#   start_receiver NAME    the asyncio webhook receiver of notify_bench.py, logging to $TMP/NAME.log;
#                          sets RECV_PORT (RECEIVER=threaded uses Tests/scripts/webhook_receiver.py
#                          instead, whose log the reports read too)
#   write_config NOTIFY    $TMP/envmon.yaml: store, hj212 on loopback, rules from $TMP/rules, and
#                          the `notify:` section NOTIFY (YAML, indented two spaces)
#   http_address           the daemon's HTTP listener (after start_daemon)
#   notifier_metrics       envmon_notification* and envmon_alerts lines of /metrics
#   outbox_depth           the outbox's deliveries by state, and notifications not yet routed
source Benchmarks/start-daemon.sh
[ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
BIN=.build/release/envmon
DAEMON_BIN=${DAEMON_BIN:-$BIN}
PY=Benchmarks/notify_bench.py
LOG_LEVEL=${LOG_LEVEL:-notice}
TMP=$(mktemp -d)
CHILDREN=()
DAEMON=
cleanup() {
  [ -z "$DAEMON" ] || kill "$DAEMON" 2>/dev/null || true
  for p in "${CHILDREN[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${CHILDREN[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

start_receiver() {
  if [ "${RECEIVER:-asyncio}" = threaded ]; then
    python3 Tests/scripts/webhook_receiver.py "$TMP/$1.log" ok > "$TMP/$1.port" &
  else
    python3 "$PY" receiver "$TMP/$1.log" ${RECEIVER_PROCS:+--procs $RECEIVER_PROCS} > "$TMP/$1.port" &
  fi
  CHILDREN+=($!)
  RECV_PORT=
  for _ in $(seq 1 100); do
    RECV_PORT=$(head -1 "$TMP/$1.port")
    [ -n "$RECV_PORT" ] && break
    sleep 0.1
  done
  [ -n "$RECV_PORT" ] || { echo "the webhook receiver did not start" >&2; exit 1; }
}

write_config() {
  cat > "$TMP/envmon.yaml" <<YAML
store:
  path: $TMP/store.sqlite
  max_delay: ${MAX_DELAY:-10ms}
${SYNCHRONOUS:+  synchronous: $SYNCHRONOUS}
hj212:
  host: 127.0.0.1
  port: 0
  max_connections_per_address: ${MAX_CONNECTIONS:-2000}
rules:
  path: $TMP/rules
  grace: 0s
log:
  level: $LOG_LEVEL
  stats_interval: 0
notify:
$1
YAML
}

notifier_metrics() {
  metrics | grep -E '^envmon_(notification|alerts)' | grep -v '_bucket' || true
}

outbox_depth() {
  python3 - "$TMP/store.sqlite" <<'PYTHON'
import json, sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10)
by = {"%s/%s" % (r, s): n for r, s, n in db.execute("SELECT receiver, state, count(*) FROM outbox_delivery GROUP BY 1, 2")}
unrouted = db.execute("SELECT count(*) FROM alert_outbox WHERE routed_at IS NULL").fetchone()[0]
print(json.dumps({"deliveries": by, "unrouted": unrouted}))
PYTHON
}

# The rule every benchmark station answers to: one reading above 100 mg/L fires, one at or below
# 80 resolves (no `for`), for every parameter of the bench stations (label bench=true).
write_bench_rule() {
  mkdir -p "$TMP/rules"
  cat > "$TMP/rules/bench.yaml" <<YAML
rules:
  - name: bench-high
    kind: threshold
    basis: reading
    above: 100
    clear_fraction: 0.8
    severity: critical
    match:
      kinds: [discharge-outlet]
      labels: {bench: "true"}
      parameters: [COD, NH3-N, TP, TN, SS, BOD5, TOC, CODMn, Oil, Phenol]
    summary: "reading above 100 mg/L"
YAML
}
