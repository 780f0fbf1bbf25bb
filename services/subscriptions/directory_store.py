"""Subscriptions' copy of the customers service's facts (SubscriptionsTable), kept by the directory
consumer from portal.customers events; version-guarded, so a redelivered or older event changes nothing:

  CUSTOMER#<cid>  CUSTOMER  a customer exists (subscriptions are created for existing customers only)
                            and its currency (a subscription's plan must be in it)
  TENANT          SETTINGS  portal preferences (the subscriptions module on/off) and the business profile
"""

from __future__ import annotations

from services.subscriptions.settings import Settings
from shared import projections
from shared.settings import load

TABLE_NAME = load(Settings).subscriptions_table

CUSTOMERS = projections.CustomerCopy(TABLE_NAME)
KnownCustomer = CUSTOMERS.model
SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model

customer_exists = CUSTOMERS.exists
project_customer = CUSTOMERS.project
customer_currency = CUSTOMERS.currency  # a document must be in it

# This service's copy of the portal settings (the source of shared.preferences here).
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business
