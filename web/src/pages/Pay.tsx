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
import { t } from "../i18n";

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
      if (amount === null) return t("pay.enter_amount", { number: invoice.number, example: amountText(invoice.amount_due) });
      if (amount === 0) continue; // not paying this one now
      if (amount > due) return t("pay.too_much", { number: invoice.number, amount: formatMoney(invoice.amount_due) });
      if (amount < due && amount < partialMinimum)
        return t("pay.part_minimum", { amount: formatMoney({ amount: partialMinimum, currency: invoice.currency }), number: invoice.number });
      lines.push(amount === due ? { invoice_id: invoice.invoice_id } : { invoice_id: invoice.invoice_id, amount });
    }
    if (lines.length === 0) return t("pay.choose_one");
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
      setMessage(t("pay.form_loading"));
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
        setMessage(declined ?? settled.failure_reason ?? t("pay.not_through"));
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
      return outcome.error ? outcome.error.message ?? t("pay.not_through") : null;
    }
    // A saved method: the server confirmed it; the bank may still ask for 3-D Secure.
    const client = (await providerClient(started)) as ProviderClient & {
      retrievePaymentIntent?: (secret: string) => Promise<{ paymentIntent?: { status: string } }>;
      handleCardAction?: (secret: string) => Promise<{ error?: { message?: string } }>;
    };
    const current = await client.retrievePaymentIntent?.(secret);
    if (current?.paymentIntent?.status !== "requires_action") return null;
    const outcome = client.handleCardAction ? await client.handleCardAction(secret) : await client.confirmCardPayment(secret);
    return outcome.error ? outcome.error.message ?? t("pay.not_through") : null;
  };

  if (loadError) {
    return (
      <>
        <PageTitle>{t("pay.title")}</PageTitle>
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
        {t("pay.back")}
      </a>
      <PageTitle>{t("pay.title")}</PageTitle>
      {payable.length === 0 ? (
        <p class="card">{invoices.length === 0 ? t("pay.nothing_none") : t("pay.nothing_paid")}</p>
      ) : currencies.size > 1 ? (
        <p role="alert" class="error">
          {t("pay.currencies")}
        </p>
      ) : (
        <form onSubmit={pay} noValidate class="pay-form">
          <section class="card table-wrap" aria-labelledby="allocation-title">
            <h2 id="allocation-title" class="card-heading">
              {t("pay.what")}
            </h2>
            <table class="allocation">
              <caption class="visually-hidden">{t("pay.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("documents.col.invoice")}</th>
                  <th scope="col">{t("documents.col.due_date")}</th>
                  <th scope="col" class="num">{t("documents.col.amount_due")}</th>
                  <th scope="col" class="num">{t("pay.you_pay")}</th>
                </tr>
              </thead>
              <tbody>
                {payable.map((invoice) => {
                  const allocated = preview?.allocations.find((line) => line.invoice_id === invoice.invoice_id);
                  return (
                    <tr key={invoice.invoice_id}>
                      <th scope="row" data-label={t("documents.col.invoice")}>
                        <a href={`/invoices/${invoice.invoice_id}`}>{invoice.number}</a>
                      </th>
                      <td data-label={t("documents.col.due_date")}>{formatDate(invoice.due_date)}</td>
                      <td data-label={t("documents.col.amount_due")} class="num">{formatMoney(invoice.amount_due)}</td>
                      <td data-label={t("pay.you_pay")} class="num">
                        {partialAllowed ? (
                          <input
                            class="amount-input"
                            inputMode="decimal"
                            aria-label={t("pay.amount_for", { number: invoice.number })}
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
                  <dt>{t("pay.becomes_credit")}</dt>
                  <dd>{formatMoney(preview.credit)}</dd>
                </div>
              )}
              <div class="strong due">
                <dt>{t("pay.total")}</dt>
                <dd data-testid="pay-total">{total ? formatMoney(total) : "…"}</dd>
              </div>
            </dl>
            {partialAllowed && (
              <p class="hint muted pay-hint">
                {t("pay.partial_hint", { amount: formatMoney({ amount: partialMinimum, currency: payable[0].currency }) })}
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
              {t("pay.skipped", { numbers: skipped.map((invoice) => invoice.number).join(" · ") })}
            </p>
          )}

          <fieldset class="card methods" disabled={busy}>
            <legend>{t("pay.how")}</legend>
            {methods.methods.map((method) => (
              <label class="choice" key={method.method_id}>
                <input type="radio" name="method" disabled={locked} checked={choice === `saved:${method.method_id}`}
                  onChange={() => setChoice(`saved:${method.method_id}`)} />
                {describeMethod({ kind: method.kind, brand: method.brand, last4: method.last4 })}
                {method.exp_month && method.exp_year && (
                  <span class="muted">
                    {" · "}
                    {t("payments.expires", { month: String(method.exp_month).padStart(2, "0"), year: String(method.exp_year) })}
                  </span>
                )}
                {method.is_default && <span class="badge badge-primary">{t("payments.default")}</span>}
              </label>
            ))}
            <label class="choice">
              <input type="radio" name="method" disabled={locked} checked={choice === "card"} onChange={() => setChoice("card")} />
              {methods.methods.length ? t("pay.new_card") : t("pay.card")}
            </label>
            {sepa && (
              <label class="choice">
                <input type="radio" name="method" disabled={locked} checked={choice === "bank_debit"} onChange={() => setChoice("bank_debit")} />
                {t("pay.sepa")}
              </label>
            )}
            {fieldKind && provider && (
              <ProviderField
                key={fieldKind}
                kind={fieldKind}
                label={fieldKind === "card" ? t("payments.card_details") : t("pay.iban")}
                config={provider}
                onReady={(client, element) => (field.current = { client, element, kind: fieldKind })}
              />
            )}
            {fieldKind && !provider && <p class="muted">{fieldKind === "card" ? t("pay.next_step_card") : t("pay.next_step_account")}</p>}
            {choice === "bank_debit" && (
              <p class="hint muted">
                {t("pay.mandate", { business: data.business?.name ?? t("pay.us") })}
              </p>
            )}
            {canSaveMethods && methods.methods.length === 0 && (
              <p class="hint muted">
                {t("pay.save_hint")} <a href="/payment-methods">{t("payments.methods_title")}</a>
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
              ? t("pay.paying")
              : phase === "waiting"
                ? t("pay.checking")
                : fieldKind && !provider
                  ? t("pay.continue")
                  : total
                    ? t("pay.pay_amount", { amount: formatMoney(total) })
                    : t("pay.pay")}
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
      <PageTitle>{pending ? t("pay.pending") : t("pay.received")}</PageTitle>
      <section class="card highlight" aria-live="polite">
        <p class="amount">{formatMoney(payment.amount)}</p>
        <p>
          {pending
            ? t("pay.pending_text")
            : t("pay.thanks")}
        </p>
        <ul class="plain-list">
          {payment.allocations.map((line) => (
            <li key={line.invoice_id}>
              {t("payments.invoice")} <a href={`/invoices/${line.invoice_id}`}>{line.invoice_number}</a>: {formatMoney(line.amount)}
            </li>
          ))}
          {payment.credit_created.amount > 0 && <li>{t("pay.added_credit", { amount: formatMoney(payment.credit_created) })}</li>}
        </ul>
        <p class="actions">
          <a class="button-primary" href={`/payments/${payment.payment_id}`}>
            {t("pay.view_receipt")}
          </a>
          {!pending && (
            <button type="button" class="button-secondary" onClick={() => saveReceipt(payment.payment_id).catch(setError)}>
              {t("pay.download_receipt")}
            </button>
          )}
        </p>
        {error && <ErrorMessage error={error} />}
      </section>
    </>
  );
}
