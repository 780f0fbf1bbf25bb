"""Every message key the subscription pages ask for exists in their catalogs (a missing key would show
the raw key on the page): the keys named in `t("subscriptions.…")` / `t("staff_subscriptions.…")`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web" / "src"
PAGES = [
    *sorted((WEB / "pages").glob("Subscription*.tsx")),
    *sorted((WEB / "staff" / "subscriptions").glob("*.tsx")),
]
KEY = re.compile(r"""["']((?:staff_)?subscriptions)\.([a-z_]+)["']""")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_key_a_subscription_page_uses_is_in_its_catalog(page: Path) -> None:
    used = KEY.findall(page.read_text(encoding="utf-8"))
    assert used, f"{page.name} names no message"
    for area, key in used:
        catalog = json.loads((WEB / "i18n" / "en" / f"{area}.json").read_text(encoding="utf-8"))
        assert key in catalog, f"{page.name} uses {area}.{key}, not in en/{area}.json"
