"""Documents sent with the WEB form: 決算報告書 (DOCS-FS) and the product catalogue
(DOCS-PRODUCT); taking over FY2025 statements (DOCS-FS-FY2025).

Files are checked by `applications.services.document_checks.check_pdf` (content decides),
stored in the private storage under a generated name (the uploaded name is data only), one
document per (application, kind, fiscal year): a new upload replaces the slot's document.
A stored file is deleted only when it came from the web upload and no other row points at it,
so a statement taken over from FY2025 is never deleted through the new application.
"""

import logging

from django.db import transaction

from applications.enums import DocumentKind, DocumentSource
from applications.fiscal_years import offered_fiscal_years
from applications.models import Application, Document
from applications.services.document_checks import check_pdf
from applications.services.webform import lock_editable
from handson.audit import audit_record
from handson.files import generated_name

logger = logging.getLogger(__name__)

RULE_IDS = {DocumentKind.FINANCIAL_STATEMENT: ("DOCS-FS",),
            DocumentKind.PRODUCT_CATALOGUE: ("DOCS-PRODUCT",)}
ORIGINAL_NAME_MAX = 255


def document_storage():
    """The storage the Document.file field reads from (the private storage)."""
    return Document._meta.get_field("file").storage


class InvalidSlot(ValueError):
    """kind/fiscal_year do not name a slot of this application (a form should catch it)."""


class PostalDocument(Exception):  # noqa: N818 - a domain outcome, not a crash
    """The slot holds a document recorded by staff as posted (FORM-POSTAL): the applicant
    can neither replace nor delete it."""


def check_slot(application: Application, kind: str, fiscal_year: int | None) -> None:
    if kind == DocumentKind.FINANCIAL_STATEMENT:
        if fiscal_year not in offered_fiscal_years(application.call):
            raise InvalidSlot(f"fiscal year {fiscal_year!r} not offered")
    elif kind == DocumentKind.PRODUCT_CATALOGUE:
        if fiscal_year is not None:
            raise InvalidSlot("a catalogue has no fiscal year")
    else:
        raise InvalidSlot(f"unknown document kind {kind!r}")


def _original_name(file) -> str:
    return (getattr(file, "name", "") or "")[:ORIGINAL_NAME_MAX]


def _file_is_ours(document: Document) -> bool:
    """Delete a stored file only if a web upload made it and no other row uses it."""
    if document.source != DocumentSource.WEB or not document.file.name:
        return False
    return not Document.objects.filter(file=document.file.name).exclude(pk=document.pk).exists()


def _delete_file_after_commit(name: str) -> None:
    def delete():
        try:
            document_storage().delete(name)
        except OSError:  # the row is gone either way; an orphan file is only disk space
            logger.exception("documents: could not delete %s", name)

    transaction.on_commit(delete)


def _remove(document: Document) -> None:
    if _file_is_ours(document):
        _delete_file_after_commit(document.file.name)
    document.delete()


def _audit_facts(document: Document) -> dict:
    return {"document": str(document.public_id), "kind": document.kind,
            "fiscal_year": document.fiscal_year, "source": document.source,
            "size_bytes": document.size_bytes, "page_count": document.page_count,
            "sha256": document.sha256, "original_name": document.original_name}


def document_upload(*, application: Application, kind: str, fiscal_year: int | None, file,
                    actor) -> Document:
    """Check, store and register one PDF; raises DocumentRejected (with a Japanese message),
    ApplicationNotEditable or InvalidSlot, and then nothing is stored."""
    check_slot(application, kind, fiscal_year)
    facts = check_pdf(file)
    file.seek(0)
    stored = document_storage().save(generated_name("documents"), file)
    try:
        with transaction.atomic():
            locked = lock_editable(application)
            previous = list(Document.objects.filter(application=locked, kind=kind,
                                                    fiscal_year=fiscal_year))
            if any(old.source == DocumentSource.POSTAL for old in previous):
                raise PostalDocument(kind, fiscal_year)
            document = Document(
                application=locked, kind=kind, fiscal_year=fiscal_year,
                original_name=_original_name(file), size_bytes=facts.size_bytes,
                page_count=facts.page_count, sha256=facts.sha256,
                source=DocumentSource.WEB, uploaded_by=actor,
            )
            document.file.name = stored
            document.save()
            for old in previous:
                _remove(old)
            audit_record(
                actor=actor, action="document.uploaded", obj=locked,
                before={"replaced": [_audit_facts(old) for old in previous]} if previous else {},
                after=_audit_facts(document), rule_ids=RULE_IDS[kind],
            )
    except BaseException:
        document_storage().delete(stored)
        raise
    return document


def document_delete(*, document: Document, actor) -> None:
    """Remove one document before submission (its file too, when it is ours)."""
    if document.source == DocumentSource.POSTAL:
        raise PostalDocument(document.kind, document.fiscal_year)
    with transaction.atomic():
        lock_editable(document.application)
        facts = _audit_facts(document)
        _remove(document)
        audit_record(actor=actor, action="document.deleted", obj=document.application,
                     before=facts, rule_ids=RULE_IDS[document.kind])


def fy2025_statements(application: Application) -> list[Document]:
    """DOCS-FS-FY2025: the FY2025 statements of the same company (same 法人番号) for the
    fiscal years this call asks for and the application does not have yet, newest first."""
    number = application.company.corporate_number.strip()
    if not number:
        return []
    wanted = set(offered_fiscal_years(application.call))
    have = set(Document.objects.filter(application=application,
                                       kind=DocumentKind.FINANCIAL_STATEMENT)
               .values_list("fiscal_year", flat=True))
    candidates = (
        Document.objects.filter(
            application__call__fiscal_year=2025,
            application__company__corporate_number=number,
            kind=DocumentKind.FINANCIAL_STATEMENT, fiscal_year__in=wanted - have,
        )
        .exclude(file="")
        .exclude(application=application)
        .order_by("-fiscal_year", "-uploaded_at")
    )
    by_year: dict[int, Document] = {}
    for document in candidates:
        by_year.setdefault(document.fiscal_year, document)  # the latest upload of a year
    return list(by_year.values())


def document_reuse_fy2025(*, application: Application, actor) -> list[Document]:
    """Register the FY2025 statements in this application, pointing at the same stored files
    (no bytes copied; source=fy2025_reuse, so deleting them never deletes the file)."""
    with transaction.atomic():
        locked = lock_editable(application)
        created = []
        for source in fy2025_statements(locked):
            document = Document(
                application=locked, kind=source.kind, fiscal_year=source.fiscal_year,
                original_name=source.original_name, size_bytes=source.size_bytes,
                page_count=source.page_count, sha256=source.sha256,
                source=DocumentSource.FY2025_REUSE, uploaded_by=actor,
            )
            document.file.name = source.file.name
            document.save()
            created.append(document)
            audit_record(actor=actor, action="document.reused", obj=locked,
                         after={**_audit_facts(document), "from": str(source.public_id)},
                         rule_ids=("DOCS-FS-FY2025", "DOCS-FS"))
    return created
