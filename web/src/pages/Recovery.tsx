// Pages reached from emails: accept an invitation, ask for a reset, choose a new password.
import { useState } from "preact/hooks";
import { keepSignIn, post, type LoginResult } from "../api";
import { SignInSteps } from "../components/SignInSteps";
import { navigate } from "../router";
import { AuthCard } from "./Login";
import { t } from "../i18n";

function linkToken(): string {
  return new URLSearchParams(location.search).get("token") ?? "";
}

function NewPasswordFields({ onInput }: { onInput: (password: string, confirmation: string) => void }) {
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  return (
    <>
      <label for="new-password">{t("auth.new_password")}</label>
      <input id="new-password" type="password" autocomplete="new-password" required minLength={12}
        aria-describedby="password-hint" value={password}
        onInput={(e) => { setPassword(e.currentTarget.value); onInput(e.currentTarget.value, confirmation); }} />
      <p id="password-hint" class="muted hint">{t("auth.password_hint")}</p>
      <label for="confirm-password">{t("auth.confirm_password")}</label>
      <input id="confirm-password" type="password" autocomplete="new-password" required value={confirmation}
        onInput={(e) => { setConfirmation(e.currentTarget.value); onInput(password, e.currentTarget.value); }} />
    </>
  );
}

function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
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
  return { error, busy, submit, setError };
}

export function AcceptInvitation() {
  const [password, setPassword] = useState({ value: "", confirmation: "" });
  const [step, setStep] = useState<LoginResult | null>(null);
  const { error, busy, submit } = useSubmit(async () => {
    if (password.value !== password.confirmation) throw new Error(t("auth.passwords_differ"));
    const result = await post<LoginResult>("/auth/invitations/accept", { token: linkToken(), password: password.value });
    if (keepSignIn(result)) navigate("/", true);
    else setStep(result);
  });
  if (step) {
    return (
      <AuthCard title={t("auth.two_step")}>
        <SignInSteps email="" result={step} onDone={() => navigate("/", true)} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.welcome")}>
      <p class="muted">{t("auth.invited")}</p>
      <form onSubmit={submit} noValidate>
        <NewPasswordFields onInput={(value, confirmation) => setPassword({ value, confirmation })} />
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t("auth.setting_up") : t("auth.set_password")}
        </button>
      </form>
    </AuthCard>
  );
}

export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { error, busy, submit } = useSubmit(async () => {
    setSent((await post<{ message: string }>("/auth/password/forgot", { email: email.trim() })).message);
  });
  return (
    <AuthCard title={t("auth.reset_title")}>
      {sent ? (
        <p role="status" class="notice">{sent}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="muted">{t("auth.reset_intro")}</p>
          <label for="email">{t("auth.email")}</label>
          <input id="email" type="email" autocomplete="username" required value={email}
            onInput={(e) => setEmail(e.currentTarget.value)} />
          {error && <p role="alert" class="error">{error}</p>}
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t("auth.sending") : t("auth.send_reset")}
          </button>
        </form>
      )}
      <p class="auth-links">
        <a href="/login">{t("auth.back_to_sign_in")}</a>
      </p>
    </AuthCard>
  );
}

export function ResetPassword() {
  const [password, setPassword] = useState({ value: "", confirmation: "" });
  const { error, busy, submit } = useSubmit(async () => {
    if (password.value !== password.confirmation) throw new Error(t("auth.passwords_differ"));
    const done = await post<{ message: string }>("/auth/password/reset", { token: linkToken(), password: password.value });
    navigate(`/login?notice=${encodeURIComponent(done.message)}`, true);
  });
  return (
    <AuthCard title={t("auth.choose_new")}>
      <form onSubmit={submit} noValidate>
        <NewPasswordFields onInput={(value, confirmation) => setPassword({ value, confirmation })} />
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t("auth.saving") : t("auth.save_new")}
        </button>
      </form>
    </AuthCard>
  );
}

export function SignUp() {
  const [fields, setFields] = useState({ first_name: "", last_name: "", email: "" });
  const [sent, setSent] = useState<string | null>(null);
  const set = (name: keyof typeof fields) => (e: Event) =>
    setFields({ ...fields, [name]: (e.currentTarget as HTMLInputElement).value });
  const { error, busy, submit } = useSubmit(async () => {
    const body = { token: linkToken(), ...fields, email: fields.email.trim() };
    setSent((await post<{ message: string }>("/auth/signup", body)).message);
  });
  return (
    <AuthCard title={t("auth.sign_up_title")}>
      {sent ? (
        <p role="status" class="notice">{sent}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="muted">{t("auth.sign_up_intro")}</p>
          <label for="first-name">{t("auth.first_name")}</label>
          <input id="first-name" autocomplete="given-name" required value={fields.first_name} onInput={set("first_name")} />
          <label for="last-name">{t("auth.last_name")}</label>
          <input id="last-name" autocomplete="family-name" required value={fields.last_name} onInput={set("last_name")} />
          <label for="email">{t("auth.work_email")}</label>
          <input id="email" type="email" autocomplete="email" required value={fields.email} onInput={set("email")} />
          {error && <p role="alert" class="error">{error}</p>}
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t("auth.sending") : t("auth.sign_up")}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
