#!/usr/bin/env bash
# Builds the release executable, .build/release/envmon, as it is installed on a server: with the
# Swift runtime and Foundation linked in (`--static-swift-stdlib`), so the server needs no Swift
# toolchain, only the C libraries it links (libsqlite3, libcurl, libmosquitto, OpenSSL, zlib), and
# every command starts sooner (the loader no longer maps and relocates some fifteen Swift
# libraries: `envmon version` in about 21 ms instead of 30, `perf stat -r 30`).
#
# Every script that builds the release executable (demo.sh, Benchmarks/*.sh) builds it here: a
# release build without the flag would rebuild every module, and back again with it.
# Extra arguments go to `swift build` (e.g. -v).
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift build -c release --static-swift-stdlib --product envmon "$@"
