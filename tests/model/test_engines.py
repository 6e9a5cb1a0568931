"""Engine detection (static/js/core/engine.js), the choice of each engine's expectations
(catalogues/engine-expectations.js) and the model where engines differ (client hints, Max-Age
caps), in one page of the model tests' static server. `make test-engines` checks them in the
engines themselves."""

import pytest

from .conftest import outcome, predict

USER_AGENTS = [
    pytest.param(
        "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
        {"id": "firefox", "name": "Firefox", "version": "153"},
        id="firefox-esr-153",
    ),
    pytest.param(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15",
        {"id": "webkit", "name": "WebKitGTK", "version": ""},
        id="webkitgtk-2.50",
    ),
    pytest.param(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.4 "
        "Safari/605.1.15",
        {"id": "webkit", "name": "Safari", "version": "18.4"},
        id="safari-18",
    ),
    pytest.param(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
        {"id": "chromium", "name": "Chromium", "version": "156"},
        id="headless-chromium-156",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 "
        "Safari/537.36 Edg/140.0.0.0",
        {"id": "chromium", "name": "Chromium", "version": "140"},
        id="edge-is-chromium",
    ),
    pytest.param("curl/8.5.0", {"id": "other", "name": "", "version": ""}, id="unknown"),
]


@pytest.mark.parametrize(("user_agent", "engine"), USER_AGENTS)
def test_the_engine_is_detected_from_the_user_agent(js, user_agent, engine):
    detect = "async (ua) => (await import('/js/core/engine.js')).detectEngine(ua)"
    assert js.evaluate(detect, user_agent) == engine


SELECT = """async ([engine, pageOrigin]) => {
  const { EXPERIMENTS } = await import('/js/catalogues/experiment-runner.js');
  const { withEngine } = await import('/js/catalogues/engine-expectations.js');
  const ctx = { pageOrigin, api: 'http://localhost:8001', cookies: {} };
  // engine null: the catalogue's own experiment, before any engine's expectations
  const find = (id) => EXPERIMENTS.find((experiment) => experiment.id === id);
  const pick = (id) => (engine ? withEngine(find(id), engine) : find(id));
  return Object.fromEntries(['held-credentials-need-with-credentials', 'samesite-lax-cross-site', 'simple-get'].map(
    (id) => [id, { expected: pick(id).expected(ctx), engineFacts: pick(id).engineFacts?.(ctx) ?? [] }]));
}"""


@pytest.mark.parametrize(
    ("engine", "framed", "own"),
    [
        pytest.param("chromium", True, {}, id="chromium-expects-the-catalogue"),
        pytest.param("firefox", False, {}, id="firefox-at-top-level"),
        pytest.param(
            "firefox",
            True,
            {"held-credentials-need-with-credentials": {"authorizationOnWire": [False, False], "serverStatus": 401}},
            id="firefox-in-a-cross-site-frame",
        ),
        pytest.param(
            "webkit", True, {"samesite-lax-cross-site": {"cookieSent": True}}, id="webkit-in-a-cross-site-frame"
        ),
    ],
)
def test_each_engine_gets_its_own_expectations_only_where_it_differs(js, static_server, engine, framed, own):
    # The test's page is on 127.0.0.1: an experiment on localhost runs in a cross-site frame of it.
    page_origin = "http://localhost:8000" if framed else f"http://127.0.0.1:{static_server}"
    chosen = js.evaluate(SELECT, [engine, page_origin])
    catalogue = js.evaluate(SELECT, [None, page_origin])
    for experiment_id, selected in chosen.items():
        differs = own.get(experiment_id, {})
        assert selected["expected"] == {**catalogue[experiment_id]["expected"], **differs}
        assert sorted(selected["engineFacts"]) == sorted(differs)


def test_only_chromium_safelists_its_client_hints(js):
    hint = {"Save-Data": "on", "DPR": "1.5"}
    assert outcome(predict(js, headers=hint, acao="echo")) == (False, True, True)
    for engine in ("firefox", "webkit"):
        prediction = js.evaluate(
            """async ([engine, headers]) => (await import('/js/model/cors-model.js')).predict(
                 { pageOrigin: 'http://localhost:8000', method: 'GET', headers, credentials: false, engine },
                 { acao: 'echo' }, window.translate)""",
            [engine, hint],
        )
        assert outcome(prediction) == (True, False, False), engine
        assert any("on Chromium's own safelist only" in reason for reason in prediction["reasons"])


def test_each_engine_caps_max_age_its_own_way(js):
    caps = js.evaluate(
        """async () => {
          const { cacheSeconds } = await import('/js/model/fetch-rules.js');
          return ['chromium', 'firefox', 'webkit'].map((engine) => [cacheSeconds('100000', engine), cacheSeconds('-1', engine)]);
        }"""
    )
    assert caps == [[7200, 0], [86400, 0], [600, 0]]
