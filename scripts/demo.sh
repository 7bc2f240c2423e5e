#!/usr/bin/env bash
# Installs what is missing, builds envmon, and runs `envmon demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product envmon
exec .build/release/envmon demo "$@"
