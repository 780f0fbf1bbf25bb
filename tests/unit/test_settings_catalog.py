"""The Portal settings page explains every module and customer action the API knows
(shared/preferences.py), in every language: the page's lists and the catalogs are the one place the
explanations live, and they follow the API's names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from shared.preferences import ACTION_LABELS, MODULE_LABELS

WEB = Path(__file__).resolve().parents[2] / "web" / "src"
PAGE = (WEB / "staff" / "settings" / "PortalSettings.tsx").read_text(encoding="utf-8")


def _listed(constant: str) -> list[str]:
    match = re.search(rf"export const {constant} = \[(.*?)\];", PAGE, flags=re.S)
    assert match, f"{constant} not found in PortalSettings.tsx"
    return re.findall(r'"([a-z_]+)"', match.group(1))


def test_the_page_lists_every_module_and_action_of_the_api() -> None:
    assert sorted(_listed("MODULES")) == sorted(MODULE_LABELS)
    assert sorted(_listed("ACTIONS")) == sorted(ACTION_LABELS)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_each_has_a_label_and_a_one_line_explanation(locale: str) -> None:
    catalog = json.loads((WEB / "i18n" / locale / "staff_settings.json").read_text(encoding="utf-8"))
    for kind, names in (("module", MODULE_LABELS), ("action", ACTION_LABELS)):
        for name in names:
            assert catalog.get(f"{kind}.{name}"), f"{locale}: {kind}.{name}"
            help_text = catalog.get(f"{kind}.{name}.help", "")
            assert help_text and "\n" not in help_text, f"{locale}: {kind}.{name}.help"
