"""The support lifecycle (issue #6): consent, kickoff and start, the period, 辞退届, the end.

Each function checks the actor, the state and the input (SupportError: field → Japanese
message, nothing changed), then calls the state machine in applications/services/workflow.py
whose `then` hook writes the support rows under the Application row lock: the status, the
SupportCase/Declination/Survey rows, the audit rows and the queued mails commit together.

What the company may read: mails here are built from `company_context` only. The
termination reason (TERM-n) and every internal note stay in the SupportCase row and the
audit log (staff); they never enter a mail's context, so they cannot reach the outbox row
either.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from handson.audit import audit_record
from handson.outbox import mail_queue
from support.enums import (
    ActivityKind,
    DeclinationChannel,
    EndKind,
    SurveyKind,
    TerminationReason,
)
from support.models import Activity, Declination, SupportCase, Survey

logger = logging.getLogger(__name__)

OUTCOME_SURVEY_DAYS = 30  # the outcome survey is due this many days after the end
RULE_CONSENT = "V.1(2)⑤"
RULE_KICKOFF = "V.2"
RULE_DECLINE = "V.1(2)⑦"
RULE_PERIOD = "PERIOD-END"
RULE_REPORT = "REPORT-CONSENT"
RULE_GOAL_REACHED = TerminationReason.TERM_2.value
DECLINABLE = workflow.SUPPORT_DECLINABLE


class SupportError(Exception):
    """Input or state refused. `errors` maps a form field ("" = the whole form) to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = {field: str(message) for field, message in errors.items()}
        super().__init__("; ".join(f"{k or '-'}: {v}" for k, v in self.errors.items()))

    @property
    def message(self) -> str:
        return " ".join(self.errors.values())


def day_ja(value: date | None) -> str:
    return formats.date_format(value, "Y年n月j日") if value else ""


def _today() -> date:
    return timezone.localdate()


def _require_staff(actor) -> None:
    if not getattr(actor, "is_jetro_staff", False):
        raise PermissionDenied("JETRO staff only")


def absolute_url(name: str, *args) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def survey_answer_path(public_id, survey_pk: int) -> str:
    """The answer page of the during-support area (`support:survey_answer`), or ""."""
    for args in ((public_id, survey_pk), (survey_pk,)):
        try:
            return reverse("support:survey_answer", args=args)
        except NoReverseMatch:
            continue
    return ""


def survey_url(survey: Survey) -> str:
    """The survey's answer page, else the company's support page (which lists it)."""
    public_id = survey.case.application.public_id
    path = survey_answer_path(public_id, survey.pk)
    return (settings.SITE_URL + path if path
            else absolute_url("support:company_case", public_id))


# -- experts (the experts room, if installed) -------------------------------------------------

def current_assignment(application: Application):
    from experts.selectors import current_assignment as current

    return current(application)


def _end_assignment(application: Application, *, actor, reason: str) -> None:
    """End the current expert assignment through the experts room (if it offers it)."""
    if current_assignment(application) is None:
        return
    try:
        from experts.services import assignment_end
    except ImportError:
        logger.warning("support: experts.services.assignment_end is missing; the assignment "
                       "of application %s stays open", application.pk)
        return
    assignment_end(application=application, actor=actor, reason=reason)


def _expert_name(application: Application) -> str:
    assignment = current_assignment(application)
    return assignment.expert.name if assignment is not None else ""


# -- mails ---------------------------------------------------------------------------------------

def company_context(application: Application, case: SupportCase | None = None,
                     **extra) -> dict:
    """What a mail to the company may say: never a note, a reason or a TERM code."""
    context = workflow.notice_context(application)
    context.update(
        support_url=absolute_url("support:company_case", application.public_id),
        declination_pdf_url=absolute_url("support:declination_pdf", application.public_id),
        consortium_id=application.consortium_id or "",
    )
    if case is not None:
        context.update(
            period_start=day_ja(case.period_start), period_end=day_ja(case.period_end),
            kickoff_on=day_ja(case.kickoff_on), ended_on=day_ja(case.ended_on),
            consent_received_on=day_ja(case.consent_received_on),
        )
    context.update(extra)
    return context


