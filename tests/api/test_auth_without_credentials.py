"""/auth/basic-without-allow-credentials: HTTP Basic under /auth/, with the exact allowlisted
origin but never Access-Control-Allow-Credentials."""

import base64

import pytest

from lab_contract import BASIC_AUTH_PASSWORD, BASIC_AUTH_USER
from tests.conftest import TRUSTED, UNTRUSTED

PATH = "/auth/basic-without-allow-credentials"
ACCOUNT = "Basic " + base64.b64encode(f"{BASIC_AUTH_USER}:{BASIC_AUTH_PASSWORD}".encode()).decode()


def test_the_account_authenticates_and_the_origin_is_allowed_without_credentials(client):
    response = client.get(PATH, headers={"Authorization": ACCOUNT, "Origin": TRUSTED})
    assert response.status_code == 200
    assert response.get_json() == {"authenticated": True, "user": BASIC_AUTH_USER}
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_without_the_account_the_answer_is_a_challenge(client):
    response = client.get(PATH, headers={"Origin": TRUSTED})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="CORS lab"'


@pytest.mark.parametrize("origin", [UNTRUSTED, "null", TRUSTED + "/"])
def test_no_other_origin_is_allowed(client, origin):
    response = client.get(PATH, headers={"Authorization": ACCOUNT, "Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers
