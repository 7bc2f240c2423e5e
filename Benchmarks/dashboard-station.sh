#!/usr/bin/env bash
# The station page over a year of minute data (issue 16): GET /stations/{id}?range=year|month|day on
# a running envmon serve. Goal: < 100 ms server-side, < 300 KB.
#
#   Benchmarks/dashboard-station.sh                       # builds envmon in release
#   SKIP_BUILD=1 REQUESTS=20 DAYS=365 Benchmarks/dashboard-station.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ENVMON:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
  ENVMON=.build/release/envmon
fi
ENVMON=$(realpath "$ENVMON")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 Benchmarks/dashboard_station_bench.py --dir "$TMP" --envmon "$ENVMON" --days "${DAYS:-365}" --requests "${REQUESTS:-50}" \
  --format "${FORMAT:-text}"
