"""The wire log stays small in bytes, says what it left out, and survives its file going away."""

import json
import logging
import os
import shutil
import sqlite3

import pytest

from api_server import log_store
from api_server.log_hook import MAX_ENTRY_BYTES, MAX_HEADERS, MAX_NAME_LENGTH
from tests.api.conftest import LAB_KEY, api_app
from tests.conftest import TRUSTED

KIB = 1024


def log_of(client, run):
    response = client.get(f"/log?run={run}")
    assert response.status_code == 200
    return response.get_json()


def stored_size(entry):
    """The bytes an entry took in the store: its JSON without the id /log adds."""
    return len(json.dumps({key: value for key, value in entry.items() if key != "id"}))


def test_header_names_are_cut_like_values(client, log):
    client.get("/simple?run=names", headers={"X-" + "n" * 5000: "v"})
    [entry] = log("names")
    assert [name for name in entry["request_headers"] if name.startswith("x-")] == ["x-" + "n" * (MAX_NAME_LENGTH - 2)]


def test_at_most_so_many_headers_are_recorded_and_the_rest_counted(client, log):
    client.get("/simple?run=many", headers=[(f"X-Header-{number}", "v") for number in range(100)])
    [entry] = log("many")
    assert len(entry["request_headers"]) == MAX_HEADERS
    assert entry["not_recorded"] == 100 - MAX_HEADERS


def test_cookie_names_are_bounded_too(app, log):
    client = app.test_client(use_cookies=False)  # a client with a cookie jar writes the Cookie header itself
    client.get("/simple?run=cookies", headers={"Cookie": "; ".join(f"c{number}=v" for number in range(500))})
    [entry] = log("cookies")
    assert len(entry["request_headers"]["cookie"]) == MAX_HEADERS
    assert entry["not_recorded"] == 500 - MAX_HEADERS


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([(f"X-Big-{number}", "v" * 600) for number in range(40)], id="long-values"),
        pytest.param([(f"X-Big-{number}", "é" * 600) for number in range(40)], id="escaped-values"),
        pytest.param([("X-" + f"{number:03}" * 60, "v" * 600) for number in range(40)], id="long-names"),
    ],
)
def test_each_entry_is_bounded_and_says_it_was_shortened(client, log, headers):
    client.get("/simple?run=big&" + "q=" + "x" * 5000, headers=headers)
    [entry] = log("big")
    assert stored_size(entry) <= MAX_ENTRY_BYTES
    assert entry["shortened"] is True
    assert entry["path"] == "/simple" and entry["status"] == 200


def test_a_small_entry_is_not_marked(client, log):
    client.get("/simple?run=small", headers={"X-Small": "v"})
    [entry] = log("small")
    assert "shortened" not in entry and "not_recorded" not in entry


def test_the_logs_file_stays_within_its_byte_cap_and_runs_say_what_was_pruned(tmp_path):
    log_db = tmp_path / "wire.sqlite3"
    cap = 256 * KIB
    client = api_app(LOG_DB=str(log_db), LOG_MAX_BYTES=cap, LOG_LIMIT=100_000).test_client()
    big = [(f"X-Big-{number}", "v" * 500) for number in range(15)]  # about 8 KiB an entry
    for number in range(200):
        assert client.get(f"/simple?run=heavy&n={number}", headers=big).status_code == 200
    connection = sqlite3.connect(log_db)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    assert os.path.getsize(log_db) <= cap + 64 * KIB
    answer = log_of(client, "heavy")
    assert answer["pruned"] > 100
    assert len(answer["entries"]) + answer["pruned"] == 200
    # The newest survive, oldest first.
    assert answer["entries"][-1]["query"] == "run=heavy&n=199"
    numbers = [int(entry["query"].rsplit("=", 1)[1]) for entry in answer["entries"]]
    assert numbers == list(range(200 - len(numbers), 200))


