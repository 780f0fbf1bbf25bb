// The branding and settings APIs the staff pages and the public branding use.
import { call, get } from "../../api";

export interface FooterLink {
  label: string;
  url: string;
}

export interface PublicBranding {
  portal_name: string;
  brand_color: string;
  logo_url: string | null;
  footer_links: FooterLink[];
}

export interface BrandingRequest {
  portal_name: string | null;
  brand_color: string | null;
  footer_links: FooterLink[];
}

export interface LogoUpload {
  upload_id: string;
  url: string;
  fields: Record<string, string>;
  max_bytes: number;
}

export interface PortalPreferences {
  modules: Record<string, boolean>;
  actions: Record<string, boolean>;
  payments: { partial_minimum: number };
  documents: { forward_to_any_address: boolean; forwards_per_hour: number };
  tax: { rounding: "line" | "total" };
}

export interface SignInPolicy {
  mfa: "off" | "optional" | "required";
  invitation_days: number;
  self_signup: boolean;
  sso_email_domains: string[];
  sso_enforces_mfa: boolean;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export const readBranding = () => get<PublicBranding>("/branding");
export const saveBranding = (request: BrandingRequest) =>
  call<PublicBranding>("/staff/portal/branding", json("PUT", request));
export const removeLogo = () => call<PublicBranding>("/staff/portal/branding/logo", { method: "DELETE" });

/** Uploads a logo straight to storage (a presigned POST), then asks the portal to check and use it. */
export async function uploadLogo(file: File): Promise<PublicBranding> {
  const upload = await call<LogoUpload>("/staff/portal/branding/logo-uploads", json("POST", { content_type: file.type }));
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", file); // last: storage reads the fields before the file
  const stored = await fetch(upload.url, { method: "POST", body: form });
  if (!stored.ok) throw new Error(String(stored.status));
  return call<PublicBranding>("/staff/portal/branding/logo", json("PUT", { upload_id: upload.upload_id }));
}

export const readPreferences = () => call<PortalPreferences>("/staff/portal/preferences");
export const savePreferences = (preferences: PortalPreferences) =>
  call<PortalPreferences>("/staff/portal/preferences", json("PUT", preferences));
export const readPolicy = () => call<SignInPolicy>("/staff/auth/policy");
export const savePolicy = (policy: SignInPolicy) => call<SignInPolicy>("/staff/auth/policy", json("PUT", policy));
