/** What an invoice and an estimate page show alike: the lines table and totals, notes and terms. */
import type { ComponentChildren } from "preact";
import { ApiError, type PricedDocument } from "../api";
import { formatMoney, formatNumber, formatRate } from "../format";
import { t } from "../i18n";
import { ErrorMessage, PageTitle } from "./common";

/** The document's lines and totals; `children`: totals after the total (an invoice's paid and due). */
export function DocumentLines({ document, caption, totalClass, children }: {
  document: PricedDocument;
  caption: string;
  totalClass: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="card table-wrap">
      <table class="lines">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("documents.description")}</th>
            <th scope="col" class="num">{t("documents.quantity")}</th>
            <th scope="col" class="num">{t("documents.unit_price")}</th>
            <th scope="col" class="num">{t("documents.tax")}</th>
            <th scope="col" class="num">{t("documents.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {document.lines.map((line, index) => (
            <tr key={index}>
              <td data-label={t("documents.description")}>{line.description}</td>
              <td data-label={t("documents.quantity")} class="num">{formatNumber(line.quantity)}</td>
              <td data-label={t("documents.unit_price")} class="num">{formatMoney(line.unit_price)}</td>
              <td data-label={t("documents.tax")} class="num">
                {line.tax_rate_bps ? t("documents.tax_line", { name: line.tax_name ?? t("documents.tax"), rate: formatRate(line.tax_rate_bps) }) : t("common.dash")}
              </td>
              <td data-label={t("documents.amount")} class="num">{formatMoney(line.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl class="totals">
        <div>
          <dt>{t("documents.subtotal")}</dt>
          <dd>{formatMoney(document.subtotal)}</dd>
        </div>
        {document.taxes.map((tax) => (
          <div key={`${tax.name}-${tax.rate_bps}`}>
            <dt>
              {t("documents.tax_total", { name: tax.name, rate: formatRate(tax.rate_bps) })}
            </dt>
            <dd>{formatMoney(tax.amount)}</dd>
          </div>
        ))}
        <div class={totalClass}>
          <dt>{t("documents.total")}</dt>
          <dd>{formatMoney(document.total)}</dd>
        </div>
        {children}
      </dl>
    </div>
  );
}

export function DocumentNotes({ document }: { document: PricedDocument }) {
  if (!document.notes && !document.terms) return null;
  return (
    <div class="card">
      {document.notes && (
        <>
          <h2>{t("documents.notes")}</h2>
          <p>{document.notes}</p>
        </>
      )}
      {document.terms && (
        <>
          <h2>{t("documents.terms")}</h2>
          <p>{document.terms}</p>
        </>
      )}
    </div>
  );
}

/** A document page that could not load: "not found" for a 404 (another customer's too), else the error. */
export function DocumentLoadError({ error, kind, back }: { error: Error; kind: string; back: ComponentChildren }) {
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <>
      {back}
      <PageTitle>{missing ? t("documents.not_found", { kind }) : t("documents.not_loaded")}</PageTitle>
      {!missing && <ErrorMessage error={error} />}
    </>
  );
}
