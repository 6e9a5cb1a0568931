"""The message catalogues: the same keys in every language, and every key the code names exists."""

import json
import re

import pytest

from frontend_server import STATIC_DIR

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


def test_every_literal_key_named_in_the_pages_exists():
    named = set()
    for path in STATIC_DIR.rglob("*"):
        if path.suffix == ".js":
            named |= set(re.findall(r"\bt\('([a-z][\w.-]*)'", path.read_text()))
            named |= set(re.findall(r"\brich\('([a-z][\w.-]*)'", path.read_text()))
        elif path.suffix == ".html":
            named |= set(re.findall(r'data-i18n(?:-placeholder)?="([^"]+)"', path.read_text()))
    assert named, "found no message keys at all"
    assert sorted(named - set(ENGLISH)) == []


def test_the_note_is_quoted_in_the_original_in_both_languages():
    quotes = [key for key in ENGLISH if key.endswith(".quote")]
    assert len(quotes) == 6
    for key in quotes:
        assert CATALOGUES["zh-CN"][key] == ENGLISH[key]
    assert "这一段什么意思" in ENGLISH["section.credentials.quote"]
