"""The doctor's probe: a blank page of its own, the request sent from it, and what Chromium saw.

What JavaScript sees of a blocked request is only "failed"; the DevTools protocol shows the rest:
each request is announced (``requestWillBeSent``), really sent (``requestWillBeSentExtraInfo``),
answered (``responseReceivedExtraInfo``: status and headers as received), and finished or failed
(``loadingFailed`` with ``corsErrorStatus``: Chromium's own verdict). The preflight is a request
of its own, with method OPTIONS.
"""

import base64
import hashlib
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import time
import weakref
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

from frontend_server import STATIC_DIR as STATIC

BLANK_PAGE = b"<!doctype html><meta charset=utf-8><title>CORS lab doctor: probe page</title>"
# The lab's model, served beside the probe page (under a path no API of yours is asked for) so
# that the page can import it: static/js/model/ and the English message catalogue, nothing else.
MODEL_PREFIX = "/.cors-lab-doctor/"
SERVED = {"js/model/": "text/javascript; charset=utf-8", "i18n/en.json": "application/json; charset=utf-8"}
EVENTS = (
    "requestWillBeSent",
    "requestWillBeSentExtraInfo",
    "responseReceivedExtraInfo",
    "loadingFinished",
    "loadingFailed",
)
# Sends one request as the page's script would; resolves with whether JavaScript could read it.
# ``timeout`` (ms) bounds the whole request, body included; ``thrown``: the script threw before
# sending anything (the browser refused the request itself).
PROBE_SCRIPT = """async ({ url, method, headers, body, credentials, transport, timeout }) => {
  if (transport === 'fetch') {
    const init = { method, headers, credentials: credentials ? 'include' : 'same-origin' };
    if (body !== null) init.body = body;
    init.signal = AbortSignal.timeout(timeout);
    let request;
    try {
      request = new Request(url, init);
    } catch (error) {
      return { readable: false, thrown: String(error) };
    }
    try {
      const response = await fetch(request);
      await response.text();
      return { readable: true, status: response.status };
    } catch (error) {
      return { readable: false, error: String(error), timedOut: error.name === 'TimeoutError' };
    }
  }
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    try {
      xhr.open(method, url);
      xhr.withCredentials = credentials;
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    } catch (error) {
      resolve({ readable: false, thrown: String(error) });
      return;
    }
    xhr.timeout = timeout;
    xhr.onload = () => resolve({ readable: true, status: xhr.status });
    xhr.onerror = () => resolve({ readable: false, error: 'XMLHttpRequest error event' });
    xhr.ontimeout = () => resolve({ readable: false, error: 'XMLHttpRequest timeout', timedOut: true });
    xhr.send(body);
  });
}"""


def model_file(path):
    """(content type, bytes) of a file of the model that ``path`` names, or None."""
    name = path.split("?", 1)[0].removeprefix(MODEL_PREFIX)
    if not path.startswith(MODEL_PREFIX) or ".." in name or "/." in name:
        return None
    kind = next((kind for prefix, kind in SERVED.items() if name.startswith(prefix)), None)
    file = STATIC / name
    if kind is None or not file.is_file() or (name.startswith("js/") and file.suffix != ".js"):
        return None
    return kind, file.read_bytes()


