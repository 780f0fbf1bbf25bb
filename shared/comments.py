"""Comment threads on a document (an invoice, an estimate), pure: what a comment is, who may see it,
and the request/response shapes. A contact's comment is always visible in the portal; staff choose,
per reply, whether the customer sees it. Each service keeps the threads of its own documents
(shared/comment_store.py) and publishes `CommentAdded` so notifications tell the other side."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contract import Schema
from shared.errors import Conflict

Author = Literal["contact", "staff"]
MAX_COMMENTS = 200  # per document: a thread is read in one Query
Body = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]


class Comment(BaseModel):
    model_config = ConfigDict(frozen=True)

    comment_id: str
    author: Author
    author_email: str | None
    contact_id: str | None
    body: str
    visible_to_customer: bool
    created_at: str


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class CommentRequest(Strict):
    body: Body


class StaffCommentRequest(Strict):
    body: Body
    visible_to_customer: bool = True


class CommentView(Schema):
    comment_id: str
    author: Author
    author_name: str
    body: str
    visible_to_customer: bool
    created_at: str


class CommentThread(Schema):
    """A document's comments, oldest first."""

    items: list[CommentView]


def check_room(existing: int) -> None:
    if existing >= MAX_COMMENTS:
        raise Conflict(f"This thread has reached {MAX_COMMENTS} comments; please contact us directly.")


def customer_thread(comments: list[Comment], business_name: str) -> CommentThread:
    """What the customer's contacts see: their own side, and the replies staff made visible (signed
    by the business, not by a staff member's address)."""
    return CommentThread(
        items=[
            _view(
                comment, (comment.author_email or "Contact") if comment.author == "contact" else business_name
            )
            for comment in comments
            if comment.visible_to_customer
        ]
    )


def staff_thread(comments: list[Comment]) -> CommentThread:
    return CommentThread(
        items=[_view(comment, comment.author_email or comment.author) for comment in comments]
    )


def _view(comment: Comment, author_name: str) -> CommentView:
    return CommentView(
        comment_id=comment.comment_id,
        author=comment.author,
        author_name=author_name,
        body=comment.body,
        visible_to_customer=comment.visible_to_customer,
        created_at=comment.created_at,
    )
