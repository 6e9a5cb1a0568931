import re

import pytest

from frontend_server import create_app
from frontend_server import STATIC_DIR as STATIC
from frontend_server.pages import PAGES


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
    }


def test_origins_come_from_environment_then_from_the_dict(monkeypatch):
    monkeypatch.setenv("LAB_API_ORIGIN", "http://localhost:9001")
    assert create_app().test_client().get("/config.json").get_json()["api_origin"] == "http://localhost:9001"
    overridden = create_app({"API_ORIGIN": "http://localhost:7001"})
    assert overridden.test_client().get("/config.json").get_json()["api_origin"] == "http://localhost:7001"


@pytest.mark.parametrize("path", [*PAGES, "/config.json", "/static/js/index.js", "/static/css/lab.css"])
def test_every_response_carries_a_strict_csp_and_nosniff(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    # No inline script; the API origins may serve scripts (JSONP).
    assert script_src == "script-src 'self' http://localhost:8001 http://127.0.0.1:8001"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_inline_script_and_an_icon(client, path):
    page = client.get(path).get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    assert scripts and all(body.strip() == "" for body in scripts)
    assert not re.search(r"\son[a-z]+=", page), "no inline event handlers"
    assert 'rel="icon"' in page


@pytest.mark.parametrize("module", sorted(path.name for path in (STATIC / "js").glob("*.js")))
def test_modules_are_served_as_javascript(client, module):
    response = client.get(f"/static/js/{module}")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"


def test_favicon_exists_so_browsers_log_no_404(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
