import { useEffect, useState } from "preact/hooks";
import { call } from "../api";
import { ErrorMessage, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { formatDateTime, formatMoney } from "../format";
import type { Change, ChangeApplied, ChangePreview, PlanOption, Subscription } from "../subscriptions";

function newKey(): string {
  return crypto.randomUUID();
}

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
      Back to subscriptions
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
      const change = { ...pending.change, at: pending.quote.at }; // billed exactly as quoted
      const applied = await call<ChangeApplied>(`${path}/changes`, {
        method: "POST",
        body: JSON.stringify({ change }),
        headers: { "Idempotency-Key": pending.key },
      });
      setSub(applied.subscription);
      setPending(null);
      setDone(`Done. ${applied.due_now.amount ? `Billed now: ${formatMoney(applied.due_now)}.` : "Nothing billed now."}`);
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
            <dt>Quantity</dt>
            <dd>{sub.quantity}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(sub.started_at)}</dd>
          </div>
          {sub.trial_ends_at && (
            <div>
              <dt>Trial ends</dt>
              <dd>{formatDateTime(sub.trial_ends_at)}</dd>
            </div>
          )}
          <div>
            <dt>Next renewal</dt>
            <dd data-testid="next-renewal">{sub.next_renewal_at ? formatDateTime(sub.next_renewal_at) : "—"}</dd>
          </div>
          <div>
            <dt>Next invoice</dt>
            <dd class="strong" data-testid="next-invoice">
              {sub.next_invoice_amount ? formatMoney(sub.next_invoice_amount) : "—"}
            </dd>
          </div>
          {sub.coupon && (
            <div>
              <dt>Coupon</dt>
              <dd>{sub.coupon.code}</dd>
            </div>
          )}
        </dl>
        {sub.status === "non_renewing" && (
          <p role="status">
            Ends on {sub.current_period_end ? formatDateTime(sub.current_period_end) : "the end of the term"}.
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
    </>
  );
}

function Quote({ quote, busy, onConfirm, onCancel }: {
  quote: ChangePreview; busy: boolean; onConfirm: () => void; onCancel: () => void;
}) {
  return (
    <section class="card" aria-label="Preview">
      <h2>What this change bills now</h2>
      {quote.lines.length === 0 ? (
        <p>Nothing is billed now.</p>
      ) : (
        <table class="quote">
          <caption class="visually-hidden">Lines billed now</caption>
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
              <th scope="row">Due now</th>
              <td class="num strong" data-testid="due-now">{formatMoney(quote.due_now)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      <p>
        Next invoice after this change:{" "}
        <strong>{quote.next_invoice_amount ? formatMoney(quote.next_invoice_amount) : "none"}</strong>
      </p>
      <button type="button" class="button-primary" disabled={busy} onClick={onConfirm}>
        Confirm
      </button>{" "}
      <button type="button" class="button-secondary" onClick={onCancel}>
        Back
      </button>
    </section>
  );
}

function Actions({ sub, path, can, busy, onPreview }: {
  sub: Subscription; path: string; can: (action: string) => boolean; busy: boolean; onPreview: (change: Change) => void;
}) {
  const plans = useAsync(
    () => (can("change_plan") ? call<{ plans: PlanOption[] }>(`${path}/plans`) : Promise.resolve({ plans: [] })),
    [sub.plan_id, sub.status],
  );
  const [planId, setPlanId] = useState("");
  const [reason, setReason] = useState("");
  const others = (plans.data?.plans ?? []).filter((plan) => !plan.current);
  return (
    <section class="card" aria-label="Change this subscription">
      {can("change_plan") && others.length > 0 && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (planId) onPreview({ action: "change_plan", plan_id: planId });
          }}
        >
          <label for="plan">Change plan</label>
          <select id="plan" value={planId} onChange={(e) => setPlanId(e.currentTarget.value)}>
            <option value="">Choose a plan…</option>
            {others.map((plan) => (
              <option key={plan.plan_id} value={plan.plan_id}>
                {plan.name} ({formatMoney(plan.unit_amount)})
              </option>
            ))}
          </select>{" "}
          <button type="submit" class="button-secondary" disabled={busy || !planId}>
            Preview change
          </button>
        </form>
      )}
      {(can("cancel_term_end") || can("cancel_now")) && (
        <div class="field">
          <label for="cancel-reason">Reason for cancelling</label>
          <input id="cancel-reason" value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
          {can("cancel_term_end") && (
            <button type="button" class="button-secondary" disabled={busy || !reason.trim()}
              onClick={() => onPreview({ action: "cancel", when: "term_end", reason })}>
              Cancel at term end
            </button>
          )}{" "}
          {can("cancel_now") && (
            <button type="button" class="button-secondary" disabled={busy || !reason.trim()}
              onClick={() => onPreview({ action: "cancel", when: "now", reason })}>
              Cancel now
            </button>
          )}
        </div>
      )}
      <div class="answer">
        {can("reactivate") && (
          <button type="button" class="button-primary" disabled={busy} onClick={() => onPreview({ action: "reactivate" })}>
            Reactivate
          </button>
        )}
        {can("pause") && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => onPreview({ action: "pause" })}>
            Pause
          </button>
        )}
        {can("resume") && (
          <button type="button" class="button-primary" disabled={busy} onClick={() => onPreview({ action: "resume" })}>
            Resume
          </button>
        )}
        {can("convert_trial") && (
          <button type="button" class="button-primary" disabled={busy} onClick={() => onPreview({ action: "convert_trial" })}>
            Start paying now
          </button>
        )}
        {can("cancel_trial") && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => onPreview({ action: "cancel_trial" })}>
            Cancel trial
          </button>
        )}
      </div>
    </section>
  );
}
