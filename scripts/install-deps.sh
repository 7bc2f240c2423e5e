#!/usr/bin/env bash
# Installs the system packages envmon builds against, if any is missing.
# Safe to run again: it only calls apt-get when something is absent.
set -euo pipefail

packages=(libsqlite3-dev libcurl4-openssl-dev libssl-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "envmon: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo_cmd=()
elif command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
else
    echo "envmon: need root or sudo to install: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq || echo "envmon: apt-get update failed; trying the install with the lists we have" >&2
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
