import { useEffect, useState } from "preact/hooks";
import { ApiError, call, type Dashboard } from "../api";
import { ErrorMessage, Loading, PageTitle } from "../components/common";
import { ProviderField } from "../components/ProviderField";
import { describeMethod, rememberProvider, type MethodList, type MethodSetup, type ProviderClient, type ProviderElement } from "../payments";
import { navigate } from "../router";
import { t } from "../i18n";

const SETUP_WAIT_MS = 15_000;

/** Saved cards and accounts (brand, last 4 and expiry only: the provider keeps the rest), the default
 * one, adding a card, and whether subscriptions may charge the default method on their own. */
export function PaymentMethods({ data }: { data: Dashboard }) {
  const canSave = data.portal.actions.save_payment_methods !== false;
  const [list, setList] = useState<MethodList | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState<MethodSetup | null>(null);
  const [field, setField] = useState<{ client: ProviderClient; element: ProviderElement } | null>(null);

  const fail = (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 401) navigate("/login", true);
    else setError(failure as Error);
  };
  const load = () => call<MethodList>("/payment-methods").then(setList, fail);
  useEffect(() => {
    load();
  }, []);

  const act = async (work: () => Promise<MethodList | void>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const fresh = await work();
      if (fresh) setList(fresh);
      else await load();
      setNotice(done);
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  const startAdding = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const setup = await call<MethodSetup>("/payment-methods", { method: "POST", body: "{}" });
      rememberProvider(setup);
      setField(null);
      setAdding(setup);
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  const saveCard = async (event: Event) => {
    event.preventDefault();
    if (!adding || !field) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await field.client.confirmCardSetup(adding.client_secret, { payment_method: { card: field.element } });
      if (outcome.error) {
        setError(new Error(outcome.error.message ?? t("payments.card_not_saved")));
        return;
      }
      // The method is listed once the provider reports the setup succeeded (the list naming this
      // setup re-reads it; the others wait for their webhook).
      const before = new Set(list?.methods.map((method) => method.method_id));
      const until = Date.now() + SETUP_WAIT_MS;
      const listing = `/payment-methods?setup_id=${encodeURIComponent(adding.setup_id)}`;
      let fresh = await call<MethodList>(listing);
      while (!fresh.methods.some((method) => !before.has(method.method_id)) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        fresh = await call<MethodList>(listing);
      }
      setList(fresh);
      setAdding(null);
      const added = fresh.methods.find((method) => !before.has(method.method_id));
      setNotice(added ? t("payments.card_saved", { name: describeMethod(added) }) : t("payments.card_saving"));
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  if (!list) return error ? <ErrorMessage error={error} /> : <Loading />;
  return (
    <>
      <PageTitle>{t("payments.methods_title")}</PageTitle>
      {error && <ErrorMessage error={error} />}
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <section class="card" aria-labelledby="saved-title">
        <h2 id="saved-title">{t("payments.saved")}</h2>
        {list.methods.length === 0 ? (
          <p class="muted">{t("payments.no_methods")}</p>
        ) : (
          <ul class="plain-list methods-list">
            {list.methods.map((method) => {
              const name = describeMethod({ kind: method.kind, brand: method.brand, last4: method.last4 });
              return (
                <li key={method.method_id} class="method-row">
                  <span>
                    <span class="strong">{name}</span>
                    {method.exp_month && method.exp_year && (
                      <span class="muted">
                        {" · "}
                        {t("payments.expires", { month: String(method.exp_month).padStart(2, "0"), year: String(method.exp_year) })}
                      </span>
                    )}
                    {method.is_default && <span class="badge badge-primary">{t("payments.default")}</span>}
                  </span>
                  <span class="row-actions">
                    {!method.is_default && (
                      <button type="button" class="button-secondary" disabled={busy} aria-label={t("payments.make_default_label", { name })}
                        onClick={() =>
                          act(
                            () => call<MethodList>(`/payment-methods/${encodeURIComponent(method.method_id)}/default`, { method: "PUT", body: "{}" }),
                            t("payments.now_default", { name }),
                          )
                        }>
                        {t("payments.make_default")}
                      </button>
                    )}
                    <button type="button" class="button-secondary" disabled={busy} aria-label={t("payments.remove_label", { name })}
                      onClick={() => {
                        if (!confirm(t("payments.remove_confirm", { name }))) return;
                        act(() => call<void>(`/payment-methods/${encodeURIComponent(method.method_id)}`, { method: "DELETE" }), t("payments.removed", { name }));
                      }}>
                      {t("payments.remove")}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        {canSave && !adding && (
          <button type="button" class="button-primary add-method" disabled={busy} onClick={startAdding}>
            {t("payments.add_card")}
          </button>
        )}
        {adding && (
          <form onSubmit={saveCard} noValidate class="add-card">
            <ProviderField kind="card" label={t("payments.card_details")} config={adding} onReady={(client, element) => setField({ client, element })} />
            <p class="row-actions">
              <button type="submit" class="button-primary" disabled={busy || !field}>
                {busy ? t("payments.saving") : t("payments.save_card")}
              </button>
              <button type="button" class="button-secondary" disabled={busy} onClick={() => setAdding(null)}>
                {t("payments.cancel")}
              </button>
            </p>
          </form>
        )}
      </section>

      <section class="card" aria-labelledby="auto-title">
        <h2 id="auto-title">{t("payments.auto_title")}</h2>
        <label class="choice">
          <input type="checkbox" checked={list.auto_charge} disabled={busy || (list.methods.length === 0 && !list.auto_charge)}
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              setList({ ...list, auto_charge: enabled }); // shown at once; the answer confirms it
              act(
                () => call<MethodList>("/payment-methods/auto-charge", { method: "PUT", body: JSON.stringify({ enabled }) }),
                enabled ? t("payments.auto_on") : t("payments.auto_off"),
              );
            }} />
          {t("payments.auto_label")}
        </label>
        {list.methods.length === 0 && <p class="hint muted">{t("payments.save_first")}</p>}
      </section>
    </>
  );
}
