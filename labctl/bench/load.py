"""A load generator: concurrent clients on keep-alive connections, sending numbered requests.

``run_load`` is the general form (any method, path and headers per request number; every
outcome kept), which the load test uses; ``get_in_turn`` is the benchmark's form (GETs of a
few paths, latencies and throughput per path).
"""

import http.client
import math
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from ..servers import LabError

# The benchmark's runs each stop at whichever comes first; together they keep it near a minute.
REQUESTS_PER_RUN = 3000
SECONDS_PER_RUN = 2.0
WARM_UP_REQUESTS = 300


class Request(NamedTuple):
    method: str
    path: str
    headers: dict


class Outcome(NamedTuple):
    request: Request
    status: int | None  # None: no answer, the connection failed (the next request reopens it)
    seconds: float  # from sending the request to the end of the answer's body


@dataclass(frozen=True)
class LoadResult:
    """One path's successful requests in one run."""

    latencies: list  # seconds, sorted
    elapsed: float  # seconds of the whole run

    def percentile(self, fraction):
        """Nearest rank: a latency that some request actually had."""
        return self.latencies[max(1, math.ceil(fraction * len(self.latencies))) - 1]

    @property
    def p50(self):
        return self.percentile(0.50)

    @property
    def p99(self):
        return self.percentile(0.99)

    @property
    def throughput(self):
        return len(self.latencies) / self.elapsed


@dataclass(frozen=True)
class LoadRun:
    outcomes: list  # of Outcome, each client's in the order it sent them
    elapsed: float  # seconds

    @property
    def statuses(self):
        return [outcome.status for outcome in self.outcomes]

    def result(self, path):
        """The requests to ``path`` that were answered 200."""
        latencies = (o.seconds for o in self.outcomes if o.request.path == path and o.status == 200)
        return LoadResult(sorted(latencies), self.elapsed)


@contextmanager
def keep_alive_connections(port, count):
    """``count`` connections to 127.0.0.1:``port``, opened before any clock starts."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(count)]
    try:
        for connection in connections:
            connection.connect()
        yield connections
    finally:
        for connection in connections:
            connection.close()


def send_requests(connection, request_for, numbers, deadline, stop):
    """One client: ``request_for(number)`` for each of ``numbers`` on ``connection``, until the
    ``deadline`` (time.perf_counter) or ``stop``. Returns the outcomes."""
    outcomes = []
    for number in numbers:
        if stop.is_set() or time.perf_counter() > deadline:
            break
        request = request_for(number)
        sent = time.perf_counter()
        try:
            connection.request(request.method, request.path, headers=request.headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = None
            connection.close()  # http.client opens a new connection on the next request
        outcomes.append(Outcome(request, status, time.perf_counter() - sent))
    return outcomes


def run_load(connections, request_for, *, requests, seconds):
    """Requests number 0 to ``requests - 1``, each ``request_for(number)`` (a Request), from one
    thread per connection, until all are sent or ``seconds`` have passed. Client ``i`` of ``C``
    sends numbers i, i + C, i + 2C...: at every moment the clients are at different numbers."""
    clients = len(connections)
    go, stop = threading.Event(), threading.Event()
    outcomes = [[] for _ in range(clients)]

    def client(index):
        go.wait()
        deadline = time.perf_counter() + seconds
        numbers = range(index, requests, clients)
        outcomes[index] = send_requests(connections[index], request_for, numbers, deadline, stop)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    go.set()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()  # after a stop signal too: the threads end before the caller closes their connections
        for thread in threads:
            thread.join()
    return LoadRun([outcome for each in outcomes for outcome in each], time.perf_counter() - started)


def get_in_turn(connections, paths, headers, *, requests=REQUESTS_PER_RUN, seconds=SECONDS_PER_RUN):
    """GETs of ``paths`` in turn, with the same ``headers``: a LoadResult per path. Raises
    LabError if more than 1% of the requests failed (no answer, or not a 200)."""
    clients = len(connections)

    def request_for(number):
        # Client number % clients sends it as its (number // clients)th: each client goes round
        # all the paths, from a different one, whatever the number of clients.
        return Request("GET", paths[(number % clients + number // clients) % len(paths)], headers)

    run = run_load(connections, request_for, requests=requests, seconds=seconds)
    failures = sum(status != 200 for status in run.statuses)
    if failures > requests // 100:
        raise LabError(f"GET {', '.join(paths)}: {failures} requests failed")
    return {path: run.result(path) for path in paths}
