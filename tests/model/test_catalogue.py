"""The experiments' catalogue (static/js/catalogues/experiments-catalogue.js) is the one place an
experiment's expectations live: each entry holds its requests, wire, facts and engines' differences
with its words in both languages, and no other module, package or test keys anything by its id.
Adding an experiment that needs no new endpoint or rule is its entry and its two translations."""

import json
import re
from pathlib import Path

import pytest

from frontend_server import STATIC_DIR

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ["js/catalogues/experiments-catalogue.js", "js/catalogues/experiments/"]
MESSAGES = {path.stem: json.loads(path.read_text()) for path in (STATIC_DIR / "i18n").glob("*.json")}

# Ids that tests name, each to open or run that one card for a feature of the pages (or, in the
# model's fact tests, to judge a made-up run of that entry), never to hold its expectations.
NAMED_IN_TESTS = {
    # The index's quick checks, and cards the page tests open by name.
    "simple-get": "the index's quick check; fact, code-sample and engine tests",
    "preflight-put": "the index's quick check; the note link and languages tests",
    "refused-origin": "the code panel and the untrusted page's languages test",
    "expose-headers": "the languages test",
    "httponly-and-ports": "the code panel, the languages test",
    "jsonp-from-untrusted-origin": "the languages test",
    "same-origin-baseline": "its two wires side by side, its preparation in the code panel",
    "cookies-sent-with-credentials": "the cookie note of a frame; fact tests",
    "page-cookie-same-host": "the code panel; fact tests",
    "held-credentials-need-with-credentials": "the cookie note of a frame; the code panel",
    "jsonp-only-get": "another site floods the wire log during the learner's JSONP run",
    "samesite-none-cross-site": "the cookie claim said not to hold where the cookie did not go",
    # Made-up runs judged by model/facts.js (tests/model/test_facts.py).
    "safelisted-request-headers": "fact tests",
    "cookies-not-sent-by-default": "fact tests",
    "other-host-cookie": "fact tests",
    "page-cookie-stays-home": "fact tests",
    "preflight-refused-method": "fact tests",
    "error-500-without-cors": "fact tests",
    "error-500-with-cors": "fact tests",
    "redirect-post-becomes-get": "fact tests",
    "authorization-header-preflighted": "fact tests",
}
# Ids that are also the name of a header the lab sends (Last-Event-ID), in any module.
HEADER_NAMES = {"last-event-id"}

ENTRIES = """async () => {
  const { EXPERIMENT_DATA } = await import('/js/catalogues/experiments-catalogue.js');
  const ctx = { api: 'http://api', alias: 'http://alias', pageOrigin: 'http://page', run: 'RUN', cookies: {},
    basicAuth: { user: 'u', password: 'p' }, cookieSupport: { lax: true, thirdParty: true } };
  return EXPERIMENT_DATA.map((entry) => ({
    id: entry.id,
    family: entry.text?.[0] ?? entry.id,
    note: Boolean(entry.noteDiffers || entry.noteImprecise),
    indexCheck: Boolean(entry.indexCheck),
    steps: entry.steps(ctx).length,
    wire: entry.wire,
    headers: entry.headers?.(ctx) ?? [],
    expected: entry.expected(ctx),
    engines: Object.keys(entry.engines ?? {}),
  }));
}"""


@pytest.fixture(scope="module")
def entries(js):
    return js.evaluate(ENTRIES)


def named(ids, text):
    """The ids ``text`` names: as a whole word, or in a card's selector (#exp-<id>, #check-<id>);
    a pytest case id (``id="..."``) named after the experiment it mirrors does not count."""
    text = re.sub(r"""\bid=(["']).*?\1""", "", text)
    return {
        experiment
        for experiment in ids
        if re.search(rf"(?:(?<![\w-])|(?<=exp-)|(?<=check-)){re.escape(experiment)}(?![\w-])", text)
    }


def sources(folder, pattern):
    return {path.relative_to(ROOT).as_posix(): path.read_text() for path in (ROOT / folder).rglob(pattern)}


def test_every_entry_holds_its_wire_facts_and_words(entries):
    assert len({entry["id"] for entry in entries}) == len(entries)
    for entry in entries:
        # 'METHOD status, ...' of each request that reaches the API, '' where none does.
        assert re.fullmatch(r"([A-Z]+ \d{3})(, [A-Z]+ \d{3})*|", entry["wire"]), entry["id"]
        assert all(side in ("request", "response") for _, side, _, _ in entry["headers"]), entry["id"]
        assert entry["steps"] == 0 or "readable" in entry["expected"], entry["id"]
        assert set(entry["engines"]) <= {"firefox", "webkit"}, entry["id"]
        parts = ["title", "rule", *(["differs"] if entry["note"] else [])]
        keys = [f"exp.{entry['family']}.{part}" for part in parts]
        keys += [f"index.refused.{entry['id']}"] if entry["indexCheck"] else []
        for language, messages in MESSAGES.items():
            assert [key for key in keys if key not in messages] == [], language


def test_no_module_outside_the_catalogue_names_an_experiment(entries):
    ids = {entry["id"] for entry in entries} - HEADER_NAMES
    modules = sources("frontend_server/static/js", "*.js")
    outside = {path: text for path, text in modules.items() if not any(part in path for part in CATALOGUE)}
    assert len(outside) > 30
    assert {path: named(ids, text) for path, text in outside.items() if named(ids, text)} == {}


@pytest.mark.parametrize("package", ["api_server", "frontend_server", "lab_contract", "labctl"])
def test_no_package_names_an_experiment(entries, package):
    ids = {entry["id"] for entry in entries} - HEADER_NAMES
    files = {**sources(package, "*.py"), **sources(package, "*.html")}
    assert {path: named(ids, text) for path, text in files.items() if named(ids, text)} == {}


def test_tests_name_only_the_cards_they_exercise(entries):
    ids = {entry["id"] for entry in entries} - HEADER_NAMES
    assert set(NAMED_IN_TESTS) <= ids, "an id the allowlist names is no experiment any more"
    tests = sources("tests", "*.py")
    names = {path: named(ids, text) for path, text in tests.items()}
    # The experiments' end-to-end test takes every experiment from the catalogue: it names none.
    assert names["tests/e2e/test_experiments.py"] == set()
    assert {path: found - set(NAMED_IN_TESTS) for path, found in names.items() if found - set(NAMED_IN_TESTS)} == {}
