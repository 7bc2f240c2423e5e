#!/usr/bin/env bash
# Ingest into PostgreSQL (issue 17): 5 M samples (1,000 series, one a minute, 5,000 minutes)
# through PostgresStore.write in batches, against psql's \copy of the same rows into the same
# table (the physical reference), on a private PostgreSQL 15 started the way the tests start
# theirs (initdb and pg_ctl in a temporary folder, a free loopback port, as the `postgres` user
# when run as root). Durable settings (fsync and synchronous_commit on) on both sides.
# Prints samples/s of each and their ratio, every run; the goals are >= 0.7x \copy and
# >= 250,000 samples/s. Also prints the machine's load, since others may build meanwhile.
#
#   Benchmarks/pg-ingest.sh                       # 3 runs, batches of 200 minutes (200,000 samples,
#                                                 # the batch of `envmon import`)
#   RUNS=1 MINUTES=500 Benchmarks/pg-ingest.sh    # a short one
#   BATCH_MINUTES=10 Benchmarks/pg-ingest.sh      # batches of 10,000 samples (a busy daemon's size)
#   INSTANCES=3 Benchmarks/pg-ingest.sh           # also: 3 stores (as 3 daemons: each its own pool
#                                                 # and writer, a third of the series) writing at
#                                                 # once into one database, against 1 store
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-3}
MINUTES=${MINUTES:-5000}
BATCH_MINUTES=${BATCH_MINUTES:-200}
INSTANCES=${INSTANCES:-0}
../scripts/install-deps.sh >&2
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product PGIngest >&2
echo "load before: $(uptime)"
.build/release/PGIngest --stations 200 --minutes "$MINUTES" --batch-minutes "$BATCH_MINUTES" --runs "$RUNS" --instances "$INSTANCES"
echo "load after: $(uptime)"
