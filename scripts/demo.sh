#!/usr/bin/env bash
# Installs what is missing, builds envmon, and runs `envmon demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build-release.sh
exec .build/release/envmon demo "$@"
