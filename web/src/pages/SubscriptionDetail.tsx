import { useEffect, useState } from "preact/hooks";
import { ApiError, call } from "../api";
import { ErrorMessage, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { formatDate, formatDateTime, formatMoney } from "../format";
import { t } from "../i18n";
import type { Change, ChangeApplied, ChangeOptions, ChangePreview, Subscription } from "../subscriptions";

function newKey(): string {
  return crypto.randomUUID();
}

const NO_OPTIONS: ChangeOptions = { plans: [], addons: [], min_quantity: 1, max_quantity: null };

export function SubscriptionDetail({ subscriptionId }: { subscriptionId: string }) {
  const path = `/subscriptions/${encodeURIComponent(subscriptionId)}`;
  const loaded = useAsync(() => call<Subscription>(path), [subscriptionId]);
  const [sub, setSub] = useState<Subscription | null>(null);
  useEffect(() => setSub(loaded.data), [loaded.data]);
  // The change being previewed, its quote, and the key its confirmation is sent with (one per quote).
  const [pending, setPending] = useState<{ change: Change; quote: ChangePreview; key: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const back = (
    <a href="/subscriptions" class="back-link">
      {t("subscriptions.back")}
    </a>
  );
  if (loaded.error)
    return (
      <>
        {back}
        <ErrorMessage error={loaded.error} />
      </>
    );
  if (!sub) return <Loading />;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  const previewChange = (change: Change) =>
    run(async () => {
      const quote = await call<ChangePreview>(`${path}/preview`, { method: "POST", body: JSON.stringify({ change }) });
      setPending({ change, quote, key: newKey() });
      setDone(null);
    });
  const confirm = () =>
    run(async () => {
      if (!pending) return;
      const change = { ...pending.change, preview_id: pending.quote.preview_id }; // billed exactly as quoted
      let applied: ChangeApplied;
      try {
        applied = await call<ChangeApplied>(`${path}/changes`, {
          method: "POST",
          body: JSON.stringify({ change }),
          headers: { "Idempotency-Key": pending.key },
        });
      } catch (failure) {
        // an expired or used preview: its quote is gone; the contact previews again
        if (failure instanceof ApiError && failure.code === "preview_not_usable") setPending(null);
        throw failure;
      }
      // its invoice arrives through the invoices service: keep the list shown until the next load
      setSub({ ...applied.subscription, invoices: sub.invoices });
      setPending(null);
      setDone(
        applied.due_now.amount
          ? t("subscriptions.done_billed", { amount: formatMoney(applied.due_now) })
          : t("subscriptions.done_nothing"),
      );
    });
  const can = (action: string) => sub.allowed.includes(action);

  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>{sub.plan_name}</PageTitle>
        <StatusBadge status={sub.status} />
      </div>
      <div class="card">
        <dl class="facts">
          <div>
            <dt>{t("subscriptions.quantity")}</dt>
            <dd data-testid="quantity">{sub.quantity}</dd>
          </div>
          <div>
            <dt>{t("subscriptions.started")}</dt>
            <dd>{formatDateTime(sub.started_at)}</dd>
          </div>
          {sub.trial_ends_at && (
            <div>
              <dt>{t("subscriptions.trial_ends")}</dt>
              <dd>{formatDateTime(sub.trial_ends_at)}</dd>
            </div>
          )}
          <div>
            <dt>{t("subscriptions.next_renewal")}</dt>
            <dd data-testid="next-renewal">{sub.next_renewal_at ? formatDateTime(sub.next_renewal_at) : "—"}</dd>
          </div>
          <div>
            <dt>{t("subscriptions.next_invoice")}</dt>
            <dd class="strong" data-testid="next-invoice">
              {sub.next_invoice_amount ? formatMoney(sub.next_invoice_amount) : "—"}
            </dd>
          </div>
          {sub.coupon && (
            <div>
              <dt>{t("subscriptions.coupon")}</dt>
              <dd data-testid="coupon">{sub.coupon.code}</dd>
            </div>
          )}
        </dl>
        {sub.items.length > 1 && (
          <table class="quote">
            <caption>{t("subscriptions.items")}</caption>
            <tbody>
              {sub.items.map((item) => (
                <tr key={item.key}>
                  <th scope="row">
                    {item.quantity > 1 ? t("subscriptions.item_quantity", { name: item.description, quantity: item.quantity }) : item.description}
                  </th>
                  <td class="num">{formatMoney(item.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {sub.status === "non_renewing" && (
          <p role="status">
            {sub.current_period_end
              ? t("subscriptions.ends_on", { date: formatDateTime(sub.current_period_end) })
              : t("subscriptions.ends_at_term_end")}
          </p>
        )}
      </div>

      {done && (
        <div class="card notice" role="status">
          {done}
        </div>
      )}
      {pending ? (
        <Quote quote={pending.quote} busy={busy} onConfirm={confirm} onCancel={() => setPending(null)} />
      ) : (
        <Actions sub={sub} path={path} can={can} busy={busy} onPreview={previewChange} />
      )}
      {error && <ErrorMessage error={error} />}
      <PastInvoices sub={sub} />
    </>
  );
}

function PastInvoices({ sub }: { sub: Subscription }) {
  return (
    <section class="card" aria-labelledby="past-invoices">
      <h2 id="past-invoices">{t("subscriptions.past_invoices")}</h2>
      {sub.invoices.length === 0 ? (
        <p>{t("subscriptions.no_invoices")}</p>
      ) : (
        <table class="subscription-invoices">
          <thead>
            <tr>
              <th scope="col">{t("subscriptions.invoice_number")}</th>
              <th scope="col">{t("subscriptions.invoice_date")}</th>
              <th scope="col">{t("subscriptions.invoice_status")}</th>
              <th scope="col" class="num">{t("subscriptions.invoice_total")}</th>
            </tr>
          </thead>
          <tbody>
            {sub.invoices.map((invoice) => (
              <tr key={invoice.invoice_id}>
                <th scope="row" data-label={t("subscriptions.invoice_number")}>
                  <a href={`/invoices/${invoice.invoice_id}`}>{invoice.number}</a>
                </th>
                <td data-label={t("subscriptions.invoice_date")}>{formatDate(invoice.issue_date)}</td>
                <td data-label={t("subscriptions.invoice_status")}>
                  <StatusBadge status={invoice.status} />
                </td>
                <td data-label={t("subscriptions.invoice_total")} class="num">
                  {formatMoney(invoice.total)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Quote({ quote, busy, onConfirm, onCancel }: {
  quote: ChangePreview; busy: boolean; onConfirm: () => void; onCancel: () => void;
}) {
  return (
    <section class="card" aria-label={t("subscriptions.preview_region")}>
      <h2>{t("subscriptions.preview")}</h2>
      {quote.lines.length === 0 ? (
        <p>{t("subscriptions.nothing_now")}</p>
      ) : (
        <table class="quote">
          <caption class="visually-hidden">{t("subscriptions.lines_now")}</caption>
          <tbody>
            {quote.lines.map((line, index) => (
              <tr key={index}>
                <th scope="row">{line.description}</th>
                <td class="num">{formatMoney(line.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("subscriptions.due_now")}</th>
              <td class="num strong" data-testid="due-now">{formatMoney(quote.due_now)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      <p>
        {t("subscriptions.next_after")}{" "}
        <strong data-testid="next-after">
          {quote.next_invoice_amount ? formatMoney(quote.next_invoice_amount) : t("subscriptions.none")}
        </strong>
      </p>
      <button type="button" class="button-primary" disabled={busy} onClick={onConfirm}>
        {t("subscriptions.confirm")}
      </button>{" "}
      <button type="button" class="button-secondary" onClick={onCancel}>
        {t("subscriptions.cancel_preview")}
      </button>
    </section>
  );
}

function Actions({ sub, path, can, busy, onPreview }: {
  sub: Subscription; path: string; can: (action: string) => boolean; busy: boolean; onPreview: (change: Change) => void;
}) {
  const wanted = can("change_plan") || can("quantity") || can("add_addon");
  const options = useAsync(
    () => (wanted ? call<ChangeOptions>(`${path}/plans`) : Promise.resolve(NO_OPTIONS)),
    [sub.plan_id, sub.status, sub.items.length],
  );
  const [reason, setReason] = useState("");
  const found = options.data ?? NO_OPTIONS;
  const current = found.plans.find((plan) => plan.current);
  return (
    <section class="card subscription-actions" aria-label={t("subscriptions.change_title")}>
      {can("change_plan") && <PlanChange options={found} busy={busy} onPreview={onPreview} />}
      {can("quantity") && current?.pricing === "per_unit" && (
        <QuantityChange sub={sub} options={found} busy={busy} onPreview={onPreview} />
      )}
      {can("add_addon") && <AddonChange sub={sub} options={found} busy={busy} onPreview={onPreview} />}
      {can("apply_coupon") && <CouponChange busy={busy} onPreview={onPreview} />}
      {(can("cancel_term_end") || can("cancel_now")) && (
        <div class="field">
          <label for="cancel-reason">{t("subscriptions.cancel_reason")}</label>
          <input id="cancel-reason" value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
          {can("cancel_term_end") && (
            <button type="button" class="button-secondary" disabled={busy || !reason.trim()}
              onClick={() => onPreview({ action: "cancel", when: "term_end", reason })}>
              {t("subscriptions.cancel_term_end")}
            </button>
          )}{" "}
          {can("cancel_now") && (
            <button type="button" class="button-secondary" disabled={busy || !reason.trim()}
              onClick={() => onPreview({ action: "cancel", when: "now", reason })}>
              {t("subscriptions.cancel_now")}
            </button>
          )}
        </div>
      )}
      <div class="answer">
        {can("reactivate") && (
          <button type="button" class="button-primary" disabled={busy} onClick={() => onPreview({ action: "reactivate" })}>
            {t("subscriptions.reactivate")}
          </button>
        )}
        {can("pause") && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => onPreview({ action: "pause" })}>
            {t("subscriptions.pause")}
          </button>
        )}
        {can("resume") && (
          <button type="button" class="button-primary" disabled={busy} onClick={() => onPreview({ action: "resume" })}>
            {t("subscriptions.resume")}
          </button>
        )}
        {can("convert_trial") && (
          <button type="button" class="button-primary" disabled={busy} onClick={() => onPreview({ action: "convert_trial" })}>
            {t("subscriptions.convert_trial")}
          </button>
        )}
        {can("cancel_trial") && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => onPreview({ action: "cancel_trial" })}>
            {t("subscriptions.cancel_trial")}
          </button>
        )}
      </div>
    </section>
  );
}

type ControlProps = { options: ChangeOptions; busy: boolean; onPreview: (change: Change) => void };

function PlanChange({ options, busy, onPreview }: ControlProps) {
  const [planId, setPlanId] = useState("");
  const others = options.plans.filter((plan) => !plan.current);
  if (others.length === 0) return null;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (planId) onPreview({ action: "change_plan", plan_id: planId });
      }}
    >
      <label for="plan">{t("subscriptions.change_plan")}</label>
      <select id="plan" value={planId} onChange={(e) => setPlanId(e.currentTarget.value)}>
        <option value="">{t("subscriptions.choose_plan")}</option>
        {others.map((plan) => (
          <option key={plan.plan_id} value={plan.plan_id}>
            {t("subscriptions.plan_option", { name: plan.name, price: formatMoney(plan.unit_amount) })}
          </option>
        ))}
      </select>{" "}
      <button type="submit" class="button-secondary" disabled={busy || !planId}>
        {t("subscriptions.preview_plan")}
      </button>
    </form>
  );
}

function QuantityChange({ sub, options, busy, onPreview }: ControlProps & { sub: Subscription }) {
  const [quantity, setQuantity] = useState(String(sub.quantity));
  const wanted = Number(quantity);
  const valid =
    Number.isInteger(wanted) &&
    wanted >= options.min_quantity &&
    (options.max_quantity === null || wanted <= options.max_quantity) &&
    wanted !== sub.quantity;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onPreview({ action: "quantity", quantity: wanted });
      }}
    >
      <label for="quantity">{t("subscriptions.new_quantity")}</label>
      <input
        id="quantity"
        type="number"
        inputMode="numeric"
        min={options.min_quantity}
        max={options.max_quantity ?? undefined}
        value={quantity}
        onInput={(e) => setQuantity(e.currentTarget.value)}
      />{" "}
      <button type="submit" class="button-secondary" disabled={busy || !valid}>
        {t("subscriptions.preview_quantity")}
      </button>
    </form>
  );
}

function AddonChange({ sub, options, busy, onPreview }: ControlProps & { sub: Subscription }) {
  const [addonId, setAddonId] = useState("");
  const [quantity, setQuantity] = useState("1");
  const addable = options.addons.filter((addon) => !addon.added);
  const chosen = addable.find((addon) => addon.addon_id === addonId);
  const added = sub.items.filter((item) => item.key.startsWith("addon:"));
  const count = Number(quantity);
  return (
    <>
      {added.length > 0 && (
        <ul class="addons" aria-label={t("subscriptions.addons_added")}>
          {added.map((item) => (
            <li key={item.key}>
              {item.description}{" "}
              <button
                type="button"
                class="button-secondary"
                disabled={busy}
                aria-label={t("subscriptions.remove_addon_named", { name: item.description })}
                onClick={() => onPreview({ action: "remove_addon", addon_id: item.key.slice("addon:".length) })}
              >
                {t("subscriptions.remove_addon")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {addable.length > 0 && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen) onPreview({ action: "add_addon", addon_id: chosen.addon_id, quantity: chosen.pricing === "per_unit" ? count : 1 });
          }}
        >
          <label for="addon">{t("subscriptions.add_addon")}</label>
          <select id="addon" value={addonId} onChange={(e) => setAddonId(e.currentTarget.value)}>
            <option value="">{t("subscriptions.choose_addon")}</option>
            {addable.map((addon) => (
              <option key={addon.addon_id} value={addon.addon_id}>
                {t(addon.recurring ? "subscriptions.addon_recurring" : "subscriptions.addon_once", {
                  name: addon.name,
                  price: formatMoney(addon.unit_amount),
                })}
              </option>
            ))}
          </select>{" "}
          {chosen?.pricing === "per_unit" && (
            <>
              <label for="addon-quantity">{t("subscriptions.addon_quantity")}</label>
              <input id="addon-quantity" type="number" inputMode="numeric" min={1} value={quantity}
                onInput={(e) => setQuantity(e.currentTarget.value)} />{" "}
            </>
          )}
          <button type="submit" class="button-secondary" disabled={busy || !chosen || !(Number.isInteger(count) && count >= 1)}>
            {t("subscriptions.preview_addon")}
          </button>
        </form>
      )}
    </>
  );
}

function CouponChange({ busy, onPreview }: { busy: boolean; onPreview: (change: Change) => void }) {
  const [code, setCode] = useState("");
  const trimmed = code.trim();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (trimmed) onPreview({ action: "apply_coupon", code: trimmed });
      }}
    >
      <label for="coupon-code">{t("subscriptions.coupon_code")}</label>
      <input id="coupon-code" value={code} maxLength={40} autoComplete="off" onInput={(e) => setCode(e.currentTarget.value)} />{" "}
      <button type="submit" class="button-secondary" disabled={busy || !trimmed}>
        {t("subscriptions.preview_coupon")}
      </button>
    </form>
  );
}
