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


# Every experiment's expectations for `engine` (null: the catalogue's own, before any engine's),
# and the differences its entry writes for that engine.
SELECT = """async ([engine, pageOrigin]) => {
  const { EXPERIMENT_DATA } = await import('/js/catalogues/experiments-catalogue.js');
  const { withEngine } = await import('/js/catalogues/engine-expectations.js');
  const ctx = { pageOrigin, api: 'http://localhost:8001', cookies: {} };
  const pick = (entry) => (engine ? withEngine(entry, engine) : entry);
  return Object.fromEntries(EXPERIMENT_DATA.map((entry) => [entry.id, {
    expected: pick(entry).expected(ctx),
    engineFacts: pick(entry).engineFacts?.(ctx) ?? [],
    differs: (engine && entry.engines?.[engine]?.(ctx)) ?? {},
  }]));
}"""


@pytest.mark.parametrize(
    ("engine", "framed", "differs"),
    [
        pytest.param("chromium", True, False, id="chromium-expects-the-catalogue"),
        pytest.param("firefox", False, False, id="firefox-at-top-level"),
        pytest.param("firefox", True, True, id="firefox-in-a-cross-site-frame"),
        pytest.param("webkit", False, False, id="webkit-at-top-level"),
        pytest.param("webkit", True, True, id="webkit-in-a-cross-site-frame"),
    ],
)
def test_each_engine_gets_its_own_expectations_only_where_it_differs(js, static_server, engine, framed, differs):
    # The test's page is on 127.0.0.1: an experiment on localhost runs in a cross-site frame of it.
    page_origin = "http://localhost:8000" if framed else f"http://127.0.0.1:{static_server}"
    chosen = js.evaluate(SELECT, [engine, page_origin])
    catalogue = js.evaluate(SELECT, [None, page_origin])
    own = {experiment: selected["differs"] for experiment, selected in chosen.items() if selected["differs"]}
    # An engine differs only in a cross-site frame, and only where an entry says so.
    assert bool(own) is differs
    for experiment, selected in chosen.items():
        assert selected["expected"] == {**catalogue[experiment]["expected"], **own.get(experiment, {})}
        assert sorted(selected["engineFacts"]) == sorted(own.get(experiment, {}))


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
