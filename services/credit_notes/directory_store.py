"""Credit notes' copy of the customers service's facts (CreditNotesTable), kept by the directory
consumer from portal.customers events; version-guarded, so a redelivered or older event changes nothing:

  CUSTOMER#<cid>  CUSTOMER  a customer exists (credit notes are issued to existing customers only), and
                            its currency (every document of theirs is in it), name, company and
                            email (whom a PDF is addressed to)
  TENANT          SETTINGS  portal preferences (the credit_notes module, the request action) and the
                            business profile (the PDFs' letterhead)
"""

from __future__ import annotations

from services.credit_notes.settings import Settings
from shared import projections
from shared.settings import load

TABLE_NAME = load(Settings).credit_notes_table

CUSTOMERS = projections.CustomerCopy(TABLE_NAME)
KnownCustomer = CUSTOMERS.model
SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model

customer_exists = CUSTOMERS.exists
project_customer = CUSTOMERS.project
customer_currency = CUSTOMERS.currency  # a document must be in it
customer_party = CUSTOMERS.party

tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business
