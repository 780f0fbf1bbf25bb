"""Statement use cases: a customer contact's own statement, or staff's for any customer. No boto3 and
no HTTP here: the ledger is read through `store`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.statements.logic import directory
from services.statements.logic.ledger import Statement, build
from services.statements.schemas import (
    AgingSummary,
    StatementEntryView,
    StatementQuery,
    StatementTotals,
    StatementView,
)
from shared.errors import NotFound, TooManyAttempts, ValidationFailed
from shared.ids import utc_today
from shared.lazy import lazy_module
from shared.money import Money
from shared.preferences import require_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.statements import store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.statements.store")

MAX_DAYS = 3 * 366  # "at most three years", leap days included
# PDFs are the expensive answer: per caller (a contact, or a staff user) per clock minute.
STATEMENT_PDFS_PER_MINUTE = 5


def admit_pdf(caller: Principal) -> None:
    """Counts a PDF statement for the caller before it is drawn (after its range and customer were found
    good, so a refused request writes nothing), or 429 when their minute is full."""
    wait = store.take_statement_pdf(caller.contact_id or caller.subject, STATEMENT_PDFS_PER_MINUTE)
    if wait:
        raise TooManyAttempts(
            f"You have asked for {STATEMENT_PDFS_PER_MINUTE} statement PDFs in the last minute; "
            f"try again in {wait} seconds.",
            wait,
        )


def period(query: StatementQuery, today: date) -> tuple[date, date]:
    """The query's range (default: the first of this month .. today); 400 when it is not one."""
    last = query.to or today
    first = query.from_ or last.replace(day=1)
    if first > last:
        raise ValidationFailed("'from' is after 'to'.", [{"field": "from", "message": "after 'to'"}])
    if (last - first).days > MAX_DAYS:
        raise ValidationFailed(
            "A statement covers at most three years.", [{"field": "from", "message": "range over 3 years"}]
        )
    return first, last


def for_customer(caller: Principal, query: StatementQuery) -> Statement:
    customer_id = caller.require_customer()
    require_module("statements", store.tenant_settings)
    return _statement(customer_id, query)


def for_staff(customer_id: str, query: StatementQuery) -> Statement:
    if not directory.known_customer(customer_id):
        raise NotFound("No customer has this id.")
    return _statement(customer_id, query)


def _statement(customer_id: str, query: StatementQuery) -> Statement:
    first, last = period(query, utc_today())
    currency = store.customer_currency(customer_id)
    if currency is None and directory.known_customer(customer_id):  # its event had not arrived yet
        currency = store.customer_currency(customer_id)
    if currency is None:
        raise NotFound("No customer has this id.")
    opening = Money(amount=store.balance_before(customer_id, first), currency=currency)
    return build(
        customer_id,
        currency,
        first,
        last,
        opening,
        store.entries_between(customer_id, first, last),
        store.issued_newest_first(customer_id, last),
    )


def view(statement: Statement) -> StatementView:
    return StatementView(
        customer_id=statement.customer_id,
        currency=statement.currency,
        period_from=statement.period_from,
        period_to=statement.period_to,
        opening_balance=statement.opening,
        closing_balance=statement.closing,
        totals=StatementTotals(**statement.totals),
        aging=AgingSummary(**statement.aging),
        entries=[
            StatementEntryView(
                date=line.entry.entry_date,
                kind=line.entry.kind,
                reference=line.entry.reference,
                description=line.entry.description,
                document_id=line.entry.document_id,
                amount=line.entry.amount,
                balance=line.balance,
            )
            for line in statement.lines
        ],
    )
