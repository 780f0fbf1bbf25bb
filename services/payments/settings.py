"""The payments functions' settings (template.yaml: PaymentsApiFunction, PaymentsDirectoryFunction,
PaymentsProviderEventsFunction; PaymentsOutboxFunction needs only `Common`).

The provider's keys are not in the environment: `PAYMENTS_PROVIDER_SECRET_ARN` names a Secrets
Manager secret (JSON `{"secret_key", "publishable_key", "webhook_secret"}`) read once per container."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Settings(Common):
    payments_table: str = Field(alias="PAYMENTS_TABLE_NAME")


class ProviderSettings(Settings):
    provider_secret_arn: str = Field(alias="PAYMENTS_PROVIDER_SECRET_ARN")
    # Empty: Stripe's own API; locally the local Stripe-compatible server.
    stripe_api_base: str = Field("", alias="STRIPE_API_BASE")
    stripe_js_url: str = Field("https://js.stripe.com/v3/", alias="STRIPE_JS_URL")
