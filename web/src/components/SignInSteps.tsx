import { useState } from "preact/hooks";
import { keepSignIn, post, type LoginResult } from "../api";

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
      {setup ? <Enrolment setup={setup} /> : <p>Enter the 6-digit code from your authenticator app.</p>}
      <label for="code">Authentication code</label>
      <input id="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required
        value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit" class="button-primary" disabled={busy}>
        {busy ? "Checking…" : "Verify"}
      </button>
    </form>
  );
}

export function Enrolment({ setup }: { setup: { secret: string; qr_svg: string } }) {
  return (
    <div class="enrolment">
      <p>Scan this QR code with an authenticator app (Google Authenticator, 1Password, Authy…), or type the key below.</p>
      {/* The SVG is drawn by our own API (segno) from the secret: no user-controlled markup. */}
      <div class="qr" dangerouslySetInnerHTML={{ __html: setup.qr_svg }} />
      <p>
        Key: <code class="secret" data-testid="totp-secret">{setup.secret}</code>
      </p>
    </div>
  );
}
