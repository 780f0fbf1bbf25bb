/** What an invoice and an estimate page show alike: the lines table and totals, notes and terms. */
import type { ComponentChildren } from "preact";
import { ApiError, type PricedDocument } from "../api";
import { formatMoney, formatRate } from "../format";
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
            <th scope="col">Description</th>
            <th scope="col" class="num">Quantity</th>
            <th scope="col" class="num">Unit price</th>
            <th scope="col" class="num">Tax</th>
            <th scope="col" class="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {document.lines.map((line, index) => (
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
          <dd>{formatMoney(document.subtotal)}</dd>
        </div>
        {document.taxes.map((tax) => (
          <div key={`${tax.name}-${tax.rate_bps}`}>
            <dt>
              {tax.name} ({formatRate(tax.rate_bps)})
            </dt>
            <dd>{formatMoney(tax.amount)}</dd>
          </div>
        ))}
        <div class={totalClass}>
          <dt>Total</dt>
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
          <h2>Notes</h2>
          <p>{document.notes}</p>
        </>
      )}
      {document.terms && (
        <>
          <h2>Terms</h2>
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
      <PageTitle>{missing ? `${kind} not found` : `This ${kind.toLowerCase()} could not be loaded`}</PageTitle>
      {!missing && <ErrorMessage error={error} />}
    </>
  );
}
