"""The lab seen from any other website: a learner keeps browsing while the lab runs.

A Chromium of its own maps ``evil.example`` to a tiny server of this test (never page.route:
Playwright would answer preflights itself) and ``rebind.example`` to 127.0.0.1, as DNS
rebinding would. The learner is logged in to the lab, then visits the evil page, which tries
each attack the lab must refuse. What happened is read from the API's state and from its own
/log, which records nothing that another site sends with its Origin, and keeps what comes
without one apart from the learner's runs. The floods run against a lab of their own, started
with a small log (``LOG_LIMIT``), so that a few seconds of traffic fill it.
"""

import json
import socket
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from labctl.probe import serving
from labctl.servers import Lab, Origins, free_port
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
    # no-cors GETs one after another, over `runs` run ids, until the test sets window.stopFlood:
    # a GET sends no Origin, as from an image, a script or a GET form.
    "/flood": """
        let sent = 0;
        (async () => {
          while (!window.stopFlood) {
            const url = new URL(params.get('target'));
            url.searchParams.set('run', `flood-${sent % Number(params.get('runs'))}`);
            await fetch(url, { mode: 'no-cors', cache: 'no-store' }).catch(() => {});
            result.dataset.sent = String(++sent);
          }
          result.textContent = 'stopped';
        })();
    """,
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
    open_ready(page, f"{lab.trusted_origin}/")
    login(page, lab)
    yield page
    context.close()


def login(page, lab):
    status = page.evaluate(
        "url => fetch(url, { method: 'POST', credentials: 'include' }).then((response) => response.status)",
        f"{lab.api_origin}/credentials/login?samesite=None",
    )
    assert status == 200
    assert whoami(page, lab) is True


def whoami(page, lab):
    """Whether the learner is logged in, asked from the lab's own trusted page."""
    if not page.url.startswith(lab.trusted_origin):
        page.goto(f"{lab.trusted_origin}/")
    return page.evaluate(
        "url => fetch(url, { credentials: 'include' }).then((response) => response.json()).then((body) => body.logged_in)",
        f"{lab.api_origin}/credentials/whoami",
    )


def visit_evil(page, path, **params):
    page.goto(f"{EVIL}{path}?{urlencode(params)}")


def secret(page, lab, lab_key):
    """The learner's fake secret, which names their session, read by the lab's trusted page."""
    if not page.url.startswith(lab.trusted_origin):
        page.goto(f"{lab.trusted_origin}/")
    return page.evaluate(
        "url => fetch(url, { credentials: 'include' }).then((response) => response.json()).then((body) => body.secret)",
        f"{lab.api_origin}/security/secret/exact?lab_key={lab_key}",
    )


def transfers(lab, lab_key, run):
    with urllib.request.urlopen(
        f"{lab.api_origin}/security/transfers?run={run}&lab_key={lab_key}", timeout=10
    ) as response:
        return json.load(response)["transfers"]


def test_a_website_cannot_run_script_on_the_apis_origin(learner, lab, read_log, run_prefix):
    run = f"{run_prefix}-navigate"
    payload = "<script>document.title = 'pwned: ' + document.cookie</script>"
    target = f"{lab.api_origin}/security/jsonp/unvalidated?" + urlencode({"callback": payload, "run": run})
    visit_evil(learner, "/navigate", target=target)
    learner.wait_for_url(f"{lab.api_origin}/**")
    expect(learner.locator("body")).to_contain_text("lab_key_missing")
    assert not learner.title().startswith("pwned")
    # A navigation carries no Origin, so it is logged: refused before any script could run.
    assert [entry["status"] for entry in read_log(run)] == [403]


def test_a_website_cannot_run_script_through_the_apis_one_html_page(learner, lab):
    """/baseline is the only HTML the API answers: a constant, whatever the URL. A website that
    sends the learner there with script in the query and the fragment gets that page, inert."""
    payload = "<script>document.title = 'pwned: ' + document.cookie</script>"
    target = f"{lab.api_origin}/baseline?" + urlencode({"run": "x", "callback": payload, "q": payload}) + "#" + payload
    visit_evil(learner, "/navigate", target=target)
    learner.wait_for_url(f"{lab.api_origin}/baseline?**")
    expect(learner.locator("body")).to_contain_text("The same-origin baseline of the CORS lab's experiments page")
    assert learner.title() == "CORS lab: the same-origin baseline"
    assert "pwned" not in learner.content()


def test_a_website_cannot_forge_a_transfer(learner, lab, lab_key, read_log, run_prefix):
    run = f"{run_prefix}-form"
    visit_evil(learner, "/form", target=f"{lab.api_origin}/security/transfer/none?run={run}")
    learner.wait_for_url(f"{lab.api_origin}/**")
    expect(learner.locator("body")).to_contain_text("lab_key_missing")
    assert read_log(run) == []
    assert transfers(lab, lab_key, run) == []


