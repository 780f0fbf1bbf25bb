import { call, type AppliedPayment, type Dashboard, type InvoiceDetail as Invoice } from "../api";
import { DocumentActions, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { CommentThread } from "../components/CommentThread";
import { DocumentLines, DocumentLoadError, DocumentNotes } from "../components/DocumentParts";
import { ForwardDocument } from "../components/ForwardDocument";
import { formatDate, formatDateTime, formatMoney, statusLabel } from "../format";
import { methodLabel } from "../payments";
import { t } from "../i18n";

const appliedLabel = (kind: AppliedPayment["kind"]) => t(`invoices.applied.${kind}`);

export function InvoiceDetail({ invoiceId, portal }: { invoiceId: string; portal: Dashboard["portal"] }) {
  const { data: invoice, error } = useAsync(() => call<Invoice>(`/invoices/${encodeURIComponent(invoiceId)}`), [invoiceId]);
  const back = (
    <a href="/invoices" class="back-link no-print">
      {t("invoices.back")}
    </a>
  );
  if (error) return <DocumentLoadError error={error} kind={t("invoices.kind")} back={back} />;
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
        <PageTitle>{t("invoices.heading", { number: invoice.number })}</PageTitle>
        <StatusBadge status={invoice.status} />
        {invoice.payment_pending && <span class="badge badge-pending">{t("invoices.payment_pending")}</span>}
        {canPay && (
          <a class="button-primary title-action" href={`/pay?invoices=${encodeURIComponent(invoice.invoice_id)}`}>
            {t("invoices.pay_now")}
          </a>
        )}
        <DocumentActions pdfPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}/pdf`} />
        {canRequestCredit && (
          <a class="button-secondary title-action no-print" href={`/credit-notes?invoice=${encodeURIComponent(invoice.invoice_id)}`}>
            {t("invoices.request_credit")}
          </a>
        )}
      </div>
      {portal.actions.forward_documents !== false && (
        <ForwardDocument documentPath={`/invoices/${encodeURIComponent(invoice.invoice_id)}`} kind="invoice" />
      )}
      {invoice.payment_pending && (
        <p class="notice">{t("invoices.pending_notice")}</p>
      )}
      {canPay && portal.actions.partial_payments !== false && <p class="muted pay-hint">{t("invoices.partial_hint")}</p>}
      <div class="card">
        <dl class="facts">
          <div>
            <dt>{t("documents.issue_date")}</dt>
            <dd>{formatDate(invoice.issue_date)}</dd>
          </div>
          <div>
            <dt>{t("documents.col.due_date")}</dt>
            <dd>{formatDate(invoice.due_date)}</dd>
          </div>
          {invoice.reference && (
            <div>
              <dt>{t("documents.col.reference")}</dt>
              <dd>{invoice.reference}</dd>
            </div>
          )}
          <div>
            <dt>{t("documents.col.amount_due")}</dt>
            <dd class="strong">{formatMoney(invoice.amount_due)}</dd>
          </div>
        </dl>
      </div>

      <DocumentLines document={invoice} caption={t("invoices.lines")} totalClass="strong">
        <div>
          <dt>{t("documents.amount_paid")}</dt>
          <dd>{formatMoney(invoice.amount_paid)}</dd>
        </div>
        <div class="strong due">
          <dt>{t("documents.col.amount_due")}</dt>
          <dd>{formatMoney(invoice.amount_due)}</dd>
        </div>
      </DocumentLines>

      {applied.length > 0 && (
        <section class="card table-wrap" aria-labelledby="applied-title">
          <h2 id="applied-title" class="card-heading">
            {t("invoices.payments")}
          </h2>
          <table class="applied">
            <caption class="visually-hidden">{t("invoices.applied_caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("documents.col.date")}</th>
                <th scope="col">{t("documents.col.what")}</th>
                <th scope="col">{t("documents.col.method")}</th>
                <th scope="col" class="num">{t("documents.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {applied.map((entry) => (
                <tr key={`${entry.kind}-${entry.refund_id ?? entry.payment_id}`}>
                  <td data-label={t("documents.col.date")}>{formatDateTime(entry.applied_at)}</td>
                  <td data-label={t("documents.col.what")}>
                    {entry.kind === "payment" || entry.kind === "refund" ? (
                      <a href={`/payments/${entry.payment_id}`}>{appliedLabel(entry.kind)}</a>
                    ) : (
                      appliedLabel(entry.kind)
                    )}
                  </td>
                  <td data-label={t("documents.col.method")}>{methodLabel(entry.method)}</td>
                  <td data-label={t("documents.amount")} class="num">
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
            {t("documents.history")}
          </h2>
          <ol class="history">
            {(invoice.history ?? []).map((change) => (
              <li key={`${change.status}-${change.at}`}>
                <span class="history-status">{statusLabel(change.status)}</span>{" "}
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
