# Sourced by the end-to-end benchmark scripts: starts `$1 serve --config $TMP/envmon.yaml
# --sensors $TMP/sensors` in the background, sets DAEMON (its pid) and PORT (its HJ 212 port, read
# from its first line), and stops the script if it does not listen within 10 s.
# `http_address` prints its HTTP listener's address, `metrics` its /metrics, `ack_percentiles` the daemon's own
# acknowledgement latency percentiles, read off its envmon_hj212_ack_duration_seconds histogram.
start_daemon() {
  "$1" serve --config "$TMP/envmon.yaml" --sensors "$TMP/sensors" --http-port 0 > "$TMP/serve.out" 2> "$TMP/serve.log" &
  DAEMON=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's/.*hj212 listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "${PORT:-}" ] || { cat "$TMP/serve.log" >&2; echo "envmon serve did not start" >&2; exit 1; }
}

http_address() {
  for _ in $(seq 1 50); do
    local a
    a=$(sed -n 's/.*http listening on \([0-9.]*:[0-9]*\).*/\1/p' "$TMP/serve.out")
    [ -n "$a" ] && { echo "$a"; return; }
    sleep 0.1
  done
}

# The daemon's local admin token (written beside the store at start): /metrics needs a token.
local_token() { cat "$TMP/store.sqlite.token"; }

metrics() { curl -s -H "Authorization: Bearer $(local_token)" "http://$(http_address)/metrics"; }

ack_percentiles() {
  metrics | python3 "$(dirname "${BASH_SOURCE[0]}")/histogram_quantiles.py" envmon_hj212_ack_duration_seconds
}
