import { call, type CreditNoteDetail as CreditNote } from "../api";
import { DocumentActions, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { DocumentLines, DocumentLoadError, DocumentNotes } from "../components/DocumentParts";
import { formatDate, formatDateTime, formatMoney } from "../format";

export function CreditNoteDetail({ creditNoteId }: { creditNoteId: string }) {
  const path = `/credit-notes/${encodeURIComponent(creditNoteId)}`;
  const { data: note, error } = useAsync(() => call<CreditNote>(path), [creditNoteId]);
  const back = (
    <a href="/credit-notes" class="back-link no-print">
      Back to credit notes
    </a>
  );
  if (error) return <DocumentLoadError error={error} kind="Credit note" back={back} />;
  if (!note) return <Loading />;
  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>Credit note {note.number}</PageTitle>
        <StatusBadge status={note.status} />
        <DocumentActions pdfPath={`${path}/pdf`} />
      </div>
      <div class="card">
        <dl class="facts">
          <div>
            <dt>Date</dt>
            <dd>{formatDate(note.issue_date)}</dd>
          </div>
          {note.invoice_id && (
            <div>
              <dt>Credits invoice</dt>
              <dd>
                <a href={`/invoices/${note.invoice_id}`}>{note.invoice_number}</a>
              </dd>
            </div>
          )}
          <div>
            <dt>Reason</dt>
            <dd>{note.reason}</dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd>{formatMoney(note.total)}</dd>
          </div>
          <div>
            <dt>Remaining credit</dt>
            <dd class="strong" data-testid="remaining">{formatMoney(note.remaining)}</dd>
          </div>
        </dl>
      </div>

      <DocumentLines document={note} caption="Credit note lines" totalClass="strong" />

      {note.applications.length > 0 && (
        <section class="card" aria-labelledby="applications-title">
          <h2 id="applications-title" class="card-heading">
            Applied to invoices
          </h2>
          <table class="applied">
            <caption class="visually-hidden">Invoices this credit note paid</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Invoice</th>
                <th scope="col" class="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {note.applications.map((application) => (
                <tr key={application.application_id}>
                  <td data-label="Date">{formatDateTime(application.applied_at)}</td>
                  <td data-label="Invoice">
                    <a href={`/invoices/${application.invoice_id}`}>{application.invoice_number}</a>
                  </td>
                  <td data-label="Amount" class="num">{formatMoney(application.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {note.refunds.length > 0 && (
        <section class="card" aria-labelledby="refunds-title">
          <h2 id="refunds-title" class="card-heading">
            Refunds
          </h2>
          <table class="applied">
            <caption class="visually-hidden">Money refunded from this credit note</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Method</th>
                <th scope="col">Reference</th>
                <th scope="col" class="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {note.refunds.map((refund) => (
                <tr key={refund.refund_id}>
                  <td data-label="Date">{formatDateTime(refund.refunded_at)}</td>
                  <td data-label="Method">{refund.method.replace(/_/g, " ")}</td>
                  <td data-label="Reference">{refund.reference ?? "—"}</td>
                  <td data-label="Amount" class="num">{formatMoney(refund.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <DocumentNotes document={note} />
    </>
  );
}
