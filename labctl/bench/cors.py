"""Part 1: what CORS costs the API under gunicorn: the same GET bare, through flask-cors and
through the lab's own CORS code (``/lab``), under the load generator."""

import statistics
import urllib.request
from dataclasses import replace

from ..servers import LabError, loopback_port
from .load import WARM_UP_REQUESTS, get_in_turn, keep_alive_connections
from .report import each_repetition_in_turn, milliseconds, paired_row, requests_per_second

# The API's 2 gevent workers take every connection at once (a greenlet each), but each is one
# process whose greenlets take turns: a few clients keep both busy, more only add queueing.
CLIENTS = 4
FLASK_CORS_P50_GOAL = 1.10

# Identical requests apart from the path, so that only the server's CORS work differs.
BARE = "bare `/no-cors`"
ENDPOINTS = {
    BARE: "/no-cors",
    "flask-cors `/simple`": "/simple",
    "`/lab?acao=echo`": "/lab?acao=echo",
}


def check_endpoints(origins):
    """Fail before measuring if an endpoint does not answer the way the comparison assumes."""
    for name, path in ENDPOINTS.items():
        request = urllib.request.Request(f"{origins.api_origin}{path}", headers={"Origin": origins.trusted_origin})
        with urllib.request.urlopen(request, timeout=10) as response:
            allow_origin = response.headers.get("Access-Control-Allow-Origin")
        expected = None if name == BARE else origins.trusted_origin
        if allow_origin != expected:
            raise LabError(
                f"{path} answered Access-Control-Allow-Origin: {allow_origin!r} to Origin {origins.trusted_origin}, "
                f"expected {expected!r}: is LAB_ALLOWED_ORIGINS set in the environment?"
            )


def measure_cors_overhead(origins):
    """Latency p50 and p99 and throughput of each CORS endpoint against bare: rows of the table."""
    check_endpoints(origins)
    port = loopback_port(origins.api_origin)
    # Never run= in the URL: the wire log would write to SQLite, and that is not what we measure.
    headers = {"Origin": origins.trusted_origin}
    paths = tuple(ENDPOINTS.values())
    names = list(ENDPOINTS)
    latencies = {name: [] for name in names}
    throughputs = {name: [] for name in names}
    with keep_alive_connections(port, CLIENTS) as connections:
        get_in_turn(connections, paths, headers, requests=WARM_UP_REQUESTS)
    for order in each_repetition_in_turn(names):
        # Fresh connections each repetition, shared by all its runs: the kernel decides which
        # gunicorn worker gets each one, and an uneven split changes every run of the repetition.
        with keep_alive_connections(port, CLIENTS) as connections:
            interleaved = get_in_turn(connections, paths, headers)
            for name in names:
                latencies[name].append(interleaved[ENDPOINTS[name]])
            for name in order:
                path = ENDPOINTS[name]
                throughputs[name].append(get_in_turn(connections, (path,), headers)[path].throughput)
    rows = []
    for name in names[1:]:
        versus = f"API, {CLIENTS} clients, {name} vs {BARE}"
        p50s = ([result.p50 for result in latencies[BARE]], [result.p50 for result in latencies[name]])
        p99s = ([result.p99 for result in latencies[BARE]], [result.p99 for result in latencies[name]])
        rows += [
            paired_row(f"{versus}: p50 latency", *p50s, milliseconds),
            paired_row(f"{versus}: p99 latency", *p99s, milliseconds),
            paired_row(f"{versus}: throughput", throughputs[BARE], throughputs[name], requests_per_second),
        ]
    flask_cors_p50 = rows[0]
    met = statistics.median(flask_cors_p50.ratios) <= FLASK_CORS_P50_GOAL
    rows[0] = replace(flask_cors_p50, goal=f"≤ {FLASK_CORS_P50_GOAL:.2f}x: {'met' if met else 'MISSED'}")
    return rows
