#!/usr/bin/env bash
# The dashboard's overview of 1,000 stations (issue 16): `envmon serve` (release) with STATIONS
# made-up stations (air, outlet, stack, river in turn; `envmon simulate --write-sensors`), HOURS
# hours of their minute readings up to now imported through the daemon (so its rules run and
# alerts fire), then REQUESTS GETs of `/` over one keep-alive connection. Prints the client's
# p50/p90/p99/max (the whole answer on loopback), the daemon's own Server-Timing `render` figures
# (time in the page handler: the store reads, the model, the templates) and the page's size.
#
#   Benchmarks/overview-page.sh                       # 1,000 stations, 6 h of minute data, 50 requests
#   STATIONS=200 HOURS=2 REQUESTS=20 SKIP_BUILD=1 Benchmarks/overview-page.sh
#   RULES=/nonexistent Benchmarks/overview-page.sh    # without rules: no alerts on the page
#
# Goal (issue 16): the overview for 1,000 stations renders in < 200 ms (server side).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/start-daemon.sh
STATIONS=${STATIONS:-1000}
HOURS=${HOURS:-6}
REQUESTS=${REQUESTS:-50}
RULES=${RULES:-rules}
[ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
BIN=${ENVMON:-.build/release/envmon}
TMP=$(mktemp -d)
DAEMON=
trap '[ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null; [ -n "${KEEP:-}" ] && cp "$TMP/serve.log" /tmp/overview-serve.log; rm -rf "$TMP"' EXIT

"$BIN" simulate --write-sensors "$TMP/sensors" --stations "$STATIONS" >&2
cat > "$TMP/envmon.yaml" <<EOF
store:
  path: $TMP/store.sqlite
hj212:
  host: 127.0.0.1
  port: 0
rules:
  path: $RULES
log:
  level: notice
  stats_interval: 0
EOF
start_daemon "$BIN"
ADDRESS=$(http_address)
python3 Benchmarks/overview_bench.py mapping "$TMP/mapping.yaml"
python3 Benchmarks/overview_bench.py csv "$TMP/readings.csv" --stations "$STATIONS" --hours "$HOURS"
T0=$(date +%s.%N)
"$BIN" import --db "$TMP/store.sqlite" --sensors "$TMP/sensors" --mapping "$TMP/mapping.yaml" "$TMP/readings.csv" >&2
echo "imported in $(printf %.1f "$(echo "$(date +%s.%N) - $T0" | bc)") s" >&2
# Let the rule engine catch up with the last commits before measuring.
sleep 5
[ -n "${KEEP:-}" ] && cp "$TMP/serve.log" /tmp/overview-serve.log.start
python3 Benchmarks/overview_bench.py get "http://$ADDRESS/?lang=zh-CN" --requests "$REQUESTS" \
  --header "Authorization: Bearer $(local_token)" --timing
