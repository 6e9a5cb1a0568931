import pytest

from frontend_server import create_app


def test_config_names_the_four_origins(client):
    response = client.get("/config.json")
    assert response.get_json() == {
        "trusted_origin": "http://localhost:8000",
        "untrusted_origin": "http://127.0.0.1:8000",
        "api_origin": "http://localhost:8001",
        "api_alias_origin": "http://127.0.0.1:8001",
    }


def test_origins_come_from_environment_then_from_the_dict(monkeypatch):
    monkeypatch.setenv("LAB_API_ORIGIN", "http://localhost:9001")
    assert create_app().test_client().get("/config.json").get_json()["api_origin"] == "http://localhost:9001"
    overridden = create_app({"API_ORIGIN": "http://localhost:7001"})
    assert overridden.test_client().get("/config.json").get_json()["api_origin"] == "http://localhost:7001"


@pytest.mark.parametrize("path", ["/", "/config.json", "/static/js/index.js", "/static/css/lab.css"])
def test_every_response_carries_a_strict_csp_and_nosniff(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    # No inline script; the API origins may serve scripts (JSONP).
    assert script_src == "script-src 'self' http://localhost:8001 http://127.0.0.1:8001"
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_index_is_a_page_that_loads_its_module(client):
    page = client.get("/").get_data(as_text=True)
    assert '<script type="module" src="/static/js/index.js"></script>' in page
    assert 'rel="icon"' in page


@pytest.mark.parametrize("module", ["api.js", "dom.js", "index.js", "views.js", "narrate.js"])
def test_modules_are_served_as_javascript(client, module):
    response = client.get(f"/static/js/{module}")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"


def test_favicon_exists_so_browsers_log_no_404(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
