import { useState } from "preact/hooks";
import { call } from "../api";
import { ErrorMessage, useAsync } from "./common";
import { t } from "../i18n";
import { formatDateTime } from "../format";

interface Comment {
  comment_id: string;
  author: "contact" | "staff";
  author_name: string;
  body: string;
  created_at: string;
}

/** The conversation under a document (`/invoices/<id>` or `/estimates/<id>`): both sides, oldest first. */
export function CommentThread({ documentPath }: { documentPath: string }) {
  const path = `${documentPath}/comments`;
  const loaded = useAsync(() => call<{ items: Comment[] }>(path), [path]);
  const [added, setAdded] = useState<Comment[]>([]);
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const comments = [...(loaded.data?.items ?? []), ...added];
  const send = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const comment = await call<Comment>(path, { method: "POST", body: JSON.stringify({ body }) });
      setAdded([...added, comment]);
      setBody("");
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card comments no-print" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{t("documents.comments")}</h2>
      {loaded.error && <ErrorMessage error={loaded.error} />}
      {loaded.data && comments.length === 0 && <p class="muted">{t("documents.no_comments")}</p>}
      <ol class="thread">
        {comments.map((comment) => (
          <li key={comment.comment_id} class={`comment comment-${comment.author}`}>
            <div class="comment-meta">
              <strong>{comment.author === "contact" ? comment.author_name : t("documents.replied", { name: comment.author_name })}</strong>{" "}
              <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
            </div>
            <p>{comment.body}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        <label for="comment-body">{t("documents.add_comment")}</label>
        <textarea id="comment-body" required maxLength={2000} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        <button type="submit" class="button-primary" disabled={busy || !body.trim()}>
          {t("documents.post_comment")}
        </button>
      </form>
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
