"""Reads of the support lifecycle: the staff list by state, the case page, the company page.

The company's reads (`company_*`) pick their columns explicitly: an Activity's
`internal_note`, the case's `internal_note` and `termination_reason` are never loaded for
the company's pages.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from experts.models import Assignment
from experts.selectors import current_assignment
from handson.models import AuditLog
from support.enums import ActivityKind
from support.models import Activity, SupportCase, Survey
from support.selectors import review_due_on
from support.services.lifecycle import survey_answer_path

SUPPORT_STATUSES = frozenset({S.ADOPTED, S.CONSENT_RECEIVED, S.IN_SUPPORT, S.COMPLETED,
                              S.TERMINATED, S.DECLINED})
ENDED_STATUSES = (S.COMPLETED, S.TERMINATED, S.DECLINED)
ENDED_LIMIT = 200  # the ended section shows the most recent ones


def today_local() -> date:
    return timezone.localdate()


def support_applications() -> QuerySet[Application]:
    """Applications from adoption on, with everything a row or the case page shows."""
    return (Application.objects.filter(status__in=SUPPORT_STATUSES)
            .select_related("company", "call", "staff_in_charge", "support_case",
                            "support_case__consent_received_by", "declination")
            .prefetch_related(Prefetch(
                "expert_assignments",
                Assignment.objects.filter(ended_at__isnull=True).select_related("expert"),
                to_attr="current_assignments")))


@dataclass
class CaseRow:
    application: Application
    case: SupportCase | None
    expert_name: str = ""
    days_left: int | None = None
    next_review_on: date | None = None
    review_overdue: bool = False

    @property
    def days_over(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _row(application: Application, today: date) -> CaseRow:
    case = getattr(application, "support_case", None)
    current = application.current_assignments
    row = CaseRow(application=application, case=case,
                  expert_name=current[0].expert.name if current else "")
    if case is not None and application.status == S.IN_SUPPORT:
        if case.period_end:
            row.days_left = (case.period_end - today).days
        row.next_review_on = review_due_on(case, application.last_review_on)
        row.review_overdue = row.next_review_on is not None and row.next_review_on < today
    return row


def support_sections(today: date) -> dict[str, list[CaseRow]]:
    """The staff list: four sections by state, in a constant number of queries."""
    base = support_applications().annotate(last_review_on=Max("support_case__reviews__held_on"))
    open_rows = base.filter(status__in=[S.ADOPTED, S.CONSENT_RECEIVED, S.IN_SUPPORT]).order_by(
        "support_case__period_end", "status_changed_at", "pk")
    sections: dict[str, list[CaseRow]] = {"adopted": [], "consent_received": [],
                                          "in_support": [], "ended": []}
    for application in open_rows:
        sections[application.status].append(_row(application, today))
    ended = base.filter(status__in=ENDED_STATUSES).order_by("-status_changed_at", "-pk")
    sections["ended"] = [_row(a, today) for a in ended[:ENDED_LIMIT]]
    return sections


def support_application(public_id) -> Application:
    return support_applications().get(public_id=public_id)


def case_audit(application: Application) -> QuerySet[AuditLog]:
    """The application's status changes and the rows of its case, 辞退届 and surveys."""
    case = getattr(application, "support_case", None)
    declination = getattr(application, "declination", None)
    q = Q(object_type=application._meta.label_lower, object_id=str(application.pk))
    if case is not None:
        q |= Q(object_type=case._meta.label_lower, object_id=str(case.pk))
        survey_ids = [str(pk) for pk in case.surveys.values_list("pk", flat=True)]
        q |= Q(object_type=Survey._meta.label_lower, object_id__in=survey_ids)
    if declination is not None:
        q |= Q(object_type=declination._meta.label_lower, object_id=str(declination.pk))
    return AuditLog.objects.filter(q).select_related("actor").order_by("-created_at", "-id")


def case_activities(case: SupportCase | None) -> list[Activity]:
    if case is None:
        return []
    return list(case.activities.select_related("expert", "recorded_by"))


def case_surveys(case: SupportCase | None) -> list[Survey]:
    return list(case.surveys.order_by("due_on", "pk")) if case is not None else []


# -- the company's page: explicit columns only -------------------------------------------------

@dataclass(frozen=True)
class CompanyActivity:
    kind_label: str
    date: date
    summary: str


@dataclass(frozen=True)
class CompanySurvey:
    pk: int
    kind_label: str
    due_on: date
    answered: bool
    overdue: bool
    url: str = ""


@dataclass(frozen=True)
class CompanyCase:
    consent_received_on: date | None
    kickoff_on: date | None
    agreed_support: str
    period_start: date | None
    period_end: date | None
    ended_on: date | None


def company_case(application: Application) -> CompanyCase | None:
    values = (SupportCase.objects.filter(application=application)
              .values("consent_received_on", "kickoff_on", "agreed_support", "period_start",
                      "period_end", "ended_on").first())
    return CompanyCase(**values) if values else None


def company_activities(application: Application) -> list[CompanyActivity]:
    rows = (Activity.objects.filter(case__application=application)
            .order_by("-date", "-pk").values_list("kind", "date", "summary"))
    return [CompanyActivity(str(ActivityKind(kind).label) if kind in ActivityKind.values
                            else kind, day, summary) for kind, day, summary in rows]


def company_surveys(application: Application, today: date) -> list[CompanySurvey]:
    rows = (Survey.objects.filter(case__application=application).order_by("due_on", "pk")
            .values_list("pk", "kind", "due_on", "answered_at"))
    labels = dict(Survey._meta.get_field("kind").choices)
    return [CompanySurvey(pk, str(labels.get(kind, kind)), due_on, answered_at is not None,
                          answered_at is None and due_on < today,
                          survey_answer_path(application.public_id, pk))
            for pk, kind, due_on, answered_at in rows]


def company_expert_name(application: Application) -> str:
    """The current expert; after the end, the last one who supported the company."""
    assignment = current_assignment(application) or (
        Assignment.objects.filter(application=application)
        .order_by(F("ended_at").desc(nulls_last=True), "-pk").select_related("expert").first())
    return assignment.expert.name if assignment is not None else ""
