#!/usr/bin/env python3
"""Percentiles of a Prometheus histogram, from a /metrics text on stdin.

    curl -s http://HOST:PORT/metrics | Benchmarks/histogram_quantiles.py envmon_hj212_ack_duration_seconds

Prints one JSON object: count, and p50/p90/p99/p999 in milliseconds, each interpolated linearly
inside its bucket as Prometheus's histogram_quantile() does (so no finer than the buckets: the
daemon's acknowledgement histogram has buckets of 1-25 ms up to 200 ms), and the bucket bound
the quantile lies under ("le"), which is exact.
"""
import json
import re
import sys


def main():
    name = sys.argv[1]
    pattern = re.compile(r'^' + re.escape(name) + r'_bucket\{(?:[^}]*,)?le="([^"]+)"[^}]*\}\s+(\S+)')
    buckets = []
    for line in sys.stdin:
        m = pattern.match(line)
        if m:
            bound = float('inf') if m.group(1) == '+Inf' else float(m.group(1))
            buckets.append((bound, float(m.group(2))))
    buckets.sort()
    if not buckets or buckets[-1][1] == 0:
        print(json.dumps({"count": 0}))
        return
    total = buckets[-1][1]
    out = {"count": int(total)}
    for label, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)):
        rank = q * total
        lower, below = 0.0, 0.0
        for bound, cumulative in buckets:
            if cumulative >= rank:
                if bound == float('inf'):
                    out[label] = {"ms": None, "le_ms": None, "over_ms": lower * 1000}
                else:
                    inside = cumulative - below
                    share = (rank - below) / inside if inside else 1.0
                    out[label] = {"ms": round((lower + (bound - lower) * share) * 1000, 2), "le_ms": round(bound * 1000, 3)}
                break
            lower, below = bound, cumulative
    print(json.dumps(out))


if __name__ == '__main__':
    main()
