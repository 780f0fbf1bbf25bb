// Staff: a customer's invoices (drafts included) on its page — draft one with lines and taxes, issue,
// void, record a payment received outside the portal. Amounts typed are parsed into minor units.
import { Pager, useCursors } from "../../components/Paging";
import { useState } from "preact/hooks";
import type { InvoiceSummary } from "../../api";
import { ErrorMessage, Loading, useAsync } from "../../components/common";
import { formatDate, formatMoney, parseAmount, amountText } from "../../format";
import { t } from "../../i18n";
import { createDraft, customerInvoices, issueInvoice, recordPayment, voidInvoice, type DraftLine } from "./api";
import { Feedback, useAction } from "../feedback";

const OPEN = new Set(["sent", "viewed", "partially_paid", "overdue"]);
const METHODS = ["bank_transfer", "card", "cash", "check", "other"];

const today = () => new Date().toISOString().slice(0, 10);

/** "20" or "7.5" (percent) → basis points; null when it is not a rate. */
export function parseRate(text: string): number | null {
  const cleaned = text.trim().replace(",", ".");
  if (cleaned === "") return 0;
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  const bps = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return bps <= 10000 ? bps : null;
}

export function CustomerInvoices({ customerId, currency }: { customerId: string; currency: string }) {
  const [reloads, setReloads] = useState(0);
  const paging = useCursors();
  const [paying, setPaying] = useState<InvoiceSummary | null>(null);
  const action = useAction();
  const { cursor } = paging;
  const page = useAsync(() => customerInvoices(customerId, cursor), [customerId, cursor, reloads]);
  const reload = () => setReloads(reloads + 1);

  const act = async (run: () => Promise<unknown>, done: string) => {
    if (await action.run(run, () => done)) reload();
  };
  return (
    <>
      <section class="card table-wrap" aria-labelledby="customer-invoices" aria-busy={page.loading}>
        <h2 id="customer-invoices" class="console-card-heading">
          {t("staff_invoices.title")}
        </h2>
        {page.error && <ErrorMessage error={page.error} />}
        {page.loading && !page.data && <Loading />}
        {page.data && page.data.items.length === 0 && <p class="empty">{t("staff_invoices.none")}</p>}
        {page.data && page.data.items.length > 0 && (
          <table class="console-table">
            <thead>
              <tr>
                <th scope="col">{t("staff_invoices.number")}</th>
                <th scope="col">{t("staff_invoices.issue_date")}</th>
                <th scope="col">{t("staff_invoices.status_heading")}</th>
                <th scope="col" class="num">{t("staff_invoices.total")}</th>
                <th scope="col" class="num">{t("staff_invoices.amount_due")}</th>
                <th scope="col">{t("staff_invoices.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((invoice) => (
                <tr key={invoice.invoice_id}>
                  <th scope="row">{invoice.number}</th>
                  <td>{formatDate(invoice.issue_date)}</td>
                  <td>
                    <span class={`badge badge-${invoice.status} console-badge`}>{t(`staff_invoices.status.${invoice.status}`)}</span>
                  </td>
                  <td class="num">{formatMoney(invoice.total)}</td>
                  <td class="num">{formatMoney(invoice.amount_due)}</td>
                  <td>
                    <div class="console-actions">
                      {invoice.status === "draft" && (
                        <button
                          type="button"
                          class="button-secondary"
                          disabled={action.busy}
                          onClick={() => act(() => issueInvoice(invoice.invoice_id), t("staff_invoices.issued", { number: invoice.number }))}
                        >
                          {t("staff_invoices.issue", { number: invoice.number })}
                        </button>
                      )}
                      {OPEN.has(invoice.status) && (
                        <>
                          <button type="button" class="button-secondary" disabled={action.busy} onClick={() => setPaying(invoice)}>
                            {t("staff_invoices.record_payment", { number: invoice.number })}
                          </button>
                          <button
                            type="button"
                            class="button-secondary"
                            disabled={action.busy}
                            onClick={() => act(() => voidInvoice(invoice.invoice_id), t("staff_invoices.voided", { number: invoice.number }))}
                          >
                            {t("staff_invoices.void", { number: invoice.number })}
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Feedback outcome={action.outcome} />
        {(paging.page > 1 || page.data?.next_cursor) && (
          <Pager paging={paging} nextCursor={page.data?.next_cursor} loading={page.loading} />
        )}
      </section>
      {paying && (
        <PaymentForm
          key={paying.invoice_id}
          invoice={paying}
          onDone={(text) => {
            setPaying(null);
            action.setOutcome({ ok: true, text }); // the form goes: its list says what was done
            reload();
          }}
        />
      )}
      <DraftForm customerId={customerId} currency={currency} onCreated={reload} />
    </>
  );
}

function PaymentForm({ invoice, onDone }: { invoice: InvoiceSummary; onDone: (text: string) => void }) {
  const [amount, setAmount] = useState(amountText(invoice.amount_due));
  const [paidOn, setPaidOn] = useState(today());
  const [method, setMethod] = useState("bank_transfer");
  const [reference, setReference] = useState("");
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const minor = parseAmount(amount, invoice.amount_due.currency);
    if (minor === null || minor <= 0) {
      action.setOutcome({ ok: false, text: t("staff_invoices.bad_amount") });
      return;
    }
    const body = { amount: minor, paid_on: paidOn, method, ...(reference.trim() ? { reference: reference.trim() } : {}) };
    const done = t("staff_invoices.payment_recorded", { number: invoice.number });
    if (await action.run(() => recordPayment(invoice.invoice_id, body), () => done)) onDone(done);
  };
  return (
    <section class="card" aria-labelledby="record-payment">
      <h2 id="record-payment">{t("staff_invoices.payment_heading", { number: invoice.number })}</h2>
      <form onSubmit={submit} class="console-form">
        <div class="filters">
          <div class="field">
            <label for="payment-amount">{t("staff_invoices.payment_amount", { currency: invoice.amount_due.currency })}</label>
            <input id="payment-amount" inputMode="decimal" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="payment-date">{t("staff_invoices.paid_on")}</label>
            <input id="payment-date" type="date" required value={paidOn} onInput={(e) => setPaidOn(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="payment-method">{t("staff_invoices.method")}</label>
            <select id="payment-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
              {METHODS.map((value) => (
                <option key={value} value={value}>
                  {t(`staff_invoices.methods.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="payment-reference">{t("staff_invoices.reference")}</label>
            <input id="payment-reference" maxLength={100} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
          </div>
        </div>
        <button type="submit" class="button-primary console-submit" disabled={action.busy}>
          {t("staff_invoices.record_payment_button")}
        </button>
      </form>
      <Feedback outcome={action.outcome} />
    </section>
  );
}

interface LineText {
  description: string;
  quantity: string;
  price: string;
  taxName: string;
  taxRate: string;
}

const emptyLine = (): LineText => ({ description: "", quantity: "1", price: "", taxName: "", taxRate: "" });

function DraftForm({ customerId, currency, onCreated }: { customerId: string; currency: string; onCreated: () => void }) {
  const [issueDate, setIssueDate] = useState(today());
  const [terms, setTerms] = useState("30");
  const [lines, setLines] = useState<LineText[]>([emptyLine()]);
  const action = useAction();
  const change = (index: number, part: Partial<LineText>) => setLines(lines.map((line, i) => (i === index ? { ...line, ...part } : line)));

  const parsedLines = (): DraftLine[] | string => {
    const parsed: DraftLine[] = [];
    for (const [index, line] of lines.entries()) {
      const price = parseAmount(line.price, currency);
      const rate = parseRate(line.taxRate);
      if (!line.description.trim()) return t("staff_invoices.bad_description", { line: index + 1 });
      if (!/^\d+(\.\d{1,4})?$/.test(line.quantity.trim())) return t("staff_invoices.bad_quantity", { line: index + 1 });
      if (price === null) return t("staff_invoices.bad_price", { line: index + 1 });
      if (rate === null) return t("staff_invoices.bad_rate", { line: index + 1 });
      parsed.push({
        description: line.description.trim(),
        quantity: line.quantity.trim(),
        unit_price: price,
        tax_name: line.taxName.trim() || null,
        tax_rate_bps: rate,
      });
    }
    return parsed;
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parsedLines();
    const days = Number(terms);
    if (typeof parsed === "string") return action.setOutcome({ ok: false, text: parsed });
    if (!Number.isInteger(days) || days < 0 || days > 365) return action.setOutcome({ ok: false, text: t("staff_invoices.bad_terms") });
    const created = await action.run(
      () => createDraft({ customer_id: customerId, currency, issue_date: issueDate, payment_terms_days: days, lines: parsed }),
      (draft) => t("staff_invoices.draft_created", { number: draft.number, total: formatMoney(draft.total) }),
    );
    if (created) {
      setLines([emptyLine()]);
      onCreated();
    }
  };
  return (
    <section class="card" aria-labelledby="new-invoice">
      <h2 id="new-invoice">{t("staff_invoices.new_heading")}</h2>
      <form onSubmit={submit} class="console-form">
        <div class="filters">
          <div class="field">
            <label for="invoice-issue-date">{t("staff_invoices.issue_date")}</label>
            <input id="invoice-issue-date" type="date" required value={issueDate} onInput={(e) => setIssueDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="invoice-terms">{t("staff_invoices.terms_days")}</label>
            <input id="invoice-terms" inputMode="numeric" required value={terms} onInput={(e) => setTerms(e.currentTarget.value)} />
          </div>
        </div>
        {lines.map((line, index) => (
          <fieldset key={index} class="console-line">
            <legend>{t("staff_invoices.line", { line: index + 1 })}</legend>
            <div class="filters">
              <div class="field console-wide">
                <label for={`line-${index}-description`}>{t("staff_invoices.description")}</label>
                <input id={`line-${index}-description`} required value={line.description} onInput={(e) => change(index, { description: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`line-${index}-quantity`}>{t("staff_invoices.quantity")}</label>
                <input id={`line-${index}-quantity`} inputMode="decimal" required value={line.quantity} onInput={(e) => change(index, { quantity: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`line-${index}-price`}>{t("staff_invoices.unit_price", { currency })}</label>
                <input id={`line-${index}-price`} inputMode="decimal" required value={line.price} onInput={(e) => change(index, { price: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`line-${index}-tax-name`}>{t("staff_invoices.tax_name")}</label>
                <input id={`line-${index}-tax-name`} maxLength={60} value={line.taxName} onInput={(e) => change(index, { taxName: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`line-${index}-tax-rate`}>{t("staff_invoices.tax_rate")}</label>
                <input id={`line-${index}-tax-rate`} inputMode="decimal" value={line.taxRate} onInput={(e) => change(index, { taxRate: e.currentTarget.value })} />
              </div>
            </div>
            {lines.length > 1 && (
              <button type="button" class="button-secondary" onClick={() => setLines(lines.filter((_, i) => i !== index))}>
                {t("staff_invoices.remove_line", { line: index + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <div class="console-actions">
          <button type="button" class="button-secondary" onClick={() => setLines([...lines, emptyLine()])}>
            {t("staff_invoices.add_line")}
          </button>
          <button type="submit" class="button-primary console-submit" disabled={action.busy}>
            {t("staff_invoices.create_draft")}
          </button>
        </div>
      </form>
      <Feedback outcome={action.outcome} />
    </section>
  );
}
