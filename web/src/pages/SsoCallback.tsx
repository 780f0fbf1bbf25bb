import { useEffect, useState } from "preact/hooks";
import { Loading } from "../components/common";
import { navigate } from "../router";
import { finishSso } from "../sso";
import { AuthCard } from "./Login";

export function SsoCallback() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    finishSso()
      .then(() => navigate("/", true))
      .catch((failure: Error) => setError(failure.message));
  }, []);
  if (!error) return <Loading />;
  return (
    <AuthCard title="We could not sign you in">
      <p role="alert" class="error">
        {error}
      </p>
      <p class="auth-links">
        <a href="/login">Back to sign in</a>
      </p>
    </AuthCard>
  );
}