def _mail_company(application: Application, template: str, dedupe_key: str,
                  case: SupportCase | None = None, **extra) -> None:
    mail_queue(to=application.contact_email, template=template,
               context=company_context(application, case, **extra), dedupe_key=dedupe_key,
               related=application)


def staff_recipient(application: Application) -> str:
    """The staff member in charge, else the shared staff address."""
    staff = application.staff_in_charge
    return (staff.email if staff is not None and staff.email
            else settings.STAFF_NOTIFICATION_EMAIL)


# -- the support case ------------------------------------------------------------------------

def _locked_case(application: Application) -> SupportCase:
    case, _created = SupportCase.objects.get_or_create(application=application)
    return SupportCase.objects.select_for_update().select_related(
        "application__call", "application__company").get(pk=case.pk)


def _snapshot(case: SupportCase, fields: list[str]) -> dict:
    def plain(value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value.pk if hasattr(value, "pk") else value

    return {name: plain(getattr(case, name)) for name in fields}


def _state_error(application: Application, message: str) -> SupportError:
    return SupportError({"": message})


def period_errors(*, call, consent_received_on: date | None, period_start: date | None,
                  period_end: date | None) -> dict[str, str]:
    """PERIOD-END: the end no later than the call's limit; start ≤ end; start ≥ consent."""
    errors: dict[str, str] = {}
    if period_start is None:
        errors["period_start"] = _("支援開始日を入力してください。")
    if period_end is None:
        errors["period_end"] = _("支援終了予定日を入力してください。")
    if errors:
        return errors
    limit = call.support_end_limit
    if period_end > limit:
        errors["period_end"] = _(
            "支援終了予定日は、募集回で定める支援期間の最終日（%(limit)s）以前の日付にしてください"
            "（申込要領 III.6）。") % {"limit": day_ja(limit)}
    if period_start > period_end:
        errors["period_start"] = _("支援開始日は、支援終了予定日以前の日付にしてください。")
    elif consent_received_on is not None and period_start < consent_received_on:
        errors["period_start"] = _(
            "支援開始日は、同意書（原本）の受領日（%(on)s）以降の日付にしてください。"
            "支援は同意書の受領後に開始します。") % {"on": day_ja(consent_received_on)}
    return errors


# -- ⑤ consent -----------------------------------------------------------------------------------

def support_consent_receive(*, application: Application, received_on: date,
                            actor) -> SupportCase:
    """The signed original of the 応募・利用条件兼同意書 arrived: → consent_received.

    Creates the SupportCase row (date and receiver), audits it and tells the company.
    """
    _require_staff(actor)
    if received_on is None:
        raise SupportError({"received_on": _("受領日を入力してください。")})
    if received_on > _today():
        raise SupportError({"received_on": _("受領日に未来の日付は指定できません。")})
    if application.status != S.ADOPTED:
        raise _state_error(application, _("同意書の受領は、採択済み（同意書の受領前）の申込にだけ記録できます。"))
    result: dict = {}

    def then(locked: Application) -> None:
        case = _locked_case(locked)
        fields = ["consent_received_on", "consent_received_by"]
        before = _snapshot(case, fields)
        case.consent_received_on = received_on
        case.consent_received_by = actor
        case.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="support_case.consent_received", obj=case,
                     before=before, after=_snapshot(case, fields), rule_ids=[RULE_CONSENT])
        _mail_company(locked, "support_consent_received", f"support:consent:{locked.pk}", case)
        result["case"] = case

    try:
        workflow.support_consent_receive(application=application, received_on=received_on,
                                         actor=actor, then=then)
    except workflow.TransitionError as exc:
        raise _state_error(application, _("この申込はすでに手続きが進んでいるため、同意書の受領を記録できません。")) from exc
    return result["case"]


# -- V.2 kickoff and start; the period ----------------------------------------------------------

