"""The server code the playground shows, run for real (``make test-packages``). For a sample of
playground configurations, the code the page writes (flask-cors configuration, or raw headers where
flask-cors cannot express the policy) runs under Flask on a free loopback port, and Chromium's
verdict on it (the doctor's, from a probe page) must be the verdict of the policy it claims: that
of the lab's own /lab with the same policy, in the same browser."""

import json
import sys
import textwrap
from urllib.parse import urlencode

import pytest

from lab_contract import published_contract
from labctl.doctor import diagnose, parse, probe_browser
from labctl.servers import Lab, Origins, free_port
from tests.packages.servers import start_process, stop

ORIGIN = "http://localhost:3000"  # the page's origin: the doctor's probe page
JSON_PUT = ["--method", "PUT", "--header", "Content-Type: application/json", "--body", "{}"]

# (id, the request as the doctor's options, the /lab policy, the code the page should write)
CASES = [
    pytest.param(JSON_PUT + ["--header", "X-Token: t"], {"acao": "echo", "acam": "PUT"}, "flask-cors", id="refused-headers-not-let-through"),
    pytest.param(JSON_PUT, {"acao": "echo", "acam": "PUT", "acah": "Content-Type"}, "flask-cors", id="json-put-allowed"),
    pytest.param(["--header", "X-Token: t"], {"acao": "echo", "acah": "X-Token"}, "flask-cors", id="get-with-a-header-no-allow-methods"),
    pytest.param(["--header", "X-Token: t"], {"acao": "echo", "acam": "PUT", "acah": "X-Token"}, "flask-cors", id="get-with-a-header-methods-listed"),
    pytest.param(["--method", "DELETE"], {"acao": "echo", "acam": "PUT"}, "flask-cors", id="method-not-listed"),
    pytest.param([], {"acao": "*"}, "flask-cors", id="star"),
    pytest.param(["--credentials"], {"acao": "echo", "acac": "true"}, "flask-cors", id="credentials"),
    pytest.param(["--credentials"], {"acao": "echo"}, "flask-cors", id="credentials-without-allow-credentials"),
    pytest.param([], {}, "flask-cors", id="no-cors-at-all"),
    pytest.param(["--header", "Authorization: Bearer x"], {"acao": "echo", "acah": "*"}, "raw-headers", id="star-in-allow-headers"),
    pytest.param(["--method", "patch"], {"acao": "echo", "acam": "patch"}, "raw-headers", id="lowercase-patch"),
    pytest.param(["--method", "PUT"], {"acao": "none", "pf_acao": "echo", "pf_acam": "PUT"}, "raw-headers", id="preflight-apart"),
    pytest.param([], {"acao": ["*", "*"]}, "raw-headers", id="allow-origin-twice"),
]  # fmt: skip

GENERATE = """async ({ policy, origin, method, contract }) => {
  (await import('/.cors-lab-doctor/js/model/cors-model.js')).configure(contract);
  const { serverCode } = await import('/.cors-lab-doctor/js/model/server-code.js');
  return serverCode(policy, origin, method);
}"""
# Serves the generated module's `app` (Werkzeug, threaded) on the port given.
SERVE = "import sys; from werkzeug.serving import run_simple; from app import app; run_simple('127.0.0.1', int(sys.argv[1]), app, threaded=True)"


@pytest.fixture(scope="module")
def doctor_browser(playwright):
    with probe_browser(ORIGIN, playwright) as browser:
        yield browser


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab")
    with Lab(Origins.on_ports(free_port(), free_port()), extra_env={"LAB_LOG_DB": str(folder / "wire.sqlite3")}) as lab:
        yield lab.origins


def method_of(options):
    return options[options.index("--method") + 1] if "--method" in options else "GET"


def lab_query(policy):
    return urlencode(
        [
            (name, value)
            for name, values in policy.items()
            for value in ([values] if isinstance(values, str) else values)
        ]
    )


@pytest.mark.parametrize(("options", "policy", "kind"), CASES)
def test_the_server_code_shown_gives_the_verdict_of_the_policy_it_claims(
    doctor_browser, lab, tmp_path, options, policy, kind
):
    page = doctor_browser.new_page()
    try:
        page.goto(f"{ORIGIN}/")
        arguments = {"policy": policy, "origin": ORIGIN, "method": method_of(options), "contract": published_contract()}
        shown = page.evaluate(GENERATE, arguments)
    finally:
        page.close()
    assert shown["kind"] == kind, shown
    (tmp_path / "app.py").write_text(textwrap.dedent(shown["code"]))
    port = free_port()
    processes = [start_process([sys.executable, "-c", SERVE, str(port)], tmp_path, {"PATH": "/usr/bin:/bin"}, port)]
    try:
        shown_verdict = diagnose(parse([f"http://127.0.0.1:{port}/lab", "--origin", ORIGIN, *options]), doctor_browser)
    finally:
        stop(processes)
    claimed = diagnose(
        parse([f"{lab.api_origin}/lab?{lab_query(policy)}", "--origin", ORIGIN, *options]), doctor_browser
    )
    said = json.dumps([shown["code"], shown_verdict["console"], claimed["console"]], indent=1)
    assert shown_verdict["readable"] is claimed["readable"], said
    assert shown_verdict.get("kind") == claimed.get("kind"), said
