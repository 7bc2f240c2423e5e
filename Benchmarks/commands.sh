#!/usr/bin/env bash
# Whole commands as users run them, side by side with InfluxDB 1.x (Debian's `influxdb`, 1.6) and
# sqlite3, in ONE run on the SAME data (issue 13): `envmon import` of STATIONS x PARAMS one-minute
# series over MINUTES minutes in time order (100 x 10 x 5,000 = 5 M samples) against InfluxDB's
# /write (batches of BATCH lines over one keep-alive connection, then over two in parallel, each
# into a fresh influxd) and sqlite3 `.import`; then `envmon query --step 1h` over one year of one
# minute series, a raw read of one day and `envmon version` against InfluxDB's /query (curl) and
# sqlite3, median of RUNS. Prints a table with ratios and the goals, then a JSON line.
#
#   Benchmarks/commands.sh                                   # full size; builds envmon in release
#   ENVMON=/path/to/envmon Benchmarks/commands.sh            # time another build (no build)
#   STATIONS=10 MINUTES=500 YEAR_DAYS=30 RUNS=5 SKIP_BUILD=1 Benchmarks/commands.sh   # a quick look
#   FORMAT=json KEEP=1 Benchmarks/commands.sh                # JSON only; keep the temporary folder
#
# STATIONS (100), PARAMS (10, at most 10), MINUTES (5000), YEAR_DAYS (365), RUNS (15), BATCH (5000
# lines a /write), QUERY_FORMAT (csv: envmon query --format), SETTLE_MAX (180 s: how long influxd
# may go on compacting before the queries), FORMAT (text or json), KEEP=1, SKIP_BUILD=1 (use
# .build/release/envmon as it is), ENVMON=path (that binary, no build).
#
# Needs python3, curl, GNU time (/usr/bin/time, for peak RSS), influxd and sqlite3; those of the
# last four that are missing are installed with apt-get (as root, or through sudo). influxd is
# started by the helper with a generated config in the temporary folder: HTTP on a free loopback
# port, meta/data/wal there, reporting off, no other listeners (RPC bound to another free
# loopback port); it is stopped at exit.
# Needs about 2 GB of free space in $TMPDIR at full size (the data in three formats, four stores).
#
# Goals (issue 13): import >= 2x InfluxDB's 1-connection rate and >= 1.2x its 2-connection rate,
# peak RSS < 150 MiB; query --step 1h over a year <= 40 ms and >= 2x faster than InfluxDB;
# a one-day raw read <= `envmon version` + 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

Benchmarks/install-peers.sh

if [ -z "${ENVMON:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
  ENVMON=.build/release/envmon
fi
ENVMON=$(realpath "$ENVMON")

TMP=$(mktemp -d)
PY=
cleanup() {
  [ -z "$PY" ] || kill "$PY" 2>/dev/null || true
  [ -z "$PY" ] || wait "$PY" 2>/dev/null || true
  # influxd processes the helper started and could not stop (it was killed, say).
  if [ -f "$TMP/influxd.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$TMP/influxd.pids"
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "load at start: $(uptime)" >&2
python3 Benchmarks/commands_bench.py run --dir "$TMP" --envmon "$ENVMON" \
  --stations "${STATIONS:-100}" --params "${PARAMS:-10}" --minutes "${MINUTES:-5000}" --year-days "${YEAR_DAYS:-365}" \
  --runs "${RUNS:-15}" --batch "${BATCH:-5000}" --query-format "${QUERY_FORMAT:-csv}" --settle-max "${SETTLE_MAX:-180}" \
  --format "${FORMAT:-text}" &
PY=$!
wait "$PY"
PY=
echo "load at end: $(uptime)" >&2
