import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call, type Dashboard, type InvoiceDetail, type InvoicePage } from "../api";
import { ErrorMessage, Loading, PageTitle } from "../components/common";
import { ProviderField } from "../components/ProviderField";
import { amountText, formatDate, formatMoney, parseAmount } from "../format";
import {
  describeMethod,
  newIdempotencyKey,
  knownProvider,
  previewPayment,
  providerClient,
  saveReceipt,
  settle,
  startPayment,
  type MethodList,
  type Payment,
  type PaymentRequest,
  type Preview,
  type ProviderClient,
  type ProviderElement,
  type Started,
} from "../payments";
import { navigate } from "../router";

type Choice = "card" | "bank_debit" | `saved:${string}`;
type Phase = "ready" | "paying" | "waiting" | "done";

/** The invoices a link asks to pay: `?invoices=a,b` or `?invoices=all` (every open one). */
async function loadInvoices(wanted: string): Promise<InvoiceDetail[]> {
  let ids = wanted.split(",").map((id) => id.trim()).filter(Boolean);
  if (wanted === "all") {
    const pages = await Promise.all(
      ["unpaid", "partially_paid"].map((status) =>
        call<InvoicePage>(`/invoices?${new URLSearchParams({ status, sort: "date", order: "asc", limit: "100" })}`),
      ),
    );
    ids = pages.flatMap((page) => page.items.map((invoice) => invoice.invoice_id));
  }
  const invoices = await Promise.all([...new Set(ids)].map((id) => call<InvoiceDetail>(`/invoices/${encodeURIComponent(id)}`)));
  // Oldest first: the order the money is allocated in unless the contact changes the amounts.
  return invoices.sort((a, b) => a.issue_date.localeCompare(b.issue_date) || a.due_date.localeCompare(b.due_date) || a.number.localeCompare(b.number));
}

