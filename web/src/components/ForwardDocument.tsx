import { useState } from "preact/hooks";
import { ApiError, call, type Dashboard } from "../api";
import { ErrorMessage } from "./common";
import { t } from "../i18n";

interface ForwardOptions {
  recipients: { name: string; email: string }[];
  any_address: boolean;
  per_hour: number;
}

/** The caller's colleagues (the other contacts of their company) and the business's forwarding rules. */
async function forwardOptions(): Promise<ForwardOptions> {
  const [dashboard, me] = await Promise.all([call<Dashboard>("/dashboard"), call<{ email: string | null }>("/me")]);
  const own = (me.email ?? "").toLowerCase();
  return {
    recipients: dashboard.contacts
      .filter((c) => c.email.toLowerCase() !== own)
      .map((c) => ({ name: `${c.first_name} ${c.last_name}`.trim(), email: c.email })),
    any_address: dashboard.portal.documents?.forward_to_any_address ?? false,
    per_hour: dashboard.portal.documents?.forwards_per_hour ?? 10,
  };
}

const OTHER = "__other__";

/** "Forward" on a document page (`/invoices/<id>` or `/estimates/<id>`): email its PDF to a colleague
 * (another contact of the company), or to any address when the business allows it. */
export function ForwardDocument({ documentPath, kind }: { documentPath: string; kind: "invoice" | "estimate" }) {
  const path = `${documentPath}/forward`;
  const [options, setOptions] = useState<ForwardOptions | null>(null);
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState("");
  const [typed, setTyped] = useState("");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    setSent(null);
    setError(null);
    try {
      const loaded = await forwardOptions();
      setOptions(loaded);
      setChoice(loaded.recipients[0]?.email ?? (loaded.any_address ? OTHER : ""));
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const to = choice === OTHER ? typed.trim() : choice;
  const send = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const receipt = await call<{ to: string; remaining: number }>(path, {
        method: "POST",
        body: JSON.stringify({ to, message: message.trim() || null }),
      });
      setSent(t(`documents.forward_sent.${kind}`, { to: receipt.to, remaining: receipt.remaining }));
      setOpen(false);
      setMessage("");
      setTyped("");
    } catch (failure) {
      const tooMany = failure instanceof ApiError && failure.status === 429;
      setError(tooMany ? new Error(t("documents.forward_limit", { message: (failure as Error).message })) : (failure as Error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="forward no-print" aria-label={t(`documents.forward_label.${kind}`)}>
      <button type="button" class="button-secondary" onClick={toggle} aria-expanded={open}>
        {t("documents.forward")}
      </button>
      {sent && (
        <p role="status" class="notice">
          {sent}
        </p>
      )}
      {open && options && (
        <form class="card forward-form" onSubmit={send}>
          {options.recipients.length === 0 && !options.any_address ? (
            <p class="muted">{t(`documents.forward_nobody.${kind}`)}</p>
          ) : (
            <>
              <label for="forward-to">{t("documents.forward_to")}</label>
              <select id="forward-to" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
                {options.recipients.map((r) => (
                  <option key={r.email} value={r.email}>
                    {t("documents.recipient", { name: r.name, email: r.email })}
                  </option>
                ))}
                {options.any_address && <option value={OTHER}>{t("documents.forward_other")}</option>}
              </select>
              {choice === OTHER && (
                <>
                  <label for="forward-address">{t("documents.email")}</label>
                  <input id="forward-address" type="email" required value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
                </>
              )}
              <label for="forward-message">{t("documents.message_optional")}</label>
              <textarea id="forward-message" maxLength={1000} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
              <p class="muted">{t("documents.forward_limit_info", { count: options.per_hour })}</p>
              <button type="submit" class="button-primary" disabled={busy || !to}>
                {t("documents.send")}
              </button>
            </>
          )}
        </form>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
