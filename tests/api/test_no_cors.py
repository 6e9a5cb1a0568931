from tests.conftest import TRUSTED, cors_header_names


def test_get_never_carries_a_cors_header(client):
    response = client.get("/no-cors", headers={"Origin": TRUSTED})
    assert response.status_code == 200
    assert cors_header_names(response) == []


def test_post_takes_effect_although_the_page_cannot_read_the_answer(client):
    response = client.post(
        "/no-cors?run=csrf-1", headers={"Origin": TRUSTED, "Content-Type": "text/plain"}, data="transfer=100"
    )
    assert response.status_code == 200
    assert cors_header_names(response) == []
    effects = client.get("/no-cors/effects?run=csrf-1")
    assert effects.headers["Access-Control-Allow-Origin"] == "*"
    assert [effect["body"] for effect in effects.get_json()["effects"]] == ["transfer=100"]


def test_effects_are_kept_per_run(client):
    client.post("/no-cors?run=one", data="first")
    client.post("/no-cors?run=two", data="second")
    assert [e["body"] for e in client.get("/no-cors/effects?run=two").get_json()["effects"]] == ["second"]


def test_effects_need_a_valid_run_id(client):
    response = client.get("/no-cors/effects?run=bad id")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "run"


def test_reading_the_effects_is_not_recorded_in_the_log(client, log):
    client.post("/no-cors?run=quiet", data="x")
    client.get("/no-cors/effects?run=quiet")
    assert [entry["path"] for entry in log("quiet")] == ["/no-cors"]
