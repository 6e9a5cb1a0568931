"""The message catalogues: the same keys in every language, and every key the code names exists."""

import json
import re

import pytest

from frontend_server import STATIC_DIR
from frontend_server.pages import PAGES

CATALOGUES = {path.stem: json.loads(path.read_text()) for path in (STATIC_DIR / "i18n").glob("*.json")}
ENGLISH = CATALOGUES["en"]


def test_both_languages_exist():
    assert set(CATALOGUES) == {"en", "zh-CN"}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_key_exists_in_every_catalogue(language):
    assert set(CATALOGUES[language]) == set(ENGLISH)


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_translations_keep_placeholders_and_code_spans(key):
    chinese = CATALOGUES["zh-CN"][key]
    assert set(re.findall(r"\{(\w+)\}", chinese)) == set(re.findall(r"\{(\w+)\}", ENGLISH[key]))
    assert chinese.count("`") == ENGLISH[key].count("`")
    assert chinese.strip(), "empty translation"


def test_every_literal_key_named_in_the_pages_exists(client):
    named = set()
    # The pages as served (templates rendered), and the static ones.
    pages = [client.get(path).get_data(as_text=True) for path in PAGES]
    pages += [path.read_text() for path in STATIC_DIR.glob("*.html")]
    for page in pages:
        named |= set(re.findall(r'data-i18n(?:-placeholder)?="([^"]+)"', page))
    for path in STATIC_DIR.rglob("*.js"):
        # t(), rich() and translate(), the name the model's modules give the pages' t().
        named |= set(re.findall(r"\b(?:t|rich|translate)\('([a-z][\w.-]*)'", path.read_text()))
    assert named, "found no message keys at all"
    assert sorted(named - set(ENGLISH)) == []


def test_the_note_is_quoted_in_the_original_in_both_languages():
    quotes = [key for key in ENGLISH if key.endswith(".quote")]
    assert len(quotes) == 10
    for key in quotes:
        assert CATALOGUES["zh-CN"][key] == ENGLISH[key]
    assert "这一段什么意思" in ENGLISH["section.credentials.quote"]


# The engine versions each expectation was verified in, written once (model/verified.js: VERIFIED).
VERIFIED = dict(
    re.findall(
        r"(\w+): '([^']+)'",
        re.search(r"export const VERIFIED = \{([^}]*)\}", (STATIC_DIR / "js" / "model" / "verified.js").read_text())[1],
    )
)


def test_no_message_writes_an_engine_version_itself():
    """A version bump is one edit: messages take the versions as parameters ({chromium}, ...)."""
    assert set(VERIFIED) == {"chromium", "firefox", "webkit"}
    versions = [re.escape(version) for version in VERIFIED.values()]
    written = {
        (language, key)
        for language, messages in CATALOGUES.items()
        for key, text in messages.items()
        if re.search("|".join(versions), text)
    }
    assert written == set()
