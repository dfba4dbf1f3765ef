"""Reads for the WEB form page (applications/selectors.py is shared; this room's own reads)."""

from applications.models import Application, Document


def applications_for_webform():
    return Application.objects.select_related("company", "call", "answers")


def documents_of(application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application).order_by("kind", "-fiscal_year"))
