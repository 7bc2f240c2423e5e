#!/usr/bin/env bash
# Builds everything with ThreadSanitizer (in .build-tsan, beside the normal build) and runs the
# test suite under it; reports of the test process and of every envmon it starts (daemons,
# simulators) are written to $REPORTS/r.PID. Not part of scripts/test.sh: it takes about 25
# minutes on two cores, and the end-to-end tests that time a daemon run 5-15x slower under it.
#
#   scripts/tsan.sh                          # all tests
#   scripts/tsan.sh --filter StoreTests      # some
#
# All locks in envmon are Locked (a pthread mutex), which ThreadSanitizer sees; the standard
# library's Mutex is not used because on Linux every access it guards is reported as a race.
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS=${REPORTS:-$(mktemp -d)}
scripts/install-deps.sh
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
TSAN_OPTIONS="log_path=$REPORTS/r halt_on_error=0 ${TSAN_OPTIONS:-}" \
  swift test --skip-build --sanitize=thread --scratch-path .build-tsan "$@" || status=$?
echo "ThreadSanitizer reports: $(ls "$REPORTS" | wc -l) files in $REPORTS" >&2
grep -h "^WARNING: ThreadSanitizer" "$REPORTS"/* 2>/dev/null | sort | uniq -c >&2 || true
exit "${status:-0}"
