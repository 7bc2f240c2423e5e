#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: unit tests and the
# end-to-end tests that run the real envmon on real SQLite files and the Beijing data set in
# ../shared/data (about 3 minutes of the run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
swift build --build-tests
swift test --skip-build "$@"
