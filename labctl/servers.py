"""Start and stop the two servers under gunicorn, on loopback only.

Both apps listen on 127.0.0.1 and, where the machine has it, ::1: the lab serves deliberately
permissive endpoints and must not be reachable from the network. Each origin's host must
therefore be a loopback name.
"""

import functools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
ORIGIN_VARIABLES = {
    "trusted": "LAB_TRUSTED_ORIGIN",
    "untrusted": "LAB_UNTRUSTED_ORIGIN",
    "api": "LAB_API_ORIGIN",
    "api_alias": "LAB_API_ALIAS_ORIGIN",
    "attacker": "LAB_ATTACKER_ORIGIN",
}


class LabError(Exception):
    """Something the person running the lab can fix; the message says what."""


@dataclass(frozen=True)
class Origins:
    trusted: str = "http://localhost:8000"
    untrusted: str = "http://127.0.0.1:8000"
    api: str = "http://localhost:8001"
    api_alias: str = "http://127.0.0.1:8001"
    # The security pages' same-site attacker: another port of localhost, served by the frontend.
    attacker: str = "http://localhost:8002"

    @classmethod
    def from_environment(cls, environ=os.environ):
        return cls(**{field: environ[name] for field, name in ORIGIN_VARIABLES.items() if environ.get(name)})

    @classmethod
    def on_ports(cls, page_port, api_port, attacker_port=None):
        attacker_port = attacker_port or free_port()
        if len({page_port, api_port, attacker_port}) < 3:
            raise LabError(f"the pages, the API and the attacker need three ports, got {page_port}, {api_port}, {attacker_port}")
        return cls(
            trusted=f"http://localhost:{page_port}",
            untrusted=f"http://127.0.0.1:{page_port}",
            api=f"http://localhost:{api_port}",
            api_alias=f"http://127.0.0.1:{api_port}",
            attacker=f"http://localhost:{attacker_port}",
        )

    def environment(self):
        return {name: getattr(self, field) for field, name in ORIGIN_VARIABLES.items()}


def loopback_port(origin):
    """The port of ``origin``, after checking that its host is a loopback name."""
    parts = urlsplit(origin)
    host = parts.hostname or ""
    if parts.scheme != "http" or parts.path not in ("", "/"):
        raise LabError(f"{origin}: the lab's origins are plain http://host:port")
    if host not in LOOPBACK_HOSTS and not host.endswith(".localhost"):
        raise LabError(f"{origin}: the lab listens on loopback only; use localhost or 127.0.0.1")
    return parts.port or 80


@functools.cache
def ipv6_loopback_available():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def bind_addresses(port):
    addresses = [f"127.0.0.1:{port}"]
    if ipv6_loopback_available():
        addresses.append(f"[::1]:{port}")
    return addresses


def check_port_free(port, role):
    families = [(socket.AF_INET, "127.0.0.1")]
    if ipv6_loopback_available():
        families.append((socket.AF_INET6, "::1"))
    for family, host in families:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                raise LabError(
                    f"port {port} ({role}) is already in use on {host}: stop what uses it, "
                    "or choose other origins (see the README)"
                ) from None


def free_port():
    """A port free on 127.0.0.1 and ::1 alike, for tests."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            check_port_free(port, "test")
            return port
        except LabError:
            continue


def gunicorn_command(app_factory, ports, workers, threads):
    command = [
        sys.executable, "-m", "gunicorn", app_factory,
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        # Lets a lowercase ``patch`` reach the app, as browsers send it (see BROWSER-FACTS).
        "--permit-unconventional-http-method",
        "--graceful-timeout", "3",
        "--no-control-socket",  # two masters would fight over one default socket path
        "--access-logfile", "-",
    ]  # fmt: skip
    for port in ports:
        for address in bind_addresses(port):
            command += ["--bind", address]
    return command


def wait_until_up(url, process, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LabError(f"the server for {url} exited with status {process.returncode}; see its output above")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise LabError(f"{url} did not answer within {timeout} s")


class Lab:
    """Both servers as child processes; a context manager that always stops them."""

    def __init__(self, origins, *, api_workers=2, extra_env=None, output=None):
        self.origins = origins
        self.page_ports = sorted({loopback_port(o) for o in (origins.trusted, origins.untrusted, origins.attacker)})
        self.api_ports = sorted({loopback_port(origins.api), loopback_port(origins.api_alias)})
        self.api_workers = api_workers
        self.env = {**os.environ, **origins.environment(), **(extra_env or {})}
        self.output = output  # a file for both servers' output; None: this terminal
        self.processes = []

    def start(self, timeout=30):
        for port in self.page_ports:
            check_port_free(port, "pages")
        for port in self.api_ports:
            check_port_free(port, "API")
        try:
            self._spawn(gunicorn_command("api_server:create_app()", self.api_ports, self.api_workers, 4))
            self._spawn(gunicorn_command("frontend_server:create_app()", self.page_ports, 1, 4))
            wait_until_up(f"http://127.0.0.1:{self.api_ports[0]}/health", self.processes[0], timeout)
            wait_until_up(f"http://127.0.0.1:{self.page_ports[0]}/config.json", self.processes[1], timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, command):
        self.processes.append(subprocess.Popen(command, env=self.env, stdout=self.output, stderr=self.output))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def wait(self):
        """Block until a server exits; the caller then stops the other."""
        while all(process.poll() is None for process in self.processes):
            time.sleep(0.5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
