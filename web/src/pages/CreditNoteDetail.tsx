import { call, type CreditNoteDetail as CreditNote } from "../api";
import { DocumentActions, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { DocumentLines, DocumentLoadError, DocumentNotes } from "../components/DocumentParts";
import { formatDate, formatDateTime, formatMoney } from "../format";
import { has, t } from "../i18n";

export function CreditNoteDetail({ creditNoteId }: { creditNoteId: string }) {
  const path = `/credit-notes/${encodeURIComponent(creditNoteId)}`;
  const { data: note, error } = useAsync(() => call<CreditNote>(path), [creditNoteId]);
  const back = (
    <a href="/credit-notes" class="back-link no-print">
      {t("credit_notes.back")}
    </a>
  );
  if (error) return <DocumentLoadError error={error} kind={t("credit_notes.kind")} back={back} />;
  if (!note) return <Loading />;
  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>{t("credit_notes.heading", { number: note.number })}</PageTitle>
        <StatusBadge status={note.status} />
        <DocumentActions pdfPath={`${path}/pdf`} />
      </div>
      <div class="card">
        <dl class="facts">
          <div>
            <dt>{t("documents.col.date")}</dt>
            <dd>{formatDate(note.issue_date)}</dd>
          </div>
          {note.invoice_id && (
            <div>
              <dt>{t("credit_notes.credits_invoice")}</dt>
              <dd>
                <a href={`/invoices/${note.invoice_id}`}>{note.invoice_number}</a>
              </dd>
            </div>
          )}
          <div>
            <dt>{t("documents.col.reason")}</dt>
            <dd>{note.reason}</dd>
          </div>
          <div>
            <dt>{t("documents.total")}</dt>
            <dd>{formatMoney(note.total)}</dd>
          </div>
          <div>
            <dt>{t("credit_notes.remaining_credit")}</dt>
            <dd class="strong" data-testid="remaining">{formatMoney(note.remaining)}</dd>
          </div>
        </dl>
      </div>

      <DocumentLines document={note} caption={t("credit_notes.lines")} totalClass="strong" />

      {note.applications.length > 0 && (
        <section class="card" aria-labelledby="applications-title">
          <h2 id="applications-title" class="card-heading">
            {t("credit_notes.applied")}
          </h2>
          <table class="applied">
            <caption class="visually-hidden">{t("credit_notes.applied_caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("documents.col.date")}</th>
                <th scope="col">{t("documents.col.invoice")}</th>
                <th scope="col" class="num">{t("documents.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {note.applications.map((application) => (
                <tr key={application.application_id}>
                  <td data-label={t("documents.col.date")}>{formatDateTime(application.applied_at)}</td>
                  <td data-label={t("documents.col.invoice")}>
                    <a href={`/invoices/${application.invoice_id}`}>{application.invoice_number}</a>
                  </td>
                  <td data-label={t("documents.amount")} class="num">{formatMoney(application.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {note.refunds.length > 0 && (
        <section class="card" aria-labelledby="refunds-title">
          <h2 id="refunds-title" class="card-heading">
            {t("credit_notes.refunds")}
          </h2>
          <table class="applied">
            <caption class="visually-hidden">{t("credit_notes.refunds_caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("documents.col.date")}</th>
                <th scope="col">{t("documents.col.method")}</th>
                <th scope="col">{t("documents.col.reference")}</th>
                <th scope="col" class="num">{t("documents.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {note.refunds.map((refund) => (
                <tr key={refund.refund_id}>
                  <td data-label={t("documents.col.date")}>{formatDateTime(refund.refunded_at)}</td>
                  <td data-label={t("documents.col.method")}>{has(`credit_notes.refund_method.${refund.method}`) ? t(`credit_notes.refund_method.${refund.method}`) : refund.method.replace(/_/g, " ")}</td>
                  <td data-label={t("documents.col.reference")}>{refund.reference ?? t("common.dash")}</td>
                  <td data-label={t("documents.amount")} class="num">{formatMoney(refund.amount)}</td>
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
