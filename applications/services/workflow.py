"""The state machine: the only place where `Application.status` changes.

Every transition checks the current state, locks the row, saves with update_fields, writes
the audit log, and runs its side effects (mail) after commit. Callers use the named
functions; `transition` is the shared mechanism.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.audit import audit_record

ALLOWED: dict[str, set[str]] = {
    S.REGISTERING: {S.AWAITING_DOCUMENTS},
    S.AWAITING_DOCUMENTS: {S.RECEIVED, S.WITHDRAWN},
    S.RECEIVED: {S.DOCUMENT_SCREENING, S.REJECTED, S.WITHDRAWN, S.AWAITING_DOCUMENTS},
    S.DOCUMENT_SCREENING: {S.INTERVIEW_SCHEDULED, S.REJECTED, S.WITHDRAWN},
    S.INTERVIEW_SCHEDULED: {S.INTERVIEWED, S.REJECTED, S.WITHDRAWN},
    S.INTERVIEWED: {S.MATCHING, S.REJECTED, S.WITHDRAWN},
    S.MATCHING: {S.COMMITTEE_REVIEW, S.REJECTED, S.WITHDRAWN},
    S.COMMITTEE_REVIEW: {S.ADOPTED, S.REJECTED, S.WITHDRAWN},
    S.ADOPTED: {S.CONSENT_RECEIVED, S.DECLINED},
    S.CONSENT_RECEIVED: {S.IN_SUPPORT, S.DECLINED},
    S.IN_SUPPORT: {S.COMPLETED, S.TERMINATED},
    S.COMPLETED: set(),
    S.TERMINATED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
    S.DECLINED: set(),
}

DECIDED = {S.ADOPTED, S.CONSENT_RECEIVED, S.IN_SUPPORT, S.COMPLETED, S.TERMINATED,
           S.REJECTED, S.DECLINED}


class TransitionError(Exception):
    """A transition that the current state does not allow."""

    def __init__(self, application: Application, to: str):
        self.current = application.status
        self.to = to
        super().__init__(f"application {application.pk}: {application.status} → {to} not allowed")


def can_transition(current: str, to: str) -> bool:
    return to in ALLOWED.get(current, set())


def transition(
    application: Application,
    to: S,
    *,
    actor,
    action: str,
    rule_ids: Iterable[str] = (),
    note: str = "",
    extra_fields: dict | None = None,
    notify: Callable[[Application], None] | None = None,
) -> Application:
    """Move one application to `to` under a row lock; audit it; queue its notices."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not can_transition(locked.status, to):
            raise TransitionError(locked, to)
        before = locked.status
        locked.status = to
        locked.status_changed_at = timezone.now()
        fields = ["status", "status_changed_at", "updated_at"]
        for name, value in (extra_fields or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=fields)
        audit_record(actor=actor, action=action, obj=locked, before={"status": before},
                     after={"status": to, **_jsonable(extra_fields)}, rule_ids=rule_ids,
                     note=note)
        if notify is not None:
            notify(locked)  # queues outbox rows in this transaction; sent after commit
    return locked


def _jsonable(fields: dict | None) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in (fields or {}).items()}
