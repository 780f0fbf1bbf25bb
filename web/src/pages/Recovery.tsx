// Pages reached from emails: accept an invitation, ask for a reset, choose a new password.
import { useState } from "preact/hooks";
import { keepSignIn, post, type LoginResult } from "../api";
import { SignInSteps } from "../components/SignInSteps";
import { navigate } from "../router";
import { AuthCard } from "./Login";

const PASSWORD_HINT = "At least 12 characters. A few unrelated words make a strong, memorable password.";

function linkToken(): string {
  return new URLSearchParams(location.search).get("token") ?? "";
}

function NewPasswordFields({ onInput }: { onInput: (password: string, confirmation: string) => void }) {
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  return (
    <>
      <label for="new-password">New password</label>
      <input id="new-password" type="password" autocomplete="new-password" required minLength={12}
        aria-describedby="password-hint" value={password}
        onInput={(e) => { setPassword(e.currentTarget.value); onInput(e.currentTarget.value, confirmation); }} />
      <p id="password-hint" class="muted hint">{PASSWORD_HINT}</p>
      <label for="confirm-password">Confirm new password</label>
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
    if (password.value !== password.confirmation) throw new Error("The two passwords are not the same.");
    const result = await post<LoginResult>("/auth/invitations/accept", { token: linkToken(), password: password.value });
    if (keepSignIn(result)) navigate("/", true);
    else setStep(result);
  });
  if (step) {
    return (
      <AuthCard title="Two-step verification">
        <SignInSteps email="" result={step} onDone={() => navigate("/", true)} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Welcome! Choose your password">
      <p class="muted">You have been invited to the billing portal. Choose a password to finish setting up your login.</p>
      <form onSubmit={submit} noValidate>
        <NewPasswordFields onInput={(value, confirmation) => setPassword({ value, confirmation })} />
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? "Setting up…" : "Set password and sign in"}
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
    <AuthCard title="Reset your password">
      {sent ? (
        <p role="status" class="notice">{sent}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="muted">Enter the email you sign in with and we will send you a link to choose a new password.</p>
          <label for="email">Email</label>
          <input id="email" type="email" autocomplete="username" required value={email}
            onInput={(e) => setEmail(e.currentTarget.value)} />
          {error && <p role="alert" class="error">{error}</p>}
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? "Sending…" : "Send reset link"}
          </button>
        </form>
      )}
      <p class="auth-links">
        <a href="/login">Back to sign in</a>
      </p>
    </AuthCard>
  );
}

export function ResetPassword() {
  const [password, setPassword] = useState({ value: "", confirmation: "" });
  const { error, busy, submit } = useSubmit(async () => {
    if (password.value !== password.confirmation) throw new Error("The two passwords are not the same.");
    const done = await post<{ message: string }>("/auth/password/reset", { token: linkToken(), password: password.value });
    navigate(`/login?notice=${encodeURIComponent(done.message)}`, true);
  });
  return (
    <AuthCard title="Choose a new password">
      <form onSubmit={submit} noValidate>
        <NewPasswordFields onInput={(value, confirmation) => setPassword({ value, confirmation })} />
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? "Saving…" : "Save new password"}
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
    <AuthCard title="Create your billing portal login">
      {sent ? (
        <p role="status" class="notice">{sent}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="muted">See your company's invoices and what it owes, any time. Use your work email.</p>
          <label for="first-name">First name</label>
          <input id="first-name" autocomplete="given-name" required value={fields.first_name} onInput={set("first_name")} />
          <label for="last-name">Last name</label>
          <input id="last-name" autocomplete="family-name" required value={fields.last_name} onInput={set("last_name")} />
          <label for="email">Work email</label>
          <input id="email" type="email" autocomplete="email" required value={fields.email} onInput={set("email")} />
          {error && <p role="alert" class="error">{error}</p>}
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? "Sending…" : "Sign up"}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
