"""Password rules: at least 12 characters, not a common password, not guessable from the user's own
details (zxcvbn's estimate, which knows the 30,000 most common passwords and their variants)."""

from __future__ import annotations

from functools import cache

from shared.errors import ValidationFailed

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", ~10^8 guesses
# zxcvbn refuses longer input (ValueError); its estimate of the first 72 characters is a lower bound
# for the whole password, so a longer passphrase (up to Cognito's 256) is judged by that prefix.
ZXCVBN_MAX_LENGTH = 72


def check_password(password: str, *personal: str | None) -> None:
    if len(password) < MIN_LENGTH:
        raise _weak(f"Use at least {MIN_LENGTH} characters.")
    from zxcvbn import zxcvbn  # lazily: its word lists cost ~30 ms to load, only when a password is set

    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[value for value in personal if value])
    if password.lower() in _common() or result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "Avoid common words, names and patterns."
        raise _weak(f"This password is too easy to guess. {hint}".strip())


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _weak(message: str) -> ValidationFailed:
    return ValidationFailed(message, [{"field": "password", "message": message}])
