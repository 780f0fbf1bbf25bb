"""Staff search over customers, by key: the index keys each profile and contact carries, and the
normalised form of what staff type. Three sparse indexes of the customers table answer it:

  by_name           name_scope "CUSTOMER"           name_key   "<name>#<cid>"         (profiles)
  by_email          email_scope "EMAIL"             email_key  "<email>#<cid>#<ctid>" (profiles: no ctid)
  by_portal_status  status_scope "STATUS#<status>"  status_key "<email>#<cid>#<ctid>" (contacts)

A search is one Query with `begins_with` on the sort key: a name prefix (by_name), an email prefix
(by_email, when the text has an "@"), or with a portal status the contacts in it whose email starts
with the text (by_portal_status).
"""

from __future__ import annotations

import re
import unicodedata

from services.customers.logic.domain import Contact, Customer, PortalStatus

NAME_SCOPE = "CUSTOMER"
EMAIL_SCOPE = "EMAIL"
_SPACES = re.compile(r"\s+")


def normalised(text: str) -> str:
    """Case- and width-insensitive, single-spaced: "  ACME  Ltd" and "acme ltd" search alike. The
    key separator "#" never appears inside a normalised part."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("#", " ")
    return _SPACES.sub(" ", folded).strip()


def status_scope(status: PortalStatus) -> str:
    return f"STATUS#{status}"


def profile_search_keys(customer: Customer) -> dict[str, str]:
    cid = customer.customer_id
    return {
        "name_scope": NAME_SCOPE,
        "name_key": f"{normalised(customer.display_name)}#{cid}",
        "email_scope": EMAIL_SCOPE,
        "email_key": f"{normalised(customer.email)}#{cid}#",
    }


def contact_search_keys(contact: Contact) -> dict[str, str]:
    key = f"{normalised(contact.email)}#{contact.customer_id}#{contact.contact_id}"
    return {
        "email_scope": EMAIL_SCOPE,
        "email_key": key,
        "status_scope": status_scope(contact.portal_status),
        "status_key": key,
    }


def is_email_search(text: str) -> bool:
    return "@" in text