def support_start(*, application: Application, kickoff_on: date, agreed_support: str,
                  period_start: date, period_end: date, actor) -> SupportCase:
    """The kickoff of company, JETRO and expert agreed the content and the period: →
    in_support. Records an Activity of kind kickoff (its summary is the agreed content,
    which the company sees)."""
    _require_staff(actor)
    if application.status == S.ADOPTED:
        raise _state_error(application, _("同意書（原本）の受領を記録してから、支援を開始してください。"))
    if application.status != S.CONSENT_RECEIVED:
        raise _state_error(application, _("この申込は支援を開始できる状態ではありません。"))
    agreed_support = (agreed_support or "").strip()
    errors: dict[str, str] = {}
    if kickoff_on is None:
        errors["kickoff_on"] = _("キックオフミーティングの実施日を入力してください。")
    if not agreed_support:
        errors["agreed_support"] = _("合意した支援内容を入力してください。")
    case = SupportCase.objects.filter(application=application).first()
    errors.update(period_errors(call=application.call,
                                consent_received_on=case.consent_received_on if case else None,
                                period_start=period_start, period_end=period_end))
    if errors:
        raise SupportError(errors)
    result: dict = {}

    def then(locked: Application) -> None:
        case = _locked_case(locked)
        late = period_errors(call=locked.call, consent_received_on=case.consent_received_on,
                             period_start=period_start, period_end=period_end)
        if late:  # the consent date changed meanwhile: nothing is kept
            raise SupportError(late)
        fields = ["kickoff_on", "agreed_support", "period_start", "period_end"]
        before = _snapshot(case, fields)
        case.kickoff_on, case.agreed_support = kickoff_on, agreed_support
        case.period_start, case.period_end = period_start, period_end
        case.save(update_fields=[*fields, "updated_at"])
        assignment = current_assignment(locked)
        Activity.objects.create(
            case=case, expert=assignment.expert if assignment else None,
            kind=ActivityKind.KICKOFF, date=kickoff_on,
            participants=_("企業・ジェトロ・専門家"), summary=agreed_support, recorded_by=actor)
        audit_record(actor=actor, action="support_case.started", obj=case, before=before,
                     after=_snapshot(case, fields), rule_ids=[RULE_KICKOFF, RULE_PERIOD])
        _mail_company(locked, "support_started", f"support:started:{locked.pk}", case,
                      expert_name=assignment.expert.name if assignment else "",
                      agreed_support=agreed_support)
        result["case"] = case

    try:
        workflow.support_mark_started(application=application, actor=actor, then=then)
    except workflow.TransitionError as exc:
        raise _state_error(application, _("この申込は支援を開始できる状態ではありません。")) from exc
    return result["case"]


def support_period_change(*, application: Application, period_start: date, period_end: date,
                          actor, note: str = "") -> SupportCase:
    """Staff change the agreed period during the support (PERIOD-END applies again)."""
    _require_staff(actor)
    if application.status != S.IN_SUPPORT:
        raise _state_error(application, _("支援期間は、支援中の案件についてだけ変更できます。"))
    note = (note or "").strip()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("call").get(
            pk=application.pk)
        if locked.status != S.IN_SUPPORT:
            raise _state_error(locked, _("支援期間は、支援中の案件についてだけ変更できます。"))
        case = _locked_case(locked)
        errors = period_errors(call=locked.call, consent_received_on=case.consent_received_on,
                               period_start=period_start, period_end=period_end)
        if errors:
            raise SupportError(errors)
        fields = ["period_start", "period_end"]
        before = _snapshot(case, fields)
        if (case.period_start, case.period_end) == (period_start, period_end):
            raise SupportError({"period_end": _("支援期間が変わっていません。")})
        case.period_start, case.period_end = period_start, period_end
        case.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="support_case.period_changed", obj=case,
                     before=before, after=_snapshot(case, fields), rule_ids=[RULE_PERIOD],
                     note=note)
        stamp = int(timezone.now().timestamp() * 1_000_000)
        _mail_company(locked, "support_period_changed",
                      f"support:period:{case.pk}:{period_start}:{period_end}:{stamp}", case)
    return case


# -- ⑦ 辞退届 --------------------------------------------------------------------------------

def may_decline(application: Application) -> bool:
    return application.status in DECLINABLE


