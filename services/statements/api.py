"""Statements HTTP API (chalice). Routes only: parse → one use case → shape (JSON, PDF or CSV). Every
route is listed in template.yaml with the same path and method (tests/contract checks both ways)."""

from __future__ import annotations

from chalice import Response

from services.statements.logic import use_cases
from services.statements.logic.ledger import Statement
from services.statements.schemas import StatementQuery, StatementView
from services.statements.settings import Settings
from shared.api import PDF, create_app, json_response, parse_query, pdf_response, principal
from shared.contract import operation

app = create_app("statements", Settings)

CSV = "text/csv"


def _answer(statement: Statement, query: StatementQuery) -> Response:
    from services.statements.logic import documents

    if query.format == "pdf":
        return pdf_response(app, documents.pdf(statement), documents.filename(statement, "pdf"))
    if query.format == "csv":
        return Response(
            body=documents.csv_text(statement),
            status_code=200,
            headers={
                "Content-Type": f"{CSV}; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{documents.filename(statement, "csv")}"',
                "Cache-Control": "private, no-store",
            },
        )
    return json_response(use_cases.view(statement))


@app.route("/statement", methods=["GET"])
@operation(
    "The caller's statement of account for a date range (default this month) as JSON, PDF or CSV",
    access="customer",
    query=StatementQuery,
    response=StatementView,
    also_as=(PDF, CSV),
    errors=(400, 406, 429),
    module="statements",
)
def statement() -> Response:
    query = parse_query(app, StatementQuery)
    statement = use_cases.for_customer(principal(app), query)
    if query.format == "pdf":  # counted once the request is known good: a refused one writes nothing
        use_cases.admit_pdf(principal(app))
    return _answer(statement, query)


@app.route("/staff/customers/{customer_id}/statement", methods=["GET"])
@operation(
    "Any customer's statement of account (same range and formats)",
    access="staff",
    query=StatementQuery,
    response=StatementView,
    also_as=(PDF, CSV),
    errors=(400, 406, 429),
)
def staff_statement(customer_id: str) -> Response:
    principal(app).require_staff()
    query = parse_query(app, StatementQuery)
    statement = use_cases.for_staff(customer_id, query)
    if query.format == "pdf":
        use_cases.admit_pdf(principal(app))
    return _answer(statement, query)


__all__ = ["PDF", "app"]
