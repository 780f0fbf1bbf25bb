// The portal's branding (GET /branding, public): read once before sign-in, applied at once — the brand
// colour as the CSS custom property --accent, the logo or portal name in the header, footer links.
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import { readBranding, type PublicBranding } from "../staff/settings/api";

let branding: PublicBranding | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function apply(next: PublicBranding): void {
  branding = next;
  const root = document.documentElement.style;
  root.setProperty("--accent", next.brand_color);
  // White text on the colour meets WCAG AA (the API refuses lighter ones); hover goes darker still.
  root.setProperty("--accent-dark", `color-mix(in srgb, ${next.brand_color} 75%, black)`);
  document.title = next.portal_name;
  listeners.forEach((listener) => listener());
}

/** Shows branding staff just saved, everywhere, without a reload. */
export function setBranding(next: PublicBranding): void {
  apply(next);
}

export function loadBranding(): Promise<void> {
  loading ??= readBranding().then(apply, () => undefined); // the portal works unbranded
  return loading;
}

export function useBranding(): PublicBranding | null {
  const [, render] = useState(0);
  useEffect(() => {
    const listener = () => render((n) => n + 1);
    listeners.add(listener);
    void loadBranding();
    return () => listeners.delete(listener);
  }, []);
  return branding;
}

/** The logo (if any) and the portal's name, for the header and the sign-in card. */
export function BrandMark({ fallback }: { fallback: string }) {
  const brand = useBranding();
  const name = brand?.portal_name ?? fallback;
  return (
    <span class="brand-mark">
      {brand?.logo_url && <img class="brand-logo" src={brand.logo_url} alt="" />}
      <span class="brand-name">{name}</span>
    </span>
  );
}

export function BrandFooter() {
  const brand = useBranding();
  if (!brand || brand.footer_links.length === 0) return null;
  return (
    <footer class="brand-footer no-print">
      <nav aria-label={t("common.nav.footer")}>
        {brand.footer_links.map((link) => (
          <a key={link.url} href={link.url} rel="noopener noreferrer" target="_blank">
            {link.label}
          </a>
        ))}
      </nav>
    </footer>
  );
}
