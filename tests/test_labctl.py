import http.server
import os
import signal
import subprocess
import sys
import threading

import pytest

import lab_contract
from labctl.servers import (
    Lab,
    LabError,
    Origins,
    gunicorn_command,
    loopback_port,
    stop_processes,
    wait_until_up,
)
from tests.conftest import start_time, wait_for_exit


@pytest.mark.parametrize(
    ("origin", "port"),
    [("http://localhost:8000", 8000), ("http://127.0.0.1:8001", 8001), ("http://app.localhost", 80)],
)
def test_loopback_origins_give_their_port(origin, port):
    assert loopback_port(origin) == port


@pytest.mark.parametrize(
    "origin", ["http://example.com:8000", "http://192.168.1.2:8000", "http://10.0.0.1:8001", "https://localhost:8000"]
)
def test_origins_off_loopback_are_refused(origin):
    with pytest.raises(LabError):
        loopback_port(origin)


def option(command, name):
    return [command[i + 1] for i, part in enumerate(command) if part == name]


def test_gunicorn_binds_loopback_only_and_lets_lowercase_methods_through():
    command = gunicorn_command("api_server:create_app()", [8001], workers=2)
    binds = option(command, "--bind")
    assert binds and all(bind.startswith(("127.0.0.1:", "[::1]:")) for bind in binds)
    assert "--permit-unconventional-http-method" in command


def test_gunicorn_serves_each_connection_in_a_greenlet_with_a_header_timeout():
    command = gunicorn_command("api_server:create_app()", [8001], workers=2)
    assert option(command, "--worker-class") == ["gevent"]
    assert option(command, "--keep-alive") == ["5"]


def test_origins_from_environment(monkeypatch):
    monkeypatch.setenv("LAB_API_ORIGIN", "http://localhost:9001")
    assert Origins.from_environment() == Origins(api_origin="http://localhost:9001")


def test_origins_default_to_the_lab_contract():
    assert vars(Origins()) == lab_contract.ORIGIN_DEFAULTS
    assert Origins().environment() == {
        lab_contract.variable(role): origin for role, origin in lab_contract.ORIGIN_DEFAULTS.items()
    }


def test_each_lab_has_its_own_key_and_hands_it_to_the_servers(monkeypatch):
    monkeypatch.setenv(lab_contract.LAB_KEY_VARIABLE, "a key from elsewhere")
    first, second = Lab(Origins()), Lab(Origins(), extra_env={lab_contract.LAB_KEY_VARIABLE: "chosen"})
    assert len(first.key) >= 43 and first.key != second.key  # token_urlsafe(32): 43 characters
    assert first.env[lab_contract.LAB_KEY_VARIABLE] == first.key
    assert second.env[lab_contract.LAB_KEY_VARIABLE] == second.key


class Running:
    def poll(self):
        return None


def test_the_readiness_probe_sends_the_origins_host():
    hosts = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hosts.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with http.server.HTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.handle_request)
        thread.start()
        port = server.server_address[1]
        wait_until_up(f"http://127.0.0.1:{port}/health", Running(), timeout=10, host=f"localhost:{port}")
        thread.join()
    assert hosts == [f"localhost:{port}"]


# A process that waits until a signal ends it.
WAITS = "import signal; signal.pause()"
# Ignores SIGTERM, starts a grandchild that waits too, prints that one's pid and waits.
STUBBORN = (
    "import signal, subprocess, sys; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    f"child = subprocess.Popen([sys.executable, '-c', {WAITS!r}]); "
    "print(child.pid, flush=True); signal.pause()"
)


def start_stubborn(**popen_options):
    """The stubborn process, its grandchild's pid and that one's start time (it is running)."""
    process = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, **popen_options)
    grandchild = int(process.stdout.readline())
    return process, grandchild, start_time(grandchild)


def test_stop_processes_stops_on_sigterm_first():
    process = subprocess.Popen([sys.executable, "-c", WAITS])
    stop_processes([process], timeout=10)
    assert process.returncode == -signal.SIGTERM


def test_stop_processes_kills_a_group_leader_with_its_group_after_the_timeout():
    leader, grandchild, started = start_stubborn(start_new_session=True)
    stop_processes([leader], timeout=0.5)
    assert leader.returncode == -signal.SIGKILL
    wait_for_exit({grandchild: started}, 10, f"the grandchild {grandchild} outlived its group")


def test_stop_processes_kills_a_process_in_our_group_alone():
    process, grandchild, started = start_stubborn()
    try:
        stop_processes([process], timeout=0.5)
        assert process.returncode == -signal.SIGKILL
        assert start_time(grandchild) == started  # our own group, this test included, was not signalled
    finally:
        os.kill(grandchild, signal.SIGKILL)


def test_bench_help_describes_it_without_running_it():
    result = subprocess.run(
        [sys.executable, "-m", "labctl.bench", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "what CORS costs in the lab" in result.stdout
