// Single sign-on through the hosted UI: authorization code with PKCE (S256). The verifier and state
// stay in sessionStorage between leaving for the identity provider and coming back.
import { keepSignIn, post, type LoginResult } from "./api";
import { t } from "./i18n";

export interface SsoConfig {
  enabled: boolean;
  provider_name: string | null;
  authorize_url: string | null;
  client_id: string | null;
  redirect_uri: string | null;
}

const PENDING_KEY = "portal.sso";

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function random(length: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

export async function startSso(config: SsoConfig): Promise<void> {
  const verifier = random(48);
  const state = random(16);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, redirect_uri: config.redirect_uri }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id ?? "",
    redirect_uri: config.redirect_uri ?? "",
    identity_provider: config.provider_name ?? "",
    scope: "openid email profile",
    state,
    code_challenge: base64url(digest),
    code_challenge_method: "S256",
  });
  location.assign(`${config.authorize_url}?${query}`);
}

/** On /sso/callback: the code for tokens. Throws with the reason the sign-in was refused. */
export async function finishSso(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") as
    | { verifier: string; state: string; redirect_uri: string }
    | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (params.get("error")) throw new Error(params.get("error_description") || t("auth.sso_refused"));
  if (!pending || params.get("state") !== pending.state || !params.get("code")) {
    throw new Error(t("auth.sso_incomplete"));
  }
  const result = await post<LoginResult>("/auth/sso/token", {
    code: params.get("code"),
    code_verifier: pending.verifier,
    redirect_uri: pending.redirect_uri,
  });
  if (!keepSignIn(result)) throw new Error(t("auth.sso_incomplete"));
}
