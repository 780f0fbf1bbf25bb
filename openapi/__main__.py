"""`python -m openapi` writes openapi/openapi.json (routes without a contract are left out and
listed; the exit status is then 1); `python -m openapi --check` fails if the file is stale."""

from __future__ import annotations

import sys

from openapi import DOCUMENT, REGENERATE, problems, render


def main(argv: list[str]) -> int:
    text = render(strict=False)
    if "--check" in argv:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
            print(f"{DOCUMENT} is out of date: run `{REGENERATE}` and commit it.", file=sys.stderr)
            return 1
        print(f"{DOCUMENT} is up to date.")
    else:
        DOCUMENT.write_text(text)
        print(f"wrote {DOCUMENT}")
    missing = problems()
    for problem in missing:
        print(f"not documented: {problem}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
