// Small shared pieces of the profile page: a labelled input, a form's busy/error/notice state, and
// the API's refusals in the reader's language.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../../api";
import { t } from "../../i18n";

export function Field(props: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  maxLength?: number;
  inputMode?: JSX.HTMLAttributes["inputMode"];
  dir?: "ltr" | "auto";
}) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        required={props.required}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        dir={props.dir}
        value={props.value}
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </>
  );
}

/** What went wrong, in the reader's language when we know the case (else the server's words). */
export function refusal(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "module_disabled") return t("profile.error.turned_off");
    const known: Record<number, string> = {
      401: t("profile.error.credentials"),
      403: t("profile.error.forbidden"),
      409: t("profile.error.conflict"),
      410: t("profile.error.code_gone"),
      429: t("profile.error.too_many"),
    };
    if (error.status === 400) return t("profile.error.invalid", { detail: error.message });
    return known[error.status] ?? error.message;
  }
  return (error as Error).message;
}

/** A form's submit: busy while it runs, an alert when it fails, a notice when it worked. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (event: Event, action: () => Promise<string | null>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (failure) {
      setError(refusal(failure));
    }
    setBusy(false);
  };
  const messages = (
    <>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
    </>
  );
  return { busy, run, messages };
}