class ProbePage(BaseHTTPRequestHandler):
    def do_GET(self):
        found = model_file(self.path)
        if found is None and self.path.startswith(MODEL_PREFIX):
            self.send_error(404)
            return
        kind, body = found or ("text/html; charset=utf-8", BLANK_PAGE)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serving(handler, certificate=None):
    """A small HTTP server (``handler``: a request handler class) on a free port of 127.0.0.1,
    in a thread; yields its port and always stops it. ``certificate``: (certificate file, key
    file) to serve HTTPS instead."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if certificate:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class CertificateError(Exception):
    """No self-signed certificate could be made for an https probe page."""


# A doctor's own folder for its probe page's certificate: the name carries its process id, so a
# later doctor can tell the folder of a killed run (its process is gone) from a running one's.
FOLDER_PREFIX = "cors-lab-doctor-"
FOLDER_NAME = re.compile(re.escape(FOLDER_PREFIX) + r"(\d+)-")
# The folders this process made and has not removed yet: removed on a stop signal too (doctor.py).
FOLDERS = set()


def process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def remove_leftovers(folder=None):
    """Removes the certificate folders of doctors that are no longer running (killed by SIGKILL,
    which no process can clean up after); never a running doctor's."""
    folder = Path(folder or tempfile.gettempdir())
    for path in folder.glob(f"{FOLDER_PREFIX}*"):
        found = FOLDER_NAME.match(path.name)
        if found and path.is_dir() and not process_exists(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def self_signed_certificate(host):
    """A throwaway self-signed certificate for ``host``, made with the openssl command: yields
    (certificate file, key file, the base64 SHA-256 of its public key), deleted afterwards. The
    browser is told to accept that key alone (--ignore-certificate-errors-spki-list): any other bad
    certificate, the user's own API's included, is still refused."""
    remove_leftovers()
    folder = tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
    FOLDERS.add(folder)
    try:
        certificate, key = Path(folder, "probe.crt"), Path(folder, "probe.key")
        command = [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-days", "1", "-subj", f"/CN={host}", "-keyout", str(key), "-out", str(certificate)),
        ]
        public_key = ["openssl", "pkey", "-in", str(key), "-pubout", "-outform", "DER"]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=30)
            der = subprocess.run(public_key, check=True, capture_output=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError) as error:
            raise CertificateError(
                f"an https probe page needs the openssl command to make its certificate ({error})"
            ) from None
        yield str(certificate), str(key), base64.b64encode(hashlib.sha256(der).digest()).decode()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        FOLDERS.discard(folder)


@contextmanager
def serve_probe_page(https=False, host="localhost"):
    """Serves the blank probe page (over HTTPS with a self-signed certificate for ``host``); yields
    (the port, the certificate's public key hash for --ignore-certificate-errors-spki-list or None)."""
    if not https:
        with serving(ProbePage) as port:
            yield port, None
        return
    with self_signed_certificate(host) as (certificate, key, spki):
        with serving(ProbePage, (certificate, key)) as port:
            yield port, spki


NOT_SENT = {"sent": False, "status": None, "headers": {}}


def exchange(events, request_id, index=0):
    """What was sent and received under ``request_id``: its ``index``-th hop (a redirect keeps the id)."""
    sent = [p for name, p in events if name == "requestWillBeSentExtraInfo" and p["requestId"] == request_id]
    answers = [p for name, p in events if name == "responseReceivedExtraInfo" and p["requestId"] == request_id]
    answer = answers[index] if index < len(answers) else None
    result = {
        "sent": index < len(sent),
        "status": answer["statusCode"] if answer else None,
        "headers": dict(answer["headers"]) if answer else {},
    }
    if index < len(sent):  # the cookies Chromium weighed for this request, and why it held any back
        weighed = sent[index].get("associatedCookies", [])
        result["cookies"] = [
            {"name": each["cookie"]["name"], "blocked": list(each.get("blockedReasons", []))} for each in weighed
        ]
    return result


def actual_request_id(events, url):
    """The id of the request to ``url`` itself (not its preflight), or None if none was announced."""
    announced = (p for name, p in events if name == "requestWillBeSent" and p["request"]["url"] == url)
    return next((p["requestId"] for p in announced if p["request"]["method"] != "OPTIONS"), None)


def hops(events, url):
    """Each URL the request to ``url`` went to (redirects followed), in order, with its preflight
    (an OPTIONS request of its own) and its answer: [{url, preflight, actual}]. A request that was
    never sent has one hop, ``url``, with at most a preflight."""
    announced = [p for name, p in events if name == "requestWillBeSent"]
    actual_id = actual_request_id(events, url)
    chain = [p["request"] for p in announced if p["requestId"] == actual_id] if actual_id else [{"url": url}]
    urls = [request["url"] for request in chain]
    preflights = [p for p in announced if p["request"]["method"] == "OPTIONS" and p["requestId"] != actual_id]
    result = []
    for index, hop_url in enumerate(urls):
        preflight = next((p for p in preflights if p["request"]["url"] == hop_url), None)
        if preflight:
            preflights.remove(preflight)
        result.append(
            {
                "url": hop_url,
                "method": chain[index].get("method"),
                "preflight": exchange(events, preflight["requestId"]) if preflight else NOT_SENT,
                "actual": exchange(events, actual_id, index) if actual_id else NOT_SENT,
            }
        )
    return result


class Progress:
    """What the doctor is waiting for, in words: its deadline's one-line report names it. Either
    words, or a function that says them from the events so far, called only when asked."""

    def __init__(self):
        self.waiting_for("Chromium to start")

    def waiting_for(self, what):
        self.say = what if callable(what) else lambda: what

    def now(self):
        return self.say()


PROGRESS = Progress()


