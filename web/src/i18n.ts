// Messages and locale formatting. Each area's messages live in i18n/<locale>/<area>.json (one
// catalog per language, split by area so pages own their words); a key is "<area>.<key>".
// Messages are ICU MessageFormat (plurals, selects), so Arabic's six plural forms need no code.
import { IntlMessageFormat } from "intl-messageformat";

export type Locale = "en" | "ar";
export const LOCALES: Record<Locale, { name: string; dir: "ltr" | "rtl" }> = {
  en: { name: "English", dir: "ltr" },
  ar: { name: "العربية", dir: "rtl" },
};
const STORAGE_KEY = "portal.locale";

type Catalog = Record<string, string>;
const files = import.meta.glob<Catalog>("./i18n/*/*.json", { eager: true, import: "default" });
const catalogs: Record<string, Catalog> = {};
for (const [path, messages] of Object.entries(files)) {
  const [, locale, area] = path.match(/\/i18n\/([^/]+)\/([^/]+)\.json$/)!;
  const catalog = (catalogs[locale] ??= {});
  for (const [key, text] of Object.entries(messages)) catalog[`${area}.${key}`] = text;
}

function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && value in LOCALES;
}

/** The saved choice, else the browser's language, else English. */
function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  const browser = (navigator.language || "en").split("-")[0];
  return isLocale(browser) ? browser : "en";
}

let current: Locale = initialLocale();
const listeners = new Set<() => void>();
const compiled = new Map<string, IntlMessageFormat>();

function applyToDocument(): void {
  document.documentElement.lang = current;
  document.documentElement.dir = LOCALES[current].dir;
}
applyToDocument();

export function locale(): Locale {
  return current;
}

/** Switch language (saved on this device); every subscriber re-renders. */
export function setLocale(next: string | null | undefined, remember = true): void {
  if (!isLocale(next) || next === current) return;
  current = next;
  if (remember) localStorage.setItem(STORAGE_KEY, next);
  applyToDocument();
  listeners.forEach((listener) => listener());
}

/** Adopt a signed-in contact's saved language unless this device already chose one. */
export function adoptLocale(language: string | null | undefined): void {
  if (localStorage.getItem(STORAGE_KEY) === null) setLocale(language, false);
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for `key` in the current language (English when a translation is missing, then the key). */
export function t(key: string, values?: Record<string, string | number | Date>): string {
  const source = catalogs[current]?.[key] ?? catalogs.en?.[key];
  if (source === undefined) return key;
  if (!values && !source.includes("{")) return source;
  const id = `${current}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, current);
    compiled.set(id, format);
  }
  return String(format.format(values));
}

/** Whether `key` exists (e.g. a status label with a raw-value fallback). */
export function has(key: string): boolean {
  return key in (catalogs.en ?? {});
}