export function Pay({ data }: { data: Dashboard }) {
  const wanted = new URLSearchParams(location.search).get("invoices") ?? "";
  const canSaveMethods = data.portal.actions.save_payment_methods !== false;

  const [invoices, setInvoices] = useState<InvoiceDetail[] | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [methods, setMethods] = useState<MethodList | null>(null);
  const [choice, setChoice] = useState<Choice>("card");
  const [phase, setPhase] = useState<Phase>("ready");
  const [message, setMessage] = useState<string | null>(null);
  const [result, setResult] = useState<Payment | null>(null);
  // A payment started before its card details could be typed (only while the API does not say where
  // the provider's library is before a payment exists): the next press confirms it.
  const [started, setStarted] = useState<Started | null>(null);
  const field = useRef<{ client: ProviderClient; element: ProviderElement; kind: string } | null>(null);
  const partialAllowed = preview?.partial_allowed ?? data.portal.actions.partial_payments !== false;
  const partialMinimum = preview?.partial_minimum.amount ?? data.portal.payments?.partial_minimum ?? 1;

  useEffect(() => {
    loadInvoices(wanted).then(
      (loaded) => {
        setInvoices(loaded);
        setAmounts(Object.fromEntries(loaded.map((invoice) => [invoice.invoice_id, amountText(invoice.amount_due)])));
      },
      (failure: Error) => {
        if (failure instanceof ApiError && failure.status === 401) navigate("/login", true);
        else setLoadError(failure);
      },
    );
    call<MethodList>("/payment-methods").then(
      (list) => {
        setMethods(list);
        const preferred = list.methods.find((method) => method.is_default) ?? null;
        if (preferred) setChoice(`saved:${preferred.method_id}`);
      },
      () => setMethods({ methods: [], default_method_id: null, auto_charge: false }),
    );
  }, [wanted]);

  const payable = (invoices ?? []).filter((invoice) => invoice.amount_due.amount > 0 && !invoice.payment_pending);
  const currencies = new Set(payable.map((invoice) => invoice.currency));
  const sepa = currencies.size === 1 && currencies.has("EUR"); // SEPA debits are in euros only

  /** The request for the amounts as typed; an error message when one of them cannot be paid. */
  const request = (): PaymentRequest | string => {
    const lines: PaymentRequest["invoices"] = [];
    for (const invoice of payable) {
      const due = invoice.amount_due.amount;
      if (!partialAllowed) {
        lines.push({ invoice_id: invoice.invoice_id });
        continue;
      }
      const amount = parseAmount(amounts[invoice.invoice_id] ?? "", invoice.currency);
      if (amount === null) return `Enter an amount for invoice ${invoice.number}, like ${amountText(invoice.amount_due)}.`;
      if (amount === 0) continue; // not paying this one now
      if (amount > due) return `Invoice ${invoice.number} has ${formatMoney(invoice.amount_due)} left to pay.`;
      if (amount < due && amount < partialMinimum)
        return `A part payment must be at least ${formatMoney({ amount: partialMinimum, currency: invoice.currency })} (invoice ${invoice.number}).`;
      lines.push(amount === due ? { invoice_id: invoice.invoice_id } : { invoice_id: invoice.invoice_id, amount });
    }
    if (lines.length === 0) return "Choose at least one invoice and an amount to pay.";
    const saved = choice.startsWith("saved:") ? choice.slice("saved:".length) : null;
    return saved ? { invoices: lines, method_id: saved } : { invoices: lines };
  };

  // The allocation as the payments service will make it, again whenever the amounts change.
  const amountsKey = JSON.stringify(amounts);
  useEffect(() => {
    if (!invoices || payable.length === 0 || currencies.size > 1) return;
    const wantedPayment = request();
    if (typeof wantedPayment === "string") {
      setPreviewError(wantedPayment);
      return;
    }
    const { method_id: _ignored, ...toPreview } = wantedPayment;
    let current = true;
    const timer = setTimeout(() => {
      previewPayment(toPreview).then(
        (fresh) => current && (setPreview(fresh), setPreviewError(null)),
        (failure: Error) => current && setPreviewError(failure.message),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [invoices, amountsKey]);

  const fieldKind = choice === "card" ? "card" : choice === "bank_debit" ? "iban" : null;
  const fieldReady = () => fieldKind !== null && field.current?.kind === fieldKind;

  const pay = async (event: Event) => {
    event.preventDefault();
    const wantedPayment = request();
    if (typeof wantedPayment === "string") {
      setMessage(wantedPayment);
      return;
    }
    if (fieldKind && knownProvider(preview) && !fieldReady()) {
      setMessage("The payment form is still loading. Please wait a moment.");
      return;
    }
    setMessage(null);
    setPhase("paying");
    let payment = started;
    if (!payment) {
      try {
        // A fresh key per press: pressing again after a failure is a new attempt, never a replay.
        payment = await startPayment(wantedPayment, newIdempotencyKey());
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) return navigate("/login", true);
        setMessage((failure as Error).message);
        setPhase("ready");
        return;
      }
      if (fieldKind && !fieldReady() && payment.payment.status === "pending") {
        setStarted(payment); // the field appears now; the contact types the details and presses Pay
        setPhase("ready");
        return;
      }
    }
    setStarted(null);
    let declined: string | null = null;
    try {
      declined = await confirm(payment);
    } catch (failure) {
      declined = (failure as Error).message;
    }
    if (declined) setMessage(declined);
    setPhase("waiting");
    try {
      // A bank debit stays pending for days: the page says so instead of waiting.
      const patience = choice === "bank_debit" ? 6_000 : 30_000;
      const settled = await settle(payment.payment.payment_id, patience);
      if (settled.status === "failed" || settled.status === "cancelled") {
        setMessage(declined ?? settled.failure_reason ?? "The payment did not go through.");
        setPhase("ready");
      } else if (declined && settled.status === "pending") {
        setPhase("ready"); // the provider has not told us yet; the contact may try again
      } else {
        setResult(settled);
        setPhase("done");
      }
    } catch (failure) {
      setMessage((failure as Error).message);
      setPhase("ready");
    }
  };

  /** Confirms with the provider's library (3-D Secure runs in its dialog); the decline message if any. */
  const confirm = async (started: Started): Promise<string | null> => {
    const secret = started.client_secret;
    if (started.payment.status !== "pending" || !secret) return null;
    if (fieldKind) {
      const { client, element } = field.current!;
      const outcome =
        choice === "card"
          ? await client.confirmCardPayment(secret, { payment_method: { card: element } })
          : await client.confirmSepaDebitPayment(secret, {
              payment_method: { sepa_debit: element, billing_details: { name: data.customer.display_name, email: data.customer.email } },
            });
      return outcome.error ? outcome.error.message ?? "The payment did not go through." : null;
    }
    // A saved method: the server confirmed it; the bank may still ask for 3-D Secure.
    const client = (await providerClient(started)) as ProviderClient & {
      retrievePaymentIntent?: (secret: string) => Promise<{ paymentIntent?: { status: string } }>;
      handleCardAction?: (secret: string) => Promise<{ error?: { message?: string } }>;
    };
    const current = await client.retrievePaymentIntent?.(secret);
    if (current?.paymentIntent?.status !== "requires_action") return null;
    const outcome = client.handleCardAction ? await client.handleCardAction(secret) : await client.confirmCardPayment(secret);
    return outcome.error ? outcome.error.message ?? "The payment did not go through." : null;
  };

  if (loadError) {
    return (
      <>
        <PageTitle>Pay invoices</PageTitle>
        <ErrorMessage error={loadError} />
      </>
    );
  }
  if (!invoices || !methods) return <Loading />;
  if (phase === "done" && result) return <PaymentResult payment={result} />;

  const provider = started ?? knownProvider(preview);
  const busy = phase === "paying" || phase === "waiting";
  const locked = busy || started !== null;
  const total = preview?.total ?? null;
  const skipped = invoices.filter((invoice) => !payable.includes(invoice));

  return (
    <>
      <a href="/invoices" class="back-link">
        Back to invoices
      </a>
      <PageTitle>Pay invoices</PageTitle>
      {payable.length === 0 ? (
        <p class="card">There is nothing to pay here: {invoices.length === 0 ? "you have no open invoices." : "these invoices are paid or have a payment under way."}</p>
      ) : currencies.size > 1 ? (
        <p role="alert" class="error">
          These invoices are in different currencies: pay them separately.
        </p>
      ) : (
        <form onSubmit={pay} noValidate class="pay-form">
          <section class="card table-wrap" aria-labelledby="allocation-title">
            <h2 id="allocation-title" class="card-heading">
              What you are paying
            </h2>
            <table class="allocation">
              <caption class="visually-hidden">The invoices this payment pays, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Due date</th>
                  <th scope="col" class="num">Amount due</th>
                  <th scope="col" class="num">You pay</th>
                </tr>
              </thead>
              <tbody>
                {payable.map((invoice) => {
                  const allocated = preview?.allocations.find((line) => line.invoice_id === invoice.invoice_id);
                  return (
                    <tr key={invoice.invoice_id}>
                      <th scope="row" data-label="Invoice">
                        <a href={`/invoices/${invoice.invoice_id}`}>{invoice.number}</a>
                      </th>
                      <td data-label="Due date">{formatDate(invoice.due_date)}</td>
                      <td data-label="Amount due" class="num">{formatMoney(invoice.amount_due)}</td>
                      <td data-label="You pay" class="num">
                        {partialAllowed ? (
                          <input
                            class="amount-input"
                            inputMode="decimal"
                            aria-label={`Amount to pay for invoice ${invoice.number}`}
                            value={amounts[invoice.invoice_id] ?? ""}
                            disabled={locked}
                            onInput={(e) => setAmounts({ ...amounts, [invoice.invoice_id]: e.currentTarget.value })}
                          />
                        ) : allocated ? (
                          formatMoney(allocated.amount)
                        ) : (
                          formatMoney(invoice.amount_due)
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <dl class="totals">
              {preview && preview.credit.amount > 0 && (
                <div>
                  <dt>Becomes credit</dt>
                  <dd>{formatMoney(preview.credit)}</dd>
                </div>
              )}
              <div class="strong due">
                <dt>Total to pay</dt>
                <dd data-testid="pay-total">{total ? formatMoney(total) : "…"}</dd>
              </div>
            </dl>
            {partialAllowed && (
              <p class="hint muted pay-hint">
                You may pay part of an invoice (at least {formatMoney({ amount: partialMinimum, currency: payable[0].currency })}) or enter 0 to
                leave it for later.
              </p>
            )}
            {previewError && (
              <p role="alert" class="error">
                {previewError}
              </p>
            )}
          </section>

          {skipped.length > 0 && (
            <p class="muted">
              Not included: {skipped.map((invoice) => invoice.number).join(", ")} (paid, or a payment is already under way).
            </p>
          )}

          <fieldset class="card methods" disabled={busy}>
            <legend>How you pay</legend>
            {methods.methods.map((method) => (
              <label class="choice" key={method.method_id}>
                <input type="radio" name="method" disabled={locked} checked={choice === `saved:${method.method_id}`}
                  onChange={() => setChoice(`saved:${method.method_id}`)} />
                {describeMethod({ kind: method.kind, brand: method.brand, last4: method.last4 })}
                {method.exp_month && method.exp_year && (
                  <span class="muted"> · expires {String(method.exp_month).padStart(2, "0")}/{method.exp_year}</span>
                )}
                {method.is_default && <span class="badge badge-primary">Default</span>}
              </label>
            ))}
            <label class="choice">
              <input type="radio" name="method" disabled={locked} checked={choice === "card"} onChange={() => setChoice("card")} />
              {methods.methods.length ? "A new card" : "Card"}
            </label>
            {sepa && (
              <label class="choice">
                <input type="radio" name="method" disabled={locked} checked={choice === "bank_debit"} onChange={() => setChoice("bank_debit")} />
                Bank debit (SEPA)
              </label>
            )}
            {fieldKind && provider && (
              <ProviderField
                key={fieldKind}
                kind={fieldKind}
                label={fieldKind === "card" ? "Card details" : "IBAN"}
                config={provider}
                onReady={(client, element) => (field.current = { client, element, kind: fieldKind })}
              />
            )}
            {fieldKind && !provider && <p class="muted">You enter the {fieldKind === "card" ? "card" : "account"} details in the next step.</p>}
            {choice === "bank_debit" && (
              <p class="hint muted">
                By paying by bank debit you authorise {data.business?.name ?? "us"} to debit this account. A bank debit takes a few days to clear;
                the invoices show “Payment pending” until then.
              </p>
            )}
            {canSaveMethods && methods.methods.length === 0 && (
              <p class="hint muted">
                You can save a card for next time under <a href="/payment-methods">Payment methods</a>.
              </p>
            )}
          </fieldset>

          {message && (
            <p role="alert" class="error" data-testid="payment-error">
              {message}
            </p>
          )}
          <button type="submit" class="button-primary pay-button" disabled={busy || !preview || !!previewError}>
            {phase === "paying"
              ? "Paying…"
              : phase === "waiting"
                ? "Checking the payment…"
                : fieldKind && !provider
                  ? "Continue"
                  : total
                    ? `Pay ${formatMoney(total)}`
                    : "Pay"}
          </button>
        </form>
      )}
    </>
  );
}

/** What happened: paid (with the receipt), or pending (a bank debit clearing). */
export function PaymentResult({ payment }: { payment: Payment }) {
  const [error, setError] = useState<Error | null>(null);
  const pending = payment.status === "pending";
  return (
    <>
      <PageTitle>{pending ? "Payment pending" : "Payment received"}</PageTitle>
      <section class="card highlight" aria-live="polite">
        <p class="amount">{formatMoney(payment.amount)}</p>
        <p>
          {pending
            ? "Your payment is being processed. The invoices show “Payment pending” until it clears; we will let you know."
            : "Thank you: your payment was received."}
        </p>
        <ul class="plain-list">
          {payment.allocations.map((line) => (
            <li key={line.invoice_id}>
              Invoice <a href={`/invoices/${line.invoice_id}`}>{line.invoice_number}</a>: {formatMoney(line.amount)}
            </li>
          ))}
          {payment.credit_created.amount > 0 && <li>Added to your credit: {formatMoney(payment.credit_created)}</li>}
        </ul>
        <p class="actions">
          <a class="button-primary" href={`/payments/${payment.payment_id}`}>
            View receipt
          </a>
          {!pending && (
            <button type="button" class="button-secondary" onClick={() => saveReceipt(payment.payment_id).catch(setError)}>
              Download receipt
            </button>
          )}
        </p>
        {error && <ErrorMessage error={error} />}
      </section>
    </>
  );
}
