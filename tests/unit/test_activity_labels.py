"""Every activity type the notifications service records has a label in both languages and is
offered in the staff feed's type filter, so no page shows a raw type like `subscription_changed`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

from services.notifications.schemas import ActivityType

WEB = Path(__file__).resolve().parents[2] / "web" / "src"


def test_every_activity_type_is_labelled_and_filterable() -> None:
    types = set(get_args(ActivityType))
    page = (WEB / "pages" / "ActivityStaff.tsx").read_text(encoding="utf-8")
    listed = page[page.index("export const ACTIVITY_TYPES") :]
    listed = listed[: listed.index("];")]
    assert set(re.findall(r'"([a-z_]+)"', listed)) == types
    for locale in ("en", "ar"):
        labels = json.loads((WEB / "i18n" / locale / "staff_activity.json").read_text(encoding="utf-8"))
        assert types <= {key.removeprefix("type.") for key in labels}, locale