def unfinished(chain):
    """What had not arrived when the request ran out of time, in words."""
    hop = chain[-1]
    if hop["preflight"]["sent"] and hop["preflight"]["status"] is None:
        return f"the answer to the preflight (OPTIONS {hop['url']})"
    if hop["actual"]["sent"] and hop["actual"]["status"] is None:
        return f"the status and headers of the answer from {hop['url']}"
    if hop["actual"]["sent"]:
        return f"the end of the answer's body from {hop['url']}"
    return f"the request to {hop['url']} to be sent"


def observe(page, url, send, settle_seconds=5):
    """Runs ``send()`` (which sends the request to ``url`` from ``page``) and returns what the
    browser saw: every hop's exchanges, the console's CORS lines, Chromium's verdict, reachability,
    and whether the script ran out of time (``timed_out``: what was still awaited) or threw before
    anything was sent (``thrown``)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    events, console = [], []

    PROGRESS.waiting_for(lambda: unfinished(hops(events, url)))
    for name in EVENTS:
        cdp.on(f"Network.{name}", lambda params, name=name: events.append((name, params)))
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    outcome = send()
    actual_id = actual_request_id(events, url)
    # The protocol's events may arrive after the script's promise settles.
    deadline = time.monotonic() + settle_seconds
    while time.monotonic() < deadline and not any(
        name in ("loadingFinished", "loadingFailed") and params["requestId"] == actual_id for name, params in events
    ):
        page.wait_for_timeout(50)
    failure = next((p for name, p in events if name == "loadingFailed" and p["requestId"] == actual_id), None)
    cors = (failure or {}).get("corsErrorStatus")
    chain = hops(events, url)
    if chain[-1]["actual"]["sent"]:
        chain[-1]["actual"]["body"] = response_body(cdp, actual_id)
    return {
        "preflight": chain[0]["preflight"],
        "actual": chain[0]["actual"],
        "hops": chain,
        "readable": bool(outcome.get("readable")),
        "console": [line for line in console if "CORS policy" in line],
        "cors_error": (cors["corsError"], cors.get("failedParameter", "")) if cors else None,
        "unreachable": failure["errorText"] if failure and not cors else None,
        # Chromium refused to send it at all (mixed content, a blocked port, ...): not the server's doing.
        "refused": (failure or {}).get("blockedReason"),
        "timed_out": unfinished(chain) if outcome.get("timedOut") else None,
        "thrown": outcome.get("thrown") if not any(name == "requestWillBeSent" for name, _ in events) else None,
    }


BODY_LIMIT = 2000  # characters of a body kept; the report shows fewer (labctl/doctor.py)


def response_body(cdp, request_id):
    """The start of the body Chromium received under ``request_id``, as text, or None: Chromium keeps
    the body of a finished answer only, never a preflight's or a blocked answer's."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        got = cdp.send("Network.getResponseBody", {"requestId": request_id})
    except PlaywrightError:
        return None
    body = base64.b64decode(got["body"]).decode("utf-8", "replace") if got["base64Encoded"] else got["body"]
    return body[:BODY_LIMIT]


# Applies the lab's model (static/js/model/explain-observed.js) to what the browser received, in a probe page
# (which loads the model once).
MODEL_SCRIPT = """async ({ observed, contract }) => {
  window.corsLabModel ??= Promise.all([
    import('/.cors-lab-doctor/js/model/explain-observed.js'),
    fetch('/.cors-lab-doctor/i18n/en.json').then((response) => response.json()),
  ]);
  const [{ explainObserved }, messages] = await window.corsLabModel;
  const translate = (key, params = {}) =>
    (messages[key] ?? key).replace(/\\{(\\w+)\\}/g, (match, name) => (name in params ? String(params[name]) : match));
  return explainObserved(observed, contract, translate);
}"""
# One page per browser that runs the model, on the probe origin, kept while the browser lives.
MODEL_PAGES = weakref.WeakKeyDictionary()


def apply_model(browser, origin, observed):
    """The model's verdict on ``observed`` (see explain-observed.js), evaluated in a probe page of
    ``browser`` on ``origin`` (one that ``browser`` maps to the probe server)."""
    from lab_contract import published_contract

    page = MODEL_PAGES.get(browser)
    if page is None or page.is_closed():
        page = browser.new_context().new_page()
        page.goto(f"{origin}/")
        MODEL_PAGES[browser] = page
    return page.evaluate(MODEL_SCRIPT, {"observed": observed, "contract": published_contract()})