def support_decline(*, application: Application, channel: str, signer_name: str, reason: str,
                    submitted_on: date, actor) -> Declination:
    """The 辞退届 after adoption (online by the owner, or on paper recorded by staff):
    → declined. Staff are told by mail; the company gets a confirmation."""
    if channel == DeclinationChannel.ONLINE:
        if actor is None or application.applicant_id != actor.pk:
            raise PermissionDenied("the 辞退届 online is the applicant's own act")
    elif channel == DeclinationChannel.PAPER:
        _require_staff(actor)
    else:
        raise ValueError(f"unknown channel {channel!r}")
    signer_name = " ".join((signer_name or "").split())
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not signer_name:
        errors["signer_name"] = _("辞退届に署名する代表者の氏名を入力してください。")
    if submitted_on is None:
        errors["submitted_on"] = _("提出日を入力してください。")
    elif submitted_on > _today():
        errors["submitted_on"] = _("提出日に未来の日付は指定できません。")
    if not may_decline(application):
        raise _state_error(application, _(
            "採択後辞退届は、支援の開始前（採択後、キックオフミーティングの前）に提出できます。"
            "支援開始後のご相談は、ジェトロの担当者までご連絡ください。"))
    if errors:
        raise SupportError(errors)
    result: dict = {}

    def then(locked: Application) -> None:
        declination = Declination.objects.create(
            application=locked, channel=channel, signer_name=signer_name, reason=reason,
            submitted_on=submitted_on, recorded_by=actor)
        audit_record(actor=actor, action="declination.recorded", obj=declination,
                     after={"channel": channel, "signer_name": signer_name,
                            "submitted_on": submitted_on.isoformat()},
                     rule_ids=[RULE_DECLINE])
        case = SupportCase.objects.filter(application=locked).first()
        _end_assignment(locked, actor=actor, reason=str(_("採択後辞退届の提出")))
        context = company_context(
            locked, case, signer_name=signer_name, submitted_on=day_ja(submitted_on),
            channel_label=str(DeclinationChannel(channel).label), declination_reason=reason)
        mail_queue(to=locked.contact_email, template="support_declined", context=context,
                   dedupe_key=f"support:declined:{locked.pk}", related=locked)
        mail_queue(to=settings.STAFF_NOTIFICATION_EMAIL, template="support_declined_staff",
                   context={**context,
                            "staff_case_url": absolute_url("support:case_detail", locked.public_id)},
                   dedupe_key=f"support:declined-staff:{locked.pk}", related=locked)
        result["declination"] = declination

    try:
        workflow.support_mark_declined(application=application, actor=actor, then=then)
    except workflow.TransitionError as exc:
        raise _state_error(application, _(
            "採択後辞退届は、支援の開始前（採択後、キックオフミーティングの前）に提出できます。")) from exc
    return result["declination"]


# -- III.6 the end ------------------------------------------------------------------------------

def _end_errors(case: SupportCase, ended_on: date | None) -> dict[str, str]:
    if ended_on is None:
        return {"ended_on": _("終了日を入力してください。")}
    if ended_on > _today():
        return {"ended_on": _("終了日に未来の日付は指定できません。")}
    if case.period_start and ended_on < case.period_start:
        return {"ended_on": _("終了日は、支援開始日（%(on)s）以降の日付にしてください。")
                % {"on": day_ja(case.period_start)}}
    if case.period_end and ended_on > case.period_end:
        return {"ended_on": _("終了日は、支援終了予定日（%(on)s）以前の日付にしてください。"
                              "期間を延ばす場合は、先に支援期間を変更してください。")
                % {"on": day_ja(case.period_end)}}
    return {}


def _outcome_survey(case: SupportCase) -> Survey:
    """REPORT-CONSENT: the outcome survey, due OUTCOME_SURVEY_DAYS after today."""
    survey = case.surveys.filter(kind=SurveyKind.OUTCOME).first()
    if survey is None:
        survey = Survey.objects.create(case=case, kind=SurveyKind.OUTCOME,
                                       due_on=_today() + timedelta(days=OUTCOME_SURVEY_DAYS))
    return survey


