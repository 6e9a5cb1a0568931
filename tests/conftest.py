import os
import selectors
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from frontend_server import create_app
from lab_contract import ORIGIN_DEFAULTS
from labctl.browser import BrowserMissing, launch_options
from labctl.ports import free_port
from labctl.servers import Origins

# The lab's default origins, from the one contract.
TRUSTED = ORIGIN_DEFAULTS["trusted_origin"]
UNTRUSTED = ORIGIN_DEFAULTS["untrusted_origin"]


def start_time(pid):
    """The process's start time (a pid can be reused; this pair cannot), or None once it is gone
    or a zombie (a zombie holds nothing: no port, no file)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def wait_for_exit(processes, timeout, message):
    """Return once every process of ``processes`` ({pid: start_time(pid)}) has exited, woken by
    the kernel as each one exits (a pidfd, Linux 5.3+); fail with ``message`` (a string, or a
    function that makes one) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as exits:
        try:
            for pid, started in processes.items():
                try:
                    pidfd = os.pidfd_open(pid)
                except ProcessLookupError:
                    continue  # gone and reaped
                if start_time(pid) == started:
                    exits.register(pidfd, selectors.EVENT_READ)
                else:  # a zombie already, or its pid reused by another process
                    os.close(pidfd)
            while exits.get_map():
                ready = exits.select(deadline - time.monotonic())
                if not ready:
                    pytest.fail(message() if callable(message) else message)
                for key, _ in ready:
                    exits.unregister(key.fileobj)
                    os.close(key.fd)
        finally:
            for key in list(exits.get_map().values()):
                exits.unregister(key.fileobj)
                os.close(key.fd)


class Output:
    """What a process writes to a pipe, read by a thread as it comes (so the pipe never fills)."""

    def __init__(self, stream):
        self.text = ""
        self.ended = False  # every writer has closed the pipe
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for chunk in iter(lambda: stream.read1(4096), b""):
            with self._changed:
                self.text += chunk.decode(errors="replace")
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def wait_for(self, text, timeout):
        """True once ``text`` has come; False if the output ended first or ``timeout`` s passed."""
        with self._changed:
            self._changed.wait_for(lambda: text in self.text or self.ended, timeout)
            return text in self.text


def cors_header_names(response):
    """The names of the CORS headers (Access-Control-*) a response carries."""
    return [name for name in response.headers.keys() if name.lower().startswith("access-control-")]


# Origins that resemble the trusted one; an exact comparison must refuse every one of them.
LOOKALIKE_ORIGINS = [
    pytest.param(UNTRUSTED, id="other-host"),
    pytest.param("null", id="null"),
    pytest.param(TRUSTED + "/", id="trailing-slash"),
    pytest.param("http://localhost:80001", id="port-suffix"),
    pytest.param("http://localhost:8000.evil.localhost", id="host-suffix"),
    pytest.param("http://evillocalhost:8000", id="host-prefix"),
    pytest.param("https://localhost:8000", id="https"),
    pytest.param("HTTP://LOCALHOST:8000", id="upper-case"),
    pytest.param("http://user:pass@localhost:8000", id="userinfo"),
    pytest.param(f"{TRUSTED}, {UNTRUSTED}", id="two-origins-joined"),
    pytest.param(TRUSTED + "0" * 8192, id="8KB-origin"),
]


@pytest.fixture(autouse=True)
def no_lab_environment(monkeypatch):
    """Tests start from the defaults: `make` exports LAB_* variables that would leak in."""
    for name in list(os.environ):
        if name.startswith("LAB_"):
            monkeypatch.delenv(name)


def chromium_launch_options(playwright, *, shell):
    try:
        return launch_options(playwright.chromium, shell=shell)
    except BrowserMissing as missing:
        pytest.exit(str(missing), returncode=1)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Chromium's headless shell where there is one, else the full browser (see labctl.browser)."""
    return {**browser_type_launch_args, **chromium_launch_options(playwright, shell=True)}


@pytest.fixture(scope="session")
def full_chromium_launch_args(browser_type_launch_args, playwright):
    """The full Chromium (never the headless shell): its default context blocks third-party
    cookies, and it loads extensions."""
    args = {name: value for name, value in browser_type_launch_args.items() if name != "executable_path"}
    return {**args, **chromium_launch_options(playwright, shell=False)}


@pytest.fixture(scope="session")
def full_chromium(playwright, full_chromium_launch_args):
    """The full Chromium, for the tests whose expectations are its defaults' (a module overrides
    its ``browser`` fixture with this one)."""
    browser = playwright.chromium.launch(**full_chromium_launch_args)
    yield browser
    browser.close()


# Time per stage (tests/api, tests/frontend, tests/model, tests/e2e, ...), setup and teardown
# included, printed at the end of the run. Under pytest-xdist the workers' times add up, so the
# stages can sum to more than the run's wall-clock time.
_stage_seconds = {}


def _stage(nodeid):
    parts = nodeid.split("::")[0].split("/")
    return parts[1] if len(parts) > 2 else "unit"


def pytest_runtest_logreport(report):
    _stage_seconds[_stage(report.nodeid)] = _stage_seconds.get(_stage(report.nodeid), 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_sep("-", "time per stage (summed over workers)")
    for stage, seconds in sorted(_stage_seconds.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{stage:<10} {seconds:7.1f} s")


def serve_pages(wrap=lambda app: app, api_port=None):
    """The pages' server alone on free ports (nothing listens on the API's unless the caller
    starts something there): yields (origin, api)."""
    port = free_port()
    origins = Origins.on_ports(port, api_port or free_port())
    app = create_app({"LAB_ORIGINS": vars(origins), "LAB_KEY": "test-lab-key"})
    server = make_server("127.0.0.1", port, wrap(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield origins.trusted_origin, origins.api_origin
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def trusted_without_api():
    """The pages' server alone, nothing on the API's port: (the trusted origin, the API origin)."""
    yield from serve_pages()
