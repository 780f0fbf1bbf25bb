import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../components/common";
import { formatDateTime, formatMoney } from "../format";
import { describeMethod, getPayment, methodLabel, saveReceipt } from "../payments";
import { PaymentStatusBadge } from "./Payments";

/** One payment: its status, how it was paid, which invoices it paid, the credit it left, the receipt. */
export function PaymentDetail({ paymentId }: { paymentId: string }) {
  const { data: payment, error } = useAsync(() => getPayment(paymentId), [paymentId]);
  const [downloadError, setDownloadError] = useState<Error | null>(null);
  const [downloading, setDownloading] = useState(false);
  const back = (
    <a href="/payments" class="back-link">
      Back to payments
    </a>
  );
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <>
        {back}
        <PageTitle>{missing ? "Payment not found" : "This payment could not be loaded"}</PageTitle>
        {!missing && <ErrorMessage error={error} />}
      </>
    );
  }
  if (!payment) return <Loading />;

  const receipt = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await saveReceipt(payment.payment_id);
    } catch (failure) {
      setDownloadError(failure as Error);
    } finally {
      setDownloading(false);
    }
  };
  const hasReceipt = payment.status !== "pending" && payment.status !== "failed" && payment.status !== "cancelled";

  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>Payment of {formatMoney(payment.amount)}</PageTitle>
        <PaymentStatusBadge status={payment.status} />
      </div>
      <div class="card">
        <dl class="facts">
          <div>
            <dt>Date</dt>
            <dd>{formatDateTime(payment.created_at)}</dd>
          </div>
          <div>
            <dt>Method</dt>
            <dd>{describeMethod(payment.method)}</dd>
          </div>
          {payment.method && payment.method.brand && (
            <div>
              <dt>Paid by</dt>
              <dd>{methodLabel(payment.method.kind)}</dd>
            </div>
          )}
          <div>
            <dt>Reference</dt>
            <dd class="reference">{payment.payment_id}</dd>
          </div>
        </dl>
        {payment.status === "failed" && payment.failure_reason && (
          <p role="alert" class="error">
            This payment did not go through: {payment.failure_reason}
          </p>
        )}
        {payment.status === "pending" && <p class="notice">This payment is being processed; the invoices it pays show “Payment pending” until it clears.</p>}
        {hasReceipt && (
          <p class="actions">
            <button type="button" class="button-primary" onClick={receipt} disabled={downloading}>
              {downloading ? "Preparing…" : "Download receipt"}
            </button>
          </p>
        )}
        {downloadError && <ErrorMessage error={downloadError} />}
      </div>

      <section class="card table-wrap" aria-labelledby="allocation-title">
        <h2 id="allocation-title" class="card-heading">
          Where the money went
        </h2>
        <table class="allocation">
          <caption class="visually-hidden">How this payment was allocated</caption>
          <thead>
            <tr>
              <th scope="col">Paid for</th>
              <th scope="col" class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {payment.allocations.map((line) => (
              <tr key={line.invoice_id}>
                <th scope="row" data-label="Paid for">
                  Invoice <a href={`/invoices/${line.invoice_id}`}>{line.invoice_number}</a>
                </th>
                <td data-label="Amount" class="num">{formatMoney(line.amount)}</td>
              </tr>
            ))}
            {payment.credit_created.amount > 0 && (
              <tr>
                <th scope="row" data-label="Paid for">
                  <a href="/credits">Credit</a> for later invoices
                </th>
                <td data-label="Amount" class="num">{formatMoney(payment.credit_created)}</td>
              </tr>
            )}
          </tbody>
        </table>
        {payment.refunded.amount > 0 && (
          <p class="pay-hint">
            Refunded to you: <span class="strong">{formatMoney(payment.refunded)}</span>
          </p>
        )}
      </section>
    </>
  );
}
