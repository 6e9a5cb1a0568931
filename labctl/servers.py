"""Start and stop the two servers under gunicorn, on loopback only.

Both apps listen on 127.0.0.1 and, where the machine has it, ::1: the lab serves deliberately
permissive endpoints and must not be reachable from the network. Each origin's host must
therefore be a loopback name.

Each ``Lab`` makes one secret, its key, and hands it to both servers (``LAB_KEY``). Each gunicorn
master runs in a session of its own, so that only labctl stops it (a closing terminal's SIGHUP
would make a master reload, not stop), and on Linux it stops by itself if labctl dies.
"""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from lab_contract import (
    LAB_KEY_VARIABLE,
    MAX_HEADER_FIELD_BYTES,
    MAX_HEADER_FIELDS,
    MAX_REQUEST_LINE_BYTES,
    ORIGIN_DEFAULTS,
    variable,
)

from .ports import LabError, bind_addresses, check_port_free, free_port, loopback_port


@dataclass(frozen=True)
class Origins:
    """Every origin of one lab, each field named after its role in the lab contract (whose
    environment variable, LAB_<ROLE>, is derived from that name)."""

    trusted_origin: str = ORIGIN_DEFAULTS["trusted_origin"]
    untrusted_origin: str = ORIGIN_DEFAULTS["untrusted_origin"]
    api_origin: str = ORIGIN_DEFAULTS["api_origin"]
    api_alias_origin: str = ORIGIN_DEFAULTS["api_alias_origin"]
    # The security pages' same-site attacker: another port of localhost, served by the frontend.
    attacker_origin: str = ORIGIN_DEFAULTS["attacker_origin"]

    @classmethod
    def from_environment(cls, environ=os.environ):
        return cls(**{role: environ[variable(role)] for role in ORIGIN_DEFAULTS if environ.get(variable(role))})

    @classmethod
    def on_ports(cls, page_port, api_port, attacker_port=None):
        attacker_port = attacker_port or free_port()
        if len({page_port, api_port, attacker_port}) < 3:
            raise LabError(
                f"the pages, the API and the attacker need three ports, got {page_port}, {api_port}, {attacker_port}"
            )
        return cls(
            trusted_origin=f"http://localhost:{page_port}",
            untrusted_origin=f"http://127.0.0.1:{page_port}",
            api_origin=f"http://localhost:{api_port}",
            api_alias_origin=f"http://127.0.0.1:{api_port}",
            attacker_origin=f"http://localhost:{attacker_port}",
        )

    def environment(self):
        return {variable(role): getattr(self, role) for role in ORIGIN_DEFAULTS}


# Each gunicorn master runs this with ``PARENT_PID`` and gunicorn's arguments after it.
GUNICORN_BOOTSTRAP = "from labctl.servers import serve_gunicorn; serve_gunicorn()"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def serve_gunicorn():
    """The body of a gunicorn master: ``python -c GUNICORN_BOOTSTRAP PARENT_PID ARGS...``.

    The master runs in its own session, where no terminal or process group signal reaches it;
    on Linux the kernel sends it SIGTERM when the process that started it dies, even by SIGKILL
    (strictly, when the thread that started it ends: start a Lab from the main thread). Its
    workers already stop when the master dies.
    """
    parent = int(sys.argv.pop(1))
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        sys.exit("the lab stopped before this server started")
    from gunicorn.app.wsgiapp import run

    from .gunicorn_setup import json_error_pages

    json_error_pages()  # before the workers fork: they inherit it
    sys.argv[0] = "gunicorn"
    run(prog="gunicorn")


