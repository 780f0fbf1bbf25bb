"""A person's name as a stranger may type it (self sign-up, a contact person a customer adds): it goes
into mails the tenant sends, so it must not make a link or a second line there."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Words of letters joined by spaces, hyphens, apostrophes or commas, a word may end with a full stop
# ("J. R. Smith, Jr."). No digits, no "evil.example", no "://", no line break. Models using it set
# `regex_engine="python-re"`: the Rust engine's \w differs on a few characters (e.g. "²") from what the
# OpenAPI document's readers (jsonschema, schemathesis) use, so a valid example could be refused.
PERSON_NAME_PATTERN = r"^[^\W\d_]+\.?(?:[ '’,-]+[^\W\d_]+\.?)*$"

PersonName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=60,
        pattern=PERSON_NAME_PATTERN,
        description="Letters, spaces, hyphens, apostrophes, commas and full stops after a word.",
    ),
]
