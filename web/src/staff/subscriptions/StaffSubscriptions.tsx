// Staff: a customer's subscriptions, subscribing a customer, the catalog (plans, addons, coupons) and
// the tenant's rules — over the subscriptions service's staff API.
import { useEffect, useState } from "preact/hooks";
import { call } from "../../api";
import { ErrorMessage, PageTitle, StatusBadge, useAsync } from "../../components/common";
import { formatDateTime, formatMoney, formatRate, parseAmount } from "../../format";
import { t } from "../../i18n";
import { Feedback, useAction } from "../feedback";
import { CURRENCIES, type Catalog, type Rules, type SubscriptionSummary } from "./api";

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });

/** One form's request through the console's action runner: busy while it runs, then its message. */
function useSubmit() {
  const action = useAction();
  const submit = (work: () => Promise<string>) => action.run(work, (text) => text);
  return { busy: action.busy, submit, feedback: <Feedback outcome={action.outcome} /> };
}

export function StaffSubscriptionsPage() {
  const [version, setVersion] = useState(0);
  const catalog = useAsync(() => call<Catalog>("/staff/catalog"), [version]);
  const changed = () => setVersion((v) => v + 1);
  return (
    <>
      <PageTitle>{t("staff_subscriptions.title")}</PageTitle>
      <CustomerSubscriptions catalog={catalog.data} />
      {catalog.error && <ErrorMessage error={catalog.error} />}
      <CatalogSection catalog={catalog.data} onChange={changed} />
      <RulesSection />
    </>
  );
}

