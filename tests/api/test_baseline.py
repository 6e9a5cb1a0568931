"""/baseline, its script and its settings: the API's one HTML page, fixed, locked down by its CSP,
framed only by the lab's page origins, reflecting nothing of the request; its script the pages'
own modules, and those alone."""

import pytest

from api_server.baseline import MODULES, PAGE, SCRIPT
from frontend_server import STATIC_DIR
from lab_contract import ORIGIN_DEFAULTS, RUN_ID_PATTERN, page_origins, with_lookalikes
from labctl.page_weight import module_imports
from tests.conftest import TRUSTED

PAGE_ORIGINS = page_origins(with_lookalikes(ORIGIN_DEFAULTS))


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    return dict((part.split(" ", 1) + [""])[:2] for part in policy.split("; "))


def test_the_page_is_fixed_html_that_only_the_labs_pages_may_frame(client):
    response = client.get("/baseline")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    csp = directives(response)
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"].split() == PAGE_ORIGINS
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert f'<script type="module" src="/baseline/{SCRIPT}">'.encode() in response.data
    assert b"<script>" not in response.data  # no inline script, which the CSP would refuse anyway
    assert response.get_data(as_text=True) == PAGE  # a constant: nothing substituted into the HTML


@pytest.mark.parametrize(
    "query",
    ["?x=%3Cscript%3Ealert(1)%3C/script%3E", "?callback=evil", "?run=%22%3E%3Cimg%20src=x%3E"],
)
def test_the_page_reflects_nothing_of_the_request(client, query):
    plain = client.get("/baseline").data
    assert (
        client.get("/baseline" + query, headers={"Origin": TRUSTED, "Referer": "http://evil.example/<b>"}).data == plain
    )


def module_graph(module):
    graph = {module}
    for imported in module_imports(module):
        graph |= module_graph(imported)
    return graph


def test_the_script_is_the_pages_own_modules_and_only_those(client):
    # The page's module and what it imports (the shared sender, its answer timeout, the catalogue's requests).
    assert (
        set(MODULES)
        == module_graph(SCRIPT)
        == {
            SCRIPT,
            "js/core/transport.js",
            "js/core/api.js",
            "js/catalogues/experiments/baseline-requests.js",
        }
    )
    for module in MODULES:
        response = client.get(f"/baseline/{module}")
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert directives(response)["frame-ancestors"] == "'none'"
        assert response.get_data(as_text=True) == (STATIC_DIR / module).read_text()


@pytest.mark.parametrize(
    "path",
    [
        "/baseline/js/pages/experiments.js",
        "/baseline/js/core/../core/transport.js",
        "/baseline/js/../../api_server/baseline.py",
        "/baseline/css/lab.css",
        "/baseline.js",
    ],
)
def test_nothing_else_is_served_from_the_pages_files(client, path):
    assert client.get(path).status_code == 404


def test_the_script_checks_who_asks_and_answers_that_origin_alone(client):
    script = client.get(f"/baseline/{SCRIPT}").get_data(as_text=True)
    assert "if (!parents.includes(event.origin) || event.source !== window.parent) return;" in script
    assert "window.parent.postMessage({ type: 'baseline-done', run, results }, event.origin);" in script
    settings = client.get("/baseline.json")
    assert settings.mimetype == "application/json"
    assert directives(settings)["connect-src"] == "'self'"
    assert settings.get_json() == {"parents": PAGE_ORIGINS, "run_id_pattern": RUN_ID_PATTERN}


def test_the_same_origin_requests_it_sends_are_logged(client, log):
    # The baseline frame's PUT carries the API's own Origin, which the log keeps (unlike other sites').
    client.put("/lab?acao=echo&run=baseline-put", headers={"Origin": "http://localhost:8001"}, data="{}")
    client.put("/lab?acao=echo&run=elsewhere-put", headers={"Origin": "http://elsewhere.example"}, data="{}")
    assert [entry["request_headers"]["origin"] for entry in log("baseline-put")] == ["http://localhost:8001"]
    assert log("elsewhere-put") == []
