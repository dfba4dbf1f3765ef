"""Staff actions on the outbox (handson.outbox): resending a mail that failed for good."""

from django.db import transaction

from handson import outbox
from handson.audit import audit_record
from handson.enums import MailStatus
from handson.models import OutboundMail


class MailNotResendable(Exception):  # noqa: N818 - a domain outcome, not a crash
    """Only a failed mail can be resent; `message` is for staff."""

    def __init__(self, message: str = "送信に失敗したメールのみ再送できます。"):
        self.message = message
        super().__init__(message)


def mail_resend(*, mail: OutboundMail, actor) -> OutboundMail:
    """Put a failed mail back in the queue: pending, no attempts, due now; audited.

    The row is locked and its status checked, so a double click queues it once. The send
    task is enqueued after commit; should the broker be down, the outbox sweep sends it.
    """
    with transaction.atomic():
        locked = OutboundMail.objects.select_for_update().get(pk=mail.pk)
        if locked.status != MailStatus.FAILED:
            raise MailNotResendable()
        before = {"status": locked.status, "attempts": locked.attempts,
                  "last_error": locked.last_error}
        locked.status = MailStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(actor=actor, action="mail.resend_requested", obj=locked, before=before,
                     after={"status": locked.status, "attempts": 0})
        transaction.on_commit(lambda: outbox.mail_enqueue(mail_id=locked.pk))
    return locked
