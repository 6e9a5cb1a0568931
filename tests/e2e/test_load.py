"""A bounded load test on loopback: concurrent clients against /simple, OPTIONS /preflight and
/lab under gunicorn with several workers. Fixed count, fixed time limit, stops by itself. The
clients are the benchmark's load generator (labctl.bench.load)."""

import json
import time
import urllib.request
from pathlib import Path

import pytest

from labctl.bench.load import Request, keep_alive_connections, run_load
from labctl.servers import Lab, Origins, free_port, loopback_port

WORKERS = 3
CLIENTS = 8
REQUESTS_PER_ROUND = 450
TIME_LIMIT_S = 60


@pytest.fixture(scope="module")
def loaded_lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    origins = Origins.on_ports(free_port(), free_port())
    env = {"LAB_LOG_DB": str(folder / "wire.sqlite3"), "LAB_LOG_LIMIT": "100000"}
    with (
        open(folder / "servers.log", "w") as output,
        Lab(origins, api_workers=WORKERS, extra_env=env, output=output) as lab,
    ):
        yield origins, lab.processes[0].pid


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def resident_kib(pids):
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def request_for(number, run, origin):
    kind = number % 3
    if kind == 0:
        return Request("GET", f"/simple?run={run}&n={number}", {"Origin": origin})
    if kind == 1:
        headers = {"Origin": origin, "Access-Control-Request-Method": "PUT"}
        return Request("OPTIONS", f"/preflight?run={run}&n={number}", headers)
    return Request("GET", f"/lab?acao=echo&run={run}", {"Origin": origin})


def hammer(api, run, origin, deadline):
    """REQUESTS_PER_ROUND requests from CLIENTS threads, each on its own keep-alive connection,
    until the ``deadline`` (time.monotonic). Their statuses; None where no answer came."""
    with keep_alive_connections(loopback_port(api), CLIENTS) as connections:
        load = run_load(
            connections,
            lambda number: request_for(number, run, origin),
            requests=REQUESTS_PER_ROUND,
            seconds=max(0, deadline - time.monotonic()),
        )
    return load.statuses


def test_load_zero_5xx_every_request_logged_memory_flat(loaded_lab):
    origins, master = loaded_lab
    deadline = time.monotonic() + TIME_LIMIT_S
    hammer(origins.api_origin, "warmup", origins.trusted_origin, deadline)
    baseline = resident_kib(worker_pids(master))
    statuses = []
    for round_number in range(3):
        statuses += hammer(origins.api_origin, f"load-{round_number}", origins.trusted_origin, deadline)
    after = resident_kib(worker_pids(master))

    assert len(statuses) == 3 * REQUESTS_PER_ROUND, "the load did not finish within its time limit"
    assert [status for status in statuses if status is None or status >= 500] == []
    for round_number in range(3):
        with urllib.request.urlopen(f"{origins.api_origin}/log?run=load-{round_number}", timeout=10) as response:
            assert len(json.load(response)["entries"]) == REQUESTS_PER_ROUND
    # Flat: three more rounds may not grow the servers by more than a quarter (plus 8 MiB of slack).
    assert after <= baseline * 1.25 + 8 * 1024, (baseline, after)
