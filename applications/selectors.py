from django.utils import timezone

from applications.models import Application, Call, Document


def call_current() -> Call | None:
    """The call applicants see: the newest one whose intake has started."""
    today = timezone.localdate()
    return Call.objects.filter(opens_on__lte=today).order_by("-fiscal_year").first()


def applications_of(user):
    return Application.objects.filter(applicant=user).select_related("company", "call")


def documents_for_download():
    return Document.objects.select_related("application__company")
