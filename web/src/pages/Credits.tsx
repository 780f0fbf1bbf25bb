import { useState } from "preact/hooks";
import { call, type Dashboard, type InvoicePage } from "../api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../components/common";
import { amountText, formatDateTime, formatMoney, parseAmount } from "../format";
import type { CreditEntry, Credits as CreditsData } from "../payments";

/** Where applied credit comes from: payments' credit (POST /credits/apply) or one open credit note. */
interface Source {
  key: string;
  label: string;
  available: number;
  path: string;
}
import { has, t } from "../i18n";

const kindLabel = (kind: string) => (has(`credits.kind.${kind}`) ? t(`credits.kind.${kind}`) : kind);

function Origin({ entry }: { entry: CreditEntry }) {
  if (entry.kind === "applied" && entry.invoice_id)
    return (
      <>
        {t("credits.paid_invoice")} <a href={`/invoices/${entry.invoice_id}`}>{entry.invoice_number ?? entry.invoice_id}</a>
      </>
    );
  if (entry.payment_id)
    return (
      <>
        {entry.kind === "reversed" ? t("credits.refund_of") : t("credits.from")}{" "}
        <a href={`/payments/${entry.payment_id}`}>{t("credits.a_payment")}</a>
        {entry.invoice_number && <> {t("credits.of_invoice", { number: entry.invoice_number })}</>}
      </>
    );
  return <>{kindLabel(entry.kind)}</>;
}

