"""The lab seen from any other website: a learner keeps browsing while the lab runs.

A Chromium of its own maps ``evil.example`` to a tiny server of this test (never page.route:
Playwright would answer preflights itself) and ``rebind.example`` to 127.0.0.1, as DNS
rebinding would. The learner is logged in to the lab, then visits the evil page, which tries
each attack the lab must refuse. What happened is read from the API's state and from its own
/log, which records nothing that another site sends (so no site can flush the learner's runs).
"""

import json
import urllib.request
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from labctl.probe import serving
from tests.pages import open_ready

EVIL = "http://evil.example"

# The evil pages: each does one thing as soon as it loads, and says what it saw in #result.
EVIL_PAGES = {
    "/navigate": "location.href = params.get('target');",
    "/form": """
        const form = document.createElement('form');
        form.method = 'POST';
        form.enctype = 'text/plain';
        form.action = params.get('target');
        const field = document.createElement('input');
        field.name = 'amount';
        field.value = '1000';
        form.append(field);
        document.body.append(form);
        form.submit();
    """,
    "/read": """
        fetch(params.get('target'), { credentials: 'include' })
          .then((response) => response.text())
          .then((text) => { result.textContent = 'read: ' + text; }, (error) => { result.textContent = 'blocked: ' + error; });
    """,
    "/post-many": """
        const sends = [];
        for (let i = 0; i < Number(params.get('times')); i++) {
          sends.push(fetch(params.get('target'), { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' }));
        }
        Promise.allSettled(sends).then(() => { result.textContent = 'sent'; });
    """,
    "/open": "window.open(params.get('target'), 'lab'); result.textContent = 'opened';",
}


def evil_page(script):
    return (
        "<!doctype html><title>evil</title><p id=result>…</p><script>"
        "const params = new URLSearchParams(location.search); const result = document.getElementById('result');"
        f"{script}</script>"
    ).encode()


class EvilHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        script = EVIL_PAGES.get(urlsplit(self.path).path)
        body = evil_page(script) if script else b"not here"
        self.send_response(200 if script else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def evil_server():
    with serving(EvilHandler) as port:
        yield port


@pytest.fixture(scope="module")
def outside_browser(playwright, browser_type_launch_args, evil_server):
    """A Chromium where evil.example is the test's server and rebind.example is 127.0.0.1."""
    rules = f"MAP evil.example 127.0.0.1:{evil_server}, MAP rebind.example 127.0.0.1"
    browser = playwright.chromium.launch(**browser_type_launch_args, args=[f"--host-resolver-rules={rules}"])
    yield browser
    browser.close()


@pytest.fixture
def learner(outside_browser, lab):
    """A page of a learner who logged in to the lab (SameSite=None, the most exposed cookie)."""
    context = outside_browser.new_context()
    page = context.new_page()
    open_ready(page, f"{lab.trusted}/")
    login(page, lab)
    yield page
    context.close()


def login(page, lab):
    status = page.evaluate(
        "url => fetch(url, { method: 'POST', credentials: 'include' }).then((response) => response.status)",
        f"{lab.api}/credentials/login?samesite=None",
    )
    assert status == 200
    assert whoami(page, lab) is True


def whoami(page, lab):
    """Whether the learner is logged in, asked from the lab's own trusted page."""
    if not page.url.startswith(lab.trusted):
        page.goto(f"{lab.trusted}/")
    return page.evaluate(
        "url => fetch(url, { credentials: 'include' }).then((response) => response.json()).then((body) => body.logged_in)",
        f"{lab.api}/credentials/whoami",
    )


def visit_evil(page, path, **params):
    page.goto(f"{EVIL}{path}?{urlencode(params)}")


def secret(page, lab, lab_key):
    """The learner's fake secret, which names their session, read by the lab's trusted page."""
    if not page.url.startswith(lab.trusted):
        page.goto(f"{lab.trusted}/")
    return page.evaluate(
        "url => fetch(url, { credentials: 'include' }).then((response) => response.json()).then((body) => body.secret)",
        f"{lab.api}/security/secret/exact?lab_key={lab_key}",
    )


def transfers(lab, lab_key, run):
    with urllib.request.urlopen(f"{lab.api}/security/transfers?run={run}&lab_key={lab_key}", timeout=10) as response:
        return json.load(response)["transfers"]


def test_a_website_cannot_run_script_on_the_apis_origin(learner, lab, read_log, run_prefix):
    run = f"{run_prefix}-navigate"
    payload = "<script>document.title = 'pwned: ' + document.cookie</script>"
    target = f"{lab.api}/security/jsonp/unvalidated?" + urlencode({"callback": payload, "run": run})
    visit_evil(learner, "/navigate", target=target)
    learner.wait_for_url(f"{lab.api}/**")
    expect(learner.locator("body")).to_contain_text("lab_key_missing")
    assert not learner.title().startswith("pwned")
    # A navigation carries no Origin, so it is logged: refused before any script could run.
    assert [entry["status"] for entry in read_log(run)] == [403]


def test_a_website_cannot_run_script_through_the_apis_one_html_page(learner, lab):
    """/baseline is the only HTML the API answers: a constant, whatever the URL. A website that
    sends the learner there with script in the query and the fragment gets that page, inert."""
    payload = "<script>document.title = 'pwned: ' + document.cookie</script>"
    target = f"{lab.api}/baseline?" + urlencode({"run": "x", "callback": payload, "q": payload}) + "#" + payload
    visit_evil(learner, "/navigate", target=target)
    learner.wait_for_url(f"{lab.api}/baseline?**")
    expect(learner.locator("body")).to_contain_text("The same-origin baseline of the CORS lab's experiments page")
    assert learner.title() == "CORS lab: the same-origin baseline"
    assert "pwned" not in learner.content()


def test_a_website_cannot_forge_a_transfer(learner, lab, lab_key, read_log, run_prefix):
    run = f"{run_prefix}-form"
    visit_evil(learner, "/form", target=f"{lab.api}/security/transfer/none?run={run}")
    learner.wait_for_url(f"{lab.api}/**")
    expect(learner.locator("body")).to_contain_text("lab_key_missing")
    assert read_log(run) == []
    assert transfers(lab, lab_key, run) == []


def test_a_website_cannot_read_the_reflected_secret(learner, lab, read_log, run_prefix):
    run = f"{run_prefix}-read"
    visit_evil(learner, "/read", target=f"{lab.api}/security/secret/reflect?run={run}")
    expect(learner.locator("#result")).to_contain_text("blocked: TypeError")
    assert read_log(run) == []


def test_a_website_cannot_log_the_learner_out(learner, lab, run_prefix):
    visit_evil(learner, "/post-many", target=f"{lab.api}/credentials/logout?run={run_prefix}-logout", times=20)
    expect(learner.locator("#result")).to_have_text("sent")
    assert whoami(learner, lab) is True


def test_a_website_cannot_log_the_learner_into_another_session(learner, lab, lab_key, run_prefix):
    before = secret(learner, lab, lab_key)
    assert before.startswith("FAKE-SECRET-")
    visit_evil(learner, "/form", target=f"{lab.api}/credentials/login?samesite=None&run={run_prefix}-login")
    learner.wait_for_url(f"{lab.api}/**")
    expect(learner.locator("body")).to_contain_text("origin_not_in_lab")
    assert secret(learner, lab, lab_key) == before


def test_a_website_cannot_log_the_learner_out_with_a_form(learner, lab, read_log, run_prefix):
    run = f"{run_prefix}-logout-form"
    visit_evil(learner, "/form", target=f"{lab.api}/credentials/logout?run={run}")
    learner.wait_for_url(f"{lab.api}/**")
    assert read_log(run) == []
    assert whoami(learner, lab) is True


def test_a_website_cannot_drive_the_labs_attacker_page(learner, lab, lab_key, read_log, run_prefix):
    run = f"{run_prefix}-drive"
    target = f"{lab.attacker}/attack?" + urlencode({"scenario": "csrf", "variant": "none", "run": run})
    with learner.context.expect_page() as opened:
        visit_evil(learner, "/open", target=target)
    attack_page = opened.value
    # The attacker page waits for the lab's own security page, which never says go.
    expect(attack_page.locator("#attack-result")).to_contain_text(f"{lab.trusted}/security")
    assert attack_page.locator("body").get_attribute("data-done") is None
    assert read_log(run) == []
    assert transfers(lab, lab_key, run) == []


@pytest.mark.parametrize(("role", "path"), [("api", "/health"), ("api", "/log?run=x"), ("trusted", "/config.json")])
def test_a_rebound_name_is_refused(outside_browser, lab, lab_key, role, path):
    port = urlsplit(getattr(lab, role)).port
    page = outside_browser.new_page()
    response = page.goto(f"http://rebind.example:{port}{path}")
    assert response.status == 421
    assert lab_key not in page.content()
    page.close()


def test_a_website_cannot_use_the_sandbox_frame_as_a_page(learner, lab, read_log, run_prefix):
    # Opened top-level, sandbox.html would run on the trusted origin and send what its URL says.
    run = f"{run_prefix}-sandbox"
    target = f"{lab.trusted}/static/sandbox.html#" + urllib.request.quote(
        f"{lab.api}/credentials/whoami?run={run}", safe=""
    )
    with learner.context.expect_page() as opened:
        visit_evil(learner, "/open", target=target)
    opened.value.wait_for_load_state("networkidle")
    assert read_log(run) == []


def test_a_website_cannot_fill_the_wire_log(learner, lab, read_log, run_prefix):
    # The log is bounded: what another site sends would push the learner's runs out of it.
    run = f"{run_prefix}-flood"
    visit_evil(learner, "/post-many", target=f"{lab.api}/simple?run={run}", times=20)
    expect(learner.locator("#result")).to_have_text("sent")
    assert read_log(run) == []
