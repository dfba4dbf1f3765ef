"""FORM-POSTAL: staff record documents that arrived by post (「ハンズオン支援申込書類在中」).

A posted document has no file in the system: the row records what arrived and when, so the
completeness check (DOCS-COMPLETE) can count it and the 申込内容控え lists it.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.enums import DocumentKind, DocumentSource
from applications.fiscal_years import offered_fiscal_years
from applications.models import Application, Document
from handson.audit import audit_record

# Posted documents are taken while the application is being completed or screened.
POSTAL_OPEN = frozenset({S.AWAITING_DOCUMENTS, S.RECEIVED, S.DOCUMENT_SCREENING})


class PostalDocumentError(Exception):
    """The posted document cannot be recorded; `message` says why, in Japanese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def document_record_postal(
    *, application: Application, kind: str, fiscal_year: int | None,
    received_on: datetime.date, actor, note: str = "",
) -> Document:
    """Record one posted document (no file). Staff only; audited with FORM-POSTAL."""
    if not actor.has_perm("applications.record_postal_document", application):
        raise PermissionDenied("only JETRO staff record posted documents")
    if kind not in DocumentKind.values:
        raise PostalDocumentError(f"書類の種類が正しくありません（{kind}）。")
    if kind == DocumentKind.FINANCIAL_STATEMENT:
        offered = offered_fiscal_years(application.call)
        if fiscal_year not in offered:
            raise PostalDocumentError(
                f"決算報告書の年度は {', '.join(map(str, offered))} のいずれかを指定してください。")
    else:
        fiscal_year = None
    today = timezone.localdate()
    if received_on > today:
        raise PostalDocumentError("受領日に未来の日付は指定できません。")

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in POSTAL_OPEN:
            raise PostalDocumentError(
                f"この申込は「{locked.get_status_display()}」のため、郵送書類を登録できません。")
        # One document per (kind, fiscal year), as for the WEB form's slots.
        existing = Document.objects.filter(application=locked, kind=kind,
                                           fiscal_year=fiscal_year).first()
        if existing is not None:
            raise PostalDocumentError(
                f"この書類はすでに登録されています（提出方法：{existing.get_source_display()}）。")
        document = Document.objects.create(
            application=locked, kind=kind, fiscal_year=fiscal_year,
            source=DocumentSource.POSTAL, uploaded_by=actor,
            original_name="", size_bytes=0, page_count=0,
        )
        # uploaded_at (受領日時) is auto_now_add: set it to the day the post arrived.
        received_at = (timezone.now() if received_on == today else timezone.make_aware(
            datetime.datetime.combine(received_on, datetime.time(0, 0))))
        Document.objects.filter(pk=document.pk).update(uploaded_at=received_at)
        document.uploaded_at = received_at
        audit_record(
            actor=actor, action="document.postal_recorded", obj=locked,
            after={"document": str(document.public_id), "kind": kind,
                   "fiscal_year": fiscal_year, "source": DocumentSource.POSTAL,
                   "received_on": received_on.isoformat()},
            rule_ids=["FORM-POSTAL"], note=note,
        )
    return document
