"""The security lab's endpoints: each flawed check admits exactly the origins it should not."""

from pathlib import Path

import pytest

from tests.api.conftest import LAB_KEY, api_app
from tests.conftest import TRUSTED

OTHER_PORT = "http://localhost:8002"
SUFFIX_LOOKALIKE = "http://attacker.localhost:8000"
PREFIX_LOOKALIKE = "http://localhost.attacker.localhost:8000"
CROSS_SITE = "http://127.0.0.1:8000"
ORIGINS = [
    TRUSTED,
    OTHER_PORT,
    SUFFIX_LOOKALIKE,
    PREFIX_LOOKALIKE,
    CROSS_SITE,
    "null",
    "http://localhost:80001",
    "http://localhost:80011",
]

KEY = {"lab_key": LAB_KEY}

ADMITTED = {
    "reflect": set(ORIGINS),
    "null": {TRUSTED, "null"},
    "prefix": {TRUSTED, OTHER_PORT, PREFIX_LOOKALIKE, "http://localhost:80001", "http://localhost:80011"},
    "suffix": {TRUSTED, SUFFIX_LOOKALIKE, PREFIX_LOOKALIKE},
    "substring": {TRUSTED, SUFFIX_LOOKALIKE, PREFIX_LOOKALIKE, "http://localhost:80001"},
    "exact": {TRUSTED},
}


def keyed(url):
    """``url`` with the lab key, as the lab's pages send it."""
    return f"{url}{'&' if '?' in url else '?'}lab_key={LAB_KEY}"


@pytest.mark.parametrize("check", list(ADMITTED))
@pytest.mark.parametrize("origin", ORIGINS)
def test_each_check_admits_exactly_its_origins(client, check, origin):
    response = client.get(keyed(f"/security/secret/{check}"), headers={"Origin": origin})
    admitted = origin in ADMITTED[check]
    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is admitted
    assert (response.headers.get("Access-Control-Allow-Credentials") == "true") is admitted
    assert "Origin" in response.headers["Vary"]
    assert ("X-Lab-Vulnerable" in response.headers) is (check != "exact")


def test_secret_needs_the_session_cookie(client, login):
    assert client.get(keyed("/security/secret/exact")).get_json()["secret"] is None
    login()
    body = client.get(keyed("/security/secret/exact")).get_json()
    assert body["logged_in"] is True and body["secret"].startswith("FAKE-SECRET-")


def test_unknown_check_is_a_400(client):
    response = client.get(keyed("/security/secret/regex"))
    assert response.status_code == 400 and response.get_json()["parameter"] == "check"


def test_leaky_jsonp_depends_on_the_cookie_and_still_validates_its_callback(client, login):
    assert '"secret": null' in client.get(keyed("/security/jsonp/leaky?callback=cb")).get_data(as_text=True)
    login()
    assert "FAKE-SECRET-" in client.get(keyed("/security/jsonp/leaky?callback=cb")).get_data(as_text=True)
    assert client.get(keyed("/security/jsonp/leaky?callback=alert(1)")).status_code == 400


def test_unvalidated_jsonp_runs_the_callers_code_but_never_as_a_document(client):
    response = client.get("/security/jsonp/unvalidated", query_string={"callback": "steal();cb", **KEY})
    assert response.get_data(as_text=True).startswith("steal();cb(")
    # Never HTML: a top-level navigation to it shows text, no script runs on the API's origin.
    assert response.mimetype == "text/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("defence", "headers", "logged_in", "status"),
    [
        pytest.param(
            "none", {"Origin": CROSS_SITE, "Content-Type": "text/plain"}, True, 200, id="none-accepts-anything"
        ),
        pytest.param("none", {"Origin": TRUSTED, "Content-Type": "text/plain"}, False, 401, id="none-needs-the-cookie"),
        pytest.param(
            "require-json",
            {"Origin": CROSS_SITE, "Content-Type": "text/plain"},
            True,
            415,
            id="require-json-refuses-text",
        ),
        pytest.param(
            "require-json",
            {"Origin": TRUSTED, "Content-Type": "application/json"},
            True,
            200,
            id="require-json-accepts-json",
        ),
        pytest.param(
            "check-origin",
            {"Origin": OTHER_PORT, "Content-Type": "text/plain"},
            True,
            403,
            id="check-origin-refuses-same-site",
        ),
        pytest.param("check-origin", {"Content-Type": "text/plain"}, True, 403, id="check-origin-refuses-no-origin"),
        pytest.param(
            "check-origin",
            {"Origin": TRUSTED, "Content-Type": "text/plain"},
            True,
            200,
            id="check-origin-accepts-trusted",
        ),
    ],
)
def test_transfer_defences(client, login, defence, headers, logged_in, status):
    if logged_in:
        login()
    response = client.post(keyed(f"/security/transfer/{defence}?run=t1"), headers=headers, data="100")
    assert response.status_code == status
    recorded = client.get(keyed("/security/transfers?run=t1")).get_json()["transfers"]
    assert recorded == ([{"defence": defence, "amount": "100"}] if status == 200 else [])


