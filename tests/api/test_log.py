import pytest

from api_server import create_app
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
    login = client.post("/credentials/login?run=secrets")
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


def test_store_stays_bounded_under_a_flood_oldest_pruned(tmp_path):
    app = create_app({"LOG_DB": str(tmp_path / "small.sqlite3"), "LOG_LIMIT": 50})
    client = app.test_client()
    for number in range(500):
        client.get(f"/simple?run=flood&n={number}")
    queries = [entry["query"] for entry in client.get("/log?run=flood").get_json()["entries"]]
    assert queries == [f"run=flood&n={number}" for number in range(450, 500)]


def test_two_workers_share_one_log(tmp_path):
    """gunicorn workers are separate app instances; the SQLite file is what they share."""
    database = str(tmp_path / "shared.sqlite3")
    first, second = (create_app({"LOG_DB": database}).test_client() for _ in range(2))
    first.get("/simple?run=shared")
    second.get("/expose?run=shared")
    assert [e["path"] for e in first.get("/log?run=shared").get_json()["entries"]] == ["/simple", "/expose"]
