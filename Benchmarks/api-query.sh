#!/usr/bin/env bash
# The hourly trend over a year of minute data through the HTTP API (issue 15): p50/p90/p99 of
# REQUESTS GET /api/v1/query?step=1h over one keep-alive connection (CSV and JSON), beside
# InfluxDB 1.x's GROUP BY time(1h) on the same data. Goal: p99 < 10 ms.
#
#   Benchmarks/api-query.sh                                  # builds envmon in release
#   SKIP_BUILD=1 REQUESTS=300 YEAR_DAYS=365 INFLUX=1 Benchmarks/api-query.sh
#   POSTGRES=1 INFLUX=0 Benchmarks/api-query.sh    # the daemon on PostgreSQL (issue 17: p99 < 20 ms):
#                                                  # the year moved there by `envmon migrate`
#
# Needs python3 and influxd (Debian's influxdb, installed by install-peers.sh unless INFLUX=0).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${INFLUX:-1}" = 0 ] || Benchmarks/install-peers.sh
if [ -z "${ENVMON:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
  ENVMON=.build/release/envmon
fi
ENVMON=$(realpath "$ENVMON")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 Benchmarks/api_query_bench.py --dir "$TMP" --envmon "$ENVMON" --year-days "${YEAR_DAYS:-365}" --requests "${REQUESTS:-300}" \
  --influx "${INFLUX:-1}" --format "${FORMAT:-text}" --postgres "${POSTGRES:-0}"
