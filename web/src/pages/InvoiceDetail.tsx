import { ApiError, call, type InvoiceDetail as Invoice } from "../api";
import { DocumentActions, ErrorMessage, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { CommentThread } from "../components/CommentThread";
import { formatDate, formatMoney, formatRate } from "../format";

export function InvoiceDetail({ invoiceId }: { invoiceId: string }) {
  const { data: invoice, error } = useAsync(() => call<Invoice>(`/invoices/${encodeURIComponent(invoiceId)}`), [invoiceId]);
  const back = (
    <a href="/invoices" class="back-link no-print">
      Back to invoices
    </a>
  );
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <>
        {back}
        <PageTitle>{missing ? "Invoice not found" : "This invoice could not be loaded"}</PageTitle>
        {!missing && <ErrorMessage error={error} />}
      </>
    );
  }
  if (!invoice) return <Loading />;
  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>Invoice {invoice.number}</PageTitle>
        <StatusBadge status={invoice.status} />
        <DocumentActions pdfPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}/pdf`} />
      </div>
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

      <div class="card table-wrap">
        <table class="lines">
          <caption class="visually-hidden">Invoice lines</caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" class="num">Quantity</th>
              <th scope="col" class="num">Unit price</th>
              <th scope="col" class="num">Tax</th>
              <th scope="col" class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((line, index) => (
              <tr key={index}>
                <td data-label="Description">{line.description}</td>
                <td data-label="Quantity" class="num">{line.quantity}</td>
                <td data-label="Unit price" class="num">{formatMoney(line.unit_price)}</td>
                <td data-label="Tax" class="num">
                  {line.tax_rate_bps ? `${line.tax_name ?? "Tax"} ${formatRate(line.tax_rate_bps)}` : "—"}
                </td>
                <td data-label="Amount" class="num">{formatMoney(line.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="totals">
          <div>
            <dt>Subtotal</dt>
            <dd>{formatMoney(invoice.subtotal)}</dd>
          </div>
          {invoice.taxes.map((tax) => (
            <div key={`${tax.name}-${tax.rate_bps}`}>
              <dt>
                {tax.name} ({formatRate(tax.rate_bps)})
              </dt>
              <dd>{formatMoney(tax.amount)}</dd>
            </div>
          ))}
          <div class="strong">
            <dt>Total</dt>
            <dd>{formatMoney(invoice.total)}</dd>
          </div>
          <div>
            <dt>Amount paid</dt>
            <dd>{formatMoney(invoice.amount_paid)}</dd>
          </div>
          <div class="strong due">
            <dt>Amount due</dt>
            <dd>{formatMoney(invoice.amount_due)}</dd>
          </div>
        </dl>
      </div>

      {(invoice.notes || invoice.terms) && (
        <div class="card">
          {invoice.notes && (
            <>
              <h2>Notes</h2>
              <p>{invoice.notes}</p>
            </>
          )}
          {invoice.terms && (
            <>
              <h2>Terms</h2>
              <p>{invoice.terms}</p>
            </>
          )}
        </div>
      )}
      <CommentThread documentPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}`} />
    </>
  );
}
