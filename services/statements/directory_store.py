"""Statements' copy of the customers service's facts (StatementsTable), kept by the directory consumer
from portal.customers events; version-guarded, so a redelivered or older event changes nothing:

  CUSTOMER#<cid>  CUSTOMER  a customer exists, its currency (a statement's currency) and whom a
                            statement is addressed to
  TENANT          SETTINGS  portal preferences (the statements module on/off) and the business profile
"""

from __future__ import annotations

from services.statements.settings import Settings
from shared import projections
from shared.business import Party
from shared.settings import load

TABLE_NAME = load(Settings).statements_table

CUSTOMERS = projections.CustomerCopy(TABLE_NAME)
SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)

customer_exists = CUSTOMERS.exists
project_customer = CUSTOMERS.project
customer_party = CUSTOMERS.party

tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business


customer_currency = CUSTOMERS.currency  # every entry of its ledger is in it


__all__ = ["Party", "customer_currency"]