function CustomerSubscriptions({ catalog }: { catalog: Catalog | null }) {
  // Opened from a customer's page (?customer_id=…): that customer's subscriptions at once.
  const [customerId, setCustomerId] = useState(() => new URLSearchParams(location.search).get("customer_id") ?? "");
  const [shown, setShown] = useState<{ customerId: string; items: SubscriptionSummary[] } | null>(null);
  const [planId, setPlanId] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [coupon, setCoupon] = useState("");
  const listing = useSubmit();
  const creating = useSubmit();
  const id = customerId.trim();
  const load = async () => {
    const page = await call<{ items: SubscriptionSummary[] }>(
      `/staff/subscriptions?customer_id=${encodeURIComponent(id)}`,
    );
    setShown({ customerId: id, items: page.items });
    return t("staff_subscriptions.found", { count: page.items.length });
  };
  useEffect(() => {
    if (id) listing.submit(load);
  }, []);
  const plan = catalog?.plans.find((p) => p.plan_id === planId);
  return (
    <section class="card" aria-labelledby="staff-subs-customer">
      <h2 id="staff-subs-customer">{t("staff_subscriptions.by_customer")}</h2>
      <form onSubmit={(e) => { e.preventDefault(); if (id) listing.submit(load); }}>
        <label for="staff-subs-customer-id">{t("staff_subscriptions.customer_id")}</label>
        <input id="staff-subs-customer-id" value={customerId} onInput={(e) => setCustomerId(e.currentTarget.value)} />{" "}
        <button type="submit" class="button-secondary" disabled={listing.busy || !id}>
          {t("staff_subscriptions.show")}
        </button>
      </form>
      {listing.feedback}
      {shown && shown.items.length > 0 && (
        <table class="subscriptions">
          <caption class="visually-hidden">{t("staff_subscriptions.by_customer")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff_subscriptions.plan")}</th>
              <th scope="col">{t("staff_subscriptions.status")}</th>
              <th scope="col">{t("staff_subscriptions.next_renewal")}</th>
              <th scope="col" class="num">{t("staff_subscriptions.next_invoice")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.items.map((sub) => (
              <tr key={sub.subscription_id}>
                <th scope="row">{sub.plan_name}</th>
                <td><StatusBadge status={sub.status} /></td>
                <td>{sub.next_renewal_at ? formatDateTime(sub.next_renewal_at) : "—"}</td>
                <td class="num">{sub.next_invoice_amount ? formatMoney(sub.next_invoice_amount) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t("staff_subscriptions.create")}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          creating.submit(async () => {
            const body: Record<string, unknown> = { customer_id: id, plan_id: planId, quantity: Number(quantity) };
            if (coupon.trim()) body.coupon_code = coupon.trim();
            await call("/staff/subscriptions", post(body));
            await load();
            return t("staff_subscriptions.created");
          });
        }}
      >
        <label for="staff-subs-plan">{t("staff_subscriptions.plan")}</label>
        <select id="staff-subs-plan" value={planId} onChange={(e) => setPlanId(e.currentTarget.value)}>
          <option value="">{t("staff_subscriptions.choose_plan")}</option>
          {(catalog?.plans ?? []).map((p) => (
            <option key={p.plan_id} value={p.plan_id}>
              {t("staff_subscriptions.plan_option", {
                name: p.name,
                price: formatMoney({ amount: p.unit_amount, currency: p.currency }),
                months: p.interval_months,
              })}
            </option>
          ))}
        </select>{" "}
        {plan?.pricing === "per_unit" && (
          <>
            <label for="staff-subs-quantity">{t("staff_subscriptions.quantity")}</label>
            <input id="staff-subs-quantity" type="number" min={1} value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />{" "}
          </>
        )}
        <label for="staff-subs-coupon">{t("staff_subscriptions.coupon_optional")}</label>
        <input id="staff-subs-coupon" value={coupon} maxLength={40} onInput={(e) => setCoupon(e.currentTarget.value)} />{" "}
        <button type="submit" class="button-primary" disabled={creating.busy || !id || !planId}>
          {t("staff_subscriptions.subscribe")}
        </button>
        {!id && <p>{t("staff_subscriptions.enter_customer_first")}</p>}
      </form>
      {creating.feedback}
    </section>
  );
}

function CatalogSection({ catalog, onChange }: { catalog: Catalog | null; onChange: () => void }) {
  return (
    <section class="card" aria-labelledby="staff-subs-catalog">
      <h2 id="staff-subs-catalog">{t("staff_subscriptions.catalog")}</h2>
      <h3>{t("staff_subscriptions.plans")}</h3>
      {catalog && catalog.plans.length === 0 && <p>{t("staff_subscriptions.no_plans")}</p>}
      <ul class="catalog-list">
        {catalog?.plans.map((p) => (
          <li key={p.plan_id}>
            {t("staff_subscriptions.plan_option", {
              name: p.name,
              price: formatMoney({ amount: p.unit_amount, currency: p.currency }),
              months: p.interval_months,
            })}
            {p.trial_days > 0 && ` · ${t("staff_subscriptions.trial_days_short", { days: p.trial_days })}`}
          </li>
        ))}
      </ul>
      <AddPlan onAdded={onChange} />
      <h3>{t("staff_subscriptions.addons")}</h3>
      <ul class="catalog-list">
        {catalog?.addons.map((a) => (
          <li key={a.addon_id}>
            {a.name} · {formatMoney({ amount: a.unit_amount, currency: a.currency })}
          </li>
        ))}
      </ul>
      <AddAddon onAdded={onChange} />
      <h3>{t("staff_subscriptions.coupons")}</h3>
      <ul class="catalog-list">
        {catalog?.coupons.map((c) => (
          <li key={c.code}>
            {c.code} · {c.percent_bps ? formatRate(c.percent_bps) : c.amount_off ? formatMoney(c.amount_off) : ""}
          </li>
        ))}
      </ul>
      <AddCoupon onAdded={onChange} />
    </section>
  );
}

function AddPlan({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [price, setPrice] = useState("");
  const [months, setMonths] = useState("1");
  const [pricing, setPricing] = useState("flat");
  const [trialDays, setTrialDays] = useState("0");
  const form = useSubmit();
  const amount = parseAmount(price, currency);
  return (
    <form
      class="stack-form"
      onSubmit={(e) => {
        e.preventDefault();
        form.submit(async () => {
          await call(
            "/staff/catalog/plans",
            post({ name, currency, unit_amount: amount, interval_months: Number(months), pricing, trial_days: Number(trialDays) }),
          );
          onAdded();
          setName("");
          setPrice("");
          return t("staff_subscriptions.plan_added");
        });
      }}
    >
      <fieldset>
        <legend>{t("staff_subscriptions.add_plan")}</legend>
        <PricedItemFields idPrefix="plan" name={name} setName={setName} currency={currency} setCurrency={setCurrency} price={price} setPrice={setPrice} />
        <label for="plan-months">{t("staff_subscriptions.interval_months")}</label>
        <input id="plan-months" type="number" min={1} max={36} value={months} onInput={(e) => setMonths(e.currentTarget.value)} />
        <label for="plan-pricing">{t("staff_subscriptions.pricing")}</label>
        <select id="plan-pricing" value={pricing} onChange={(e) => setPricing(e.currentTarget.value)}>
          <option value="flat">{t("staff_subscriptions.flat")}</option>
          <option value="per_unit">{t("staff_subscriptions.per_unit")}</option>
        </select>
        <label for="plan-trial">{t("staff_subscriptions.trial_days")}</label>
        <input id="plan-trial" type="number" min={0} max={365} value={trialDays} onInput={(e) => setTrialDays(e.currentTarget.value)} />
        <button type="submit" class="button-secondary" disabled={form.busy || !name.trim() || amount === null}>
          {t("staff_subscriptions.add_plan")}
        </button>
      </fieldset>
      {form.feedback}
    </form>
  );
}

interface PricedItemProps {
  idPrefix: string;
  name: string;
  setName: (value: string) => void;
  currency: string;
  setCurrency: (value: string) => void;
  price: string;
  setPrice: (value: string) => void;
}

/** Name, currency and price: what every priced catalog item (plan, addon) starts with. */
function PricedItemFields({ idPrefix, name, setName, currency, setCurrency, price, setPrice }: PricedItemProps) {
  return (
    <>
      <label for={`${idPrefix}-name`}>{t("staff_subscriptions.name")}</label>
      <input id={`${idPrefix}-name`} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      <label for={`${idPrefix}-currency`}>{t("staff_subscriptions.currency")}</label>
      <select id={`${idPrefix}-currency`} value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
        {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
      <label for={`${idPrefix}-price`}>{t("staff_subscriptions.price")}</label>
      <input id={`${idPrefix}-price`} inputMode="decimal" value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
    </>
  );
}

function AddAddon({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [price, setPrice] = useState("");
  const [recurring, setRecurring] = useState(true);
  const form = useSubmit();
  const amount = parseAmount(price, currency);
  return (
    <form
      class="stack-form"
      onSubmit={(e) => {
        e.preventDefault();
        form.submit(async () => {
          await call("/staff/catalog/addons", post({ name, currency, unit_amount: amount, recurring }));
          onAdded();
          setName("");
          setPrice("");
          return t("staff_subscriptions.addon_added");
        });
      }}
    >
      <fieldset>
        <legend>{t("staff_subscriptions.add_addon")}</legend>
        <PricedItemFields idPrefix="addon" name={name} setName={setName} currency={currency} setCurrency={setCurrency} price={price} setPrice={setPrice} />
        <label class="checkbox">
          <input type="checkbox" checked={recurring} onChange={(e) => setRecurring(e.currentTarget.checked)} />{" "}
          {t("staff_subscriptions.recurring")}
        </label>
        <button type="submit" class="button-secondary" disabled={form.busy || !name.trim() || amount === null}>
          {t("staff_subscriptions.add_addon")}
        </button>
      </fieldset>
      {form.feedback}
    </form>
  );
}

function AddCoupon({ onAdded }: { onAdded: () => void }) {
  const [code, setCode] = useState("");
  const [percent, setPercent] = useState("");
  const [duration, setDuration] = useState("once");
  const [cycles, setCycles] = useState("3");
  const form = useSubmit();
  const bps = Math.round(Number(percent) * 100);
  const valid = /^[A-Za-z0-9_-]{1,40}$/.test(code) && bps >= 1 && bps <= 10_000;
  return (
    <form
      class="stack-form"
      onSubmit={(e) => {
        e.preventDefault();
        form.submit(async () => {
          const body: Record<string, unknown> = { code, percent_bps: bps, duration };
          if (duration === "cycles") body.cycles = Number(cycles);
          await call("/staff/catalog/coupons", post(body));
          onAdded();
          setCode("");
          return t("staff_subscriptions.coupon_added");
        });
      }}
    >
      <fieldset>
        <legend>{t("staff_subscriptions.add_coupon")}</legend>
        <label for="coupon-new-code">{t("staff_subscriptions.code")}</label>
        <input id="coupon-new-code" value={code} maxLength={40} onInput={(e) => setCode(e.currentTarget.value)} />
        <label for="coupon-percent">{t("staff_subscriptions.percent_off")}</label>
        <input id="coupon-percent" inputMode="decimal" value={percent} onInput={(e) => setPercent(e.currentTarget.value)} />
        <label for="coupon-duration">{t("staff_subscriptions.duration")}</label>
        <select id="coupon-duration" value={duration} onChange={(e) => setDuration(e.currentTarget.value)}>
          <option value="once">{t("staff_subscriptions.once")}</option>
          <option value="cycles">{t("staff_subscriptions.cycles")}</option>
          <option value="forever">{t("staff_subscriptions.forever")}</option>
        </select>
        {duration === "cycles" && (
          <>
            <label for="coupon-cycles">{t("staff_subscriptions.cycle_count")}</label>
            <input id="coupon-cycles" type="number" min={1} max={120} value={cycles} onInput={(e) => setCycles(e.currentTarget.value)} />
          </>
        )}
        <button type="submit" class="button-secondary" disabled={form.busy || !valid}>
          {t("staff_subscriptions.add_coupon")}
        </button>
      </fieldset>
      {form.feedback}
    </form>
  );
}

function RulesSection() {
  const loaded = useAsync(() => call<Rules>("/staff/subscription-rules"), []);
  const [edited, setEdited] = useState<Rules | null>(null);
  const form = useSubmit();
  const rules = edited ?? loaded.data;
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!rules) return null;
  const set = (change: Partial<Rules>) => setEdited({ ...rules, ...change });
  return (
    <section class="card" aria-labelledby="staff-subs-rules">
      <h2 id="staff-subs-rules">{t("staff_subscriptions.rules")}</h2>
      <form
        class="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          form.submit(async () => {
            setEdited(await call<Rules>("/staff/subscription-rules", { method: "PUT", body: JSON.stringify(rules) }));
            return t("staff_subscriptions.rules_saved");
          });
        }}
      >
        <label for="rules-downgrade">{t("staff_subscriptions.downgrade")}</label>
        <select id="rules-downgrade" value={rules.downgrade} onChange={(e) => set({ downgrade: e.currentTarget.value as Rules["downgrade"] })}>
          <option value="term_end">{t("staff_subscriptions.downgrade_term_end")}</option>
          <option value="now">{t("staff_subscriptions.downgrade_now")}</option>
        </select>
        <label class="checkbox">
          <input type="checkbox" checked={rules.cancel_now} onChange={(e) => set({ cancel_now: e.currentTarget.checked })} />{" "}
          {t("staff_subscriptions.rule_cancel_now")}
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={rules.cancel_at_term_end} onChange={(e) => set({ cancel_at_term_end: e.currentTarget.checked })} />{" "}
          {t("staff_subscriptions.rule_cancel_term_end")}
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={rules.pause} onChange={(e) => set({ pause: e.currentTarget.checked })} />{" "}
          {t("staff_subscriptions.rule_pause")}
        </label>
        <label for="rules-trial">{t("staff_subscriptions.rule_trial_extension")}</label>
        <input id="rules-trial" type="number" min={0} max={365} value={rules.trial_extension_days}
          onInput={(e) => set({ trial_extension_days: Number(e.currentTarget.value) })} />
        <button type="submit" class="button-primary" disabled={form.busy}>
          {t("staff_subscriptions.save_rules")}
        </button>
      </form>
      {form.feedback}
    </section>
  );
}
