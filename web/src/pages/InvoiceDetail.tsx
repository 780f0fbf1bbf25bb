import { call, type AppliedPayment, type Dashboard, type InvoiceDetail as Invoice } from "../api";
import { DocumentActions, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { CommentThread } from "../components/CommentThread";
import { DocumentLines, DocumentLoadError, DocumentNotes } from "../components/DocumentParts";
import { ForwardDocument } from "../components/ForwardDocument";
import { formatDate, formatDateTime, formatMoney, STATUS_LABELS } from "../format";
import { METHOD_LABELS } from "../payments";

const APPLIED_LABELS: Record<AppliedPayment["kind"], string> = {
  payment: "Payment",
  credit: "Credit applied",
  credit_note: "Credit note applied",
  offline: "Payment recorded by us",
  refund: "Refund",
};

export function InvoiceDetail({ invoiceId, portal }: { invoiceId: string; portal: Dashboard["portal"] }) {
  const { data: invoice, error } = useAsync(() => call<Invoice>(`/invoices/${encodeURIComponent(invoiceId)}`), [invoiceId]);
  const back = (
    <a href="/invoices" class="back-link no-print">
      Back to invoices
    </a>
  );
  if (error) return <DocumentLoadError error={error} kind="Invoice" back={back} />;
  if (!invoice) return <Loading />;
  const canPay =
    portal.modules.payments !== false &&
    portal.actions.pay_invoices !== false &&
    invoice.status !== "void" &&
    invoice.amount_due.amount > 0 &&
    !invoice.payment_pending;
  const applied = invoice.payments ?? [];
  const canRequestCredit =
    portal.modules.credit_notes !== false &&
    portal.actions.request_credit_notes !== false &&
    !["draft", "void"].includes(invoice.status);
  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>Invoice {invoice.number}</PageTitle>
        <StatusBadge status={invoice.status} />
        {invoice.payment_pending && <span class="badge badge-pending">Payment pending</span>}
        {canPay && (
          <a class="button-primary title-action" href={`/pay?invoices=${encodeURIComponent(invoice.invoice_id)}`}>
            Pay now
          </a>
        )}
        <DocumentActions pdfPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}/pdf`} />
        {canRequestCredit && (
          <a class="button-secondary title-action no-print" href={`/credit-notes?invoice=${encodeURIComponent(invoice.invoice_id)}`}>
            Request a credit note
          </a>
        )}
      </div>
      {portal.actions.forward_documents !== false && (
        <ForwardDocument documentPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}`} label="Invoice" />
      )}
      {invoice.payment_pending && (
        <p class="notice">A payment of this invoice is being processed. You can pay again only if it fails.</p>
      )}
      {canPay && portal.actions.partial_payments !== false && <p class="muted pay-hint">You can pay all of it or a part on the next page.</p>}
      <div class="card">
        <dl class="facts">
          <div>
            <dt>Issue date</dt>
            <dd>{formatDate(invoice.issue_date)}</dd>
          </div>
          <div>
            <dt>Due date</dt>
            <dd>{formatDate(invoice.due_date)}</dd>
          </div>
          {invoice.reference && (
            <div>
              <dt>Reference</dt>
              <dd>{invoice.reference}</dd>
            </div>
          )}
          <div>
            <dt>Amount due</dt>
            <dd class="strong">{formatMoney(invoice.amount_due)}</dd>
          </div>
        </dl>
      </div>

      <DocumentLines document={invoice} caption="Invoice lines" totalClass="strong">
        <div>
          <dt>Amount paid</dt>
          <dd>{formatMoney(invoice.amount_paid)}</dd>
        </div>
        <div class="strong due">
          <dt>Amount due</dt>
          <dd>{formatMoney(invoice.amount_due)}</dd>
        </div>
      </DocumentLines>

      {applied.length > 0 && (
        <section class="card table-wrap" aria-labelledby="applied-title">
          <h2 id="applied-title" class="card-heading">
            Payments
          </h2>
          <table class="applied">
            <caption class="visually-hidden">Payments, credit and refunds applied to this invoice</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">What</th>
                <th scope="col">Method</th>
                <th scope="col" class="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {applied.map((entry) => (
                <tr key={`${entry.kind}-${entry.refund_id ?? entry.payment_id}`}>
                  <td data-label="Date">{formatDateTime(entry.applied_at)}</td>
                  <td data-label="What">
                    {entry.kind === "payment" || entry.kind === "refund" ? (
                      <a href={`/payments/${entry.payment_id}`}>{APPLIED_LABELS[entry.kind]}</a>
                    ) : (
                      APPLIED_LABELS[entry.kind] ?? entry.kind
                    )}
                  </td>
                  <td data-label="Method">{METHOD_LABELS[entry.method] ?? entry.method}</td>
                  <td data-label="Amount" class="num">
                    {entry.kind === "refund" ? "−" : ""}
                    {formatMoney(entry.amount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {(invoice.history ?? []).length > 0 && (
        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title" class="card-heading">
            History
          </h2>
          <ol class="history">
            {(invoice.history ?? []).map((change) => (
              <li key={`${change.status}-${change.at}`}>
                <span class="history-status">{STATUS_LABELS[change.status] ?? change.status}</span>{" "}
                <span class="muted">{change.at.length > 10 ? formatDateTime(change.at) : formatDate(change.at)}</span>
              </li>
            ))}
          </ol>
        </section>
      )}

      <DocumentNotes document={invoice} />
      <CommentThread documentPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}`} />
    </>
  );
}
