"""Staff search queries over the customers table's search indexes (keys: logic/search.py). One
Query per page (limit + 1 to know whether there is a next one), then one BatchGet of the profiles of
the customers whose contacts matched. Never a Scan."""

from __future__ import annotations

from typing import Any

from services.customers.logic.domain import Customer, PortalStatus
from services.customers.logic.search import EMAIL_SCOPE, NAME_SCOPE, is_email_search, normalised, status_scope
from services.customers.store import PROFILE_SK, CustomerItem, _customer, partition
from shared.dynamo import Paging, query_page


def search(
    text: str, status: PortalStatus | None, limit: int, cursor: str | None
) -> tuple[list[Customer], str | None]:
    """Customers matching, in the index's order (name, or email), each once per page."""
    prefix = normalised(text)
    index: Any
    if status is not None:
        index, hash_attr, range_attr, scope = (
            CustomerItem.by_portal_status,
            "status_scope",
            "status_key",
            status_scope(status),
        )
    elif prefix and is_email_search(prefix):
        index, hash_attr, range_attr, scope = CustomerItem.by_email, "email_scope", "email_key", EMAIL_SCOPE
    else:
        index, hash_attr, range_attr, scope = CustomerItem.by_name, "name_scope", "name_key", NAME_SCOPE
    condition = getattr(CustomerItem, range_attr).startswith(prefix) if prefix else None
    paging = Paging(keys=("pk", "sk", hash_attr, range_attr), bound={hash_attr: scope})
    items, next_cursor = query_page(index.query, scope, paging, limit, cursor, range_key_condition=condition)
    return _customers_of(items), next_cursor


def _customers_of(items: list[CustomerItem]) -> list[Customer]:
    order: list[str] = []
    profiles: dict[str, CustomerItem] = {}
    for item in items:
        cid = item.customer_id or ""
        if cid not in order:
            order.append(cid)
        if item.sk == PROFILE_SK:
            profiles[cid] = item
    missing = [(partition(cid), PROFILE_SK) for cid in order if cid not in profiles]
    if missing:
        for profile in CustomerItem.batch_get(missing):
            profiles[profile.customer_id or ""] = profile
    return [_customer(profiles[cid]) for cid in order if cid in profiles]
