"""The tenant's branding as the customers service keeps it, and the WCAG contrast rule for its colour."""

from __future__ import annotations

from dataclasses import dataclass, field

MINIMUM_CONTRAST = 4.5  # WCAG 2.x AA, normal text


@dataclass(frozen=True)
class Brand:
    portal_name: str | None = None
    brand_color: str | None = None
    footer_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, url)
    logo_key: str | None = None  # the object in the branding bucket
    logo_type: str | None = None  # its checked content type
    logo_version: str | None = None  # its upload id: the logo URL changes with it (caches)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of white text on `color` ("#rrggbb"): 1 (white) to 21 (black)."""
    return 1.05 / (relative_luminance(color) + 0.05)
