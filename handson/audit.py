"""Writing the audit log. Services call `audit_record` inside their transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from handson.models import AuditLog


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    rule_ids: Iterable[str] = (),
    note: str = "",
) -> AuditLog:
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before or {},
        after=after or {},
        rule_ids=list(rule_ids),
        note=note,
    )


def audit_trail(obj: models.Model):
    return AuditLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
