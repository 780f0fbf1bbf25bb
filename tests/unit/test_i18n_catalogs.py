"""The SPA's message catalogs (web/src/i18n/<locale>/<area>.json): every language has every key of
every area, with the same placeholders, so no page shows a raw key or loses a value in one language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CATALOGS = Path(__file__).resolve().parents[2] / "web" / "src" / "i18n"
LOCALES = ("en", "ar")
# An ICU argument: {name}, {count, plural, ...}, {when, date, ...}; "#" and plural branches aside.
ARGUMENT = re.compile(r"\{\s*([A-Za-z_][\w]*)\s*[,}]")


def _areas() -> list[str]:
    return sorted({path.stem for locale in LOCALES for path in (CATALOGS / locale).glob("*.json")})


def _load(locale: str, area: str) -> dict[str, str]:
    path = CATALOGS / locale / f"{area}.json"
    assert path.exists(), f"{locale} has no catalog for the area {area!r}"
    messages = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(messages, dict) and all(isinstance(v, str) and v for v in messages.values())
    return messages


def test_there_are_catalogs() -> None:
    assert "common" in _areas()


@pytest.mark.parametrize("area", _areas())
def test_every_language_has_every_key_with_the_same_placeholders(area: str) -> None:
    english = _load("en", area)
    for locale in LOCALES[1:]:
        other = _load(locale, area)
        assert sorted(set(english) - set(other)) == [], f"missing in {locale}/{area}.json"
        assert sorted(set(other) - set(english)) == [], f"not in en/{area}.json"
        for key, text in english.items():
            assert set(ARGUMENT.findall(text)) == set(ARGUMENT.findall(other[key])), (
                f"{locale}/{area}.json {key!r} has other placeholders than English"
            )
