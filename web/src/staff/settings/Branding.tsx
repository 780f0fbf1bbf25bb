// Staff: the portal's name, brand colour (checked live against white text, WCAG AA 4.5:1, as the API
// does), up to five footer links and the logo (uploaded straight to storage, then checked by the API).
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../api";
import { setBranding } from "../../components/Brand";
import { ErrorMessage, Loading, PageTitle } from "../../components/common";
import { t } from "../../i18n";
import { readBranding, removeLogo, saveBranding, uploadLogo, type FooterLink, type PublicBranding } from "./api";

const MAX_LINKS = 5;
const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"];
const LOGO_MAX_BYTES = 512 * 1024;

function luminance(hex: string): number {
  const channel = (i: number) => {
    const value = parseInt(hex.slice(i, i + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White text on `hex`: the WCAG contrast ratio (the API refuses below 4.5). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

type Outcome = { kind: "saved" | "logo_saved" | "logo_removed" } | { kind: "failed"; message: string } | null;

export function BrandingPage() {
  const [brand, setBrand] = useState<PublicBranding | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [name, setName] = useState("");
  const [color, setColor] = useState("#1d4ed8");
  const [links, setLinks] = useState<FooterLink[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const show = (next: PublicBranding) => {
    setBrand(next);
    setName(next.portal_name);
    setColor(next.brand_color);
    setLinks(next.footer_links);
    setBranding(next); // the header and footer follow at once
  };
  useEffect(() => {
    readBranding().then(show, setLoadError);
  }, []);

  const title = <PageTitle>{t("staff_branding.title")}</PageTitle>;
  if (loadError) return <>{title}<ErrorMessage error={loadError} /></>;
  if (!brand) return <>{title}<Loading /></>;

  const validColor = /^#[0-9a-fA-F]{6}$/.test(color);
  const ratio = validColor ? contrastWithWhite(color) : 0;
  const run = async (work: () => Promise<PublicBranding>, done: "saved" | "logo_saved" | "logo_removed") => {
    setBusy(true);
    setOutcome(null);
    try {
      show(await work());
      setOutcome({ kind: done });
    } catch (failure) {
      const message =
        failure instanceof ApiError
          ? [failure.message, ...failure.details.map((detail) => detail.message.replace(/^Value error, /, ""))].join(" ")
          : t("staff_branding.upload_failed");
      setOutcome({ kind: "failed", message });
    } finally {
      setBusy(false);
    }
  };
  const save = (event: Event) => {
    event.preventDefault();
    const footer_links = links.filter((link) => link.label.trim() || link.url.trim());
    void run(() => saveBranding({ portal_name: name.trim() || null, brand_color: color, footer_links }), "saved");
  };
  const pickLogo = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    if (!LOGO_TYPES.includes(file.type)) return setOutcome({ kind: "failed", message: t("staff_branding.logo_type") });
    if (file.size > LOGO_MAX_BYTES) return setOutcome({ kind: "failed", message: t("staff_branding.logo_size") });
    void run(() => uploadLogo(file), "logo_saved");
  };
  const setLink = (index: number, change: Partial<FooterLink>) =>
    setLinks(links.map((link, i) => (i === index ? { ...link, ...change } : link)));

  return (
    <>
      {title}
      <p class="muted">{t("staff_branding.intro")}</p>

      <section class="card" aria-labelledby="logo-heading">
        <h2 id="logo-heading">{t("staff_branding.logo")}</h2>
        {brand.logo_url ? (
          <img class="branding-logo-preview" src={brand.logo_url} alt={t("staff_branding.logo_alt")} />
        ) : (
          <p class="muted">{t("staff_branding.no_logo")}</p>
        )}
        <label for="logo-file">{t("staff_branding.logo_choose")}</label>
        <input id="logo-file" type="file" accept={LOGO_TYPES.join(",")} aria-describedby="logo-help" disabled={busy}
          onChange={(e) => pickLogo(e.currentTarget)} />
        <p id="logo-help" class="muted setting-help">{t("staff_branding.logo_help")}</p>
        {brand.logo_url && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => run(removeLogo, "logo_removed")}>
            {t("staff_branding.logo_remove")}
          </button>
        )}
      </section>

      <form class="card settings-form" onSubmit={save} noValidate>
        <label for="portal-name">{t("staff_branding.portal_name")}</label>
        <input id="portal-name" type="text" maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />

        <label for="brand-color">{t("staff_branding.color")}</label>
        <div class="branding-color">
          <input id="brand-color" type="text" value={color} maxLength={7} aria-describedby="brand-color-contrast"
            onInput={(e) => setColor(e.currentTarget.value.trim())} />
          <input type="color" aria-label={t("staff_branding.color_picker")} value={validColor ? color : "#000000"}
            onInput={(e) => setColor(e.currentTarget.value)} />
          {validColor && <span class="branding-swatch" ref={(el) => el?.style.setProperty("background", color)}>{t("staff_branding.sample")}</span>}
        </div>
        <p id="brand-color-contrast" class={validColor && ratio >= 4.5 ? "muted setting-help" : "error setting-help"}>
          {validColor
            ? t(ratio >= 4.5 ? "staff_branding.contrast_ok" : "staff_branding.contrast_low", { ratio: ratio.toFixed(2) })
            : t("staff_branding.color_format")}
        </p>

        <fieldset>
          <legend>{t("staff_branding.footer_links")}</legend>
          {links.map((link, index) => (
            <div class="branding-link" key={index}>
              <label for={`link-label-${index}`}>{t("staff_branding.link_label", { n: index + 1 })}</label>
              <input id={`link-label-${index}`} type="text" maxLength={40} value={link.label}
                onInput={(e) => setLink(index, { label: e.currentTarget.value })} />
              <label for={`link-url-${index}`}>{t("staff_branding.link_url", { n: index + 1 })}</label>
              <input id={`link-url-${index}`} type="url" dir="ltr" placeholder="https://" value={link.url}
                onInput={(e) => setLink(index, { url: e.currentTarget.value.trim() })} />
              <button type="button" class="button-secondary" onClick={() => setLinks(links.filter((_, i) => i !== index))}>
                {t("staff_branding.link_remove", { n: index + 1 })}
              </button>
            </div>
          ))}
          {links.length < MAX_LINKS && (
            <button type="button" class="button-secondary" onClick={() => setLinks([...links, { label: "", url: "" }])}>
              {t("staff_branding.link_add")}
            </button>
          )}
        </fieldset>

        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t("staff_branding.saving") : t("staff_branding.save")}
        </button>
      </form>
      {outcome && outcome.kind !== "failed" && <p role="status" class="notice">{t(`staff_branding.${outcome.kind}`)}</p>}
      {outcome?.kind === "failed" && <p role="alert" class="error">{t("staff_branding.failed", { reason: outcome.message })}</p>}
    </>
  );
}
