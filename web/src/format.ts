// Display helpers: money from integer minor units, dates from YYYY-MM-DD without timezone shifts.
// Everything is formatted for the current language (i18n.locale()), so Arabic gets its own digits,
// separators and month names.
import type { Money } from "./api";
import { has, locale, LOCALES, t } from "./i18n";

const digitsCache = new Map<string, number>();

function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export function formatMoney(money: Money): string {
  const digits = minorDigits(money.currency);
  const text = new Intl.NumberFormat(locale(), {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(money.amount / 10 ** digits);
  // In right-to-left text a trailing "US$" would show as "$US" (the "$" takes the paragraph's
  // direction): keep the amount one left-to-right run (LRI … PDI), as Arabic writes it.
  return LOCALES[locale()].dir === "rtl" ? `\u2066${text}\u2069` : text;
}

/** A count or a decimal string (a line's quantity) in the locale's digits; a string keeps all its digits. */
export function formatNumber(value: number | string): string {
  // Intl formats a decimal string exactly (no float rounding); the DOM typings still say number only.
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 20 }).format(value as number);
}

// Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits, the Arabic decimal (٫) and thousands (٬) separators.
const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

function westernDigits(text: string): string {
  return text
    .replace(ARABIC_DIGITS, (digit) => String(digit.charCodeAt(0) & 0xf))
    .replace(/\u066B/g, ".")
    .replace(/[\u066C\u060C]/g, ","); // the Arabic thousands separator and the Arabic comma
}

/** "12.50", "12,50" or "١٢٫٥٠" (what a person types) → 1250 minor units; null when it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  // "1,234.50" and "12,50" both read as people mean them.
  let cleaned = westernDigits(text.trim()).replace(/\s/g, "");
  cleaned = cleaned.includes(".") ? cleaned.replace(/,/g, "") : cleaned.replace(",", ".");
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** 1250 minor units → "12.50", for an input's value (Western digits: every keyboard can edit them). */
export function amountText(money: Money): string {
  const digits = minorDigits(money.currency);
  return (money.amount / 10 ** digits).toFixed(digits);
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium" }).format(new Date(year, month - 1, day));
}

export function formatRate(basisPoints: number): string {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 2 }).format(basisPoints / 10000);
}

/** A status's label in the current language (the raw value when the catalog does not know it). */
export function statusLabel(status: string): string {
  return has(`status.${status}`) ? t(`status.${status}`) : status;
}

/** Kept for pages that index it (`STATUS_LABELS[status] ?? status`): each read is the current language's label. */
export const STATUS_LABELS: Record<string, string> = new Proxy({} as Record<string, string>, {
  get: (_, status) => (typeof status === "string" && has(`status.${status}`) ? t(`status.${status}`) : undefined),
});
