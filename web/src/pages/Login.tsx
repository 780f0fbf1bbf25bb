import { useEffect, useState } from "preact/hooks";
import { ApiError, get, login, type LoginResult } from "../api";
import { startSso, type SsoConfig } from "../sso";
import { PageTitle } from "../components/common";
import { SignInSteps } from "../components/SignInSteps";
import { BrandFooter, BrandMark } from "../components/Brand";
import { navigate } from "../router";
import { t } from "../i18n";
import { PublicHeader } from "../components/Layout";

export function Login() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<LoginResult | null>(null);
  const notice = new URLSearchParams(location.search).get("notice");
  const [sso, setSso] = useState<SsoConfig | null>(null);
  useEffect(() => {
    get<SsoConfig>("/auth/sso")
      .then((config) => setSso(config.enabled ? config : null))
      .catch(() => setSso(null));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await login(email.trim(), password);
      if (result.challenge) {
        setStep(result);
        setBusy(false);
      } else navigate("/", true);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <AuthCard title={step ? t("auth.two_step") : t("auth.sign_in_title")}>
      {step ? (
        <SignInSteps email={email.trim()} result={step} onDone={() => navigate("/", true)} />
      ) : (
        <>
          <p class="muted">{t("auth.tagline")}</p>
          {notice && <p role="status" class="notice">{notice}</p>}
          <form onSubmit={submit} noValidate>
            <label for="email">{t("auth.email")}</label>
            <input id="email" type="email" autocomplete="username" required value={email}
              onInput={(e) => setEmail(e.currentTarget.value)} />
            <label for="password">{t("auth.password")}</label>
            <input id="password" type="password" autocomplete="current-password" required value={password}
              onInput={(e) => setPassword(e.currentTarget.value)} />
            {error && (
              <p role="alert" class="error">
                {error}
              </p>
            )}
            <button type="submit" class="button-primary" disabled={busy}>
              {busy ? t("auth.signing_in") : t("auth.sign_in")}
            </button>
          </form>
          <p class="auth-links">
            <a href="/forgot-password">{t("auth.forgot")}</a>
          </p>
          {sso && (
            <div class="sso">
              <p class="muted">{t("auth.or")}</p>
              <button type="button" class="button-secondary" onClick={() => startSso(sso).catch((e: ApiError) => setError(e.message))}>
                {t("auth.sign_in_with", { provider: sso.provider_name ?? "" })}
              </button>
            </div>
          )}
        </>
      )}
    </AuthCard>
  );
}

export function AuthCard({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <>
      <PublicHeader />
      <main id="content" class="login">
        <div class="card login-card">
          <BrandMark fallback="" />
          <PageTitle>{title}</PageTitle>
          {children}
        </div>
        <BrandFooter />
      </main>
    </>
  );
}
