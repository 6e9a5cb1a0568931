"""/baseline and /baseline.js: the API's one HTML page, fixed, locked down by its CSP, framed only
by the lab's page origins, reflecting nothing of the request."""

import json

import pytest

from api_server.baseline import PAGE
from lab_contract import ORIGIN_DEFAULTS, page_origins, with_lookalikes
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
    assert b'<script src="/baseline.js"' in response.data
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


def test_the_script_is_fixed_javascript_that_checks_who_asks(client):
    response = client.get("/baseline.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert directives(response)["frame-ancestors"] == "'none'"
    script = response.get_data(as_text=True)
    assert f"var parents = {json.dumps(PAGE_ORIGINS)};" in script  # the lab's page origins, as JSON
    # It acts only on its parent, on a lab page origin, and answers that origin alone.
    assert "parents.indexOf(event.origin) < 0 || event.source !== window.parent" in script
    assert "postMessage({ type: 'baseline-done', run: data.run, results: results }, event.origin)" in script


def test_the_same_origin_requests_it_sends_are_logged(client, log):
    # The baseline frame's PUT carries the API's own Origin, which the log keeps (unlike other sites').
    client.put("/lab?acao=echo&run=baseline-put", headers={"Origin": "http://localhost:8001"}, data="{}")
    client.put("/lab?acao=echo&run=elsewhere-put", headers={"Origin": "http://elsewhere.example"}, data="{}")
    assert [entry["request_headers"]["origin"] for entry in log("baseline-put")] == ["http://localhost:8001"]
    assert log("elsewhere-put") == []
