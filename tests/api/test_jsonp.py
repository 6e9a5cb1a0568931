import json

import pytest

from api_server.jsonp import javascript_literal


@pytest.mark.parametrize("callback", ["handle", "$", "_cb1", "app.handlers.onData", "a" * 64])
def test_valid_callback_wraps_public_data(client, callback):
    response = client.get(f"/jsonp?callback={callback}")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_data(as_text=True)
    prefix = f"/**/{callback}("
    assert body.startswith(prefix) and body.endswith(");")
    assert json.loads(body[len(prefix) : -2])["source"] == "jsonp"
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("", id="missing"),
        pytest.param("?callback=", id="empty"),
        pytest.param("?callback=1abc", id="leading-digit"),
        pytest.param("?callback=alert(1)", id="call"),
        pytest.param("?callback=a;b", id="statement"),
        pytest.param("?callback=a..b", id="empty-segment"),
        pytest.param("?callback=a.", id="trailing-dot"),
        pytest.param("?callback=%3Cscript%3E", id="markup"),
        pytest.param("?callback=a%0Ab", id="newline"),
        pytest.param("?callback=" + "a" * 65, id="too-long"),
    ],
)
def test_bad_or_missing_callback_is_a_json_400(client, query):
    response = client.get(f"/jsonp{query}")
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["parameter"] == "callback"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_405(client, method):
    assert client.open("/jsonp?callback=cb", method=method).status_code == 405


def test_the_data_never_depends_on_cookies(client, login):
    anonymous = client.get("/jsonp?callback=cb").get_data()
    login()
    assert client.get("/jsonp?callback=cb").get_data() == anonymous


@pytest.mark.parametrize("text", ["\u2028", "\u2029", "</script><script>alert(1)</script>"])
def test_literal_is_safe_javascript_for_any_string(text):
    literal = javascript_literal({"text": text})
    assert "\u2028" not in literal and "\u2029" not in literal and "</" not in literal
    assert json.loads(literal) == {"text": text}


def test_the_same_data_over_cors_for_allowed_origins_only(client):
    jsonp_body = client.get("/jsonp?callback=cb").get_data(as_text=True)
    allowed = client.get("/data", headers={"Origin": "http://localhost:8000"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    assert json.loads(jsonp_body[len("/**/cb(") : -2]) == allowed.get_json()
    refused = client.get("/data", headers={"Origin": "http://127.0.0.1:8000"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Origin" in refused.headers["Vary"]
