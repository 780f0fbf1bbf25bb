import { useEffect, useState } from "preact/hooks";
import { Loading } from "../components/common";
import { navigate } from "../router";
import { finishSso } from "../sso";
import { AuthCard } from "./Login";
import { t } from "../i18n";

export function SsoCallback() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    finishSso()
      .then(() => navigate("/", true))
      .catch((failure: Error) => setError(failure.message));
  }, []);
  if (!error) return <Loading />;
  return (
    <AuthCard title={t("auth.sso_failed")}>
      <p role="alert" class="error">
        {error}
      </p>
      <p class="auth-links">
        <a href="/login">{t("auth.back_to_sign_in")}</a>
      </p>
    </AuthCard>
  );
}
