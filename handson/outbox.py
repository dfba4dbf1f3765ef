"""The outbox: every mail is a database row first, then a Celery task.

`mail_queue` is called by services inside their transaction; the send task is enqueued only
after commit, so an exception before commit sends nothing. If the broker is unreachable the
row stays pending and `mail_sweep` (Celery beat) enqueues it later. `mail_deliver` sends under
a row lock and checks the status first, so a duplicated task delivers once.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from handson.enums import MailStatus
from handson.models import OutboundMail

logger = logging.getLogger(__name__)


# Attachments are made when the mail is sent (by the worker), from a renderer that a higher
# room registers by name: the row keeps only the name and its JSON arguments.
ATTACHMENT_RENDERERS: dict[str, Callable[..., tuple[bytes, str, str]]] = {}


def register_attachment_renderer(name: str, renderer: Callable[..., tuple[bytes, str, str]]):
    """`renderer(**kwargs) -> (content, filename, mimetype)`, e.g. a notice PDF."""
    ATTACHMENT_RENDERERS[name] = renderer


def attachment(renderer: str, **kwargs) -> dict[str, Any]:
    if renderer not in ATTACHMENT_RENDERERS:
        raise KeyError(f"no attachment renderer named {renderer!r}")
    return {"renderer": renderer, "kwargs": kwargs}


class Delivery(Enum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


def render_mail(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}.subject.txt", ctx)
        text = render_to_string(f"emails/{template}.txt", ctx)
        try:
            html = render_to_string(f"emails/{template}.html", ctx)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            html = ""
    return " ".join(subject.split()), text, html


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    language: str = "ja",
    related: models.Model | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> OutboundMail:
    """Create the mail row (once per dedupe key) and enqueue it after commit.

    `attachments`: made with `attachment(name, **kwargs)`; rendered when the mail is sent.
    """
    subject, text, html = render_mail(template, context, language)
    mail, created = OutboundMail.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "to": to, "language": language, "template": template, "context": context,
            "subject": subject, "body_text": text, "body_html": html,
            "attachments": attachments or [],
            "object_type": related._meta.label_lower if related is not None else "",
            "object_id": str(related.pk) if related is not None else "",
        },
    )
    if created:
        transaction.on_commit(lambda: mail_enqueue(mail_id=mail.pk))
    return mail


def mail_enqueue(*, mail_id: int) -> bool:
    """Hand the mail to the broker; on failure the sweep will try again."""
    from handson.tasks import task_send_mail

    try:
        task_send_mail.apply_async(kwargs={"mail_id": mail_id}, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker fault: the row stays pending
        logger.warning("outbox: could not enqueue mail %s (%s); the sweep will", mail_id, exc)
        return False
    return True


def mail_cancel(*, mail: OutboundMail) -> bool:
    """Withdraw a queued mail (e.g. its status change was reversed). True if it was pending."""
    return bool(
        OutboundMail.objects.filter(pk=mail.pk, status=MailStatus.PENDING)
        .update(status=MailStatus.CANCELLED)
    )


def _is_permanent(exc: Exception) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return code is not None and 500 <= code < 600


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8 … minutes, capped at an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _build_message(mail: OutboundMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body_text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to], connection=connection,
        headers={"Message-ID": f"<outbox-{mail.pk}@handson.invalid>"},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for spec in mail.attachments:
        content, filename, mimetype = ATTACHMENT_RENDERERS[spec["renderer"]](**spec["kwargs"])
        message.attach(filename, content, mimetype)
    return message


def mail_deliver(*, mail_id: int) -> Delivery:
    """Send one mail exactly once. Temporary SMTP faults ask for a retry."""
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != MailStatus.PENDING:
            return Delivery.SKIPPED
        try:
            message = _build_message(mail, get_connection())
        except Exception as exc:  # noqa: BLE001 - an attachment that cannot be made
            return _record_failure(mail, exc, permanent=True)
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            return _record_failure(mail, exc)
        mail.status = MailStatus.SENT
        mail.sent_at = timezone.now()
        mail.attempts += 1
        mail.last_error = ""
        mail.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return Delivery.SENT


def _record_failure(mail: OutboundMail, exc: Exception, *, permanent: bool = False) -> Delivery:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if permanent or _is_permanent(exc) or mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        mail.status = MailStatus.FAILED
        mail.next_attempt_at = None
        outcome = Delivery.FAILED
        logger.error("outbox: mail %s failed for good: %s", mail.pk, mail.last_error)
    else:
        mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
        outcome = Delivery.RETRY
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return outcome


def mails_due() -> models.QuerySet[OutboundMail]:
    """Pending mails the broker may have lost: old enough, or due for a retry."""
    now = timezone.now()
    return OutboundMail.objects.filter(status=MailStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True, created_at__lte=now - settings.OUTBOX_SWEEP_AFTER)
        | Q(next_attempt_at__lte=now)
    )


def mail_sweep() -> int:
    """Enqueue every due mail again (idempotent: delivery checks the status under lock)."""
    ids = list(mails_due().values_list("pk", flat=True)[:500])
    return sum(mail_enqueue(mail_id=pk) for pk in ids)
