#!/usr/bin/env bash
# MQTT ingest rate: a real mosquitto on a free loopback port, `envmon serve` subscribed to it
# (QoS 1, persistent session), and N messages of one JSON reading each published with QoS 1 by
# mosquitto_pub (`-l`, one message a line, 10,000 a run). Prints the publisher's rate and the
# daemon's: until the last reading is stored, read off envmon_readings_ingested_total{source="mqtt"}.
#   [INFLIGHT=n] Benchmarks/mqtt-load.sh [ENVMON_BINARY] [MESSAGES]   (INFLIGHT: the broker's max_inflight_messages, 20 by default)
set -euo pipefail
BIN=${1:-.build/release/envmon}
N=${2:-50000}
TMP=$(mktemp -d)
trap 'kill $DAEMON $BROKER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT
source "$(dirname "$0")/start-daemon.sh"

BPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{ if [ "$(id -u)" = 0 ]; then echo "user root"; fi; echo "listener $BPORT 127.0.0.1"; echo "allow_anonymous true"
  echo "persistence true"; echo "persistence_location $TMP/"; echo "max_queued_messages 1000000"
  if [ -n "${INFLIGHT:-}" ]; then echo "max_inflight_messages $INFLIGHT"; fi; } > "$TMP/mosquitto.conf"
mosquitto -c "$TMP/mosquitto.conf" > "$TMP/mosquitto.log" 2>&1 &
BROKER=$!
sleep 0.5

mkdir -p "$TMP/sensors"
cat > "$TMP/sensors/bench.yaml" <<YAML
id: bench
name: MQTT bench
kind: discharge-outlet
time_zone: Asia/Shanghai
interval: 1m
parameters:
  COD: {unit: mg/L}
YAML
cat > "$TMP/envmon.yaml" <<YAML
store: {path: $TMP/store.sqlite}
rules: {path: $TMP/no-rules}
log: {level: warning}
hj212: {host: 127.0.0.1, port: 0}
mqtt:
  url: mqtt://127.0.0.1:$BPORT
  client_id: envmon-bench
  subscriptions:
    - {topic: "bench/#", format: json}
YAML
start_daemon "$BIN"
for _ in $(seq 1 100); do
  metrics | grep -q "^envmon_mqtt_connected 1" && break; sleep 0.1; done
sleep 0.5  # connected; let the SUBSCRIBE be answered before publishing into a new session

now=$(date +%s)
python3 - "$N" "$now" > "$TMP/lines" <<'PY'
import sys
n, now = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    print('{"station": "bench", "parameter": "COD", "time": %d, "value": %.1f}' % (now - n * 60 + i * 60, i % 500 / 10))
PY
stored() { metrics | sed -n 's/^envmon_readings_ingested_total{source="mqtt"} \([0-9.e+]*\).*/\1/p' | awk '{printf "%d", $1}'; }
t0=$(date +%s.%N)
# In runs of 10,000 messages: one mosquitto_pub -l of 100,000 was dropped by mosquitto 2.0.11
# after about 34,000 ("disconnected due to out of memory"), whatever envmon did.
split -l 10000 "$TMP/lines" "$TMP/chunk."
for chunk in "$TMP"/chunk.*; do mosquitto_pub -h 127.0.0.1 -p "$BPORT" -q 1 -t bench/readings -l < "$chunk"; done
t1=$(date +%s.%N)
deadline=$(( $(date +%s) + 300 ))
while [ "$(stored)" -lt "$N" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "mqtt-load: only $(stored) of $N stored after 300 s" >&2; metrics | grep -E '^envmon_(mqtt|readings)' >&2; exit 1; }
  sleep 0.05
done
t2=$(date +%s.%N)
python3 -c "
n=$N; t0=$t0; t1=$t1; t2=$t2
print(f'mqtt-load: {n} messages (one reading each, QoS 1): published in {t1-t0:.2f} s ({n/(t1-t0):.0f}/s); all stored {t2-t0:.2f} s after the first was sent: {n/(t2-t0):.0f} readings/s end to end')"
metrics | grep -E '^envmon_mqtt_(messages_total|connected|reconnects_total|batch_failures_total)|^envmon_writer_batches' || true
