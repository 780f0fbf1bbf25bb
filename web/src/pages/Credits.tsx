import { useState } from "preact/hooks";
import { call, type Dashboard, type InvoicePage } from "../api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../components/common";
import { amountText, formatDateTime, formatMoney, parseAmount } from "../format";
import type { CreditEntry, Credits as CreditsData } from "../payments";

const KIND_LABELS: Record<string, string> = {
  created: "Added",
  applied: "Used",
  reversed: "Taken back (refund)",
};

function Origin({ entry }: { entry: CreditEntry }) {
  if (entry.kind === "applied" && entry.invoice_id)
    return (
      <>
        Paid invoice <a href={`/invoices/${entry.invoice_id}`}>{entry.invoice_number ?? entry.invoice_id}</a>
      </>
    );
  if (entry.payment_id)
    return (
      <>
        {entry.kind === "reversed" ? "Refund of " : "From "}
        <a href={`/payments/${entry.payment_id}`}>a payment</a>
        {entry.invoice_number ? ` (invoice ${entry.invoice_number})` : ""}
      </>
    );
  return <>{KIND_LABELS[entry.kind] ?? entry.kind}</>;
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
        <PageTitle>Credit</PageTitle>
        <ErrorMessage error={error} />
      </>
    );
  }
  if (!credits) return <Loading />;
  const balance = credits.balance ?? { amount: 0, currency: data.customer.currency };
  return (
    <>
      <PageTitle>Credit</PageTitle>
      <section class="card highlight" aria-labelledby="credit-title">
        <h2 id="credit-title">Available credit</h2>
        <p class="amount" data-testid="credit-balance">
          {formatMoney(balance)}
        </p>
        <p class="muted">Credit comes from paying more than you owed or paying in advance. It can pay your invoices.</p>
      </section>
      {applied && (
        <p role="status" class="notice">
          {applied}
        </p>
      )}
      {canApply && balance.amount > 0 && (
        <ApplyCredit
          balance={balance.amount}
          currency={balance.currency}
          onApplied={(message) => {
            setApplied(message);
            setVersion(version + 1);
          }}
        />
      )}
      <section class="card table-wrap" aria-labelledby="history-title">
        <h2 id="history-title" class="card-heading">
          History
        </h2>
        <table class="credits">
          <caption class="visually-hidden">Where your credit came from and went, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
              <th scope="col" class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {credits.entries.map((entry) => (
              <tr key={entry.credit_id}>
                <td data-label="Date">{formatDateTime(entry.created_at)}</td>
                <td data-label="What">{KIND_LABELS[entry.kind] ?? entry.kind}</td>
                <td data-label="Details">
                  <Origin entry={entry} />
                </td>
                <td data-label="Amount" class="num">
                  {entry.amount.amount > 0 ? "+" : ""}
                  {formatMoney(entry.amount)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {credits.entries.length === 0 && <p class="empty">You have had no credit yet.</p>}
      </section>
    </>
  );
}

/** Apply credit to one open invoice: as much as the balance and the invoice allow, or a chosen amount. */
function ApplyCredit({ balance, currency, onApplied }: { balance: number; currency: string; onApplied: (message: string) => void }) {
  const { data: open } = useAsync(async () => {
    const pages = await Promise.all(
      ["unpaid", "partially_paid"].map((status) =>
        call<InvoicePage>(`/invoices?${new URLSearchParams({ status, sort: "date", order: "asc", limit: "100" })}`),
      ),
    );
    return pages.flatMap((page) => page.items).sort((a, b) => a.issue_date.localeCompare(b.issue_date));
  }, [balance]);
  const [invoiceId, setInvoiceId] = useState("");
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const invoices = (open ?? []).filter((invoice) => invoice.amount_due.currency === currency && invoice.amount_due.amount > 0);
  if (open && invoices.length === 0) return null;
  const chosen = invoices.find((invoice) => invoice.invoice_id === invoiceId) ?? null;

  const apply = async (event: Event) => {
    event.preventDefault();
    if (!chosen) return setError("Choose an invoice.");
    const typed = amount.trim() ? parseAmount(amount, currency) : null;
    if (amount.trim() && (typed === null || typed === 0)) return setError("Enter an amount, or leave it empty to use as much credit as the invoice needs.");
    setBusy(true);
    setError(null);
    try {
      const result = await call<{ allocation: { amount: { amount: number; currency: string }; invoice_number: string } }>("/credits/apply", {
        method: "POST",
        body: JSON.stringify(typed ? { invoice_id: chosen.invoice_id, amount: typed } : { invoice_id: chosen.invoice_id }),
      });
      setAmount("");
      setInvoiceId("");
      onApplied(`${formatMoney(result.allocation.amount)} of credit was applied to invoice ${result.allocation.invoice_number}.`);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="apply-title">
      <h2 id="apply-title">Apply to an invoice</h2>
      <form onSubmit={apply} noValidate class="inline-form">
        <div class="field">
          <label for="credit-invoice">Invoice</label>
          <select id="credit-invoice" value={invoiceId} onChange={(e) => setInvoiceId(e.currentTarget.value)}>
            <option value="">Choose an invoice</option>
            {invoices.map((invoice) => (
              <option key={invoice.invoice_id} value={invoice.invoice_id}>
                {invoice.number} — {formatMoney(invoice.amount_due)} due
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="credit-amount">Amount (optional)</label>
          <input id="credit-amount" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)}
            placeholder={chosen ? amountText({ amount: Math.min(balance, chosen.amount_due.amount), currency }) : ""} />
        </div>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? "Applying…" : "Apply credit"}
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
