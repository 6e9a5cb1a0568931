import pytest

from tests.conftest import TRUSTED, UNTRUSTED


def set_cookies(response):
    """{cookie name: its Set-Cookie header} for one response."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize(
    ("query", "samesite", "secure"),
    [
        pytest.param("", "Lax", False, id="default-lax"),
        pytest.param("?samesite=Lax", "Lax", False, id="lax"),
        pytest.param("?samesite=Strict", "Strict", False, id="strict"),
        pytest.param("?samesite=None", "None", True, id="none-implies-secure"),
    ],
)
def test_login_sets_both_cookies_with_the_asked_samesite(client, query, samesite, secure):
    response = client.post(f"/credentials/login{query}", headers={"Origin": TRUSTED})
    assert response.status_code == 200
    cookies = set_cookies(response)
    assert set(cookies) == {"lab_session", "lab_visible"}
    for header in cookies.values():
        assert f"SameSite={samesite}" in header
        assert ("Secure" in header) is secure
    assert "HttpOnly" in cookies["lab_session"]
    assert "HttpOnly" not in cookies["lab_visible"]
    assert cookies["lab_visible"].startswith("lab_visible=set-by-localhost-8001;")


@pytest.mark.parametrize("value", ["lax", "NONE", "Sometimes", ""])
def test_login_refuses_an_unknown_samesite(client, value):
    response = client.post(f"/credentials/login?samesite={value}", headers={"Origin": TRUSTED})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "samesite"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", ["/credentials/login", "/credentials/logout"])
def test_login_and_logout_allow_credentials_for_the_exact_origin(client, path):
    response = client.post(path, headers={"Origin": TRUSTED})
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers["Vary"]


def test_whoami_follows_login_and_logout(client, login):
    assert client.get("/credentials/whoami").get_json() == {"logged_in": False}
    login()
    whoami = client.get("/credentials/whoami", headers={"Origin": TRUSTED})
    assert whoami.get_json() == {"logged_in": True}
    assert whoami.headers["Access-Control-Allow-Credentials"] == "true"
    client.post("/credentials/logout", headers={"Origin": TRUSTED})
    assert client.get("/credentials/whoami").get_json() == {"logged_in": False}


def test_a_forged_session_cookie_is_not_a_login(client):
    client.set_cookie("lab_session", "made-up", domain="localhost")
    assert client.get("/credentials/whoami").get_json() == {"logged_in": False}


def test_refused_origin_gets_no_credentials_header(client):
    response = client.get("/credentials/whoami", headers={"Origin": UNTRUSTED})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_wildcard_sends_star_with_allow_credentials(client, login):
    login()
    response = client.get("/credentials/wildcard", headers={"Origin": TRUSTED})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.get_json() == {"logged_in": True}


def test_no_allow_credentials_sends_the_exact_origin_only(client):
    response = client.get("/credentials/no-allow-credentials", headers={"Origin": TRUSTED})
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" in response.headers["Vary"]
    assert response.get_json() == {"logged_in": False}


@pytest.mark.parametrize("path", ["/credentials/login", "/credentials/logout"])
@pytest.mark.parametrize(
    "origin",
    [
        pytest.param("https://evil.example", id="another-site"),
        pytest.param("http://localhost:3000", id="another-localhost-app"),
        pytest.param("null", id="sandboxed-frame"),
        pytest.param(None, id="no-origin"),
    ],
)
def test_login_and_logout_refuse_pages_outside_the_lab(client, login, path, origin):
    """Any website could otherwise log the learner out, or flood the session table with logins."""
    login()
    response = client.post(path, headers={"Origin": origin} if origin else {})
    assert response.status_code == 403
    assert response.get_json()["error"] == "origin_not_in_lab"
    assert "Set-Cookie" not in response.headers
    assert client.get("/credentials/whoami").get_json() == {"logged_in": True}


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8002",
        "http://attacker.localhost:8000",
        "http://localhost.attacker.localhost:8000",
    ],
)
def test_the_labs_own_attacker_pages_may_log_in(client, origin):
    assert client.post("/credentials/login", headers={"Origin": origin}).status_code == 200
