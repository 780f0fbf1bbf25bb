// Changing the sign-in email: the current password (+ the authenticator's code when MFA is on), then
// the code mailed to the new address. Confirming ends this session: sign in again with the new address.
import { useState } from "preact/hooks";
import { call, forgetSignIn, type Security } from "../../api";
import { useAsync } from "../../components/common";
import { t } from "../../i18n";
import { navigate } from "../../router";
import { profileApi } from "./api";
import { Field, useSubmit } from "./fields";

export function SignInEmail({ email }: { email: string }) {
  const [step, setStep] = useState<"ask" | "confirm">("ask");
  const [fields, setFields] = useState({ newEmail: "", password: "", mfaCode: "", code: "" });
  const { busy, run, messages } = useSubmit();
  const security = useAsync(() => call<Security>("/auth/security"), []).data;
  const set = (name: keyof typeof fields) => (value: string) => setFields({ ...fields, [name]: value });

  const ask = (event: Event) =>
    run(event, async () => {
      await profileApi.askEmailChange(fields.newEmail.trim(), fields.password, fields.mfaCode.trim() || null);
      setFields({ ...fields, password: "", mfaCode: "" });
      setStep("confirm");
      return t("profile.email.sent", { email: fields.newEmail.trim() });
    });
  const confirm = (event: Event) =>
    run(event, async () => {
      await profileApi.confirmEmailChange(fields.code.trim());
      forgetSignIn(); // the old address's sessions ended
      navigate(`/login?notice=${encodeURIComponent(t("profile.email.changed", { email: fields.newEmail.trim() }))}`, true);
      return null;
    });

  return (
    <section class="card" aria-labelledby="email-heading">
      <h2 id="email-heading">{t("profile.email.heading")}</h2>
      <p class="muted">{t("profile.email.current", { email })}</p>
      {step === "ask" ? (
        <form class="profile-form" onSubmit={ask} noValidate>
          <Field id="new-email" label={t("profile.email.new")} type="email" value={fields.newEmail} onValue={set("newEmail")} required autocomplete="email" dir="ltr" />
          <Field id="email-password" label={t("profile.email.password")} type="password" value={fields.password} onValue={set("password")} required autocomplete="current-password" />
          {security?.mfa_enabled && (
            <Field id="email-mfa" label={t("profile.email.mfa_code")} value={fields.mfaCode} onValue={set("mfaCode")} required inputMode="numeric" autocomplete="one-time-code" maxLength={6} dir="ltr" />
          )}
          {messages}
          <button type="submit" class="button-primary" disabled={busy}>
            {t("profile.email.send_code")}
          </button>
        </form>
      ) : (
        <form class="profile-form" onSubmit={confirm} noValidate>
          <Field id="email-code" label={t("profile.email.code")} value={fields.code} onValue={set("code")} required inputMode="numeric" autocomplete="one-time-code" maxLength={6} dir="ltr" />
          {messages}
          <div class="profile-actions">
            <button type="submit" class="button-primary" disabled={busy}>
              {t("profile.email.confirm")}
            </button>
            <button type="button" class="button-secondary" onClick={() => setStep("ask")}>
              {t("profile.email.start_over")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