def _finish(locked: Application, case: SupportCase, *, actor, action: str, end_kind: str,
            ended_on: date, termination_reason: str, internal_note: str, rule_ids: list[str],
            template: str, assignment_reason: str) -> SupportCase:
    fields = ["ended_on", "end_kind", "termination_reason", "internal_note"]
    before = _snapshot(case, fields)
    expert_name = _expert_name(locked)
    case.ended_on, case.end_kind, case.termination_reason = ended_on, end_kind, termination_reason
    if internal_note:
        case.internal_note = (f"{case.internal_note}\n\n{internal_note}" if case.internal_note
                              else internal_note)
    case.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, action=action, obj=case, before=before,
                 after=_snapshot(case, fields), rule_ids=rule_ids, note=internal_note)
    _end_assignment(locked, actor=actor, reason=assignment_reason)
    survey = _outcome_survey(case)
    audit_record(actor=actor, action="survey.requested", obj=survey,
                 after={"kind": survey.kind, "due_on": survey.due_on.isoformat()},
                 rule_ids=[RULE_REPORT])
    _mail_company(locked, template, f"support:{end_kind}:{locked.pk}", case,
                  expert_name=expert_name)
    _mail_company(locked, "support_survey_request", f"survey:request:{survey.pk}", case,
                  survey_url=survey_url(survey), survey_due_on=day_ja(survey.due_on),
                  survey_kind=str(SurveyKind(survey.kind).label))
    return case


def _ending_case(application: Application, ended_on: date | None) -> SupportCase:
    if application.status != S.IN_SUPPORT:
        raise _state_error(application, _("支援の終了は、支援中の案件についてだけ記録できます。"))
    case = SupportCase.objects.filter(application=application).first()
    if case is None:
        raise _state_error(application, _("支援案件の記録がありません。"))
    errors = _end_errors(case, ended_on)
    if errors:
        raise SupportError(errors)
    return case


def support_complete(*, application: Application, actor, ended_on: date) -> SupportCase:
    """The period is over, or the goal is reached before its end (TERM-2): → completed."""
    _require_staff(actor)
    case = _ending_case(application, ended_on)
    result: dict = {}

    def then(locked: Application) -> None:
        locked_case = _locked_case(locked)
        errors = _end_errors(locked_case, ended_on)
        if errors:
            raise SupportError(errors)
        early = locked_case.period_end is not None and ended_on < locked_case.period_end
        result["case"] = _finish(
            locked, locked_case, actor=actor, action="support_case.completed",
            end_kind=EndKind.COMPLETED, ended_on=ended_on,
            termination_reason=RULE_GOAL_REACHED if early else "", internal_note="",
            rule_ids=[RULE_GOAL_REACHED] if early else [RULE_PERIOD],
            template="support_completed", assignment_reason=str(_("支援終了")))

    early = case.period_end is not None and ended_on < case.period_end
    try:
        workflow.support_mark_completed(
            application=application, actor=actor,
            rule_ids=[RULE_GOAL_REACHED] if early else [RULE_PERIOD], then=then)
    except workflow.TransitionError as exc:
        raise _state_error(application, _("支援の終了は、支援中の案件についてだけ記録できます。")) from exc
    return result["case"]


def support_terminate(*, application: Application, reason_code: str, internal_note: str,
                      actor, ended_on: date) -> SupportCase:
    """III.6 (1)–(8): the support ends early → terminated. The code and the note are kept
    for staff; the company gets a courteous notice without any reason."""
    _require_staff(actor)
    if reason_code not in TerminationReason.values:
        raise SupportError({"reason_code": _("途中終了の理由（申込要領 III.6 の(1)〜(8)）を選んでください。")})
    internal_note = (internal_note or "").strip()
    _ending_case(application, ended_on)
    result: dict = {}

    def then(locked: Application) -> None:
        locked_case = _locked_case(locked)
        errors = _end_errors(locked_case, ended_on)
        if errors:
            raise SupportError(errors)
        result["case"] = _finish(
            locked, locked_case, actor=actor, action="support_case.terminated",
            end_kind=EndKind.TERMINATED, ended_on=ended_on, termination_reason=reason_code,
            internal_note=internal_note, rule_ids=[reason_code],
            template="support_terminated", assignment_reason=str(_("支援の途中終了")))

    try:
        workflow.support_mark_terminated(application=application, actor=actor,
                                         reason_code=reason_code, note=internal_note,
                                         then=then)
    except workflow.TransitionError as exc:
        raise _state_error(application, _("支援の終了は、支援中の案件についてだけ記録できます。")) from exc
    return result["case"]
