"""The load generator (labctl.bench.load) against a small local server: which client sends what,
and what a dropped connection gives."""

import http.server
import threading
from collections import defaultdict
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest

from labctl.bench.load import Request, get_in_turn, keep_alive_connections, run_load
from labctl.servers import LabError


@contextmanager
def recording_server():
    """A keep-alive HTTP server on 127.0.0.1 that answers 200, except that it drops the
    connection on /drop. Yields its port and, per client port, the paths it received."""
    seen = defaultdict(list)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            seen[self.client_address[1]].append(self.path)
            if urlsplit(self.path).path == "/drop":
                self.close_connection = True
                return
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        try:
            yield server.server_address[1], seen
        finally:
            server.shutdown()
            thread.join()


def test_client_i_of_c_sends_numbers_i_i_plus_c_and_so_on():
    with recording_server() as (port, seen), keep_alive_connections(port, 3) as connections:
        load = run_load(connections, lambda n: Request("GET", f"/?n={n}", {}), requests=10, seconds=30)
    assert load.statuses == [200] * 10
    numbers = [{int(parse_qs(urlsplit(path).query)["n"][0]) for path in paths} for paths in seen.values()]
    assert sorted(numbers, key=min) == [{0, 3, 6, 9}, {1, 4, 7}, {2, 5, 8}]


def test_a_dropped_connection_is_a_status_of_none_and_the_next_request_reconnects():
    with recording_server() as (port, _), keep_alive_connections(port, 1) as connections:
        load = run_load(connections, lambda n: Request("GET", "/drop" if n == 1 else "/", {}), requests=3, seconds=30)
    assert load.statuses == [200, None, 200]


def test_get_in_turn_sends_every_client_round_every_path():
    paths = ("/a", "/b", "/c")
    with recording_server() as (port, seen), keep_alive_connections(port, len(paths)) as connections:
        results = get_in_turn(connections, paths, {}, requests=30, seconds=30)
    assert [sorted(set(received)) for received in seen.values()] == [list(paths)] * len(paths)
    assert {path: len(result.latencies) for path, result in results.items()} == dict.fromkeys(paths, 10)


def test_get_in_turn_fails_beyond_one_percent_of_failures():
    with recording_server() as (port, _), keep_alive_connections(port, 2) as connections:
        with pytest.raises(LabError, match="2 requests failed"):
            get_in_turn(connections, ("/", "/drop"), {}, requests=4, seconds=30)
