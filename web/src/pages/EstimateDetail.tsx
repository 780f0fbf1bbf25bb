import { useEffect, useState } from "preact/hooks";
import { call, type Dashboard, type EstimateDetail as Estimate } from "../api";
import { DocumentActions, ErrorMessage, Loading, PageTitle, StatusBadge, useAsync } from "../components/common";
import { CommentThread } from "../components/CommentThread";
import { DocumentLines, DocumentLoadError, DocumentNotes } from "../components/DocumentParts";
import { ForwardDocument } from "../components/ForwardDocument";
import { formatDate, formatMoney } from "../format";
import { t } from "../i18n";

export function EstimateDetail({ estimateId, portal }: { estimateId: string; portal: Dashboard["portal"] }) {
  const path = `/estimates/${encodeURIComponent(estimateId)}`;
  const loaded = useAsync(() => call<Estimate>(path), [estimateId]);
  // The estimate as the last answer left it (accept/decline return the new state).
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  useEffect(() => setEstimate(loaded.data), [loaded.data]);
  const back = (
    <a href="/estimates" class="back-link no-print">
      {t("estimates.back")}
    </a>
  );
  if (loaded.error) return <DocumentLoadError error={loaded.error} kind={t("estimates.kind")} back={back} />;
  if (!estimate) return <Loading />;
  return (
    <>
      {back}
      <div class="title-row">
        <PageTitle>{t("estimates.heading", { number: estimate.number })}</PageTitle>
        <StatusBadge status={estimate.status} />
        <DocumentActions pdfPath={`${path}/pdf`} />
      </div>
      {portal.actions.forward_documents !== false && <ForwardDocument documentPath={path} kind="estimate" />}
      <div class="card">
        <dl class="facts">
          <div>
            <dt>{t("documents.col.date")}</dt>
            <dd>{formatDate(estimate.issue_date)}</dd>
          </div>
          <div>
            <dt>{t("documents.col.valid_until")}</dt>
            <dd>{formatDate(estimate.expiry_date)}</dd>
          </div>
          {estimate.reference && (
            <div>
              <dt>{t("documents.col.reference")}</dt>
              <dd>{estimate.reference}</dd>
            </div>
          )}
          <div>
            <dt>{t("documents.total")}</dt>
            <dd class="strong">{formatMoney(estimate.total)}</dd>
          </div>
        </dl>
      </div>

      <Answer estimate={estimate} path={path} onAnswered={setEstimate} />

      <DocumentLines document={estimate} caption={t("estimates.lines")} totalClass="strong due" />

      <DocumentNotes document={estimate} />
      <CommentThread documentPath={path} />
    </>
  );
}

function Answer({ estimate, path, onAnswered }: { estimate: Estimate; path: string; onAnswered: (e: Estimate) => void }) {
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const answer = async (action: "accept" | "decline", body: unknown = {}) => {
    setBusy(true);
    setError(null);
    try {
      onAnswered(await call<Estimate>(`${path}/${action}`, { method: "POST", body: JSON.stringify(body) }));
      setDeclining(false);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  if (estimate.status === "declined")
    return (
      <div class="card notice" role="status">
        {estimate.decline_reason ? t("estimates.declined_reason", { reason: estimate.decline_reason }) : t("estimates.declined")}
      </div>
    );
  if (estimate.status === "accepted" || estimate.status === "invoiced")
    return (
      <div class="card notice" role="status">
        {estimate.status === "invoiced" ? t("estimates.invoiced") : t("estimates.accepted")}
      </div>
    );
  if (estimate.status === "expired")
    return (
      <div class="card notice" role="status">
        {t("estimates.expired", { date: formatDate(estimate.expiry_date) })}
      </div>
    );
  if (!estimate.can_answer) return null;
  return (
    <div class="card answer no-print">
      {!declining && (
        <>
          <button type="button" class="button-primary" disabled={busy} onClick={() => answer("accept")}>
            {t("estimates.accept")}
          </button>
          <button type="button" class="button-secondary" disabled={busy} onClick={() => setDeclining(true)}>
            {t("estimates.decline_start")}
          </button>
        </>
      )}
      {declining && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            answer("decline", { reason });
          }}
        >
          <label for="decline-reason">{t("estimates.decline_why")}</label>
          <textarea id="decline-reason" required maxLength={1000} value={reason}
            onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="submit" class="button-primary" disabled={busy || !reason.trim()}>
            {t("estimates.decline")}
          </button>{" "}
          <button type="button" class="button-secondary" onClick={() => setDeclining(false)}>
            {t("documents.cancel")}
          </button>
        </form>
      )}
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
