#!/usr/bin/env bash
# Notifier throughput under the HJ 212 load (issue 12). Two daemons in turn, each on a fresh store,
# both with the shipped rule packs, the rule `bench-high` and a notify section that sends
# everything to one webhook (group_by [alertname, station, parameter], group_wait 0s,
# group_interval 1s, repeat_interval 24h):
#   1. baseline: `envmon simulate` — STATIONS units at RATE frames/s (1,000 × 21, as
#      hj212-load.sh) for DURATION, and nothing else;
#   2. churn: the same simulator load, plus CHURN_STATIONS made-up outlets that each send
#      CHURN_RATE real-time frames a second with COD alternating 150 and 40 mg/L, so each of their
#      frames is a firing or a resolved transition of `bench-high`: CHURN_STATIONS × CHURN_RATE
#      notifications/s (2,000 by default), one connection.
# Reported for each: the simulator's JSON (frames acknowledged per second, ack latency
# percentiles; `steady_latency_ms` leaves out WARMUP); for the churn run also notifications and
# messages per second at the receiver (between WARMUP after the start and the end), /metrics'
# envmon_notification* counters and the outbox depth at the end and 10 s later.
#
#   Benchmarks/notify-throughput.sh
#   CHURN_STATIONS=100 CHURN_RATE=20 SKIP_BUILD=1 Benchmarks/notify-throughput.sh
#   RECEIVER=threaded Benchmarks/notify-throughput.sh    # Tests/scripts/webhook_receiver.py
#   DELIVER=0 Benchmarks/notify-throughput.sh            # a receiver without integrations: the
#                                                        # churn's cost without any delivery
#
# Goal (issue 12): ≥ 2,000 notifications/s delivered while the HJ 212 p99 ack latency stays < 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
STATIONS=${STATIONS:-1000}
RATE=${RATE:-21}
WINDOW=${WINDOW:-4}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
FLAG_RUN=${FLAG_RUN:-30m}
CHURN_STATIONS=${CHURN_STATIONS:-1000}
CHURN_RATE=${CHURN_RATE:-2}
BASELINE=${BASELINE:-1}
source Benchmarks/notify-common.sh

"$BIN" simulate --write-sensors "$TMP/sensors" --stations "$STATIONS" > /dev/null
python3 "$PY" sensors "$TMP/sensors" --stations "$CHURN_STATIONS" --params 1
mkdir -p "$TMP/rules"
for f in rules/*.yaml; do case "$f" in *.test.yaml) ;; *) cp "$f" "$TMP/rules/" ;; esac; done
cp -R targets "$TMP/targets"   # targets.yaml names the allowances in targets/
write_bench_rule
start_receiver webhook
# DELIVER=0: the receiver has no integration (Alertmanager's null receiver): the rule engine,
# its journal and the routing still run, nothing is sent. Tells delivery's cost from the rest.
if [ "${DELIVER:-1}" = 0 ]; then
  INTEGRATIONS=""
else
  INTEGRATIONS="
      webhook_configs:
        - url: http://127.0.0.1:$RECV_PORT/envmon"
fi
write_config "  route:
    receiver: bench
    group_by: [alertname, station, parameter]
    group_wait: 0s
    group_interval: 1s
    repeat_interval: 24h
  receivers:
    - name: bench$INTEGRATIONS
  retry: {first: 1s, max: 2s, max_age: 1h}"

simulate() {
  "$BIN" simulate --stations "$STATIONS" --host 127.0.0.1 --port "$PORT" --duration "${DURATION}s" \
    --rate "$RATE" --window "$WINDOW" --warmup "${WARMUP}s" --flag-run "$FLAG_RUN" --format json
}

stop_daemon() {
  TICKS=$(awk '{print $14 + $15}' "/proc/$DAEMON/stat")
  echo "daemon cpu: $(echo "scale=2; $TICKS / $(getconf CLK_TCK)" | bc) s" >&2
  kill -TERM "$DAEMON"
  wait "$DAEMON" || true
  DAEMON=
}

if [ "$BASELINE" = 1 ]; then
  start_daemon "$DAEMON_BIN"
  echo "load before baseline: $(uptime)" >&2
  echo "baseline simulator: $(simulate)"
  echo "baseline receiver: $(python3 "$PY" report-throughput "$TMP/webhook.log" | cut -c1-200)"
  stop_daemon
  rm -f "$TMP"/store.sqlite* "$TMP"/webhook.log*
  # A new receiver log: the old receiver keeps its file open, so start a new one.
  start_receiver webhook2
  sed -i "s#127.0.0.1:[0-9]*/envmon#127.0.0.1:$RECV_PORT/envmon#" "$TMP/envmon.yaml"
  LOGNAME_=webhook2
else
  LOGNAME_=webhook
fi

start_daemon "$DAEMON_BIN"
echo "load before churn: $(uptime)" >&2
T0=$(python3 -c 'import time; print(time.time())')
python3 "$PY" churn --port "$PORT" --stations "1..$CHURN_STATIONS" --rate "$CHURN_RATE" --duration "$DURATION" > "$TMP/churn.json" &
CHURN=$!
echo "churn simulator: $(simulate)"
wait "$CHURN" || true
T1=$(python3 -c 'import time; print(time.time())')
echo "churn sender: $(cat "$TMP/churn.json")"
echo "outbox at the end: $(outbox_depth)"
notifier_metrics >&2
sleep 1
echo "receiver (from WARMUP to the end): $(python3 "$PY" report-throughput "$TMP/$LOGNAME_.log" --from "$(echo "$T0 + $WARMUP" | bc)" --to "$T1")"
sleep 9
echo "outbox 10 s after: $(outbox_depth)"
echo "receiver (everything): $(python3 "$PY" report-throughput "$TMP/$LOGNAME_.log" | cut -c1-300)"
stop_daemon
