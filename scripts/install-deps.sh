#!/usr/bin/env bash
# Installs what envmon builds against and what its tests run, if any of it is missing:
# Debian packages through apt (the C libraries; Alertmanager, a peer of the notifier's
# end-to-end tests; the mosquitto broker and mosquitto_pub, peers of the MQTT collector's
# tests; PostgreSQL 15, whose initdb, pg_ctl and psql the PostgresStore tests and benchmark run
# in a private cluster: the package's own cluster is not used) and python3's aiosmtpd from PyPI
# (the tests' SMTP sink).
# With --tests (scripts/test.sh), also chromium, chromium-driver and selenium: the dashboard's browser test.
# Safe to run again: it only calls apt-get or pip when something is absent.
set -euo pipefail

packages=(libsqlite3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libmosquitto-dev pkg-config prometheus-alertmanager mosquitto mosquitto-clients postgresql-15 postgresql-client-15)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo_cmd=(sudo)
    elif [ ${#missing[@]} -gt 0 ]; then
        echo "envmon: need root or sudo to install: ${missing[*]}" >&2
        exit 1
    fi
fi

apt_updated=0
apt_install() {
    echo "envmon: installing $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    if [ "$apt_updated" -eq 0 ]; then
        "${sudo_cmd[@]}" apt-get update -qq || echo "envmon: apt-get update failed; trying the install with the lists we have" >&2
        apt_updated=1
    fi
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"
}

if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
fi

# The tests run `python3` from PATH (a pyenv one here), so aiosmtpd goes into that one. A
# python3 that refuses pip (PEP 668: Debian's own) gets Debian's python3-aiosmtpd instead.
if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    echo "envmon: installing aiosmtpd for $(command -v python3)" >&2
    if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore aiosmtpd; then
        apt_install python3-aiosmtpd
    fi
    python3 -c 'import aiosmtpd' || { echo "envmon: aiosmtpd is still not importable by python3" >&2; exit 1; }
fi

# python's InfluxDB 1.x client (PyPI `influxdb`, 5.x): the real client of the /write tests.
if ! python3 -c 'import influxdb' >/dev/null 2>&1; then
    echo "envmon: installing influxdb (the python client) for $(command -v python3)" >&2
    if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'influxdb>=5,<6'; then
        apt_install python3-influxdb
    fi
    python3 -c 'import influxdb' || { echo "envmon: influxdb is still not importable by python3" >&2; exit 1; }
fi

# The dashboard's browser test (`scripts/test.sh` passes --tests): Debian's chromium, its driver and a
# Chinese font (so that the screenshots show the pages as Chinese users see them),
# and python3's selenium. Left out of the demo's install: they are about 300 MB.
if [ "${1:-}" = "--tests" ]; then
    browser=()
    for p in chromium chromium-driver fonts-wqy-microhei; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || browser+=("$p")
    done
    if [ ${#browser[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ] && [ ${#sudo_cmd[@]} -eq 0 ]; then
            echo "envmon: need root or sudo to install: ${browser[*]}" >&2
            exit 1
        fi
        apt_install "${browser[@]}"
    fi
    if ! python3 -c 'import selenium' >/dev/null 2>&1; then
        echo "envmon: installing selenium for $(command -v python3)" >&2
        if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'selenium>=4.10'; then
            apt_install python3-selenium
        fi
        python3 -c 'import selenium' || { echo "envmon: selenium is still not importable by python3" >&2; exit 1; }
    fi
fi
