"""No user-visible text hard-coded in the SPA's components: every word a person reads comes from the
message catalogs through t() (web/src/i18n.ts), so Arabic never shows an English leftover. Covers
every .tsx under web/src, including pages added later."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
SCANNER = Path(__file__).with_name("jsx_literals.mjs")
# Pages allowed to keep literals while their owners convert them (none now: keep it empty).
CONVERTED_ELSEWHERE: set[str] = set()


def _literals(files: list[Path]) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node, "node is needed to parse the SPA's TSX (make web installs its packages)"
    assert (WEB / "node_modules" / "typescript").is_dir(), "run `make web` first (web/node_modules)"
    done = subprocess.run(
        [node, str(SCANNER), str(WEB), *map(str, files)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_no_component_shows_a_literal_string() -> None:
    files = [
        f for f in sorted((WEB / "src").rglob("*.tsx")) if str(f.relative_to(WEB)) not in CONVERTED_ELSEWHERE
    ]
    assert files
    found = [
        f"{Path(str(hit['file'])).relative_to(WEB)}:{hit['line']}: {hit['what']}" for hit in _literals(files)
    ]
    assert found == [], "use t() for these texts:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("<p>Hello</p>", 1),
        ('<input aria-label="Search" />', 1),
        ("<input placeholder={`Name`} />", 1),
        ('<b>{busy ? "Saving…" : t("a.save")}</b>', 1),
        ("<p>{t('a.hello')} · {count}</p>", 0),
        ('<ListCard emptyText="No invoices yet." list={list} />', 1),
        ('<a class="button-secondary title-action" href="/pay">{t("a.pay")}</a>', 0),
        ('<input type="url" placeholder="https://" />', 0),  # an address to type, not words
        ('<input aria-label={t("a.search")} id="x" />', 0),
        ("const x = useState<Error | null>(null); const y = call<{ a: string }>('/me');", 0),
    ],
)
def test_the_scanner_sees_literals_and_only_them(tmp_path: Path, snippet: str, expected: int) -> None:
    sample = tmp_path / "Sample.tsx"
    sample.write_text(f"export const X = () => {{ {snippet}; return null; }};\n", encoding="utf-8")
    assert len(_literals([sample])) == expected
