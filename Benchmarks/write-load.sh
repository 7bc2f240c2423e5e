#!/usr/bin/env bash
# envmon's InfluxDB-compatible /write against InfluxDB 1.x's own (Debian's `influxdb`, 1.6), in
# ONE run on the SAME data (issue 15): STATIONS x PARAMS one-minute series over MINUTES minutes in
# time order (100 x 10 x 5,000 = 5 M lines, as commands.sh), posted in batches of BATCH lines over
# one keep-alive connection and over two, each into a fresh server; RUNS runs, every one printed.
#
#   Benchmarks/write-load.sh                                   # full size; builds envmon in release
#   ENVMON=/path/to/envmon Benchmarks/write-load.sh            # another build (no build)
#   MINUTES=1000 RUNS=1 SKIP_BUILD=1 Benchmarks/write-load.sh  # a quick look
#
# STATIONS (100), PARAMS (10), MINUTES (5000), BATCH (5000), RUNS (3), SYNCHRONOUS (full: envmon's
# default, a write answered once synced to disk; normal: once committed), FORMAT (text or json),
# KEEP=1 (keep the temporary folder), SKIP_BUILD=1, ENVMON=path.
# Goal (issue 15): envmon >= 1.5x InfluxDB's lines/s over one connection and over two.
set -euo pipefail
cd "$(dirname "$0")/.."
Benchmarks/install-peers.sh
if [ -z "${ENVMON:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
  ENVMON=.build/release/envmon
fi
ENVMON=$(realpath "$ENVMON")
TMP=$(mktemp -d)
cleanup() {
  if [ -f "$TMP/influxd.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$TMP/influxd.pids"
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "load at start: $(uptime)" >&2
python3 Benchmarks/write_bench.py run --dir "$TMP" --envmon "$ENVMON" --stations "${STATIONS:-100}" --params "${PARAMS:-10}" \
  --minutes "${MINUTES:-5000}" --batch "${BATCH:-5000}" --runs "${RUNS:-3}" --synchronous "${SYNCHRONOUS:-full}" --format "${FORMAT:-text}"
echo "load at end: $(uptime)" >&2
