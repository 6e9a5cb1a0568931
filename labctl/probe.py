"""The doctor's probe: a blank page of its own, the request sent from it, and what Chromium saw.

What JavaScript sees of a blocked request is only "failed"; the DevTools protocol shows the rest:
each request is announced (``requestWillBeSent``), really sent (``requestWillBeSentExtraInfo``),
answered (``responseReceivedExtraInfo``: status and headers as received), and finished or failed
(``loadingFailed`` with ``corsErrorStatus``: Chromium's own verdict). The preflight is a request
of its own, with method OPTIONS.
"""

import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

BLANK_PAGE = b"<!doctype html><meta charset=utf-8><title>CORS lab doctor: probe page</title>"
EVENTS = (
    "requestWillBeSent",
    "requestWillBeSentExtraInfo",
    "responseReceivedExtraInfo",
    "loadingFinished",
    "loadingFailed",
)
# Sends one request as the page's script would; resolves with whether JavaScript could read it.
PROBE_SCRIPT = """async ({ url, method, headers, body, credentials, transport }) => {
  if (transport === 'fetch') {
    const init = { method, headers, credentials: credentials ? 'include' : 'same-origin' };
    if (body !== null) init.body = body;
    try {
      const response = await fetch(url, init);
      await response.text();
      return { readable: true, status: response.status };
    } catch (error) {
      return { readable: false, error: String(error) };
    }
  }
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = credentials;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.onload = () => resolve({ readable: true, status: xhr.status });
    xhr.onerror = () => resolve({ readable: false, error: 'XMLHttpRequest error event' });
    xhr.send(body);
  });
}"""


class ProbePage(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(BLANK_PAGE)))
        self.end_headers()
        self.wfile.write(BLANK_PAGE)

    def log_message(self, *args):
        pass


@contextmanager
def serving(handler):
    """A small HTTP server (``handler``: a request handler class) on a free port of 127.0.0.1,
    in a thread; yields its port and always stops it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def serve_probe_page():
    """Serves the blank probe page; yields the port."""
    return serving(ProbePage)


def exchange(events, request_id):
    """What was sent and received under ``request_id``."""
    sent = any(name == "requestWillBeSentExtraInfo" and params["requestId"] == request_id for name, params in events)
    answers = [p for name, p in events if name == "responseReceivedExtraInfo" and p["requestId"] == request_id]
    final = answers[-1] if answers else None
    return {
        "sent": sent,
        "status": final["statusCode"] if final else None,
        "headers": dict(final["headers"]) if final else {},
    }


def observe(page, url, send, settle_seconds=5):
    """Runs ``send()`` (which sends the request to ``url`` from ``page``) and returns what the
    browser saw: both exchanges, the console's CORS lines, Chromium's verdict, reachability."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    events, console = [], []
    for name in EVENTS:
        cdp.on(f"Network.{name}", lambda params, name=name: events.append((name, params)))
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    outcome = send()
    announced = [p for name, p in events if name == "requestWillBeSent" and p["request"]["url"] == url]
    actual_id = next((p["requestId"] for p in announced if p["request"]["method"] != "OPTIONS"), None)
    preflight_id = next((p["requestId"] for p in announced if p["request"]["method"] == "OPTIONS"), None)
    # The protocol's events may arrive after the script's promise settles.
    deadline = time.monotonic() + settle_seconds
    while time.monotonic() < deadline and not any(
        name in ("loadingFinished", "loadingFailed") and params["requestId"] == actual_id for name, params in events
    ):
        page.wait_for_timeout(50)
    failure = next((p for name, p in events if name == "loadingFailed" and p["requestId"] == actual_id), None)
    cors = (failure or {}).get("corsErrorStatus")
    return {
        "preflight": exchange(events, preflight_id) if preflight_id else {"sent": False, "status": None, "headers": {}},
        "actual": exchange(events, actual_id),
        "readable": bool(outcome.get("readable")),
        "console": [line for line in console if "CORS policy" in line],
        "cors_error": (cors["corsError"], cors.get("failedParameter", "")) if cors else None,
        "unreachable": failure["errorText"] if failure and not cors else None,
    }
