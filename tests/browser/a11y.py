"""axe-core (web/node_modules, pinned in web/package.json) run inside the page under test.

The script goes in through Playwright's evaluate (DevTools protocol), so the portal's
Content-Security-Policy, which refuses inline scripts, stays on for the app itself."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def accessibility_violations(page: Page) -> list[dict[str, object]]:
    """Serious and critical axe violations on the page as it is now (rule, impact, nodes)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"
    )
    return [violation for violation in found if violation["impact"] in BLOCKING]


def assert_accessible(page: Page, where: str = "") -> None:
    """Fail on any serious or critical violation, naming the rule and the elements."""
    violations = accessibility_violations(page)
    assert not violations, f"axe found serious/critical violations {where or page.url}: {violations}"
