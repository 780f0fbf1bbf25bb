// The contact's sign-in security: two-step verification (enrol, turn off) and password change.
import { useState } from "preact/hooks";
import { call, forgetSignIn, keepSignIn, type LoginResult, type MfaSetup, type Security as SecurityData } from "../api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../components/common";
import { Enrolment } from "../components/SignInSteps";
import { navigate } from "../router";
import { t } from "../i18n";

function post<T>(path: string, body: unknown): Promise<T> {
  return call<T>(path, { method: "POST", body: JSON.stringify(body) });
}

export function Security() {
  const { data, error } = useAsync(() => call<SecurityData>("/auth/security"), []);
  const [state, setState] = useState<SecurityData | null>(null);
  const current = state ?? data;
  return (
    <>
      <PageTitle>{t("security.title")}</PageTitle>
      {error && <ErrorMessage error={error} />}
      {!current && !error && <Loading />}
      {current && <TwoStep security={current} onChange={setState} />}
      <ChangePassword />
    </>
  );
}

function TwoStep({ security, onChange }: { security: SecurityData; onChange: (s: SecurityData) => void }) {
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (event: Event, action: () => Promise<void>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    }
    setBusy(false);
  };
  const start = (event: Event) =>
    run(event, async () => {
      setSetup(await post<MfaSetup>("/auth/mfa/setup", { password }));
      setPassword("");
    });
  const confirm = (event: Event) =>
    run(event, async () => {
      onChange(await post<SecurityData>("/auth/mfa/confirm", { session: setup?.session, code: code.trim() }));
      setSetup(null);
      setCode("");
    });
  const disable = (event: Event) =>
    run(event, async () => {
      onChange(await post<SecurityData>("/auth/mfa/disable", { password, code: code.trim() }));
      setPassword("");
      setCode("");
    });

  const codeField = (
    <>
      <label for="mfa-code">{t("security.code")}</label>
      <input id="mfa-code" inputMode="numeric" autocomplete="one-time-code" maxLength={6} required value={code}
        onInput={(e) => setCode(e.currentTarget.value)} />
    </>
  );
  const alert = error && <p role="alert" class="error">{error}</p>;

  return (
    <section class="card" aria-labelledby="two-step">
      <h2 id="two-step">{t("security.two_step")}</h2>
      <p role="status">
        {security.mfa_enabled ? t("security.on") : t("security.off")}
      </p>
      {security.mfa_enabled && security.mfa_policy !== "required" && (
        <form onSubmit={disable} noValidate>
          <p class="muted">{t("security.turn_off_intro")}</p>
          <label for="mfa-password">{t("security.password")}</label>
          <input id="mfa-password" type="password" autocomplete="current-password" required value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
          {codeField}
          {alert}
          <button type="submit" class="button-secondary" disabled={busy}>
            {t("security.turn_off")}
          </button>
        </form>
      )}
      {!security.mfa_enabled && security.mfa_policy !== "off" && !setup && (
        <form onSubmit={start} noValidate>
          <p class="muted">{t("security.setup_intro")}</p>
          <label for="mfa-setup-password">{t("security.your_password")}</label>
          <input id="mfa-setup-password" type="password" autocomplete="current-password" required value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
          {alert}
          <button type="submit" class="button-primary" disabled={busy}>
            {t("security.set_up")}
          </button>
        </form>
      )}
      {setup && (
        <form onSubmit={confirm} noValidate>
          <Enrolment setup={setup} />
          {codeField}
          {alert}
          <button type="submit" class="button-primary" disabled={busy}>
            {t("security.verify_on")}
          </button>
        </form>
      )}
    </section>
  );
}

function ChangePassword() {
  const [fields, setFields] = useState({ current: "", next: "", confirmation: "" });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof fields) => (e: Event) =>
    setFields({ ...fields, [name]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (fields.next !== fields.confirmation) {
      setError(t("security.new_differ"));
      return;
    }
    setBusy(true);
    try {
      const result = await post<LoginResult>("/auth/password/change", {
        current_password: fields.current,
        new_password: fields.next,
      });
      if (keepSignIn(result)) {
        setDone(t("security.changed"));
        setFields({ current: "", next: "", confirmation: "" });
      } else {
        forgetSignIn(); // MFA is on: this session too must sign in again, with a code
        navigate(`/login?notice=${encodeURIComponent(t("security.changed_sign_in"))}`, true);
      }
    } catch (failure) {
      setError((failure as Error).message);
    }
    setBusy(false);
  };

  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">{t("security.password")}</h2>
      <form onSubmit={submit} noValidate>
        <label for="current-password">{t("security.current_password")}</label>
        <input id="current-password" type="password" autocomplete="current-password" required value={fields.current} onInput={set("current")} />
        <label for="new-password">{t("security.new_password")}</label>
        <input id="new-password" type="password" autocomplete="new-password" required value={fields.next} onInput={set("next")} />
        <label for="confirm-password">{t("security.confirm_password")}</label>
        <input id="confirm-password" type="password" autocomplete="new-password" required value={fields.confirmation} onInput={set("confirmation")} />
        {error && <p role="alert" class="error">{error}</p>}
        {done && <p role="status" class="notice">{done}</p>}
        <button type="submit" class="button-primary" disabled={busy}>
          {t("security.change")}
        </button>
      </form>
    </section>
  );
}
