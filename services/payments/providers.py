"""Which payment provider serves a name (`POST /webhooks/{provider}`, the tenant's provider): built once
per container. Apart from the interface (`provider.py`) so an adapter can import the interface without
a loop."""

from __future__ import annotations

from functools import cache

from services.payments.provider import PaymentProvider
from shared.errors import NotFound

PROVIDERS = ("stripe",)


def provider(name: str) -> PaymentProvider:
    """The provider called `name`, built once per container (it reads its keys once)."""
    if name not in PROVIDERS:
        raise NotFound(f"unknown payment provider {name!r}")
    return _build(name)


@cache
def _build(name: str) -> PaymentProvider:
    # Imported here: the stripe SDK costs ~175 ms to import, paid only by functions that pay.
    from services.payments.provider_stripe import StripeProvider

    return StripeProvider.from_environment()


def forget() -> None:
    """Tests only: build providers again (new keys, new API base)."""
    _build.cache_clear()