def test_a_website_cannot_read_the_reflected_secret(learner, lab, read_log, run_prefix):
    run = f"{run_prefix}-read"
    visit_evil(learner, "/read", target=f"{lab.api_origin}/security/secret/reflect?run={run}")
    expect(learner.locator("#result")).to_contain_text("blocked: TypeError")
    assert read_log(run) == []


def test_a_website_cannot_log_the_learner_out(learner, lab, run_prefix):
    visit_evil(learner, "/post-many", target=f"{lab.api_origin}/credentials/logout?run={run_prefix}-logout", times=20)
    expect(learner.locator("#result")).to_have_text("sent")
    assert whoami(learner, lab) is True


def test_a_website_cannot_log_the_learner_into_another_session(learner, lab, lab_key, run_prefix):
    before = secret(learner, lab, lab_key)
    assert before.startswith("FAKE-SECRET-")
    visit_evil(learner, "/form", target=f"{lab.api_origin}/credentials/login?samesite=None&run={run_prefix}-login")
    learner.wait_for_url(f"{lab.api_origin}/**")
    expect(learner.locator("body")).to_contain_text("origin_not_in_lab")
    assert secret(learner, lab, lab_key) == before


def test_a_website_cannot_log_the_learner_out_with_a_form(learner, lab, read_log, run_prefix):
    run = f"{run_prefix}-logout-form"
    visit_evil(learner, "/form", target=f"{lab.api_origin}/credentials/logout?run={run}")
    learner.wait_for_url(f"{lab.api_origin}/**")
    assert read_log(run) == []
    assert whoami(learner, lab) is True


def test_a_website_cannot_drive_the_labs_attacker_page(learner, lab, lab_key, read_log, run_prefix):
    run = f"{run_prefix}-drive"
    target = f"{lab.attacker_origin}/attack?" + urlencode({"scenario": "csrf", "variant": "none", "run": run})
    with learner.context.expect_page() as opened:
        visit_evil(learner, "/open", target=target)
    attack_page = opened.value
    # The attacker page waits for the lab's own security page, which never says go.
    expect(attack_page.locator("#attack-result")).to_contain_text(f"{lab.trusted_origin}/security")
    assert attack_page.locator("body").get_attribute("data-done") is None
    assert read_log(run) == []
    assert transfers(lab, lab_key, run) == []


@pytest.mark.parametrize(("role", "path"), [("api", "/health"), ("api", "/log?run=x"), ("trusted", "/config.json")])
def test_a_rebound_name_is_refused(outside_browser, lab, lab_key, role, path):
    port = urlsplit(getattr(lab, role + "_origin")).port
    page = outside_browser.new_page()
    response = page.goto(f"http://rebind.example:{port}{path}")
    assert response.status == 421
    assert lab_key not in page.content()
    page.close()


def test_a_website_cannot_use_the_sandbox_frame_as_a_page(learner, lab, read_log, run_prefix):
    # Opened top-level, sandbox.html would run on the trusted origin and send what its URL says.
    run = f"{run_prefix}-sandbox"
    target = f"{lab.trusted_origin}/static/sandbox.html#" + urllib.request.quote(
        f"{lab.api_origin}/credentials/whoami?run={run}", safe=""
    )
    with learner.context.expect_page() as opened:
        visit_evil(learner, "/open", target=target)
    opened.value.wait_for_load_state("networkidle")
    assert read_log(run) == []


def test_a_website_cannot_fill_the_wire_log(learner, lab, read_log, run_prefix):
    # The log is bounded: what another site sends would push the learner's runs out of it.
    run = f"{run_prefix}-flood"
    visit_evil(learner, "/post-many", target=f"{lab.api_origin}/simple?run={run}", times=20)
    expect(learner.locator("#result")).to_have_text("sent")
    assert read_log(run) == []


def test_a_websites_credentials_in_a_url_are_a_challenge_not_a_500(learner, lab, read_log, run_prefix):
    """window.open('http://%C3%BC:x@localhost:8001/auth/basic'): the browser sends ü:x in UTF-8."""
    run = f"{run_prefix}-userinfo"
    target = lab.api_origin.replace("http://", "http://%C3%BC:x@") + f"/auth/basic?run={run}"
    visit_evil(learner, "/navigate", target=target)
    learner.wait_for_url(target)
    expect(learner.locator("body")).to_contain_text("not_authenticated")
    # Chromium sends the URL's credentials only once challenged: the second request has them.
    sent = [(entry["status"], "authorization" in entry["request_headers"]) for entry in read_log(run)]
    assert sent == [(401, False), (401, True)]
    # The lab's own credentialed request is not broken by what the browser was made to send.
    learner.goto(f"{lab.trusted_origin}/")
    status = learner.evaluate(
        "url => fetch(url, { credentials: 'include' }).then((response) => response.status)",
        f"{lab.api_origin}/auth/basic?run={run}-own",
    )
    assert status == 401


