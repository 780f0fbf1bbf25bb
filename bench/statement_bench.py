"""Statement of account figures (issue #13): one customer with 100 / 1,000 / 10,000 documents written
straight into the statements ledger (the same items the ledger consumer writes: entries and their
monthly checkpoints, 25 per BatchWriteItem), then the statement read (opening balance + the range's
entries + the ledger read backwards for the aging), rendered as PDF and as CSV: time and peak Python
memory (tracemalloc) of each, the file sizes, and the process's peak RSS.
`python -m bench.statement_bench` (or `python -m bench statement`)."""

from __future__ import annotations

import resource
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

SIZES = (100, 1_000, 10_000)
FIRST = date(2024, 1, 1)


def seed_ledger(customer_id: str, documents: int) -> tuple[date, date]:
    """`documents` documents: half invoices (all still open), a quarter payments, a quarter credit
    notes, spread over the three years the statement covers."""
    from services.statements import store
    from services.statements.directory_store import project_customer
    from services.statements.logic.ledger import Entry, EntryKind
    from shared.event_models import CustomerFacts
    from shared.ids import new_id
    from shared.money import Money

    project_customer(
        CustomerFacts(
            customer_id=customer_id,
            display_name="Bench Łódź Zoë",
            company_name="Bench Ltd",
            email="bench@example.com",
            currency="USD",
            customer_version=1,
        )
    )
    months: dict[str, int] = defaultdict(int)
    last = FIRST
    with store.EntryRecord.batch_write() as entries, store.InvoiceRecord.batch_write() as invoices:
        for n in range(documents):
            day = FIRST + timedelta(days=(n * 1095) // documents)
            last = max(last, day)
            document_id = new_id()
            kinds: list[tuple[EntryKind, int]] = [
                ("invoice", 1),
                ("invoice", 1),
                ("payment", -1),
                ("credit_note", -1),
            ]
            kind, sign = kinds[n % 4]
            amount = Money(amount=sign * (10_000 + n), currency="USD")
            entry = Entry(
                customer_id,
                day,
                f"{kind}#{document_id}",
                kind,
                document_id,
                f"DOC-{n:06d}",
                f"{kind.replace('_', ' ').title()} DOC-{n:06d}",
                amount,
            )
            entries.save(
                store.EntryRecord(
                    pk=f"CUSTOMER#{customer_id}",
                    sk=f"ENTRY#{day.isoformat()}#{entry.entry_key}",
                    kind=entry.kind,
                    document_id=document_id,
                    reference=entry.reference,
                    description=entry.description,
                    amount=amount.amount,
                    currency="USD",
                )
            )
            months[day.isoformat()[:7]] += amount.amount
            if kind == "invoice":
                due = (day + timedelta(days=30)).isoformat()
                invoices.save(
                    store.InvoiceRecord(
                        pk=f"CUSTOMER#{customer_id}",
                        sk=f"INVOICE#{document_id}",
                        invoice_id=document_id,
                        number=entry.reference,
                        status="sent",
                        issue_date=day.isoformat(),
                        due_date=due,
                        amount_due=amount.amount,
                        currency="USD",
                        version=1,
                        open_key=customer_id,
                        due_key=f"{due}#{document_id}",
                    )
                )
    for month, net in months.items():
        store.MonthRecord(pk=f"CUSTOMER#{customer_id}", sk=f"MONTH#{month}", net=net, currency="USD").save()
    return FIRST, last


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def measured(call: Callable[[], Any], runs: int = 3) -> tuple[Any, float, float]:
    """(result, best seconds of `runs`, peak MiB of Python allocations): the best run is the figure
    least disturbed by whatever else shares the machine; then once more under tracemalloc (which
    slows what it traces, so it never times)."""
    best = float("inf")
    for _ in range(runs):
        result, seconds = timed(call)
        best = min(best, seconds)
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, best, peak / 2**20


def measure(portal: Any) -> list[str]:
    from bench.portal_bench import DynamoMeter
    from services.statements.logic import documents, use_cases
    from services.statements.schemas import StatementQuery
    from shared.ids import new_id

    lines = [
        "### Statement of account as the history grows (one customer, the whole range in one statement)",
        "",
        "| documents | entries | read ms | of which in moto | items read | JSON view ms "
        "| PDF ms | PDF peak MiB | PDF KiB "
        "| pages | CSV ms | CSV peak MiB | CSV KiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in SIZES:
        customer_id = new_id()
        first, last = seed_ledger(customer_id, size)
        query = StatementQuery.model_validate({"from": first.isoformat(), "to": last.isoformat()})
        # No tracemalloc pass here: moto answers in this process, and traced, its Query of a
        # 15,000-item partition outlasts botocore's 30 s read timeout.
        with DynamoMeter() as meter:
            statement, read = timed(lambda: use_cases._statement(customer_id, query))  # noqa: B023
        in_moto, items = meter.seconds, meter.items_read
        _, as_json, _ = measured(lambda: use_cases.view(statement).model_dump(mode="json"))  # noqa: B023
        pdf, pdf_s, pdf_peak = measured(lambda: documents.pdf(statement))  # noqa: B023
        text, csv_s, csv_peak = measured(lambda: documents.csv_text(statement))  # noqa: B023
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        lines.append(
            f"| {size:,} | {len(statement.lines):,} | {read * 1000:.0f} | {in_moto * 1000:.0f} | {items:,} | "
            f"{as_json * 1000:.0f} | "
            f"{pdf_s * 1000:.0f} | {pdf_peak:.1f} | {len(pdf) / 1024:.0f} | {pages} | {csv_s * 1000:.0f} | "
            f"{csv_peak:.1f} | {len(text.encode()) / 1024:.0f} |"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        "",
        f"Peak RSS of the whole bench process (moto included): {rss:.0f} MiB. Read = the use case once "
        "(its keyed DynamoDB calls, answered by moto in this process, whose Query walks the whole "
        "partition in Python, and the ledger arithmetic). JSON, PDF and CSV: the best of 3 runs; "
        "peaks are Python allocations (tracemalloc) during that step alone.",
    ]
    return lines


def main() -> None:
    from bench.portal_bench import start_portal

    portal = start_portal()
    try:
        print("\n".join(measure(portal)))
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