/** The customer's credit (over- and advance payments): what is available, where it came from and went. */
export function Credits({ data }: { data: Dashboard }) {
  const [version, setVersion] = useState(0);
  const [applied, setApplied] = useState<string | null>(null);
  const { data: credits, error } = useAsync(() => call<CreditsData>("/credits"), [version]);
  const canApply = data.portal.actions.apply_credits !== false;
  if (error) {
    return (
      <>
        <PageTitle>{t("credits.title")}</PageTitle>
        <ErrorMessage error={error} />
      </>
    );
  }
  if (!credits) return <Loading />;
  const balance = credits.balance ?? { amount: 0, currency: data.customer.currency };
  const usable = credits.payments_credit ?? { amount: 0, currency: balance.currency };
  const notesOn = data.portal.modules.credit_notes !== false;
  const sources: Source[] = [
    ...(usable.amount > 0
      ? [{ key: "credit", label: t("credits.source_payments", { amount: formatMoney(usable) }), available: usable.amount, path: "/credits/apply" }]
      : []),
    ...(notesOn
      ? credits.credit_notes.map((note) => ({
          key: note.credit_note_id,
          label: t("credits.source_note", { number: note.number, amount: formatMoney(note.remaining) }),
          available: note.remaining.amount,
          path: `/credit-notes/${note.credit_note_id}/apply`,
        }))
      : []),
  ];
  return (
    <>
      <PageTitle>{t("credits.title")}</PageTitle>
      <section class="card highlight" aria-labelledby="credit-title">
        <h2 id="credit-title">{t("credits.available")}</h2>
        <p class="amount" data-testid="credit-balance">
          {formatMoney(balance)}
        </p>
        <p class="muted">{t("credits.explain")}</p>
        {credits.credit_notes.length > 0 && <p class="muted">{t("credits.from_payments", { amount: formatMoney(usable) })}</p>}
      </section>
      {credits.credit_notes.length > 0 && (
        <section class="card" aria-labelledby="notes-title">
          <h2 id="notes-title">{t("credits.notes_title")}</h2>
          <ul data-testid="credit-notes">
            {credits.credit_notes.map((note) => (
              <li key={note.credit_note_id}>
                <a href={`/credit-notes/${note.credit_note_id}`}>{note.number}</a>{" "}
                {t("credits.note_remaining", { amount: formatMoney(note.remaining) })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {applied && (
        <p role="status" class="notice">
          {applied}
        </p>
      )}
      {canApply && sources.length > 0 && (
        <ApplyCredit
          sources={sources}
          currency={balance.currency}
          onApplied={(message) => {
            setApplied(message);
            setVersion(version + 1);
          }}
        />
      )}
      <section class="card table-wrap" aria-labelledby="history-title">
        <h2 id="history-title" class="card-heading">
          {t("credits.history")}
        </h2>
        <table class="credits">
          <caption class="visually-hidden">{t("credits.history_caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("documents.col.date")}</th>
              <th scope="col">{t("documents.col.what")}</th>
              <th scope="col">{t("documents.col.details")}</th>
              <th scope="col" class="num">{t("documents.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {credits.entries.map((entry) => (
              <tr key={entry.credit_id}>
                <td data-label={t("documents.col.date")}>{formatDateTime(entry.created_at)}</td>
                <td data-label={t("documents.col.what")}>{kindLabel(entry.kind)}</td>
                <td data-label={t("documents.col.details")}>
                  <Origin entry={entry} />
                </td>
                <td data-label={t("documents.amount")} class="num">
                  {entry.amount.amount > 0 ? "+" : ""}
                  {formatMoney(entry.amount)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {credits.entries.length === 0 && <p class="empty">{t("credits.empty")}</p>}
      </section>
    </>
  );
}

/** Apply credit to one open invoice: as much as the balance and the invoice allow, or a chosen amount. */
function ApplyCredit({ sources, currency, onApplied }: { sources: Source[]; currency: string; onApplied: (message: string) => void }) {
  const [sourceKey, setSourceKey] = useState(sources[0].key);
  const source = sources.find((each) => each.key === sourceKey) ?? sources[0];
  const balance = source.available;
  const { data: open } = useAsync(async () => {
    const pages = await Promise.all(
      ["unpaid", "partially_paid"].map((status) =>
        call<InvoicePage>(`/invoices?${new URLSearchParams({ status, sort: "date", order: "asc", limit: "100" })}`),
      ),
    );
    return pages.flatMap((page) => page.items).sort((a, b) => a.issue_date.localeCompare(b.issue_date));
  }, [sources.map((each) => each.available).join()]);
  const [invoiceId, setInvoiceId] = useState("");
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const invoices = (open ?? []).filter((invoice) => invoice.amount_due.currency === currency && invoice.amount_due.amount > 0);
  if (open && invoices.length === 0) return null;
  const chosen = invoices.find((invoice) => invoice.invoice_id === invoiceId) ?? null;

  const apply = async (event: Event) => {
    event.preventDefault();
    if (!chosen) return setError(t("credits.choose_invoice_error"));
    const typed = amount.trim() ? parseAmount(amount, currency) : null;
    if (amount.trim() && (typed === null || typed === 0)) return setError(t("credits.amount_error"));
    setBusy(true);
    setError(null);
    try {
      await call(source.path, {
        method: "POST",
        body: JSON.stringify(typed ? { invoice_id: chosen.invoice_id, amount: typed } : { invoice_id: chosen.invoice_id }),
      });
      const used = typed ?? Math.min(balance, chosen.amount_due.amount);
      setAmount("");
      setInvoiceId("");
      onApplied(t("credits.applied", { amount: formatMoney({ amount: used, currency }), number: chosen.number }));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="apply-title">
      <h2 id="apply-title">{t("credits.apply_title")}</h2>
      <form onSubmit={apply} noValidate class="inline-form">
        {sources.length > 1 && (
          <div class="field">
            <label for="credit-source">{t("credits.source")}</label>
            <select id="credit-source" value={source.key} onChange={(e) => setSourceKey(e.currentTarget.value)}>
              {sources.map((each) => (
                <option key={each.key} value={each.key}>
                  {each.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="credit-invoice">{t("documents.col.invoice")}</label>
          <select id="credit-invoice" value={invoiceId} onChange={(e) => setInvoiceId(e.currentTarget.value)}>
            <option value="">{t("credits.choose_invoice")}</option>
            {invoices.map((invoice) => (
              <option key={invoice.invoice_id} value={invoice.invoice_id}>
                {t("credits.invoice_due", { number: invoice.number, amount: formatMoney(invoice.amount_due) })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="credit-amount">{t("credits.amount_optional")}</label>
          <input id="credit-amount" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)}
            placeholder={chosen ? amountText({ amount: Math.min(balance, chosen.amount_due.amount), currency }) : ""} />
        </div>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t("credits.applying") : t("credits.apply")}
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
