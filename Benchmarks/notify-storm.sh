#!/usr/bin/env bash
# Notifier storm (issue 12): 10,000 alerts firing at once. STATIONS made-up discharge outlets
# with PARAMS parameters each (default 1,000 × 10); one real-time frame per station with every
# parameter at 150 mg/L (the rule `bench-high` fires on one reading above 100), sent on CONNS
# connections as fast as the daemon acknowledges them. The notify section groups by
# [alertname, station] with `group_wait: GROUP_WAIT` (1s), so each station is one message.
# Measured: from the last frame's acknowledgement (and from its send) to the last webhook
# message; messages (must equal STATIONS, one per group) and alerts in them (STATIONS × PARAMS).
#
#   Benchmarks/notify-storm.sh                         # 1,000 stations × 10 parameters
#   STATIONS=10000 PARAMS=1 SKIP_BUILD=1 Benchmarks/notify-storm.sh
#
# Goal (issue 12): every message delivered within 5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
STATIONS=${STATIONS:-1000}
PARAMS=${PARAMS:-10}
CONNS=${CONNS:-8}
GROUP_WAIT=${GROUP_WAIT:-1s}
TIMEOUT=${TIMEOUT:-120}
source Benchmarks/notify-common.sh

python3 "$PY" sensors "$TMP/sensors" --stations "$STATIONS" --params "$PARAMS"
write_bench_rule
start_receiver webhook
write_config "  route:
    receiver: bench
    group_by: [alertname, station]
    group_wait: $GROUP_WAIT
    group_interval: 5m
    repeat_interval: 24h
  receivers:
    - name: bench
      webhook_configs:
        - url: http://127.0.0.1:$RECV_PORT/envmon
  retry: {first: 1s, max: 2s, max_age: 1h}"
start_daemon "$DAEMON_BIN"
sleep 1
echo "load before: $(uptime)" >&2
SENT=$(python3 "$PY" storm --port "$PORT" --stations "$STATIONS" --params "$PARAMS" --conns "$CONNS")
echo "frames: $SENT"
LAST_ACK=$(echo "$SENT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_ack"])')
LAST_SEND=$(echo "$SENT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_send"])')
# Wait until every group has its message (or TIMEOUT seconds), sampling /metrics every second.
START=$(date +%s)
while :; do
  GOT=$(cat "$TMP"/webhook.log* 2>/dev/null | grep -c '"status": "firing"' || true)
  [ "$GOT" -ge "$STATIONS" ] && break
  [ $(($(date +%s) - START)) -ge "$TIMEOUT" ] && { echo "timed out with $GOT messages" >&2; break; }
  echo "  t+$(($(date +%s) - START))s: $GOT messages; $(notifier_metrics | grep -E '^envmon_notifications_sent_total' | tr '\n' ' ')" >&2
  sleep 1
done
sleep 1.5  # the receiver writes its log in batches
echo "after last ack: $(python3 "$PY" report-storm "$TMP/webhook.log" --since "$LAST_ACK")"
echo "after last send: $(python3 "$PY" report-storm "$TMP/webhook.log" --since "$LAST_SEND")"
notifier_metrics >&2
echo "outbox: $(outbox_depth)"
echo "load after: $(uptime)" >&2
TICKS=$(awk '{print $14 + $15}' "/proc/$DAEMON/stat")
echo "daemon cpu: $(echo "scale=2; $TICKS / $(getconf CLK_TCK)" | bc) s" >&2
