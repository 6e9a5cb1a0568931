from urllib.parse import quote

import pytest

from tests.api.conftest import LAB_KEY, api_app
from tests.conftest import TRUSTED


def test_entries_of_one_run_oldest_first_with_the_preflight(client, log):
    client.options("/preflight?run=r1", headers={"Origin": TRUSTED, "Access-Control-Request-Method": "PUT"})
    client.put("/preflight?run=r1", headers={"Origin": TRUSTED, "X-Lab-Token": "t"})
    client.get("/simple?run=other")
    entries = log("r1")
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("OPTIONS", "/preflight", 200),
        ("PUT", "/preflight", 200),
    ]
    preflight, actual = entries
    assert preflight["request_headers"]["access-control-request-method"] == "PUT"
    assert preflight["response_headers"]["access-control-max-age"] == "600"
    assert actual["request_headers"]["x-lab-token"] == "t"
    assert actual["response_headers"]["access-control-allow-origin"] == TRUSTED
    assert actual["response_headers"]["vary"] == "Origin"


def test_method_is_recorded_as_it_came_over_the_wire(client, log):
    client.open("/lab?run=lower", environ_overrides={"REQUEST_METHOD": "patch"})
    assert [e["method"] for e in log("lower")] == ["patch"]


def test_requests_without_a_run_id_are_not_recorded(client, log):
    client.get("/simple")
    client.get("/simple?run=")
    assert log("r2") == []


def test_log_is_public_and_never_records_itself(client, log):
    response = client.get("/log?run=self", headers={"Origin": "http://anywhere.localhost"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert log("self") == []


def test_cookie_and_authorization_values_are_never_stored(client, log):
    login = client.post("/credentials/login?run=secrets", headers={"Origin": TRUSTED})
    session = login.headers.getlist("Set-Cookie")[0].split(";")[0].split("=", 1)[1]
    client.get("/credentials/whoami?run=secrets", headers={"Authorization": "Bearer t0ps3cret"})
    raw = client.get("/log?run=secrets").get_data(as_text=True)
    assert session not in raw and "t0ps3cret" not in raw
    login_entry, whoami_entry = log("secrets")
    assert login_entry["response_headers"]["set-cookie"] == ["lab_session", "lab_visible"]
    assert whoami_entry["request_headers"]["cookie"] == ["lab_session", "lab_visible"]
    assert "present" in whoami_entry["request_headers"]["authorization"]


@pytest.mark.parametrize("run", ["", "a b", "x" * 65, "<script>", "r;1"])
def test_bad_run_id_is_a_400(client, run):
    response = client.get("/log", query_string={"run": run})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "run"


def test_store_stays_bounded_under_a_flood_oldest_pruned_and_said(tmp_path):
    client = api_app(LOG_DB=str(tmp_path / "small.sqlite3"), LOG_LIMIT=50).test_client()
    client.get("/simple?run=before")
    for number in range(500):
        client.get(f"/simple?run=flood&n={number}")
    client.get("/simple?run=after")
    answer = client.get("/log?run=flood").get_json()
    assert [entry["query"] for entry in answer["entries"]] == [f"run=flood&n={number}" for number in range(451, 500)]
    assert (answer["pruned"], answer["truncated"]) == (451, False)
    assert client.get("/log?run=before").get_json() == {"entries": [], "pruned": 1, "truncated": False}
    assert client.get("/log?run=after").get_json()["pruned"] == 0


def test_two_workers_share_one_log(tmp_path):
    """gunicorn workers are separate app instances; the SQLite file is what they share."""
    database = str(tmp_path / "shared.sqlite3")
    first, second = (api_app(LOG_DB=database).test_client() for _ in range(2))
    first.get("/simple?run=shared")
    second.get("/expose?run=shared")
    assert [e["path"] for e in first.get("/log?run=shared").get_json()["entries"]] == ["/simple", "/expose"]


SECRET = "sEcReT-lab-key-value"


@pytest.mark.parametrize(
    ("query", "replaced"),
    [
        pytest.param(f"run=key&lab_key={SECRET}", 1, id="plain"),
        pytest.param(f"lab_key={SECRET}&run=key", 1, id="first"),
        pytest.param(f"run=key&lab%5Fkey={SECRET}", 1, id="percent-encoded-name"),
        pytest.param(f"run=key&%6c%61%62%5f%6b%65%79={quote(SECRET, safe='')}", 1, id="all-percent-encoded"),
        pytest.param(f"run=key&lab%255Fkey={SECRET}", 1, id="encoded-twice"),
        pytest.param(f"run=key&lab_key={SECRET[:8]}%{ord(SECRET[8]):02X}{SECRET[9:]}", 1, id="percent-encoded-value"),
        pytest.param(f"run=key&lab_key={SECRET}&x=1&lab_key={SECRET}x", 2, id="repeated"),
        pytest.param("run=key&lab_key&lab_key=", 2, id="empty"),
        pytest.param(f"run=key&{'n=1&' * 200}lab_key={SECRET}", 0, id="past-the-cut"),
    ],
)
def test_the_lab_key_parameter_is_never_recorded(client, log, query, replaced):
    """/log is public: a page of any origin could read a key recorded there."""
    client.get(f"/simple?{query}")
    [entry] = log("key")
    assert SECRET not in str(entry) and SECRET[9:] not in str(entry)
    assert entry["query"].count("=(not recorded)") == replaced
    assert entry["query"].startswith(query[:7])


def test_the_running_labs_key_is_never_recorded_wherever_it_appears(client, log):
    client.get(f"/simple/{LAB_KEY}?run=key")
    client.get(f"/simple?run=key&other={LAB_KEY}", headers={"X-Lab-Note": f"key {LAB_KEY}", "X-Lab-Other": LAB_KEY})
    raw = client.get("/log?run=key").get_data(as_text=True)
    assert len(log("key")) == 2
    assert LAB_KEY not in raw


@pytest.mark.parametrize(
    ("headers", "recorded"),
    [
        pytest.param({"Origin": "https://evil.example"}, False, id="another-sites-fetch"),
        pytest.param({"Origin": "http://localhost:3000"}, False, id="another-localhost-app"),
        # No Origin: a script element of the lab's own JSONP looks the same, so it is logged.
        pytest.param({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "script"}, True, id="a-script-element"),
        pytest.param({"Origin": "http://127.0.0.1:8000"}, True, id="the-untrusted-lab-page"),
        pytest.param({"Origin": "null"}, True, id="a-sandboxed-frame"),
        pytest.param({}, True, id="curl"),
        pytest.param({"Sec-Fetch-Site": "none"}, True, id="typed-in-the-address-bar"),
    ],
)
def test_only_the_labs_own_traffic_can_fill_the_log(client, log, headers, recorded):
    """Otherwise any website could flush the learner's runs out of the bounded log."""
    client.get("/simple?run=outside", headers=headers)
    assert len(log("outside")) == (1 if recorded else 0)
