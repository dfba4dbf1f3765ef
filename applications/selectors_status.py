"""Reads for the applicant's status page and the 申込内容控え (submission room).

The timeline's dates come from the audit log: every status change is audited with its
before/after status (services/workflow.py), so the date a stage was reached is the first
audit row whose `after.status` belongs to it. Notes and reasons in those rows are never
read here: a rejected applicant sees neither the reasons nor the screening process
(V.1(2)⑥).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.countries import country_name
from applications.designations import designation_label
from applications.enums import ApplicationStatus as S
from applications.models import Application, Document, WebFormAnswers
from applications.webform_questions import FOLLOW_UPS, SECTIONS
from handson.audit import audit_trail


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    statuses: frozenset[str]


# The applicant's road (V.1(2) ①–⑤); side exits replace the end of it (see `timeline`).
STAGES: tuple[Stage, ...] = (
    Stage("registered", _("オンライン登録"), frozenset({S.REGISTERING})),
    Stage("webform", _("WEBフォーム入力・書類提出"), frozenset({S.AWAITING_DOCUMENTS})),
    Stage("received", _("受付"), frozenset({S.RECEIVED})),
    Stage("document_screening", _("書類審査（一次審査）"), frozenset({S.DOCUMENT_SCREENING})),
    Stage("interview", _("面談審査（二次審査）"),
          frozenset({S.INTERVIEW_SCHEDULED, S.INTERVIEWED})),
    Stage("matching", _("専門家マッチング"), frozenset({S.MATCHING})),
    Stage("committee", _("最終審査"), frozenset({S.COMMITTEE_REVIEW})),
    Stage("adopted", _("採択"), frozenset({S.ADOPTED})),
    Stage("support", _("支援"), frozenset({S.CONSENT_RECEIVED, S.IN_SUPPORT, S.COMPLETED,
                                           S.TERMINATED})),
)
EXITS: dict[str, Stage] = {
    S.REJECTED: Stage("rejected", _("審査結果のお知らせ"), frozenset({S.REJECTED})),
    S.WITHDRAWN: Stage("withdrawn", _("申込辞退"), frozenset({S.WITHDRAWN})),
    S.DECLINED: Stage("declined", _("採択後辞退"), frozenset({S.DECLINED})),
}


@dataclass
class TimelineStep:
    key: str
    label: str
    reached_on: datetime | None = None
    state: str = "upcoming"  # "done" | "current" | "upcoming"

    @property
    def is_current(self) -> bool:
        return self.state == "current"


@dataclass
class Timeline:
    steps: list[TimelineStep] = field(default_factory=list)

    @property
    def current(self) -> TimelineStep | None:
        return next((s for s in self.steps if s.is_current), None)


def application_for_applicant_pages() -> QuerySet[Application]:
    return Application.objects.select_related("company", "call")


def status_dates(application: Application) -> dict[str, datetime]:
    """First time each status was reached, from the audit log (one query)."""
    reached: dict[str, datetime] = {}
    rows = audit_trail(application).order_by("created_at", "id").values_list("after",
                                                                              "created_at")
    for after, created_at in rows:
        status = (after or {}).get("status") if isinstance(after, dict) else None
        if status and status not in reached:
            reached[status] = created_at
    return reached


# Decisions the applicant sees only once the notice has been sent: the committee may decide
# before the call's "decisions not before" date, and the notice batch is when it goes out.
UNPUBLISHED_UNTIL_NOTIFIED = frozenset({S.ADOPTED, S.REJECTED})


def published_status(application: Application) -> str:
    """The status the applicant may see (V.1(2)⑤⑥).

    An adoption or rejection stays "in review" — the stage before the decision — until its
    notice is sent (`decision_notified_at`, set by the notice service).
    """
    status = application.status
    if status not in UNPUBLISHED_UNTIL_NOTIFIED or application.decision_notified_at:
        return status
    rows = (audit_trail(application).order_by("-created_at", "-id")
            .values_list("before", "after"))
    for before, after in rows:
        if isinstance(after, dict) and after.get("status") == status:
            return (before or {}).get("status") or S.COMMITTEE_REVIEW
    return S.COMMITTEE_REVIEW


def _stage_index(status: str) -> int | None:
    for index, stage in enumerate(STAGES):
        if status in stage.statuses:
            return index
    return None


def timeline(application: Application, status: str | None = None) -> Timeline:
    """The stages with their dates; `status` is the one to show (see published_status)."""
    status = status or application.status
    reached = status_dates(application)
    # Registration is the creation of the application (it may predate any audit row).
    reached.setdefault(S.REGISTERING, application.created_at)
    if S.AWAITING_DOCUMENTS not in reached:
        reached[S.AWAITING_DOCUMENTS] = application.created_at
    if application.received_at and S.RECEIVED not in reached:
        reached[S.RECEIVED] = application.received_at

    def first_date(stage: Stage) -> datetime | None:
        dates = [reached[s] for s in stage.statuses if s in reached]
        return min(dates) if dates else None

    exit_stage = EXITS.get(status)
    steps: list[TimelineStep] = []
    if exit_stage is None:
        current = _stage_index(status) or 0
        for index, stage in enumerate(STAGES):
            state = "done" if index < current else "current" if index == current else "upcoming"
            steps.append(TimelineStep(stage.key, str(stage.label),
                                      first_date(stage) if state != "upcoming" else None, state))
        return Timeline(steps)
    # A side exit: the stages actually passed through, then the exit as the current step.
    for stage in STAGES:
        on = first_date(stage)
        if on is not None:
            steps.append(TimelineStep(stage.key, str(stage.label), on, "done"))
    steps.append(TimelineStep(exit_stage.key, str(exit_stage.label),
                              reached.get(status, application.status_changed_at),
                              "current"))
    return Timeline(steps)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ScreeningEstimate:
    """V.1(2)①: about 2 weeks to 1 month after all documents arrive, up to 2 months."""

    earliest: date
    usual_latest: date
    latest: date


def document_screening_estimate(application: Application) -> ScreeningEstimate | None:
    if application.received_at is None:
        return None
    received = timezone.localtime(application.received_at).date()
    return ScreeningEstimate(received + timedelta(days=14), add_months(received, 1),
                             add_months(received, 2))


# -- 申込内容控え -------------------------------------------------------------------------

WEBFORM_SKIP = {"application", "updated_at"}


def answer_text(value) -> str:
    """A WEB form answer as readable Japanese (also used by the staff pages)."""
    if value is None or value == "" or value == []:
        return str(_("（回答なし）"))
    if value is True:
        return str(_("はい"))
    if value is False:
        return str(_("いいえ"))
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _answer_row(answers: WebFormAnswers | None, name: str) -> tuple[str, str]:
    model_field = WebFormAnswers._meta.get_field(name)
    value = getattr(answers, name) if answers is not None else None
    if name == "designations" and value:
        value = [designation_label(code) for code in value]
    elif answers is not None and model_field.choices:
        value = getattr(answers, f"get_{name}_display")()
    return str(model_field.verbose_name), answer_text(value)


def webform_answer_sections(application: Application) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section title, [(question label, readable answer)])] in the WEB form's order.

    Only the questions the form asked this applicant: those of its project type, and a
    follow-up only after a "yes" to the question it follows.
    """
    answers = WebFormAnswers.objects.filter(application=application).first()
    model_fields = {f.name for f in WebFormAnswers._meta.concrete_fields} - WEBFORM_SKIP
    asked_anywhere: set[str] = set()
    sections = []
    for section in SECTIONS.values():
        asked_anywhere.update(section.answer_fields)
        rows = []
        for name in section.fields_for(application.project_type):
            if name not in model_fields:
                continue  # an Application field (URL, 連絡事項): shown with the project
            follows = FOLLOW_UPS.get(name)
            if follows and (answers is None or getattr(answers, follows) is not True):
                continue
            rows.append(_answer_row(answers, name))
        if rows:
            sections.append((str(section.title), rows))
    rest = [f.name for f in WebFormAnswers._meta.concrete_fields
            if f.name in model_fields - asked_anywhere]
    if rest:
        sections.append((str(_("その他")), [_answer_row(answers, name) for name in rest]))
    return sections


def documents_of(application: Application) -> QuerySet[Document]:
    return application.documents.order_by("kind", "-fiscal_year", "uploaded_at")


def target_country_names(application: Application) -> list[str]:
    """Japanese names of the target countries/regions, in order of priority."""
    return [country_name(code) for code in application.target_countries or []]
