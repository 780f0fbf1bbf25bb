import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../components/common";
import { formatDateTime, formatMoney } from "../format";
import { describeMethod, getPayment, methodLabel, saveReceipt } from "../payments";
import { PaymentStatusBadge } from "./Payments";
import { t } from "../i18n";

/** One payment: its status, how it was paid, which invoices it paid, the credit it left, the receipt. */
export function PaymentDetail({ paymentId }: { paymentId: string }) {
  const { data: payment, error } = useAsync(() => getPayment(paymentId), [paymentId]);
  const [downloadError, setDownloadError] = useState<Error | null>(null);
  const [downloading, setDownloading] = useState(false);
  const back = (
    <a href="/payments" class="back-link">
      {t("payments.back")}
    </a>
  );
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <>
        {back}
        <PageTitle>{missing ? t("payments.not_found") : t("payments.not_loaded")}</PageTitle>
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
        <PageTitle>{t("payments.heading", { amount: formatMoney(payment.amount) })}</PageTitle>
        <PaymentStatusBadge status={payment.status} />
      </div>
      <div class="card">
        <dl class="facts">
          <div>
            <dt>{t("documents.col.date")}</dt>
            <dd>{formatDateTime(payment.created_at)}</dd>
          </div>
          <div>
            <dt>{t("documents.col.method")}</dt>
            <dd>{describeMethod(payment.method)}</dd>
          </div>
          {payment.method && payment.method.brand && (
            <div>
              <dt>{t("payments.paid_by")}</dt>
              <dd>{methodLabel(payment.method.kind)}</dd>
            </div>
          )}
          <div>
            <dt>{t("documents.col.reference")}</dt>
            <dd class="reference">
              <bdi>{payment.payment_id}</bdi>
            </dd>
          </div>
        </dl>
        {payment.status === "failed" && payment.failure_reason && (
          <p role="alert" class="error">
            {t("payments.failed", { reason: payment.failure_reason })}
          </p>
        )}
        {payment.status === "pending" && <p class="notice">{t("payments.pending_notice")}</p>}
        {hasReceipt && (
          <p class="actions">
            <button type="button" class="button-primary" onClick={receipt} disabled={downloading}>
              {downloading ? t("payments.preparing") : t("payments.download_receipt")}
            </button>
          </p>
        )}
        {downloadError && <ErrorMessage error={downloadError} />}
      </div>

      <section class="card table-wrap" aria-labelledby="allocation-title">
        <h2 id="allocation-title" class="card-heading">
          {t("payments.where")}
        </h2>
        <table class="allocation">
          <caption class="visually-hidden">{t("payments.allocation_caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("payments.paid_for")}</th>
              <th scope="col" class="num">{t("documents.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {payment.allocations.map((line) => (
              <tr key={line.invoice_id}>
                <th scope="row" data-label={t("payments.paid_for")}>
                  {t("payments.invoice")} <a href={`/invoices/${line.invoice_id}`}>{line.invoice_number}</a>
                </th>
                <td data-label={t("documents.amount")} class="num">{formatMoney(line.amount)}</td>
              </tr>
            ))}
            {payment.credit_created.amount > 0 && (
              <tr>
                <th scope="row" data-label={t("payments.paid_for")}>
                  <a href="/credits">{t("payments.credit")}</a> {t("payments.for_later")}
                </th>
                <td data-label={t("documents.amount")} class="num">{formatMoney(payment.credit_created)}</td>
              </tr>
            )}
          </tbody>
        </table>
        {payment.refunded.amount > 0 && (
          <p class="pay-hint">
            {t("payments.refunded")} <span class="strong">{formatMoney(payment.refunded)}</span>
          </p>
        )}
      </section>
    </>
  );
}