def test_cache_without_vary_hands_one_origins_answer_to_another(client):
    first = client.get(keyed("/security/cache/no-vary/data?key=a"), headers={"Origin": CROSS_SITE})
    assert first.headers["X-Lab-Cache"] == "MISS" and "Access-Control-Allow-Origin" not in first.headers
    second = client.get(keyed("/security/cache/no-vary/data?key=a"), headers={"Origin": TRUSTED})
    assert second.headers["X-Lab-Cache"] == "HIT"
    assert "Access-Control-Allow-Origin" not in second.headers  # the trusted page now gets a refusal
    assert "Vary" not in second.headers


def test_cache_with_vary_keeps_each_origins_answer(client):
    client.get(keyed("/security/cache/vary/data?key=b"), headers={"Origin": CROSS_SITE})
    second = client.get(keyed("/security/cache/vary/data?key=b"), headers={"Origin": TRUSTED})
    assert second.headers["X-Lab-Cache"] == "MISS"
    assert second.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert second.headers["Vary"] == "Origin"
    third = client.get(keyed("/security/cache/vary/data?key=b"), headers={"Origin": TRUSTED})
    assert third.headers["X-Lab-Cache"] == "HIT" and third.headers["Access-Control-Allow-Origin"] == TRUSTED


def test_the_security_lab_answers_loopback_clients_only(client):
    response = client.get(keyed("/security/secret/exact"), environ_overrides={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 403
    assert response.get_json()["error"] == "loopback_only"


EARLIER_KEY = "the-key-of-an-earlier-start"


def start_earlier(app):
    """Start the API once with EARLIER_KEY in the same instance folder, as a restart leaves it."""
    api_app(LOG_DB=app.config["LOG_DB"], LAB_KEY=EARLIER_KEY)


def test_keys_are_remembered_as_digests_never_in_the_clear(app):
    start_earlier(app)
    state = b"".join(path.read_bytes() for path in Path(app.config["STATE_DB"]).parent.glob("lab-state.sqlite3*"))
    assert EARLIER_KEY.encode() not in state and LAB_KEY.encode() not in state


SECURITY_REQUESTS = [
    pytest.param("GET", "/security/secret/reflect", id="secret-reflect"),
    pytest.param("GET", "/security/jsonp/leaky?callback=cb", id="jsonp-leaky"),
    pytest.param("GET", "/security/jsonp/unvalidated?callback=cb", id="jsonp-unvalidated"),
    pytest.param("POST", "/security/transfer/none?run=k1", id="transfer"),
    pytest.param("GET", "/security/transfers?run=k1", id="transfers"),
    pytest.param("GET", "/security/cache/no-vary/data?key=k", id="cache"),
    pytest.param("GET", "/security/key", id="key"),
]


@pytest.mark.parametrize(("method", "path"), SECURITY_REQUESTS)
@pytest.mark.parametrize(
    ("key", "error"),
    [
        pytest.param(None, "lab_key_missing", id="no-key"),
        pytest.param(EARLIER_KEY, "lab_key_stale", id="stale-key"),
        pytest.param("a-key-this-lab-never-made", "lab_key_wrong", id="wrong-key"),
        pytest.param(EARLIER_KEY + "x", "lab_key_wrong", id="an-earlier-key-changed"),
    ],
)
def test_the_security_lab_answers_the_lab_key_only(app, client, login, method, path, key, error):
    start_earlier(app)
    login("?samesite=None")
    url = f"{path}{'&' if '?' in path else '?'}lab_key={key}" if key else path
    response = client.open(url, method=method, headers={"Origin": "https://evil.example"}, data="1")
    assert response.status_code == 403
    assert response.get_json()["error"] == error
    # Public, so a lab page can say "reload"; but it opens nothing.
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "FAKE" not in response.get_data(as_text=True)
    assert client.get(keyed("/security/transfers?run=k1")).get_json()["transfers"] == []


def test_an_api_without_a_lab_key_keeps_the_security_lab_locked(tmp_path):
    locked = api_app(LOG_DB=str(tmp_path / "locked.sqlite3"), LAB_KEY=None).test_client()
    response = locked.get("/security/secret/reflect", query_string={"lab_key": ""})
    assert response.status_code == 403 and response.get_json()["error"] == "security_lab_locked"


def test_the_key_check_says_the_key_is_current(client):
    assert client.get(keyed("/security/key")).get_json() == {"current": True}


def test_the_lab_key_never_reaches_the_public_log(client, log):
    client.get(keyed("/security/secret/reflect?run=keylog"))
    client.get("/security/key", query_string={"run": "keylog", "lab%5Fkey": LAB_KEY})
    entries = log("keylog")
    assert len(entries) == 2
    assert LAB_KEY not in str(entries)


def test_the_secret_needs_the_lab_key_not_only_the_session_token(client, login):
    """Another app on a localhost port receives the session cookie (cookies ignore ports); it
    still cannot compute the secret from the token alone."""
    import hashlib

    token = login().headers.getlist("Set-Cookie")[0].split(";")[0].split("=", 1)[1]
    secret = client.get(keyed("/security/secret/exact")).get_json()["secret"]
    assert secret.startswith("FAKE-SECRET-")
    assert secret != "FAKE-SECRET-" + hashlib.sha256(token.encode()).hexdigest()[:8]
