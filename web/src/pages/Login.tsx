import { useState } from "preact/hooks";
import { login } from "../api";
import { PageTitle } from "../components/common";
import { navigate } from "../router";

export function Login() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate("/", true);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <main id="content" class="login">
      <div class="card login-card">
        <PageTitle>Sign in to your billing portal</PageTitle>
        <p class="muted">See your invoices and what you owe, any time.</p>
        <form onSubmit={submit} noValidate>
          <label for="email">Email</label>
          <input id="email" type="email" autocomplete="username" required value={email}
            onInput={(e) => setEmail(e.currentTarget.value)} />
          <label for="password">Password</label>
          <input id="password" type="password" autocomplete="current-password" required value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
