#!/usr/bin/env bash
# `envmon import` of a long CSV (one reading a row) into a fresh store: wall time, samples/s,
# CPU (user+sys, and as cores), peak RSS, for one or more builds, RUNS times each, interleaved.
# The default input is issue 13's: 100 stations x 10 parameters x 5,000 minutes = 5 M samples.
#
#   Benchmarks/import-throughput.sh                              # this checkout's release build
#   Benchmarks/import-throughput.sh ../envmon-main/.build/release/envmon .build/release/envmon   # two builds
#   RUNS=1 MINUTES=1 STATIONS=1 Benchmarks/import-throughput.sh  # a tiny import: start-up and end
#
# The data (Benchmarks/import_bench.py) is written once into DIR (default $TMPDIR/envmon-import-bench).
# After the runs, the stores of the last run of each build are compared: every sample must be the
# same, and every rollup too but for sums that may differ in their last bits (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
STATIONS=${STATIONS:-100}
MINUTES=${MINUTES:-5000}
DIR=${DIR:-${TMPDIR:-/tmp}/envmon-import-bench}
if [ $# -eq 0 ]; then
    [ -n "${SKIP_BUILD:-}" ] || scripts/build-release.sh >&2
    set -- .build/release/envmon
fi
mkdir -p "$DIR"
CSV=$DIR/long-$STATIONS-$MINUTES.csv
SENSORS=$DIR/sensors-$STATIONS
[ -d "$SENSORS" ] || python3 Benchmarks/import_bench.py sensors "$SENSORS" --stations "$STATIONS"
[ -f "$DIR/long.mapping.yaml" ] || python3 Benchmarks/import_bench.py mapping "$DIR/long.mapping.yaml"
[ -f "$CSV" ] || python3 Benchmarks/import_bench.py csv "$CSV" --stations "$STATIONS" --minutes "$MINUTES"
SAMPLES=$((STATIONS * 10 * MINUTES))
printf '%-40s %3s %8s %8s %8s %6s %9s\n' build run wall_s M/s cpu_s cores rss_MiB
for run in $(seq 1 "$RUNS"); do
    for i in $(seq 1 $#); do
        bin=${!i}
        store=$DIR/store-$i.sqlite
        rm -f "$store" "$store-wal" "$store-shm" "$store.lock"
        /usr/bin/time -f '%e %U %S %M' -o "$DIR/time.txt" \
            "$bin" import --db "$store" --sensors "$SENSORS" --mapping "$DIR/long.mapping.yaml" "$CSV" > "$DIR/report-$i.txt"
        read -r wall user sys rss < "$DIR/time.txt"
        python3 - "$bin" "$run" "$wall" "$user" "$sys" "$rss" "$SAMPLES" <<'PY'
import sys
b, run, wall, user, sys_, rss, n = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
cpu = user + sys_
print("%-40s %3s %8.2f %8.3f %8.2f %6.2f %9.1f" % (b[-40:], run, wall, n / wall / 1e6, cpu, cpu / wall, rss / 1024))
PY
    done
done
if [ $# -gt 1 ]; then
    python3 - "$DIR"/store-*.sqlite <<'PY'
import hashlib, sqlite3, sys
# Samples must be identical. Rollups must be identical too, except that a sum may differ in its
# last bits when the builds commit in batches of another size (a rollup sums batch by batch).
def load(f):
    c = sqlite3.connect(f)
    h, n = hashlib.sha256(), 0
    for row in c.execute("select s.station, s.parameter, s.kind, x.ts, x.value, x.flag from sample x join series s on s.id = x.series order by 1,2,3,4"):
        h.update(repr(row).encode()); n += 1
    rollups = {r[:5]: r[5:] for r in c.execute(
        "select s.station, s.parameter, s.kind, r.resolution, r.bucket, r.bucket_end, r.count, r.valid_count, r.vsum, r.vmin, r.vmax, r.flags, r.expected"
        " from rollup r join series s on s.id = r.series")}
    return n, h.hexdigest()[:16], rollups
first = None
for f in sys.argv[1:]:
    n, digest, rollups = load(f)
    print("%s: %d samples (sha256 %s), %d rollup rows" % (f, n, digest, len(rollups)))
    if first is None:
        first = (f, n, digest, rollups)
        continue
    same_samples = (n, digest) == first[1:3]
    a, b = first[3], rollups
    if a.keys() != b.keys() or any(a[k][:3] + a[k][4:] != b[k][:3] + b[k][4:] for k in a):
        verdict = "ROLLUPS DIFFER"
    else:
        sums = [k for k in a if a[k][3] != b[k][3]]
        worst = max((abs(a[k][3] - b[k][3]) / max(abs(a[k][3]), 1e-300) for k in sums), default=0)
        verdict = "rollups identical" if not sums else \
            "rollups identical but for %d sums, at most %.1e apart (relative)%s" % (len(sums), worst, "" if worst < 1e-12 else " - TOO FAR")
    print("  vs %s: %s, %s" % (first[0], "samples identical" if same_samples else "SAMPLES DIFFER", verdict))
PY
fi
