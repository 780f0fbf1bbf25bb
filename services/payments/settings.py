"""The payments functions' settings (template.yaml: PaymentsApiFunction, PaymentsDirectoryFunction,
PaymentsProviderEventsFunction; PaymentsOutboxFunction needs only `Common`).

The provider adapter reads its own (services/payments/provider_stripe.py: StripeSettings —
`PAYMENTS_PROVIDER_SECRET_ARN`, `STRIPE_API_BASE`, `STRIPE_JS_URL`) when it is first built: its keys
are a Secrets Manager secret read once per container, never in the environment."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    payments_table: str = Field(alias="PAYMENTS_TABLE_NAME")
