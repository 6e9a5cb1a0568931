"""The pages' JavaScript in Chromium without the lab's servers: static/ is served by a tiny
http.server of the test on a free port, so that modules import each other as in the pages, and
each test imports what it needs into one blank page of that origin. The lab contract is passed
in as /config.json would publish it."""

import functools
import json
from http.server import SimpleHTTPRequestHandler

import pytest

from frontend_server import STATIC_DIR
from lab_contract import published_contract
from labctl.probe import serving
from tests.conftest import TRUSTED

ENGLISH = json.loads((STATIC_DIR / "i18n" / "en.json").read_text())
BLANK_PAGE = b"<!doctype html><html><head><title>JavaScript unit tests</title></head><body></body></html>"


class StaticFiles(SimpleHTTPRequestHandler):
    """static/ as the pages' server serves it under /static, at the root; / is a blank page."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def do_GET(self):
        if self.path != "/":
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(BLANK_PAGE)))
        self.end_headers()
        self.wfile.write(BLANK_PAGE)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def static_server():
    """The port of a server of static/ on 127.0.0.1 (a free one, chosen by the system)."""
    with serving(functools.partial(StaticFiles, directory=str(STATIC_DIR))) as port:
        yield port


@pytest.fixture(scope="session")
def contract():
    return published_contract()


@pytest.fixture(scope="module")
def js(browser, static_server, contract):
    """A blank page on the static server, with the English catalogue as window.translate (the
    pages' t()), the contract as window.contract, and the CORS model configured with it."""
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{static_server}/")
    page.evaluate(
        """async ([messages, contract]) => {
            window.translate = (key, params = {}) =>
              messages[key].replace(/\\{(\\w+)\\}/g, (match, name) => (name in params ? String(params[name]) : match));
            window.contract = contract;
            (await import('/js/model/cors-model.js')).configure(contract);
        }""",
        [ENGLISH, contract],
    )
    yield page
    page.close()


def predict(model, method="GET", headers=None, credentials=False, target=None, **policy):
    """cors-model.js's prediction for a request from the trusted page (to ``target``, when the
    prediction follows redirects) under the /lab ``policy``."""
    request = {"pageOrigin": TRUSTED, "method": method, "headers": headers or {}, "credentials": credentials}
    if target:
        request["target"] = target
    return model.evaluate(
        """async ([request, policy]) => {
            const { predict } = await import('/js/model/cors-model.js');
            return predict(request, policy, window.translate);
        }""",
        [request, policy],
    )


def outcome(prediction):
    return (prediction["preflight"], prediction["sent"], prediction["allowed"])
