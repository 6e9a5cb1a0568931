import re

import pytest

from frontend_server import STATIC_DIR as STATIC
from frontend_server.pages import PAGES
from lab_contract import ORIGIN_DEFAULTS, published_contract, run_tag
from tests.frontend.conftest import LAB_KEY, pages_app


def test_config_names_every_origin(client):
    response = client.get("/config.json")
    assert response.get_json() == {
        "trusted_origin": "http://localhost:8000",
        "untrusted_origin": "http://127.0.0.1:8000",
        "api_origin": "http://localhost:8001",
        "api_alias_origin": "http://127.0.0.1:8001",
        "attacker_origin": "http://localhost:8002",
        "suffix_lookalike_origin": "http://attacker.localhost:8000",
        "prefix_lookalike_origin": "http://localhost.attacker.localhost:8000",
        "security_query": {"lab_key": LAB_KEY},
        "run_tag": run_tag(LAB_KEY),
        "contract": published_contract(),
    }
    # Same-origin only: another origin's page cannot read the lab key.
    assert "Access-Control-Allow-Origin" not in response.headers


def test_origins_come_from_environment_then_from_the_dict(monkeypatch):
    monkeypatch.setenv("LAB_API_ORIGIN", "http://localhost:9001")
    assert pages_app().test_client().get("/config.json").get_json()["api_origin"] == "http://localhost:9001"
    overridden = pages_app(LAB_ORIGINS=ORIGIN_DEFAULTS | {"api_origin": "http://localhost:7001"})
    assert overridden.test_client().get("/config.json").get_json()["api_origin"] == "http://localhost:7001"


JSONP = "http://localhost:8001/jsonp http://127.0.0.1:8001/jsonp"
ATTACK_SCRIPTS = " ".join(
    f"{api}{path}"
    for api in ("http://localhost:8001", "http://127.0.0.1:8001")
    for path in ("/jsonp", "/security/jsonp/leaky", "/security/jsonp/unvalidated")
)


@pytest.mark.parametrize(
    ("path", "script_src"),
    [
        pytest.param("/", "script-src 'self'", id="index"),
        pytest.param("/playground", "script-src 'self'", id="playground"),
        pytest.param("/security", "script-src 'self'", id="security"),
        pytest.param("/experiments", f"script-src 'self' {JSONP}", id="experiments"),
        pytest.param("/frame", f"script-src 'self' {JSONP}", id="frame"),
        pytest.param("/attack", f"script-src 'self' {ATTACK_SCRIPTS}", id="attack"),
        pytest.param("/config.json", "script-src 'self'", id="config"),
        pytest.param("/static/js/pages/index.js", "script-src 'self'", id="module"),
        pytest.param("/static/sandbox.html", "script-src 'self'", id="sandbox"),
    ],
)
def test_every_response_carries_a_strict_csp_and_nosniff(client, path, script_src):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    # No inline script; the API may serve scripts only at the exact paths the page loads.
    assert next(part for part in policy.split("; ") if part.startswith("script-src")) == script_src
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # The API is framed nowhere but the experiments' same-origin baseline, at that exact path (by the
    # experiments page, or by its runner frame on the other page origin).
    framing = policy.split("frame-src")[1]
    if path in ("/experiments", "/frame"):
        framing = framing.replace(" http://localhost:8001/baseline", "").replace(" http://127.0.0.1:8001/baseline", "")
    assert "frame-src 'self' http://localhost:8000 " in policy and ":8001" not in framing
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["rebind.example:8000", "localhost:8001", "evil.localhost:8000", ""])
def test_foreign_hosts_are_refused(client, host):
    response = client.get("/config.json", headers={"Host": host})
    assert response.status_code == 421
    assert b"lab_key" not in response.data and b"test-lab-key" not in response.data


@pytest.mark.parametrize(
    "host",
    [
        "localhost:8000",
        "127.0.0.1:8000",
        "localhost:8002",
        "attacker.localhost:8000",
        "localhost.attacker.localhost:8000",
    ],
)
def test_every_lab_page_origin_is_served(client, host):
    assert client.get("/config.json", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_inline_script_and_an_icon(client, path):
    page = client.get(path).get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    assert scripts and all(body.strip() == "" for body in scripts)
    assert not re.search(r"\son[a-z]+=", page), "no inline event handlers"
    assert 'rel="icon"' in page


MODULES = sorted(path.relative_to(STATIC / "js").as_posix() for path in (STATIC / "js").rglob("*.js"))


@pytest.mark.parametrize("module", MODULES)
def test_modules_are_served_as_javascript(client, module):
    response = client.get(f"/static/js/{module}")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"


def test_favicon_exists_so_browsers_log_no_404(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
