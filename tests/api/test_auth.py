"""/auth/basic: HTTP Basic authentication with a fake account, and its CORS."""

import base64

import pytest

from lab_contract import BASIC_AUTH_PASSWORD, BASIC_AUTH_USER
from tests.conftest import TRUSTED, UNTRUSTED


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="none"),
        pytest.param(basic(BASIC_AUTH_USER, "wrong"), id="wrong-password"),
        pytest.param(basic("someone", BASIC_AUTH_PASSWORD), id="wrong-user"),
        pytest.param("Bearer token", id="not-basic"),
    ],
)
def test_without_the_account_the_answer_is_a_challenge(client, authorization):
    response = client.get("/auth/basic", headers={"Authorization": authorization} if authorization else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="CORS lab"'
    assert response.get_json()["error"] == "not_authenticated"


def test_the_account_authenticates(client):
    response = client.get("/auth/basic", headers={"Authorization": basic(BASIC_AUTH_USER, BASIC_AUTH_PASSWORD)})
    assert response.status_code == 200
    assert response.get_json() == {"authenticated": True, "user": BASIC_AUTH_USER}


def test_the_preflight_allows_authorization_with_credentials_for_the_allowlist(client):
    headers = {
        "Origin": TRUSTED,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
    }
    response = client.options("/auth/basic", headers=headers)
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Allow-Headers"].lower() == "authorization"


@pytest.mark.parametrize("origin", [UNTRUSTED, "null"])
def test_other_origins_get_no_cors_headers_even_on_the_challenge(client, origin):
    response = client.get("/auth/basic", headers={"Origin": origin})
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def raw_basic(credentials):
    """An Authorization header of these bytes, base64-encoded as a browser does."""
    return "Basic " + base64.b64encode(credentials).decode()


def as_wire_text(raw):
    """Header bytes as WSGI hands them to the app: latin-1 text."""
    return raw.decode("latin-1")


@pytest.mark.parametrize("path", ["/auth/basic", "/auth/basic-without-allow-credentials"])
@pytest.mark.parametrize(
    "authorization",
    [
        # window.open('http://%C3%BC:x@localhost:8001/auth/basic') from any website sends this.
        pytest.param(raw_basic("ü:x".encode()), id="utf-8-user"),
        pytest.param(raw_basic(f"{BASIC_AUTH_USER}:é".encode()), id="utf-8-password"),
        pytest.param(raw_basic(b"\xff\xfe:\x00"), id="not-utf-8"),
        pytest.param(as_wire_text("Basic ü".encode()), id="non-ascii-in-the-header"),
        pytest.param(as_wire_text(b"Basic \xc3\xbc\xff"), id="non-ascii-bytes-in-the-header"),
        pytest.param(as_wire_text("Bäsic abc".encode()), id="non-ascii-scheme"),
        pytest.param("Basic !!!", id="invalid-base64"),
        pytest.param("Basic bGVhcm5lcg", id="unpadded-base64"),
        pytest.param(raw_basic(BASIC_AUTH_USER.encode()), id="no-colon"),
        pytest.param("Basic ", id="empty"),
        pytest.param("Basic", id="scheme-alone"),
        pytest.param("", id="empty-header"),
    ],
)
def test_any_bytes_as_credentials_are_a_challenge_never_a_500(client, path, authorization):
    response = client.get(path, headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.get_json()["error"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == 'Basic realm="CORS lab"'
