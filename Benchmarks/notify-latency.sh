#!/usr/bin/env bash
# Notifier latency (issue 12): an HJ 212 frame with an exceedance in → the webhook message out.
# N made-up discharge outlets; one real-time frame each (COD 150 mg/L, where the rule `bench-high`
# fires above 100), GAP seconds apart on one connection, to `envmon serve` (release) on loopback,
# whose notify section sends every group (alertname, station) at once (`group_wait: 0s`) to a
# webhook receiver on this machine. Each station is a new group, so nothing waits for
# group_interval or repeat_interval. Latency = the receiver's arrival time (time.time()) − the
# time just before the frame was written to the socket, per station.
#
# With AM=1 (default, when /usr/bin/prometheus-alertmanager exists) a real Alertmanager runs
# beside it with the same route (group_by [alertname, station], group_wait 0s) to the same
# receiver (path /am), and N alerts are posted to its /api/v2/alerts, GAP apart, one station each:
# post → webhook latency, in the same run (after envmon's).
#
#   Benchmarks/notify-latency.sh                     # N=300, GAP=0.05
#   N=1000 GAP=0.02 SKIP_BUILD=1 Benchmarks/notify-latency.sh
#   AM=0 LOG_LEVEL=debug KEEP=1 Benchmarks/notify-latency.sh
#
# Goal (issue 12): p99 < 200 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-300}
GAP=${GAP:-0.05}
AM_BIN=${AM_BIN:-/usr/bin/prometheus-alertmanager}
AM=${AM:-$([ -x "$AM_BIN" ] && echo 1 || echo 0)}
source Benchmarks/notify-common.sh

python3 "$PY" sensors "$TMP/sensors" --stations "$N" --params 1
write_bench_rule
start_receiver webhook
write_config "  route:
    receiver: bench
    group_by: [alertname, station]
    group_wait: 0s
    group_interval: 1s
    repeat_interval: 24h
  receivers:
    - name: bench
      webhook_configs:
        - url: http://127.0.0.1:$RECV_PORT/envmon
  retry: {first: 1s, max: 2s, max_age: 1h}"
start_daemon "$DAEMON_BIN"
echo "load before: $(uptime)" >&2

python3 "$PY" latency --port "$PORT" --stations "$N" --gap "$GAP" --out "$TMP/sends.jsonl" >&2
sleep 2
echo "envmon: $(python3 "$PY" report-latency "$TMP/sends.jsonl" "$TMP/webhook.log" --path /envmon)"
notifier_metrics >&2
echo "outbox: $(outbox_depth)" >&2

if [ "$AM" = 1 ]; then
  cat > "$TMP/alertmanager.yml" <<YAML
route:
  receiver: bench
  group_by: [alertname, station]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 24h
receivers:
  - name: bench
    webhook_configs:
      - url: http://127.0.0.1:$RECV_PORT/am
        send_resolved: false
YAML
  AM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$AM_BIN" --config.file="$TMP/alertmanager.yml" --storage.path="$TMP/am-data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=warn > "$TMP/am.log" 2>&1 &
  CHILDREN+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$AM_PORT/-/ready" > /dev/null && break; sleep 0.1; done
  echo "load before alertmanager: $(uptime)" >&2
  python3 "$PY" am-latency --am "http://127.0.0.1:$AM_PORT" --count "$N" --gap "$GAP" --out "$TMP/am-sends.jsonl"
  sleep 2
  echo "alertmanager: $(python3 "$PY" report-latency "$TMP/am-sends.jsonl" "$TMP/webhook.log" --path /am --prefix am)"
fi
