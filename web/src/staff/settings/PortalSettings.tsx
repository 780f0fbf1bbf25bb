// Staff: every portal module and customer action on/off (each explained in one line), the payment and
// document rules, and the sign-in policy (auth service); saved through the existing APIs.
import { useEffect, useState } from "preact/hooks";
import { ErrorMessage, Loading, PageTitle } from "../../components/common";
import { t } from "../../i18n";
import { readPolicy, readPreferences, savePolicy, savePreferences, type PortalPreferences, type SignInPolicy } from "./api";

// The order staff read them in; names are shared/preferences.py's MODULE_LABELS and ACTION_LABELS
// (tests/unit/test_settings_catalog.py keeps this list and both catalogs in step with them).
export const MODULES = ["invoices", "payments", "estimates", "credit_notes", "statements", "subscriptions"];
export const ACTIONS = [
  "pay_invoices",
  "partial_payments",
  "save_payment_methods",
  "apply_credits",
  "comment",
  "request_credit_notes",
  "forward_documents",
  "update_details",
  "manage_contact_persons",
];
const MFA_MODES: SignInPolicy["mfa"][] = ["off", "optional", "required"];
const TAX_ROUNDINGS: PortalPreferences["tax"]["rounding"][] = ["line", "total"];

type Outcome = { kind: "saved" } | { kind: "failed"; message: string } | null;

function Toggle({ id, checked, label, help, onChange }: {
  id: string;
  checked: boolean;
  label: string;
  help: string;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div class="setting-toggle">
      <input id={id} type="checkbox" checked={checked} aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.currentTarget.checked)} />
      <div>
        <label for={id}>{label}</label>
        <p id={`${id}-help`} class="muted setting-help">{help}</p>
      </div>
    </div>
  );
}

