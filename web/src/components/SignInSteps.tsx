import { useState } from "preact/hooks";
import { keepSignIn, post, type LoginResult } from "../api";
import { t } from "../i18n";

interface Props {
  email: string;
  result: LoginResult;
  onDone: () => void;
}

/** The step after a password: the authenticator's code, or (when the business requires MFA) enrolling
 * an authenticator first: scan the QR code or type the secret, then confirm with a code. */
export function SignInSteps({ email, result, onDone }: Props) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setup = result.challenge === "mfa_setup" ? result.mfa_setup : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const finished = setup
        ? await post<LoginResult>("/auth/login/mfa-setup", { session: result.session, code: code.trim() })
        : await post<LoginResult>("/auth/login/mfa", { email, session: result.session, code: code.trim() });
      if (keepSignIn(finished)) onDone();
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      {setup ? <Enrolment setup={setup} /> : <p>{t("auth.mfa_prompt")}</p>}
      <label for="code">{t("auth.mfa_code")}</label>
      <input id="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required
        value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit" class="button-primary" disabled={busy}>
        {busy ? t("auth.checking") : t("auth.verify")}
      </button>
    </form>
  );
}

export function Enrolment({ setup }: { setup: { secret: string; qr_svg: string } }) {
  return (
    <div class="enrolment">
      <p>{t("auth.enrol_scan")}</p>
      {/* The SVG is drawn by our own API (segno) from the secret: no user-controlled markup. */}
      <div class="qr" role="img" aria-label={t("auth.qr_code")} dangerouslySetInnerHTML={{ __html: setup.qr_svg }} />
      <p>
        {t("auth.enrol_key")} <code class="secret" dir="ltr" data-testid="totp-secret">{setup.secret}</code>
      </p>
    </div>
  );
}
