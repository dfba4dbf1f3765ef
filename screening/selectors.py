"""Reads for the staff pages of the screening room. No writes here.

-- dashboard, list, CSV, application page --

Days and the guideline's timings (V.1(2)①): the result of the document screening comes
"about 2 weeks to 1 month after all documents arrive, up to 2 months". So while an
application is `received` or `document_screening`, its wait is counted **from receipt**
(`received_at`; `status_changed_at` if that is missing): moving it from 受付済み to 書類審査中
does not restart the applicant's clock. A wait of 30 days or more is 要注意 (attention), more
than 60 days 超過 (overdue). Other stages have no guideline timing and get no flag.

"Days" are calendar days in Japan time: received on 4月1日, it has waited 30 days on 5月1日.
The flag is computed in the database (comparisons with two instants), the day counts in
Python per row, so neither the list nor the CSV issues a query per row.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.eligibility import FINDING_OUTCOME_LABELS, OUTCOME_LABELS, SIZE_CATEGORY_LABELS
from applications.enums import ApplicationStatus as S
from applications.models import Application, Call, Document, WebFormAnswers
from applications.selectors_status import WEBFORM_SKIP, answer_text
from handson.audit import audit_trail
from handson.enums import MailStatus, Role
from handson.models import OutboundMail, User
from screening.models import Assessment, StageDecision

ATTENTION_DAYS = 30  # ≥ 30 days since receipt: 要注意
OVERDUE_DAYS = 60  # > 60 days since receipt: 超過
GUIDELINE_STATUSES = (S.RECEIVED, S.DOCUMENT_SCREENING)


class WaitLevel:
    NONE = 0
    ATTENTION = 1
    OVERDUE = 2

    LABELS = {NONE: "", ATTENTION: _("要注意"), OVERDUE: _("超過")}


# Status order of ApplicationStatus, for sorting by status (not alphabetically).
STATUS_ORDER = [value for value, _label in S.choices]


def today_local() -> date:
    return timezone.localdate()


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def days_since(moment: datetime | None, today: date) -> int | None:
    """Calendar days (Japan time) from `moment` to `today`; None when there is no moment."""
    if moment is None:
        return None
    return (today - timezone.localtime(moment).date()).days


def wait_level_for(days: int | None) -> int:
    if days is None:
        return WaitLevel.NONE
    if days > OVERDUE_DAYS:
        return WaitLevel.OVERDUE
    if days >= ATTENTION_DAYS:
        return WaitLevel.ATTENTION
    return WaitLevel.NONE


def wait_thresholds(today: date) -> tuple[datetime, datetime]:
    """(attention_before, overdue_before): a clock started before the first instant has run
    ≥ 30 days by `today`, before the second > 60 days (same rule as `wait_level_for`)."""
    return (_start_of(today - timedelta(days=ATTENTION_DAYS - 1)),
            _start_of(today - timedelta(days=OVERDUE_DAYS)))


def with_wait(queryset: QuerySet[Application], today: date) -> QuerySet[Application]:
    """Annotate `clock_start` (receipt, else the last status change), `wait_level` (0/1/2)."""
    attention_before, overdue_before = wait_thresholds(today)
    guideline = Q(status__in=GUIDELINE_STATUSES)
    return queryset.annotate(
        clock_start=Coalesce("received_at", "status_changed_at"),
    ).annotate(
        wait_level=Case(
            When(guideline & Q(clock_start__lt=overdue_before), then=Value(WaitLevel.OVERDUE)),
            When(guideline & Q(clock_start__lt=attention_before),
                 then=Value(WaitLevel.ATTENTION)),
            default=Value(WaitLevel.NONE), output_field=IntegerField(),
        ),
    )


def with_status_rank(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.annotate(status_rank=Case(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)), output_field=IntegerField(),
    ))


@dataclass(frozen=True)
class Wait:
    days_in_stage: int | None
    days_since_receipt: int | None
    level: int

    @property
    def label(self) -> str:
        return str(WaitLevel.LABELS[self.level])


def wait_of(application: Application, today: date) -> Wait:
    """The day counts of one row (no query); the level agrees with `with_wait`."""
    in_stage = days_since(application.status_changed_at, today)
    since_receipt = days_since(application.received_at, today)
    level = WaitLevel.NONE
    if application.status in GUIDELINE_STATUSES:
        level = wait_level_for(since_receipt if since_receipt is not None else in_stage)
    return Wait(in_stage, since_receipt, level)


def attach_row_info(applications, today: date) -> list[Application]:
    """Set `.wait` and `.eligibility_outcome_label` on each row of a fetched page."""
    rows = list(applications)
    for application in rows:
        application.wait = wait_of(application, today)
        application.eligibility_outcome_label = outcome_label(application.eligibility_outcome)
    return rows


# -- the base queryset of the list, the CSV and the dashboard ------------------------------

def applications_for_staff(today: date | None = None) -> QuerySet[Application]:
    """Every application with what a row shows, in a constant number of queries."""
    queryset = Application.objects.select_related("company", "call", "staff_in_charge")
    return with_status_rank(with_wait(queryset, today or today_local()))


def staff_users() -> QuerySet[User]:
    """Who can be put in charge: active JETRO staff and admins."""
    return (User.objects.filter(Q(groups__name=Role.STAFF.value) | Q(is_superuser=True),
                                is_active=True)
            .distinct().order_by("display_name", "username"))


# -- the dashboard ----------------------------------------------------------------------------

def call_for_dashboard() -> Call | None:
    """The call whose pipeline the dashboard shows: the newest one whose intake has started
    (as applicants see it), else the newest call at all."""
    from applications.selectors import call_current

    return call_current() or Call.objects.order_by("-fiscal_year").first()


@dataclass(frozen=True)
class PipelineStage:
    status: str
    label: str
    count: int


def pipeline(call: Call) -> list[PipelineStage]:
    """How many applications of the call are in each status, in ApplicationStatus order."""
    counts = dict(Application.objects.filter(call=call).order_by()
                  .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [PipelineStage(value, str(label), counts.get(value, 0)) for value, label in S.choices]


@dataclass(frozen=True)
class Intake:
    received: int
    planned: int
    closed: bool

    @property
    def remaining(self) -> int:
        return max(self.planned - self.received, 0)

    @property
    def percent(self) -> int:
        return min(round(100 * self.received / self.planned), 100) if self.planned else 0


def intake(call: Call) -> Intake:
    """予定件数 (INTAKE-CAP): applications of the call with a receipt date, against the plan."""
    received = Application.objects.filter(call=call, received_at__isnull=False).count()
    return Intake(received=received, planned=call.planned_count, closed=call.intake_closed)


def waiting_for_screening(call: Call, today: date) -> QuerySet[Application]:
    """受付済み and 書類審査中 applications of the call, overdue first, then the longest wait."""
    return (applications_for_staff(today).filter(call=call, status__in=GUIDELINE_STATUSES)
            .order_by("-wait_level", "clock_start", "pk"))


def wait_level_counts(call: Call, today: date) -> dict[int, int]:
    rows = (with_wait(Application.objects.filter(call=call, status__in=GUIDELINE_STATUSES),
                      today)
            .order_by().values("wait_level").annotate(n=Count("pk")))
    counts = {WaitLevel.NONE: 0, WaitLevel.ATTENTION: 0, WaitLevel.OVERDUE: 0}
    counts.update({row["wait_level"]: row["n"] for row in rows})
    return counts


def size_category_label(application: Application) -> str:
    result = application.eligibility_result
    size = result.get("size_category") if isinstance(result, dict) else None
    return SIZE_CATEGORY_LABELS.get(size, "") if size else ""


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome) if outcome else str(_("未判定"))


@dataclass(frozen=True)
class StoredFinding:
    rule_id: str
    outcome: str
    outcome_label: str
    message: str


def stored_findings(application: Application) -> list[StoredFinding]:
    """The findings saved with the application (eligibility_result), for display."""
    result = application.eligibility_result
    items = result.get("findings", []) if isinstance(result, dict) else []
    return [StoredFinding(str(item.get("rule_id", "")), str(item.get("outcome", "")),
                          FINDING_OUTCOME_LABELS.get(item.get("outcome"), ""),
                          str(item.get("message", "")))
            for item in items if isinstance(item, dict)]


# -- the application page ---------------------------------------------------------------------

def application_for_staff_page() -> QuerySet[Application]:
    return Application.objects.select_related("company", "call", "staff_in_charge", "applicant",
                                              "answers")


def _designation_labels(codes: list[str]) -> list[str]:
    try:
        from applications.designations import designation_label
    except ImportError:  # the WEB form room's labels are not installed (yet)
        return list(codes)
    return [designation_label(code) for code in codes]


@dataclass(frozen=True)
class AnswerRow:
    label: str
    text: str
    answered: bool


def webform_rows(application: Application) -> list[AnswerRow] | None:
    """Every WEB form question (verbose_name) with the answer; None if none was saved.

    Uses `application.answers` (select it with `select_related("answers")`)."""
    try:
        answers = application.answers
    except WebFormAnswers.DoesNotExist:
        return None
    if answers._state.adding:  # an unsaved placeholder (applications.completeness.answers_of)
        return None
    rows = []
    for model_field in WebFormAnswers._meta.concrete_fields:
        if model_field.name in WEBFORM_SKIP:
            continue
        value = getattr(answers, model_field.name)
        if model_field.name == "designations" and value:
            value = _designation_labels(value)
        answered = value not in (None, "", [])
        rows.append(AnswerRow(str(model_field.verbose_name), answer_text(value), answered))
    return rows


def documents_for_staff(application: Application) -> QuerySet[Document]:
    return application.documents.order_by("kind", "-fiscal_year", "uploaded_at")


def assessments_of(application: Application) -> QuerySet[Assessment]:
    return (Assessment.objects.filter(application=application).select_related("reviewer")
            .order_by("stage", "created_at", "pk"))


def stage_decisions_of(application: Application) -> QuerySet[StageDecision]:
    return (StageDecision.objects.filter(application=application).select_related("decided_by")
            .order_by("decided_at", "pk"))


def mails_of(application: Application) -> QuerySet[OutboundMail]:
    return OutboundMail.objects.filter(object_type=application._meta.label_lower,
                                       object_id=str(application.pk)).order_by("-created_at", "-pk")


def audit_of(application: Application):
    return audit_trail(application)


# -- outbox -----------------------------------------------------------------------------------

def mails_needing_attention() -> QuerySet[OutboundMail]:
    """Failed mails first (they need a person), then pending ones; newest first in each."""
    return (OutboundMail.objects.filter(status__in=[MailStatus.FAILED, MailStatus.PENDING])
            .annotate(failed_first=Case(When(status=MailStatus.FAILED, then=Value(0)),
                                        default=Value(1), output_field=IntegerField()))
            .order_by("failed_first", "-created_at", "-pk"))
