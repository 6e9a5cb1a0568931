"""Every error code the API can produce: one code per kind of failure, and one kind per code."""

import pytest
from flask import abort

from tests.api.conftest import LAB_KEY, api_app
from tests.conftest import TRUSTED

# kind of failure -> (status, error code)
KINDS = {
    "unusable parameter": (400, "invalid_parameter"),
    "body not JSON": (400, "malformed_json"),
    "JSON nested too deep": (400, "json_too_deep"),
    "body cut short": (400, "bad_request"),
    "no session": (401, "not_logged_in"),
    "not from loopback": (403, "loopback_only"),
    "no lab key": (403, "lab_key_missing"),
    "a key of an earlier start": (403, "lab_key_stale"),
    "a key this lab never made": (403, "lab_key_wrong"),
    "API started without a lab key": (403, "security_lab_locked"),
    "Origin not allowed by the defence": (403, "origin_refused"),
    "login from outside the lab": (403, "origin_not_in_lab"),
    "no such path": (404, "not_found"),
    "method not allowed": (405, "method_not_allowed"),
    "body too large": (413, "request_entity_too_large"),
    "JSON required": (415, "json_required"),
    "Host not the API's": (421, "unknown_host"),
    "the API failed": (500, "internal_error"),
}

JSON = {"Content-Type": "application/json"}
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}
CSV = {"Content-Type": "text/csv"}
KEY = f"lab_key={LAB_KEY}"


def raising_view(app):
    app.add_url_rule("/test/raise", "test_raise", lambda: 1 / 0)


def raising_hook(app):
    """An exception after the view (Flask wraps it in InternalServerError before handling it)."""

    @app.after_request
    def broken(response):
        raise RuntimeError("a hook failed")


def aborting_view(app):
    app.add_url_rule("/test/abort", "test_abort", lambda: abort(500))


def unlocked(app):
    app.config["LAB_KEY"] = None


def started_earlier(app):
    api_app(LOG_DB=app.config["LOG_DB"], LAB_KEY="earlier")


def case(kind, method, path, prepare=None, **request):
    return pytest.param(kind, method, path, prepare, request, id=f"{KINDS[kind][1]}:{method} {path}"[:80])


CASES = [
    case("unusable parameter", "GET", "/log?run=a%20b"),
    case("unusable parameter", "POST", "/credentials/login?samesite=lax", headers={"Origin": TRUSTED}),
    case("unusable parameter", "GET", "/jsonp"),
    case("unusable parameter", "GET", "/lab?unknown=1"),
    case("unusable parameter", "GET", f"/security/secret/nope?{KEY}"),
    case("body not JSON", "PUT", "/preflight", data="{", headers=JSON),
    case("body not JSON", "PUT", "/preflight", data="NaN", headers=JSON),
    case("JSON nested too deep", "PUT", "/preflight", data="[" * 1000, headers=JSON),
    case("JSON nested too deep", "PUT", "/preflight", data="[" * 100 + "]" * 100, headers=JSON),
    case("JSON nested too deep", "PATCH", "/preflight", data='{"a":' * 5000, headers=MERGE_PATCH),
    case("no session", "POST", f"/security/transfer/none?{KEY}", data="1"),
    case("not from loopback", "GET", f"/security/secret/exact?{KEY}", environ_overrides={"REMOTE_ADDR": "192.0.2.1"}),
    case("no lab key", "GET", "/security/secret/exact"),
    case("a key of an earlier start", "GET", "/security/secret/exact?lab_key=earlier", started_earlier),
    case("a key this lab never made", "GET", "/security/secret/exact?lab_key=another"),
    case("API started without a lab key", "GET", "/security/secret/exact", unlocked),
    case(
        "Origin not allowed by the defence",
        "POST",
        f"/security/transfer/check-origin?{KEY}",
        headers={"Origin": "http://evil.localhost"},
    ),
    case("login from outside the lab", "POST", "/credentials/login", headers={"Origin": "http://evil.localhost"}),
    case("no such path", "GET", "/nowhere"),
    case("method not allowed", "DELETE", "/simple"),
    case("method not allowed", "OPTIONS", "/jsonp?callback=cb"),
    case("body too large", "POST", "/simple", data=b"x" * (1024 * 1024 + 1)),
    case("body cut short", "POST", "/simple", environ_overrides={"CONTENT_LENGTH": "10"}, data=b"12345"),
    case("JSON required", "POST", f"/security/transfer/require-json?{KEY}", data="1", headers=CSV),
    case("Host not the API's", "GET", "/simple", environ_overrides={"HTTP_HOST": "rebound.example:8001"}),
    case("the API failed", "GET", "/test/raise", raising_view),
    case("the API failed", "GET", "/simple?run=hooked", raising_hook),
    case("the API failed", "GET", "/test/abort", aborting_view),
]


@pytest.mark.parametrize(("kind", "method", "path", "prepare", "request_options"), CASES)
def test_each_kind_of_failure_has_its_one_code(tmp_path, kind, method, path, prepare, request_options):
    app = api_app(LOG_DB=str(tmp_path / "wire.sqlite3"), ALLOWED_ORIGINS=[TRUSTED])
    if prepare:
        prepare(app)
    response = app.test_client().open(path, method=method, **request_options)
    body = response.get_json(force=True)
    assert (response.status_code, body["error"]) == KINDS[kind]
    assert body["message"]


def test_no_two_kinds_share_a_code_and_every_kind_is_exercised():
    codes = [code for _, code in KINDS.values()]
    assert len(set(codes)) == len(codes)
    assert {param.values[0] for param in CASES} == set(KINDS)


def test_a_too_deep_json_body_names_the_body(client):
    response = client.put("/preflight", data="[" * 1000, headers=JSON)
    assert response.get_json()["parameter"] == "body"


@pytest.mark.parametrize("path", ["/auth//basic?run=x", "/security//key", "/credentials//whoami"])
def test_the_routers_redirect_pages_run_nothing(client, path):
    """werkzeug answers a doubled slash with its own HTML "Redirecting..." page, past the error
    handlers: it gets the inert policy and nosniff, as any HTML of the API without its own."""
    response = client.get(path, headers={"Origin": "https://evil.example"})
    assert response.status_code == 308 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none';")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