def test_a_log_answer_is_bounded_and_says_when_there_is_more(tmp_path):
    client = api_app(LOG_DB=str(tmp_path / "wire.sqlite3"), LOG_ANSWER_LIMIT=5).test_client()
    for number in range(5):
        client.get(f"/simple?run=five&n={number}")
        client.get(f"/simple?run=eight&n={number}")
    for number in range(5, 8):
        client.get(f"/simple?run=eight&n={number}")
    assert log_of(client, "five")["truncated"] is False
    eight = log_of(client, "eight")
    assert (len(eight["entries"]), eight["truncated"], eight["pruned"]) == (5, True, 0)
    assert [entry["query"] for entry in eight["entries"]] == [f"run=eight&n={number}" for number in range(5)]


def test_the_default_answer_holds_500_entries(client):
    assert client.application.config["LOG_ANSWER_LIMIT"] == 500
    assert log_of(client, "none") == {"entries": [], "truncated": False, "pruned": 0}


def remove_database(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")


def login_and_transfer(client):
    assert client.post("/credentials/login", headers={"Origin": TRUSTED}).status_code == 200
    response = client.post(f"/security/transfer/none?run=csrf&lab_key={LAB_KEY}", data="100")
    assert response.status_code == 200


def evidence(client):
    """(logged in, the transfers of run csrf)."""
    transfers = client.get(f"/security/transfers?run=csrf&lab_key={LAB_KEY}").get_json()["transfers"]
    return client.get("/credentials/whoami").get_json()["logged_in"], transfers


def test_the_log_and_the_labs_state_are_two_files(app):
    assert os.path.dirname(app.config["STATE_DB"]) == os.path.dirname(app.config["LOG_DB"])
    assert app.config["STATE_DB"] != app.config["LOG_DB"]


def test_recycling_the_log_never_logs_out_nor_loses_csrf_evidence(app, client):
    login_and_transfer(client)
    before = evidence(client)
    assert before == (True, [{"defence": "none", "amount": "100"}])
    remove_database(app.config["LOG_DB"])
    assert client.get("/simple?run=after").status_code == 200
    assert evidence(client) == before


def test_pruning_the_log_never_logs_out_nor_loses_csrf_evidence(tmp_path):
    client = api_app(LOG_DB=str(tmp_path / "wire.sqlite3"), LOG_LIMIT=5, LOG_MAX_BYTES=64 * KIB).test_client()
    login_and_transfer(client)
    for number in range(300):
        client.get(f"/simple?run=flood&n={number}", headers={"X-Pad": "p" * 500})
    assert evidence(client) == (True, [{"defence": "none", "amount": "100"}])


def test_the_log_recreates_itself_if_deleted_while_running(app, client, log):
    client.get("/simple?run=first")
    remove_database(app.config["LOG_DB"])
    assert client.get("/simple?run=second").status_code == 200
    assert [entry["path"] for entry in log("second")] == ["/simple"]
    assert log("first") == []


def test_the_state_recreates_itself_if_deleted_while_running(app, client, log):
    assert client.post("/credentials/login?run=state", headers={"Origin": TRUSTED}).status_code == 200
    remove_database(app.config["STATE_DB"])
    assert client.get("/credentials/whoami?run=state").get_json() == {"logged_in": False}
    assert client.post("/no-cors?run=state", data="again").status_code == 200
    assert client.get("/no-cors/effects?run=state").get_json()["effects"][0]["body"] == "again"
    assert [entry["path"] for entry in log("state")] == ["/credentials/login", "/credentials/whoami", "/no-cors"]


# Everything in one file, as the lab kept it before: the log with the lab's state.
OLD_SCHEMA = """
CREATE TABLE wire_log (id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT NOT NULL, entry TEXT NOT NULL);
CREATE INDEX wire_log_by_run ON wire_log (run, id);
CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT NOT NULL UNIQUE);
CREATE TABLE no_cors_effects (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT NOT NULL, at REAL NOT NULL, body TEXT NOT NULL
);
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT NOT NULL, defence TEXT NOT NULL, amount TEXT NOT NULL
);
CREATE TABLE shared_cache (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, response TEXT NOT NULL);
INSERT INTO wire_log (run, entry) VALUES ('old', '{"method": "GET", "path": "/simple"}'), ('old', 'not json');
INSERT INTO sessions (token) VALUES ('old-token');
INSERT INTO transfers (run, defence, amount) VALUES ('csrf', 'none', '100');
"""


def old_database(path):
    connection = sqlite3.connect(path)
    connection.executescript(OLD_SCHEMA)
    connection.close()


def tables_and_version(path):
    connection = sqlite3.connect(path)
    try:
        names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return names - {"sqlite_sequence"}, connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()


def test_an_old_log_file_is_rebuilt_not_trusted(tmp_path):
    log_db = tmp_path / "wire-log.sqlite3"
    old_database(log_db)
    connection = sqlite3.connect(log_db)
    with connection:
        connection.executemany("INSERT INTO wire_log (run, entry) VALUES ('bulk', ?)", [("{}" + " " * 4096,)] * 500)
    connection.close()
    assert os.path.getsize(log_db) > 2 * KIB * KIB
    client = api_app(LOG_DB=str(log_db)).test_client()
    assert os.path.getsize(log_db) < 256 * KIB  # the old rows' space is given back
    assert log_of(client, "old") == {"entries": [], "truncated": False, "pruned": 0}
    assert client.get("/simple?run=new").status_code == 200
    assert [entry["path"] for entry in log_of(client, "new")["entries"]] == ["/simple"]
    tables, version = tables_and_version(log_db)
    assert tables == {"wire_log", "wire_log_pruned"} and version > 0


def test_an_old_file_as_the_state_keeps_its_tables_but_not_the_log(tmp_path):
    state_db = tmp_path / "old.sqlite3"
    old_database(state_db)
    client = api_app(LOG_DB=str(tmp_path / "wire.sqlite3"), STATE_DB=str(state_db)).test_client()
    client.set_cookie("lab_session", "old-token", domain="localhost")
    assert client.get("/credentials/whoami").get_json() == {"logged_in": True}
    assert evidence(client)[1] == [{"defence": "none", "amount": "100"}]
    tables, version = tables_and_version(state_db)
    assert tables == {"sessions", "no_cors_effects", "transfers", "shared_cache", "lab_keys"} and version > 0


def test_a_state_table_of_another_shape_is_replaced(tmp_path):
    state_db = tmp_path / "state.sqlite3"
    connection = sqlite3.connect(state_db)
    connection.execute("CREATE TABLE sessions (token TEXT)")
    connection.close()
    client = api_app(LOG_DB=str(tmp_path / "wire.sqlite3"), STATE_DB=str(state_db)).test_client()
    assert client.post("/credentials/login", headers={"Origin": TRUSTED}).status_code == 200
    assert client.get("/credentials/whoami").get_json() == {"logged_in": True}


def test_the_two_files_must_differ(tmp_path):
    with pytest.raises(ValueError, match="two files"):
        api_app(LOG_DB=str(tmp_path / "one.sqlite3"), STATE_DB=str(tmp_path / "one.sqlite3"))


def test_a_log_file_that_is_no_database_is_started_afresh(app, client, log, caplog):
    remove_database(app.config["LOG_DB"])
    with open(app.config["LOG_DB"], "wb") as broken:
        broken.write(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        assert client.get("/simple?run=afresh").status_code == 200
    assert [entry["path"] for entry in log("afresh")] == ["/simple"]
    assert any("starting it afresh" in record.getMessage() for record in caplog.records)


def test_a_failure_to_log_never_turns_a_good_answer_into_a_500(tmp_path, caplog):
    logs = tmp_path / "logs"
    logs.mkdir()
    app = api_app(LOG_DB=str(logs / "wire.sqlite3"), STATE_DB=str(tmp_path / "state.sqlite3"))
    client = app.test_client()
    shutil.rmtree(logs)  # SQLite can no longer open the log's file at all
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        response = client.get("/simple?run=broken", headers={"Origin": TRUSTED})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert response.get_json()["endpoint"] == "/simple"
    assert any("wire log did not record" in record.getMessage() for record in caplog.records)


def test_no_sqlite_error_while_recording_reaches_the_answer(client, monkeypatch):
    def full(run, entry, part):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(log_store, "append", full)
    for method, path in [("GET", "/simple"), ("PUT", "/preflight"), ("POST", "/no-cors"), ("GET", "/lab?acao=*")]:
        assert client.open(f"{path}{'&' if '?' in path else '?'}run=full", method=method).status_code == 200