def gunicorn_command(app_factory, ports, workers):
    command = [
        sys.executable, "-c", GUNICORN_BOOTSTRAP, str(os.getpid()), app_factory,
        "--workers", str(workers),
        # gevent, one greenlet per connection: slow, idle or half-open clients cost a greenlet
        # each and never stall the server, as they do gthread, which blocks one of its few
        # threads on each (gunicorn's docs recommend an async worker for slow clients); and each
        # request's line and headers must arrive within the keep-alive time (5 s).
        "--worker-class", "gevent", "--keep-alive", "5",
        # Lets a lowercase ``patch`` reach the app, as browsers send it (see docs/browser-facts.md).
        "--permit-unconventional-http-method",
        # What the lab contract allows of a request line and its headers, before any app sees them.
        "--limit-request-line", str(MAX_REQUEST_LINE_BYTES),
        "--limit-request-fields", str(MAX_HEADER_FIELDS),
        "--limit-request-field_size", str(MAX_HEADER_FIELD_BYTES),
        "--graceful-timeout", "3",
        "--no-control-socket",  # two masters would fight over one default socket path
        "--access-logfile", "-",
        # The access log shows lab_key=(not recorded), as /log does.
        "--logger-class", "labctl.gunicorn_setup.AccessLog",
    ]  # fmt: skip
    for port in ports:
        for address in bind_addresses(port):
            command += ["--bind", address]
    return command


def stop_processes(processes, timeout=10):
    """Stop each of ``processes`` (Popen objects): SIGTERM to all at once, so that they stop side
    by side, then SIGKILL to any still running after ``timeout`` s. Returns once all have exited."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(timeout=max(0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                # A gunicorn master leads a process group of its own: its workers go with it.
                if os.getpgid(process.pid) == process.pid:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            process.wait()


def wait_until_up(url, process, timeout, host=None):
    """Poll ``url`` until it answers 200; ``host``: the Host header to send (the servers answer
    only their origins' hosts, while the probe connects to 127.0.0.1)."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LabError(f"the server for {url} exited with status {process.returncode}; see its output above")
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise LabError(f"{url} did not answer within {timeout} s")


class Lab:
    """Both servers as child processes; a context manager that always stops them.

    ``key``: this lab's secret, made anew for each Lab and given to both servers in LAB_KEY.
    """

    def __init__(self, origins, *, api_workers=2, extra_env=None, output=None):
        self.origins = origins
        self.page_ports = sorted(
            {loopback_port(o) for o in (origins.trusted_origin, origins.untrusted_origin, origins.attacker_origin)}
        )
        self.api_ports = sorted({loopback_port(origins.api_origin), loopback_port(origins.api_alias_origin)})
        self.api_workers = api_workers
        self.key = secrets.token_urlsafe(32)
        self.env = {**os.environ, **origins.environment(), **(extra_env or {}), LAB_KEY_VARIABLE: self.key}
        self.output = output  # a file for both servers' output; None: this terminal
        self.processes = []

    def start(self, timeout=30):
        for port in self.page_ports:
            check_port_free(port, "pages")
        for port in self.api_ports:
            check_port_free(port, "API")
        try:
            self._spawn(gunicorn_command("api_server:create_app()", self.api_ports, self.api_workers))
            self._spawn(gunicorn_command("frontend_server:create_app()", self.page_ports, 1))
            self._wait_until_up(self.origins.api_origin, "/health", self.processes[0], timeout)
            self._wait_until_up(self.origins.trusted_origin, "/config.json", self.processes[1], timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_up(self, origin, path, process, timeout):
        # 127.0.0.1, as *.localhost names may not resolve here; the Host header of the origin.
        url = f"http://127.0.0.1:{loopback_port(origin)}{path}"
        wait_until_up(url, process, timeout, host=urlsplit(origin).netloc)

    def _spawn(self, command):
        self.processes.append(
            subprocess.Popen(command, env=self.env, stdout=self.output, stderr=self.output, start_new_session=True)
        )

    def stop(self):
        stop_processes(self.processes)
        self.processes = []

    def wait(self, should_stop=lambda: None, interval=0.2):
        """Block until a server exits (returns None; the caller then stops the other) or until
        ``should_stop()`` returns a reason to stop (returns it)."""
        while all(process.poll() is None for process in self.processes):
            reason = should_stop()
            if reason:
                return reason
            time.sleep(interval)
        return None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
