"""Estimates' copy of the customers service's facts (EstimatesTable), kept by the directory consumer
from portal.customers events; version-guarded, so a redelivered or older event changes nothing:

  CUSTOMER#<cid>  CUSTOMER  a customer exists (estimates are raised for existing customers only), and
                            its currency (every document of theirs is in it), name, company and
                            email (whom a PDF is addressed to)
  TENANT          SETTINGS  portal preferences (the estimates module on/off) and the business profile
"""

from __future__ import annotations

from services.estimates.settings import Settings
from shared import projections
from shared.settings import load

TABLE_NAME = load(Settings).estimates_table

CUSTOMERS = projections.CustomerCopy(TABLE_NAME)
KnownCustomer = CUSTOMERS.model
SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model

customer_exists = CUSTOMERS.exists
project_customer = CUSTOMERS.project
customer_currency = CUSTOMERS.currency  # a document must be in it
customer_party = CUSTOMERS.party  # whom a PDF is addressed to

# This service's copy of the portal settings (the source of shared.preferences here).
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business
