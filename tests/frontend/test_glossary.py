"""One glossary per language (docs/glossary.json): the catalogues use its terms, never a variant it rejects.

English variants are whole words, matched case-insensitively outside `code spans`; Chinese variants are
substrings. A synonym the glossary names (跨域) appears exactly where it says, and nowhere else."""

import json
import re
from pathlib import Path

import pytest

from frontend_server import STATIC_DIR

GLOSSARY = json.loads((Path(__file__).resolve().parents[2] / "docs" / "glossary.json").read_text())
LANGUAGES = ("en", "zh-CN")
CATALOGUES = {language: json.loads((STATIC_DIR / "i18n" / f"{language}.json").read_text()) for language in LANGUAGES}


def checked(language):
    """The catalogue's values the glossary governs: all but the note's own words, quoted verbatim."""
    exempt = tuple(GLOSSARY["exempt_key_suffixes"])
    return {key: text for key, text in CATALOGUES[language].items() if not key.endswith(exempt)}


def found(language, variant, text):
    if language == "en":
        prose = re.sub(r"`[^`]*`", " ", text)
        return re.search(rf"(?<![\w-]){re.escape(variant)}(?![\w-])", prose, re.IGNORECASE) is not None
    return variant in text


def test_the_glossary_covers_both_languages():
    assert set(GLOSSARY) >= set(LANGUAGES)
    for language in LANGUAGES:
        for entry in GLOSSARY[language]:
            assert entry["term"] and isinstance(entry["rejected"], list), entry


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_value_uses_a_rejected_variant(language):
    allowed = {
        (entry["synonym"]["word"], key)
        for entry in GLOSSARY[language]
        if "synonym" in entry
        for key in entry["synonym"]["keys"]
    }
    offences = [
        f"{key}: {variant!r} (the glossary says {entry['term']!r})"
        for entry in GLOSSARY[language]
        for variant in entry["rejected"]
        for key, text in checked(language).items()
        if (variant, key) not in allowed and found(language, variant, text)
    ]
    assert not offences, f"{len(offences)} values of {language}.json use a variant the glossary rejects:\n" + "\n".join(
        offences
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_named_synonym_appears_where_the_glossary_says(language):
    for entry in GLOSSARY[language]:
        if "synonym" not in entry:
            continue
        word, keys = entry["synonym"]["word"], entry["synonym"]["keys"]
        assert keys, f"{word!r}: name the keys where the learner first meets the term"
        for key in keys:
            text = CATALOGUES[language][key]
            assert found(language, word, text), f"{key}: should name {word!r}"
            assert found(language, entry["term"], text), f"{key}: should name {word!r} beside {entry['term']!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_is_used(language):
    """A glossary term the catalogue never uses is a decision nobody follows: the term or the glossary is wrong."""
    values = " ".join(checked(language).values())
    for entry in GLOSSARY[language]:
        words = [word.strip() for word in entry["term"].split("/")]
        assert any(found(language, word, values) for word in words), f"{entry['term']!r} is never used"