export function PortalSettingsPage() {
  const [preferences, setPreferences] = useState<PortalPreferences | null>(null);
  const [policy, setPolicy] = useState<SignInPolicy | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    Promise.all([readPreferences(), readPolicy()]).then(([prefs, signIn]) => {
      setPreferences(prefs);
      setPolicy(signIn);
    }, setLoadError);
  }, []);

  const title = <PageTitle>{t("staff_settings.title")}</PageTitle>;
  if (loadError) return <>{title}<ErrorMessage error={loadError} /></>;
  if (!preferences || !policy) return <>{title}<Loading /></>;

  const change = (next: PortalPreferences) => {
    setPreferences(next);
    setOutcome(null);
  };
  const changePolicy = (next: SignInPolicy) => {
    setPolicy(next);
    setOutcome(null);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const [prefs, signIn] = await Promise.all([savePreferences(preferences), savePolicy(policy)]);
      setPreferences(prefs);
      setPolicy(signIn);
      setOutcome({ kind: "saved" });
    } catch (failure) {
      setOutcome({ kind: "failed", message: (failure as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {title}
      <p class="muted">{t("staff_settings.intro")}</p>
      <form onSubmit={save} class="settings-form" noValidate>
        <fieldset class="card">
          <legend>{t("staff_settings.modules")}</legend>
          {MODULES.map((name) => (
            <Toggle key={name} id={`module-${name}`} checked={preferences.modules[name] ?? true}
              label={t(`staff_settings.module.${name}`)} help={t(`staff_settings.module.${name}.help`)}
              onChange={(on) => change({ ...preferences, modules: { ...preferences.modules, [name]: on } })} />
          ))}
        </fieldset>

        <fieldset class="card">
          <legend>{t("staff_settings.actions")}</legend>
          {ACTIONS.map((name) => (
            <Toggle key={name} id={`action-${name}`} checked={preferences.actions[name] ?? true}
              label={t(`staff_settings.action.${name}`)} help={t(`staff_settings.action.${name}.help`)}
              onChange={(on) => change({ ...preferences, actions: { ...preferences.actions, [name]: on } })} />
          ))}
        </fieldset>

        <fieldset class="card">
          <legend>{t("staff_settings.rules")}</legend>
          <label for="partial-minimum">{t("staff_settings.partial_minimum")}</label>
          <input id="partial-minimum" type="number" min={1} max={1000000000} step={1} inputMode="numeric"
            aria-describedby="partial-minimum-help" value={preferences.payments.partial_minimum}
            onInput={(e) => change({ ...preferences, payments: { partial_minimum: Number(e.currentTarget.value) } })} />
          <p id="partial-minimum-help" class="muted setting-help">{t("staff_settings.partial_minimum.help")}</p>
          <Toggle id="forward-any" checked={preferences.documents.forward_to_any_address}
            label={t("staff_settings.forward_any")} help={t("staff_settings.forward_any.help")}
            onChange={(on) => change({ ...preferences, documents: { ...preferences.documents, forward_to_any_address: on } })} />
          <label for="forwards-per-hour">{t("staff_settings.forwards_per_hour")}</label>
          <input id="forwards-per-hour" type="number" min={1} max={1000} step={1} inputMode="numeric"
            aria-describedby="forwards-per-hour-help" value={preferences.documents.forwards_per_hour}
            onInput={(e) => change({ ...preferences, documents: { ...preferences.documents, forwards_per_hour: Number(e.currentTarget.value) } })} />
          <p id="forwards-per-hour-help" class="muted setting-help">{t("staff_settings.forwards_per_hour.help")}</p>
          <label for="tax-rounding">{t("staff_settings.tax_rounding")}</label>
          <select id="tax-rounding" aria-describedby="tax-rounding-help" value={preferences.tax.rounding}
            onChange={(e) => change({ ...preferences, tax: { rounding: e.currentTarget.value as PortalPreferences["tax"]["rounding"] } })}>
            {TAX_ROUNDINGS.map((rounding) => (
              <option key={rounding} value={rounding}>{t(`staff_settings.tax_rounding.${rounding}`)}</option>
            ))}
          </select>
          <p id="tax-rounding-help" class="muted setting-help">{t("staff_settings.tax_rounding.help")}</p>
        </fieldset>

        <fieldset class="card">
          <legend>{t("staff_settings.sign_in")}</legend>
          <label for="mfa-mode">{t("staff_settings.mfa")}</label>
          <select id="mfa-mode" aria-describedby="mfa-mode-help" value={policy.mfa}
            onChange={(e) => changePolicy({ ...policy, mfa: e.currentTarget.value as SignInPolicy["mfa"] })}>
            {MFA_MODES.map((mode) => (
              <option key={mode} value={mode}>{t(`staff_settings.mfa.${mode}`)}</option>
            ))}
          </select>
          <p id="mfa-mode-help" class="muted setting-help">{t("staff_settings.mfa.help")}</p>
          <label for="invitation-days">{t("staff_settings.invitation_days")}</label>
          <input id="invitation-days" type="number" min={1} max={30} step={1} inputMode="numeric"
            aria-describedby="invitation-days-help" value={policy.invitation_days}
            onInput={(e) => changePolicy({ ...policy, invitation_days: Number(e.currentTarget.value) })} />
          <p id="invitation-days-help" class="muted setting-help">{t("staff_settings.invitation_days.help")}</p>
          <Toggle id="self-signup" checked={policy.self_signup}
            label={t("staff_settings.self_signup")} help={t("staff_settings.self_signup.help")}
            onChange={(on) => changePolicy({ ...policy, self_signup: on })} />
        </fieldset>

        <p>
          <a href="/staff/notifications">{t("staff_settings.notification_channels")}</a>
        </p>
        {outcome?.kind === "saved" && <p role="status" class="notice">{t("staff_settings.saved")}</p>}
        {outcome?.kind === "failed" && (
          <p role="alert" class="error">{t("staff_settings.failed", { reason: outcome.message })}</p>
        )}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t("staff_settings.saving") : t("staff_settings.save")}
        </button>
      </form>
    </>
  );
}
