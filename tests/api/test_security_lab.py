"""The security lab's endpoints: each flawed check admits exactly the origins it should not."""

import pytest

from tests.conftest import TRUSTED

OTHER_PORT = "http://localhost:8002"
SUFFIX_LOOKALIKE = "http://attacker.localhost:8000"
PREFIX_LOOKALIKE = "http://localhost.attacker.localhost:8000"
CROSS_SITE = "http://127.0.0.1:8000"
ORIGINS = [TRUSTED, OTHER_PORT, SUFFIX_LOOKALIKE, PREFIX_LOOKALIKE, CROSS_SITE, "null", "http://localhost:80001", "http://localhost:80011"]

ADMITTED = {
    "reflect": set(ORIGINS),
    "null": {TRUSTED, "null"},
    "prefix": {TRUSTED, OTHER_PORT, PREFIX_LOOKALIKE, "http://localhost:80001", "http://localhost:80011"},
    "suffix": {TRUSTED, SUFFIX_LOOKALIKE, PREFIX_LOOKALIKE},
    "substring": {TRUSTED, SUFFIX_LOOKALIKE, PREFIX_LOOKALIKE, "http://localhost:80001"},
    "exact": {TRUSTED},
}


@pytest.mark.parametrize("check", list(ADMITTED))
@pytest.mark.parametrize("origin", ORIGINS)
def test_each_check_admits_exactly_its_origins(client, check, origin):
    response = client.get(f"/security/secret/{check}", headers={"Origin": origin})
    admitted = origin in ADMITTED[check]
    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is admitted
    assert (response.headers.get("Access-Control-Allow-Credentials") == "true") is admitted
    assert "Origin" in response.headers["Vary"]
    assert ("X-Lab-Vulnerable" in response.headers) is (check != "exact")


def test_secret_needs_the_session_cookie(client):
    assert client.get("/security/secret/exact").get_json()["secret"] is None
    client.post("/credentials/login")
    body = client.get("/security/secret/exact").get_json()
    assert body["logged_in"] is True and body["secret"].startswith("FAKE-SECRET-")


def test_unknown_check_is_a_400(client):
    response = client.get("/security/secret/regex")
    assert response.status_code == 400 and response.get_json()["parameter"] == "check"


def test_leaky_jsonp_depends_on_the_cookie_and_still_validates_its_callback(client):
    assert '"secret": null' in client.get("/security/jsonp/leaky?callback=cb").get_data(as_text=True)
    client.post("/credentials/login")
    assert "FAKE-SECRET-" in client.get("/security/jsonp/leaky?callback=cb").get_data(as_text=True)
    assert client.get("/security/jsonp/leaky?callback=alert(1)").status_code == 400


def test_unvalidated_jsonp_reflects_markup_as_html(client):
    response = client.get("/security/jsonp/unvalidated", query_string={"callback": "<script>x()</script>"})
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True).startswith("<script>x()</script>(")
    assert "X-Content-Type-Options" not in response.headers


@pytest.mark.parametrize(
    ("defence", "headers", "logged_in", "status"),
    [
        pytest.param("none", {"Origin": CROSS_SITE, "Content-Type": "text/plain"}, True, 200, id="none-accepts-anything"),
        pytest.param("none", {"Origin": TRUSTED, "Content-Type": "text/plain"}, False, 401, id="none-needs-the-cookie"),
        pytest.param("require-json", {"Origin": CROSS_SITE, "Content-Type": "text/plain"}, True, 415, id="require-json-refuses-text"),
        pytest.param("require-json", {"Origin": TRUSTED, "Content-Type": "application/json"}, True, 200, id="require-json-accepts-json"),
        pytest.param("check-origin", {"Origin": OTHER_PORT, "Content-Type": "text/plain"}, True, 403, id="check-origin-refuses-same-site"),
        pytest.param("check-origin", {"Content-Type": "text/plain"}, True, 403, id="check-origin-refuses-no-origin"),
        pytest.param("check-origin", {"Origin": TRUSTED, "Content-Type": "text/plain"}, True, 200, id="check-origin-accepts-trusted"),
    ],
)
def test_transfer_defences(client, defence, headers, logged_in, status):
    if logged_in:
        client.post("/credentials/login")
    response = client.post(f"/security/transfer/{defence}?run=t1", headers=headers, data="100")
    assert response.status_code == status
    recorded = client.get("/security/transfers?run=t1").get_json()["transfers"]
    assert recorded == ([{"defence": defence, "amount": "100"}] if status == 200 else [])


def test_cache_without_vary_hands_one_origins_answer_to_another(client):
    first = client.get("/security/cache/no-vary/data?key=a", headers={"Origin": CROSS_SITE})
    assert first.headers["X-Lab-Cache"] == "MISS" and "Access-Control-Allow-Origin" not in first.headers
    second = client.get("/security/cache/no-vary/data?key=a", headers={"Origin": TRUSTED})
    assert second.headers["X-Lab-Cache"] == "HIT"
    assert "Access-Control-Allow-Origin" not in second.headers  # the trusted page now gets a refusal
    assert "Vary" not in second.headers


def test_cache_with_vary_keeps_each_origins_answer(client):
    client.get("/security/cache/vary/data?key=b", headers={"Origin": CROSS_SITE})
    second = client.get("/security/cache/vary/data?key=b", headers={"Origin": TRUSTED})
    assert second.headers["X-Lab-Cache"] == "MISS"
    assert second.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert second.headers["Vary"] == "Origin"
    third = client.get("/security/cache/vary/data?key=b", headers={"Origin": TRUSTED})
    assert third.headers["X-Lab-Cache"] == "HIT" and third.headers["Access-Control-Allow-Origin"] == TRUSTED


def test_the_security_lab_answers_loopback_clients_only(client):
    response = client.get("/security/secret/exact", environ_overrides={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 403
    assert response.get_json()["error"] == "loopback_only"
