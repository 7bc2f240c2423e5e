#!/usr/bin/env bash
# An import into the store a daemon is serving: how long the daemon's units wait for their 9014
# replies while `envmon import` of the four Beijing years (~4 M samples) runs beside it.
# STATIONS simulated units send RATE frames/s each for DURATION; the import starts after 5 s.
#
#   Benchmarks/import-beside-daemon.sh                 # the import sees the daemon's lock: through its /write
#   DIRECT=1 Benchmarks/import-beside-daemon.sh        # the import writes the store itself (--direct), in
#                                                      # short transactions, as issue 11 made it
#   POLITE=0 Benchmarks/import-beside-daemon.sh        # the import through a symlink, which hides the lock:
#                                                      # 100,000-sample transactions, as before issue 11
# The daemon serves the Beijing stations (seeds/sensors) beside the simulated ones.
#
# Prints the simulator's JSON (latency over the whole run, and per second with TIMELINE) and the
# import's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/start-daemon.sh
STATIONS=${STATIONS:-200}
RATE=${RATE:-20}
DURATION=${DURATION:-40s}
POLITE=${POLITE:-1}
DIRECT=${DIRECT:-0}
DATA=${DATA:-../shared/data/beijing-prsa}
[ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
BIN=.build/release/envmon
TMP=$(mktemp -d)
trap 'kill "$DAEMON" 2>/dev/null || true; rm -rf "$TMP"' EXIT
"$BIN" simulate --write-sensors "$TMP/sensors" --stations "$STATIONS" >&2
cp seeds/sensors/*.yaml "$TMP/sensors/"
cat > "$TMP/envmon.yaml" <<YAML
store:
  path: $TMP/store.sqlite
hj212:
  host: 127.0.0.1
  port: 0
  max_connections_per_address: $((STATIONS + 10))
rules:
  path: /nonexistent
log:
  level: notice
  stats_interval: 0
YAML
start_daemon "$BIN"
STORE=$TMP/store.sqlite
if [ "$POLITE" = 0 ]; then ln -s "$TMP/store.sqlite" "$TMP/alias.sqlite"; STORE=$TMP/alias.sqlite; fi
(
  sleep 5
  start=$(date +%s.%N)
  "$BIN" import --db "$STORE" --sensors seeds/sensors $([ "$DIRECT" = 1 ] && echo --direct) --mapping seeds/beijing-prsa.mapping.yaml "$DATA"/*.csv > /dev/null 2> "$TMP/import.err"
  end=$(date +%s.%N)
  echo "import: $(echo "$end - $start" | bc) s (polite=$POLITE direct=$DIRECT): $(grep -h 'envmon import' "$TMP/import.err" | head -3)" >&2
) &
IMPORT=$!
"$BIN" simulate --stations "$STATIONS" --host 127.0.0.1 --port "$PORT" --duration "$DURATION" \
  --rate "$RATE" --window 4 ${TIMELINE:+--timeline "$TIMELINE"} --format json
wait "$IMPORT"
kill -TERM "$DAEMON"; wait "$DAEMON"; DAEMON=
