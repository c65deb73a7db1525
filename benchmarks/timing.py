"""Latency of one address through Django's test Client, for the in-process benchmarks
(page_cache.py, hsds_api.py; run as scripts, so this folder is on sys.path)."""

import statistics
import time


def measure(client, url, count):
    """Median and p95 in milliseconds of ``count`` requests, and the last response."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], response
