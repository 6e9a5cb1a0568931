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
