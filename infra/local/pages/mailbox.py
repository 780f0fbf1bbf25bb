"""The local mailbox (`/_local/mail`, `make run` only): every email the portal sent through moto's SES,
newest first, and each one rendered as its recipient would see it — so invitation, reset and invoice
links can be followed locally. Reads moto's in-process SES backend (the moto server runs in this
process); `/_local/mail/messages.json` lists the same for scripts.

  /_local/mail                 the list (?to=<address> filters by recipient)
  /_local/mail/<id>            one email: headers, the HTML part (links open in this tab), the text part
  /_local/mail/<id>.eml        the raw MIME message
  /_local/mail/messages.json   every email as JSON (headers, text and HTML parts)
"""

from __future__ import annotations

import email
import email.policy
import json
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html import escape
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from infra.local.gateway import LocalPage
    from infra.local.provision import Stack

PREFIX = "/_local/mail"


@dataclass(frozen=True)
class Mail:
    id: str
    message: EmailMessage
    raw: str

    def header(self, name: str) -> str:
        return str(self.message.get(name, ""))

    @property
    def sent_at(self) -> str:
        try:
            return parsedate_to_datetime(self.header("Date")).strftime("%Y-%m-%d %H:%M:%S UTC")
        except (TypeError, ValueError):
            return ""

    def body(self, subtype: str) -> str | None:
        part = self.message.get_body(preferencelist=(subtype,))
        return str(part.get_content()) if part is not None else None

    def attachments(self) -> list[tuple[str, str, int]]:
        found = []
        for part in self.message.iter_attachments():
            payload = part.get_payload(decode=True) or b""
            found.append((part.get_filename() or "attachment", part.get_content_type(), len(payload)))
        return found

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from": self.header("From"),
            "to": self.header("To"),
            "subject": self.header("Subject"),
            "date": self.sent_at,
            "text": self.body("plain"),
            "html": self.body("html"),
        }


def sent_mail(region: str) -> list[Mail]:
    """Everything moto's SES accepted, newest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    mails = []
    for raw in ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages:
        data = getattr(raw, "raw_data", None)
        if data is None:  # a simple (non-raw) SES message: not sent by the portal
            continue
        message = email.message_from_string(data, policy=email.policy.default)
        mails.append(Mail(id=raw.id, message=message, raw=data))  # type: ignore[arg-type]
    return list(reversed(mails))


STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111827}
header{background:#111827;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center}
header a{color:#fff}
main{max-width:1100px;margin:0 auto;padding:20px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e5e7eb}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e5e7eb;font-size:14px;vertical-align:top}
th{background:#f9fafb}
.meta{background:#fff;border:1px solid #e5e7eb;padding:12px 16px;margin-bottom:12px}
.meta dt{font-weight:600;float:left;width:80px}.meta dd{margin:0 0 4px 90px}
iframe{width:100%;height:70vh;border:1px solid #e5e7eb;background:#fff}
pre{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;padding:12px}
form{margin-bottom:12px}
"""


def _document(title: str, body: str) -> Response:
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><header><strong>Local mailbox</strong>"
        f"<a href='{PREFIX}'>All mail</a><a href='/'>Portal</a></header><main>{body}</main></body></html>"
    )
    return Response(html, content_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})


def _list(request: Request, mails: list[Mail]) -> Response:
    wanted = (request.args.get("to") or "").strip().lower()
    shown = [m for m in mails if wanted in m.header("To").lower()] if wanted else mails
    rows = "".join(
        f"<tr><td>{escape(m.sent_at)}</td><td>{escape(m.header('To'))}</td>"
        f"<td><a href='{PREFIX}/{escape(m.id)}'>{escape(m.header('Subject')) or '(no subject)'}</a></td></tr>"
        for m in shown
    )
    body = (
        f"<h1>Sent emails ({len(shown)})</h1>"
        f"<form method='get' action='{PREFIX}'><label>Recipient <input name='to' value='{escape(wanted)}'>"
        "</label> <button>Filter</button></form>"
        "<table><thead><tr><th scope='col'>Sent</th><th scope='col'>To</th><th scope='col'>Subject</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )
    if not shown:
        body += "<p>No email yet. Emails appear here as soon as the portal sends them.</p>"
    return _document("Local mailbox", body)


def _one(mail: Mail) -> Response:
    html = mail.body("html")
    text = mail.body("plain")
    facts = "".join(
        f"<dt>{name}</dt><dd>{escape(mail.header(name))}</dd>" for name in ("From", "To", "Subject", "Date")
    )
    attachments = "".join(
        f"<li>{escape(name)} ({escape(kind)}, {size} bytes)</li>" for name, kind, size in mail.attachments()
    )
    body = f"<h1>{escape(mail.header('Subject'))}</h1><dl class='meta'>{facts}</dl>"
    if attachments:
        body += f"<h2>Attachments</h2><ul>{attachments}</ul>"
    if html is not None:
        # Links in the email open in this tab (the portal is on the same origin locally).
        document = html.replace("<head>", "<head><base target='_top'>", 1)
        body += (
            "<h2>HTML</h2><iframe title='Email content' "
            "sandbox='allow-top-navigation-by-user-activation allow-top-navigation allow-popups' "
            f'srcdoc="{escape(document, quote=True)}"></iframe>'
        )
    if text is not None:
        body += f"<h2>Plain text</h2><pre>{escape(text)}</pre>"
    body += f"<p><a href='{PREFIX}/{escape(mail.id)}.eml'>Raw message (.eml)</a></p>"
    return _document(mail.header("Subject") or "Email", body)


def page(stack: Stack) -> LocalPage:
    region = stack.resolver.region

    def handle(request: Request) -> Response:
        mails = sent_mail(region)
        rest = request.path[len(PREFIX) :].strip("/")
        if rest == "messages.json":
            return Response(json.dumps([m.summary() for m in mails]), content_type="application/json")
        if not rest:
            return _list(request, mails)
        raw = rest.endswith(".eml")
        wanted = rest.removesuffix(".eml")
        mail = next((m for m in mails if m.id == wanted), None)
        if mail is None:
            return Response("No such email", status=404, content_type="text/plain")
        if raw:
            return Response(mail.raw, content_type="message/rfc822")
        return _one(mail)

    return handle
