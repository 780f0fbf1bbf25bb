import { useState } from "preact/hooks";
import { call, download, type Money } from "../api";
import { ErrorMessage, PageTitle, useAsync } from "../components/common";
import { formatDate, formatMoney } from "../format";
import { has, t } from "../i18n";

interface StatementEntry {
  date: string;
  kind: string;
  reference: string;
  description: string;
  document_id: string;
  amount: Money;
  balance: Money;
}

interface StatementView {
  currency: string;
  period_from: string;
  period_to: string;
  opening_balance: Money;
  closing_balance: Money;
  totals: { invoiced: Money; paid: Money; credited: Money; refunded: Money };
  aging: { current: Money; days_1_30: Money; days_31_60: Money; days_61_90: Money; days_over_90: Money };
  entries: StatementEntry[];
}

const AGING: (keyof StatementView["aging"])[] = ["current", "days_1_30", "days_31_60", "days_61_90", "days_over_90"];

const kindLabel = (kind: string) => (has(`statement.kind.${kind}`) ? t(`statement.kind.${kind}`) : kind);

function isoDay(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

/** The statement of account for a range (this month by default): every entry with its running
 * balance, the totals and the aging of what is still due; the same as PDF or CSV. */
export function Statement() {
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getFullYear(), today.getMonth(), 1)));
  const [to, setTo] = useState(isoDay(today));
  const [downloadError, setDownloadError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const query = `from=${from}&to=${to}`;
  const statement = useAsync(() => call<StatementView>(`/statement?${query}`), [query]);

  const fetchFile = async (format: "pdf" | "csv") => {
    setBusy(true);
    setDownloadError(null);
    try {
      await download(`/statement?${query}&format=${format}`, format === "pdf" ? "application/pdf" : "text/csv");
    } catch (failure) {
      setDownloadError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  const data = statement.data;
  return (
    <>
      <PageTitle>{t("statement.title")}</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="statement-from">{t("statement.from")}</label>
          <input id="statement-from" type="date" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="statement-to">{t("statement.to")}</label>
          <input id="statement-to" type="date" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="document-actions no-print">
          <button type="button" class="button-secondary" onClick={() => fetchFile("pdf")} disabled={busy} aria-busy={busy}>
            {t("documents.download_pdf")}
          </button>
          <button type="button" class="button-secondary" onClick={() => fetchFile("csv")} disabled={busy} aria-busy={busy}>
            {t("statement.download_csv")}
          </button>
        </div>
      </div>
      {downloadError && <ErrorMessage error={downloadError} />}
      {statement.error && <ErrorMessage error={statement.error} />}
      {data && (
        <>
          <section class="card" aria-labelledby="aging-title">
            <h2 id="aging-title">{t("statement.aging_title", { date: formatDate(data.period_to) })}</h2>
            <dl class="facts aging">
              {AGING.map((key) => (
                <div key={key}>
                  <dt>{t(`statement.aging.${key}`)}</dt>
                  <dd class="num">{formatMoney(data.aging[key])}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section class="card table-wrap" aria-labelledby="entries-title">
            <h2 id="entries-title" class="card-heading">
              {t("statement.period", { from: formatDate(data.period_from), to: formatDate(data.period_to) })}
            </h2>
            <table class="statement">
              <thead>
                <tr>
                  <th scope="col">{t("documents.col.date")}</th>
                  <th scope="col">{t("statement.type")}</th>
                  <th scope="col">{t("documents.col.reference")}</th>
                  <th scope="col">{t("documents.description")}</th>
                  <th scope="col" class="num">{t("documents.amount")}</th>
                  <th scope="col" class="num">{t("statement.balance")}</th>
                </tr>
              </thead>
              <tbody>
                <tr class="statement-opening">
                  <td data-label={t("documents.col.date")}>{formatDate(data.period_from)}</td>
                  <td colSpan={4}>{t("statement.opening")}</td>
                  <td data-label={t("statement.balance")} class="num">{formatMoney(data.opening_balance)}</td>
                </tr>
                {data.entries.map((entry) => (
                  <tr key={`${entry.date}-${entry.kind}-${entry.document_id}-${entry.balance.amount}`}>
                    <td data-label={t("documents.col.date")}>{formatDate(entry.date)}</td>
                    <td data-label={t("statement.type")}>{kindLabel(entry.kind)}</td>
                    <td data-label={t("documents.col.reference")}>
                      {entry.kind.startsWith("invoice") ? <a href={`/invoices/${entry.document_id}`}>{entry.reference}</a> : entry.reference}
                    </td>
                    <td data-label={t("documents.description")}>{entry.description}</td>
                    <td data-label={t("documents.amount")} class="num">{formatMoney(entry.amount)}</td>
                    <td data-label={t("statement.balance")} class="num">{formatMoney(entry.balance)}</td>
                  </tr>
                ))}
                <tr class="statement-closing">
                  <td data-label={t("documents.col.date")}>{formatDate(data.period_to)}</td>
                  <td colSpan={4} class="strong">{t("statement.closing")}</td>
                  <td data-label={t("statement.balance")} class="num strong">{formatMoney(data.closing_balance)}</td>
                </tr>
              </tbody>
            </table>
            {data.entries.length === 0 && <p class="empty">{t("statement.empty")}</p>}
          </section>
          <section class="card" aria-labelledby="totals-title">
            <h2 id="totals-title">{t("statement.totals")}</h2>
            <dl class="facts">
              <div><dt>{t("statement.invoiced")}</dt><dd class="num">{formatMoney(data.totals.invoiced)}</dd></div>
              <div><dt>{t("statement.paid")}</dt><dd class="num">{formatMoney(data.totals.paid)}</dd></div>
              <div><dt>{t("statement.credited")}</dt><dd class="num">{formatMoney(data.totals.credited)}</dd></div>
              <div><dt>{t("statement.refunded")}</dt><dd class="num">{formatMoney(data.totals.refunded)}</dd></div>
            </dl>
          </section>
        </>
      )}
    </>
  );
}
