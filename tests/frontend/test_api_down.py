"""With the API stopped, "Run all" on the experiments page stops within seconds and says
that the API does not answer, instead of trying every experiment and reporting them all as
differing. Only the pages' server runs here; nothing listens on the API's port."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from labctl.servers import free_port
from tests.conftest import serve_pages
from tests.pages import open_ready


class HealthThenGone(ThreadingHTTPServer):
    """An API of the test's own that answers /health ``answers`` times and then stops listening,
    so the next request meets a refused connection, as when `make run` is stopped."""

    def __init__(self, port, origin, answers):
        self.origin, self.left = origin, answers
        super().__init__(("127.0.0.1", port), HealthAnswer)


class HealthAnswer(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"status": "ok", "allowed_origins": [self.server.origin]}).encode()
        self.send_response(200)
        for name, value in (("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")):
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.server.left -= 1
        if self.server.left <= 0:
            threading.Thread(target=lambda: (self.server.shutdown(), self.server.server_close())).start()

    def log_message(self, *args):
        pass


@pytest.fixture
def api_that_stops():
    """(page origin, API origin, start(answers)): the pages, and an API that goes away."""
    api_port = free_port()
    pages = serve_pages(api_port=api_port)
    origin, api = next(pages)
    servers = []

    def start(answers):
        server = HealthThenGone(api_port, origin, answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)

    yield origin, api, start
    for server in servers:
        if server.left > 0:
            server.shutdown()
            server.server_close()
    next(pages, None)


STOPPED = "Stopped: the API at {api} does not respond — is make run still running?"


def open_experiments(page, origin):
    open_ready(page, f"{origin}/experiments")


def test_run_all_without_the_api_stops_at_once_and_says_why(page, trusted_without_api):
    origin, api = trusted_without_api
    open_experiments(page, origin)
    page.get_by_role("button", name="Run all experiments").click()
    summary = page.locator("#summary")
    expect(summary).to_have_attribute("data-stopped", "true")
    expect(summary).to_contain_text(STOPPED.format(api=api))
    expect(summary).not_to_contain_text("differ")
    expect(page.locator("article.experiment:not([data-state=idle])")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(1)


def test_run_all_stops_on_the_first_refused_connection_when_the_api_stops_midway(page, api_that_stops):
    origin, api, start = api_that_stops
    # The API answers the page's start and the run's first look, then is gone.
    start(answers=2)
    open_experiments(page, origin)
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Run all experiments").click()
    summary = page.locator("#summary")
    expect(summary).to_have_attribute("data-stopped", "true", timeout=15000)
    expect(summary).to_contain_text(STOPPED.format(api=api))
    expect(page.locator("article.experiment[data-state=done]")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text(f"The API at {api} does not respond")
    expect(page.get_by_role("button", name="Run all experiments")).to_be_enabled()


def test_the_playground_says_so_when_the_api_stops_after_the_page_started(page, api_that_stops):
    origin, api, start = api_that_stops
    start(answers=1)
    open_ready(page, f"{origin}/playground?acao=echo")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Run it for real").click()
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    expect(page.get_by_role("alert")).to_have_text(
        f"The API at {api} does not respond: the requests of this page will fail. Is make run still running?"
    )


@pytest.fixture
def hung_api():
    """(page origin, API origin): the pages, and on the API's port a process that accepts every
    connection and never answers, as the API's processes do when they are stopped (SIGSTOP)."""
    api_port = free_port()
    pages = serve_pages(api_port=api_port)
    origin, api = next(pages)
    listener = socket.create_server(("127.0.0.1", api_port), backlog=64)
    held, closed = [], threading.Event()

    def accept():
        while not closed.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield origin, api
    closed.set()
    listener.close()
    for connection in held:
        connection.close()
    next(pages, None)


def test_run_all_names_an_api_that_accepts_and_never_answers(page, hung_api):
    """The page starts (its look at /health gives up), and "Run all" stops with the API named
    within the time expect() waits, without trying any experiment."""
    origin, api = hung_api
    open_experiments(page, origin)
    expect(page.get_by_role("alert")).to_contain_text(f"The API at {api} does not respond")
    page.get_by_role("button", name="Run all experiments").click()
    summary = page.locator("#summary")
    expect(summary).to_have_attribute("data-stopped", "true")
    expect(summary).to_contain_text(STOPPED.format(api=api))
    expect(page.locator("article.experiment:not([data-state=idle])")).to_have_count(0)
