import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, download } from "../api";
import { statusLabel } from "../format";
import { t } from "../i18n";
import { navigate } from "../router";

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{statusLabel(status)}</span>;
}

/** The page's h1, focused on arrival so screen readers announce the new page. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1} class="page-title">
      {children}
    </h1>
  );
}

export function ErrorMessage({ error }: { error: Error }) {
  return (
    <p role="alert" class="error">
      {error.message}
    </p>
  );
}

export function Loading() {
  return (
    <p class="loading" aria-busy="true">
      {t("common.loading")}
    </p>
  );
}

interface AsyncState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

/** Loads `load()` whenever `deps` change; a lost session sends the user to sign in. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ data: null, error: null, loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: Error) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 401) navigate("/login", true);
        else setState({ data: null, error, loading: false });
      },
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}

/** "Download PDF" and "Print" for a document page (print uses the print stylesheet). */
export function DocumentActions({ pdfPath }: { pdfPath: string }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const fetchPdf = async () => {
    setBusy(true);
    setError(null);
    try {
      await download(pdfPath);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="document-actions no-print">
      <button type="button" class="button-secondary" onClick={fetchPdf} disabled={busy} aria-busy={busy}>
        {t("documents.download_pdf")}
      </button>
      <button type="button" class="button-secondary" onClick={() => window.print()}>
        {t("documents.print")}
      </button>
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
