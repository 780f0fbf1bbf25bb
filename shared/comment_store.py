"""Comment threads in a service's own table, beside the document they are about (used by stores
only). A thread and its document are read together in one Query:

  <DOC>#<id>  COMMENT#<created_at>#<comment_id>   a comment (oldest first by sort key)
  <DOC>#<id>  <DOC>                                the document itself (e.g. INVOICE#<id> / INVOICE)

`COMMENT#…` sorts before the document's own sort key, so `sk BETWEEN "COMMENT#" AND <DOC>` returns
the comments and, last, the document (nothing else kept in the partition).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute
from pynamodb.models import Model

from shared.comments import Comment
from shared.dynamo import KeyedRecord, conditional_transaction, table_meta
from shared.errors import Conflict
from shared.events import OutboxEvent, outbox_item_fields

PREFIX = "COMMENT#"


def thread_model(table_name: str) -> type[Model]:
    """A comment item, and the fields of its document a thread read needs (whose it is, its status)."""
    attributes: dict[str, Any] = {
        "Meta": table_meta(table_name),
        "comment_id": UnicodeAttribute(null=True),
        "author": UnicodeAttribute(null=True),
        "author_email": UnicodeAttribute(null=True),
        "contact_id": UnicodeAttribute(null=True),
        "body": UnicodeAttribute(null=True),
        "visible_to_customer": BooleanAttribute(null=True),
        "created_at": UnicodeAttribute(null=True),
        # the document's item, read in the same Query
        "customer_id": UnicodeAttribute(null=True),
        "status": UnicodeAttribute(null=True),
        "number": UnicodeAttribute(null=True),
    }
    return type("CommentRecord", (KeyedRecord,), attributes)


@dataclass(frozen=True)
class Thread:
    customer_id: str
    status: str
    number: str
    comments: list[Comment]


def read_thread(model: type[Model], pk: str, document_sk: str) -> Thread | None:
    """The document's facts and its comments (oldest first) in one Query; None: no such document."""
    document = None
    comments = []
    for record in model.query(pk, model.sk.between(PREFIX, document_sk)):  # type: ignore[attr-defined]
        item: Any = record
        if item.sk == document_sk:
            document = item
        elif item.sk.startswith(PREFIX):
            comments.append(
                Comment(
                    comment_id=item.comment_id,
                    author=item.author,
                    author_email=item.author_email,
                    contact_id=item.contact_id,
                    body=item.body,
                    visible_to_customer=bool(item.visible_to_customer),
                    created_at=item.created_at,
                )
            )
    if document is None:
        return None
    return Thread(document.customer_id, document.status, document.number, comments)


def add_comment(
    model: type[Model], outbox_model: type[Model], pk: str, comment: Comment, event: OutboxEvent, now: int
) -> None:
    """The comment and its event in one transaction (a comment id is new, so a repeat cannot write twice)."""
    item = model(
        pk,
        f"{PREFIX}{comment.created_at}#{comment.comment_id}",
        comment_id=comment.comment_id,
        author=comment.author,
        author_email=comment.author_email,
        contact_id=comment.contact_id,
        body=comment.body,
        visible_to_customer=comment.visible_to_customer,
        created_at=comment.created_at,
    )
    with conditional_transaction() as tx:
        tx.save(item, condition=model.pk.does_not_exist())  # type: ignore[attr-defined]
        tx.save(outbox_model(**outbox_item_fields(event, now)), condition=outbox_model.pk.does_not_exist())  # type: ignore[attr-defined]
    if not tx.committed:
        raise Conflict("This comment was already added.")
