"""What another website sends cannot erase the learner's evidence: the wire log and /no-cors's
effects keep the lab's own traffic apart from the rest (api_server/traffic.py).

Plain HTTP as a browser sends it from another site: no Origin (its images, scripts, forms and
no-cors GETs) or its own Origin (its no-cors POSTs), never the lab's run tag, which only the
lab's pages read (/config.json).
"""

from api_server import lessons, log_store
from tests.api.conftest import LAB_KEY, api_app
from tests.conftest import TRUSTED

LIMIT = 10
# What a browser sends for another site's <script src>, <img>, GET form or no-cors GET.
NO_ORIGIN = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
ANOTHER_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}


def small_log(tmp_path):
    return api_app(LOG_DB=str(tmp_path / "wire.sqlite3"), LOG_LIMIT=LIMIT).test_client()


def flood(client, runs, times, path="/simple", headers=NO_ORIGIN):
    for number in range(times):
        client.get(f"{path}?run=outside-{number % runs}", headers=headers)


def answer(client, run):
    response = client.get(f"/log?run={run}")
    assert response.status_code == 200
    return response.get_json()


def test_another_sites_flood_prunes_its_own_runs_never_the_learners(tmp_path):
    client = small_log(tmp_path)
    for number in range(5):  # the learner's run, from the lab's page
        client.get(f"/simple?run=learner&n={number}", headers={"Origin": TRUSTED})
    flood(client, runs=20, times=40)
    learner = answer(client, "learner")
    assert [entry["query"] for entry in learner["entries"]] == [f"run=learner&n={number}" for number in range(5)]
    assert learner["pruned"] == 0
    # The flood's own part stayed within its bound, and every entry it lost is counted.
    flooded = [answer(client, f"outside-{number}") for number in range(20)]
    assert sum(len(run["entries"]) for run in flooded) == LIMIT
    assert sum(len(run["entries"]) + run["pruned"] for run in flooded) == 40


def test_the_labs_own_requests_without_an_origin_are_the_learners(tmp_path):
    """The lab's JSONP is a script element: no Origin, but its run id carries the lab's tag. A run
    id that only looks like one (a near tag, a sandboxed frame's null Origin) is outside."""
    from lab_contract import run_tag

    tag = run_tag(LAB_KEY)
    client = small_log(tmp_path)
    jsonp_run = f"jsonp-{tag}cafe"
    client.get(f"/jsonp?callback=cb&run={jsonp_run}", headers={"Sec-Fetch-Dest": "script", **NO_ORIGIN})
    for number in range(LIMIT + 2):
        client.get(f"/simple?run=guess-{tag[:-1]}x{number}", headers={"Origin": "null"})
    flood(client, runs=4, times=LIMIT + 2)
    jsonp = answer(client, jsonp_run)
    assert ([entry["path"] for entry in jsonp["entries"]], jsonp["pruned"]) == (["/jsonp"], 0)
    assert answer(client, f"guess-{tag[:-1]}x0")["pruned"] == 1


def test_the_learners_pruned_counts_outlive_a_flood_over_many_runs(tmp_path, monkeypatch):
    """Each part keeps the counts of its own KEPT_PRUNED_RUNS runs pruned last."""
    monkeypatch.setattr(log_store, "KEPT_PRUNED_RUNS", 10)
    client = small_log(tmp_path)
    for number in range(5):
        client.get(f"/simple?run=earlier&n={number}", headers={"Origin": TRUSTED})
    for number in range(LIMIT):  # the learner's later runs push the earlier one out
        client.get(f"/simple?run=later-{number}", headers={"Origin": TRUSTED})
    assert answer(client, "earlier") == {"entries": [], "truncated": False, "pruned": 5}
    flood(client, runs=30, times=40)  # far more runs pruned than the counts kept
    assert answer(client, "earlier") == {"entries": [], "truncated": False, "pruned": 5}


def test_another_sites_posts_never_erase_the_learners_no_cors_effects(tmp_path, monkeypatch):
    monkeypatch.setattr(lessons, "KEPT_EFFECTS", 10)
    client = small_log(tmp_path)
    assert client.post("/no-cors?run=learner", data="transfer=100", headers={"Origin": TRUSTED}).status_code == 200
    for number in range(15):
        response = client.post(f"/no-cors?run=outside-{number}", data="x", headers=ANOTHER_SITE)
        assert response.status_code == 200  # the lesson holds: a no-cors POST takes effect
    effects = client.get("/no-cors/effects?run=learner").get_json()["effects"]
    assert [effect["body"] for effect in effects] == ["transfer=100"]
    assert client.get("/no-cors/effects?run=outside-0").get_json()["effects"] == []
    assert len(client.get("/no-cors/effects?run=outside-14").get_json()["effects"]) == 1