SMALL_LOG_LIMIT = 20


@pytest.fixture(scope="module")
def small_lab(tmp_path_factory):
    """A lab of this module's own whose wire log keeps LOG_LIMIT entries a part."""
    folder = tmp_path_factory.mktemp("small-lab")
    env = {"LAB_LOG_DB": str(folder / "wire.sqlite3"), "LAB_LOG_LIMIT": str(SMALL_LOG_LIMIT)}
    with open(folder / "servers.log", "w") as output:
        with Lab(Origins.on_ports(free_port(), free_port()), api_workers=1, extra_env=env, output=output) as lab:
            yield lab


def log_answer(origin, run):
    with urllib.request.urlopen(f"{origin}/log?run={run}", timeout=10) as response:
        return json.load(response)


def sent(page):
    return int(page.locator("#result").get_attribute("data-sent") or 0)


def test_a_websites_flood_during_a_jsonp_run_leaves_the_learners_runs_whole(outside_browser, small_lab):
    lab = small_lab.origins
    context = outside_browser.new_context()
    learner = context.new_page()
    open_ready(learner, f"{lab.trusted_origin}/experiments")
    earlier = learner.locator("#exp-safelisted-request-headers")
    earlier.get_by_role("button", name="Run", exact=True).click()
    expect(earlier).to_have_attribute("data-state", "done")
    # Another site's tab floods the API with requests that carry no Origin, over many run ids.
    runs = 2 * SMALL_LOG_LIMIT
    evil = context.new_page()
    visit_evil(evil, "/flood", target=f"{lab.api_origin}/simple", runs=runs)
    evil.wait_for_function(f"Number(document.getElementById('result').dataset.sent) >= {2 * SMALL_LOG_LIMIT}")
    jsonp = learner.locator("#exp-jsonp-only-get")
    jsonp.get_by_role("button", name="Run", exact=True).click()
    expect(jsonp).to_have_attribute("data-state", "done")
    after = sent(evil) + 2 * SMALL_LOG_LIMIT  # the flood goes on after the run, a full log more
    evil.wait_for_function(f"Number(document.getElementById('result').dataset.sent) >= {after}")
    evil.evaluate("window.stopFlood = true")
    expect(evil.locator("#result")).to_have_text("stopped")
    total = sent(evil)

    # Each card's observation (read from /log after its run) matched what the page expected...
    for card in (jsonp, earlier):
        expect(card).to_have_attribute("data-match", "true")
    # ...and /log still holds each run whole, nothing pruned.
    for card, wire in ((jsonp, [("GET", 200), ("GET", 400)]), (earlier, [("GET", 200)] * 4)):
        answer = log_answer(lab.api_origin, card.get_attribute("data-run"))
        assert [(entry["method"], entry["status"]) for entry in answer["entries"]] == wire
        assert answer["pruned"] == 0
    # The flood stayed within its own part, and /log counts every entry it lost.
    flooded = [log_answer(lab.api_origin, f"flood-{number}") for number in range(runs)]
    assert sum(len(answer["entries"]) for answer in flooded) == SMALL_LOG_LIMIT
    assert sum(len(answer["entries"]) + answer["pruned"] for answer in flooded) == total
    context.close()


def test_the_access_log_never_shows_the_lab_key(small_lab):
    lab, key = small_lab.origins, small_lab.key
    for path in (f"/security/key?lab_key={key}", f"/simple?run=access&lab%5Fkey={key}", f"/simple/{key}?x={key}"):
        try:
            urllib.request.urlopen(f"{lab.api_origin}{path}", timeout=10).close()
        except urllib.error.HTTPError as error:
            error.close()
    # Both servers write to the one file; an access line is written before its answer is sent.
    text = open(small_lab.output.name).read()
    assert "/security/key?lab_key=(not recorded)" in text
    assert "/simple?run=access&lab%5Fkey=(not recorded)" in text
    assert key not in text


def test_gunicorns_own_errors_run_nothing(small_lab):
    """A request gunicorn refuses before any app sees it (a header line without a colon)."""
    port = urlsplit(small_lab.origins.api_origin).port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET /simple HTTP/1.1\r\nHost: localhost:{port}\r\n<script>\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.decode("latin-1").partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 400 ")
    headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:])
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'none';")
    assert json.loads(body)["error"] == "bad_request"
