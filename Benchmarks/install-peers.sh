#!/usr/bin/env bash
# Installs the peers and tools the whole-command benchmarks run beside envmon, when missing:
# influxd (Debian's `influxdb`, 1.6), sqlite3, curl and GNU time (/usr/bin/time, for peak RSS),
# with apt-get (as root, or through sudo). Sourced or run by commands.sh, write-load.sh and
# api-query.sh; safe to run again.
set -euo pipefail
missing=()
command -v influxd >/dev/null || missing+=(influxdb)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/bin/time ] || missing+=(time)
[ ${#missing[@]} -gt 0 ] || exit 0
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
echo "installing ${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 ||
  { "${sudo[@]}" apt-get update >&2 && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; }
