"""Helpers for the WEB form and document tests: PDFs, complete answers, stored documents."""

from django.core.files.base import ContentFile

from applications.enums import DocumentKind, DocumentSource, ProjectType
from applications.models import Document, WebFormAnswers
from applications.webform_questions import (
    COMMON_PROJECT_QUESTIONS,
    DECLARATIONS,
    PLAN_TEXTS,
    project_questions,
)
from tests.pdf_samples import uploaded, valid_pdf


def pdf_bytes(pages: int = 1) -> bytes:
    return valid_pdf(pages)


def pdf_upload(name: str = "決算書.pdf", pages: int = 1):
    return uploaded(valid_pdf(pages), name=name)


def complete_answers(application, **overrides) -> WebFormAnswers:
    """Every required question answered favourably; no follow-up needed."""
    values = {name: f"{name}の回答" for name in PLAN_TEXTS}
    for name in (*project_questions(application.project_type), *COMMON_PROJECT_QUESTIONS):
        values[name] = True
    values.update(consulting_business=False, parallel_human_support=False,
                  continuous_export_to_target=False, local_base_in_target=False)
    if application.project_type == ProjectType.EXPORT:
        values["procures_domestically_for_export"] = False
    else:
        values["base_operation_started"] = False
    values.update({name: True for name in DECLARATIONS})
    values.update(overrides)
    answers, _ = WebFormAnswers.objects.update_or_create(application=application,
                                                         defaults=values)
    application.answers = answers
    return answers


def stored_document(application, *, kind=DocumentKind.FINANCIAL_STATEMENT, fiscal_year=2025,
                    source=DocumentSource.WEB, content: bytes | None = None,
                    name: str | None = None, original_name: str = "決算書.pdf") -> Document:
    content = content if content is not None else pdf_bytes()
    document = Document(application=application, kind=kind, fiscal_year=fiscal_year,
                        original_name=original_name, size_bytes=len(content), page_count=1,
                        sha256="0" * 64, source=source)
    if kind == DocumentKind.PRODUCT_CATALOGUE:
        document.fiscal_year = None
    document.file.save(name or f"documents/test/{fiscal_year}-{id(document)}.pdf",
                       ContentFile(content), save=False)
    document.save()
    return document
