"""Progress and outcome surveys (REPORT-CONSENT: the company agreed to answer surveys about
its progress and results during and after the support).

Staff ask for a progress survey with a due date (the company gets a mail with the link); the
lifecycle creates the outcome survey at the end. The company's owner account answers once:
a short fixed questionnaire per kind (`QUESTIONS`), stored in `Survey.answers`; after that
the survey is read-only. Late answers are accepted (the overdue list and the reminder ask
for them).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import ApplicationStatus as S
from handson.audit import audit_record
from handson.outbox import mail_queue
from support.enums import SurveyKind
from support.models import SupportCase, Survey
from support.services.activities import DuringError, locked_case, require_staff, today

RULE_REPORT = "REPORT-CONSENT"
MAX_DUE_DAYS = 365
MAX_COUNT = 100_000
MAX_YEN = 10**13  # 10兆円
MAX_TEXT = 2000


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str  # "text", "count", "yen", "scale"
    required: bool = True
    help_text: str = ""


QUESTIONS: dict[str, list[Question]] = {
    SurveyKind.PROGRESS: [
        Question("progress", gettext_lazy("進捗状況"), "text",
                 help_text=gettext_lazy("支援を受けて進んだこと、現在の取り組みの状況をご記入ください。")),
        Question("deals", gettext_lazy("成果：商談件数"), "count",
                 help_text=gettext_lazy("支援開始からの累計（件）。ない場合は0。")),
        Question("contracts", gettext_lazy("成果：成約件数"), "count",
                 help_text=gettext_lazy("支援開始からの累計（件）。ない場合は0。")),
        Question("export_yen", gettext_lazy("成果：輸出額（円）"), "yen",
                 help_text=gettext_lazy("支援開始からの累計（円）。ない場合は0。")),
        Question("issues", gettext_lazy("課題"), "text", required=False),
        Question("requests", gettext_lazy("専門家への要望"), "text", required=False),
    ],
    SurveyKind.OUTCOME: [
        Question("outcome", gettext_lazy("成果"), "text",
                 help_text=gettext_lazy("支援期間を通じて得られた成果（商談・成約・輸出額など）をご記入ください。")),
        Question("satisfaction", gettext_lazy("満足度"), "scale",
                 help_text=gettext_lazy("1（不満）〜5（満足）")),
        Question("comment", gettext_lazy("コメント"), "text", required=False),
    ],
}
SCALE = range(1, 6)


def questions_of(kind: str) -> list[Question]:
    return QUESTIONS[SurveyKind(kind)]


def _answer_error(question: Question, value) -> str:
    if question.kind == "text":
        if not isinstance(value, str):
            return _("文字で入力してください。")
        if question.required and not value.strip():
            return _("%(label)sを入力してください。") % {"label": question.label}
        if len(value) > MAX_TEXT:
            return _("%(max)s文字以内で入力してください。") % {"max": MAX_TEXT}
        return ""
    if value is None or value == "":
        return _("%(label)sを入力してください。") % {"label": question.label}
    if isinstance(value, bool) or not isinstance(value, int):
        return _("半角数字（整数）で入力してください。")
    if question.kind == "scale" and value not in SCALE:
        return _("1〜5のいずれかを選んでください。")
    top = MAX_YEN if question.kind == "yen" else MAX_COUNT
    if question.kind in ("count", "yen") and not 0 <= value <= top:
        return _("0以上%(max)s以下の数で入力してください。") % {"max": f"{top:,}"}
    return ""


def clean_answers(kind: str, answers: dict) -> dict:
    """Exactly the questionnaire's keys, validated; anything else in `answers` is dropped."""
    cleaned, errors = {}, {}
    for question in questions_of(kind):
        value = answers.get(question.key, "" if question.kind == "text" else None)
        if question.kind == "text" and value is None:
            value = ""
        error = _answer_error(question, value)
        if error:
            errors[question.key] = error
        else:
            cleaned[question.key] = value.strip() if isinstance(value, str) else value
    if errors:
        raise DuringError(errors)
    return cleaned


def survey_answer_url(survey: Survey) -> str:
    try:
        return settings.SITE_URL + reverse(
            "support:survey_answer", args=[survey.case.application.public_id, survey.pk])
    except NoReverseMatch:
        return ""


def _ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def survey_create(*, case: SupportCase, due_on: date, actor) -> Survey:
    """Staff ask the company for a progress report by `due_on` (REPORT-CONSENT)."""
    require_staff(actor)
    with transaction.atomic():
        locked = locked_case(case)
        application = locked.application
        if application.status != S.IN_SUPPORT:
            raise DuringError({"": _("支援中の案件にだけ進捗報告を依頼できます。")})
        if due_on is None:
            raise DuringError({"due_on": _("回答期限を入力してください。")})
        if due_on < today():
            raise DuringError({"due_on": _("回答期限は今日以降の日付を入力してください。")})
        if due_on > today() + timedelta(days=MAX_DUE_DAYS):
            raise DuringError({"due_on": _("回答期限は1年以内の日付を入力してください。")})
        survey = Survey.objects.create(case=locked, kind=SurveyKind.PROGRESS, due_on=due_on)
        audit_record(actor=actor, action="survey.requested", obj=survey,
                     after={"case": locked.pk, "kind": survey.kind,
                            "due_on": due_on.isoformat()},
                     rule_ids=[RULE_REPORT])
        mail_queue(to=application.contact_email, template="support_during_survey_request",
                   context={"company_name": application.company.name,
                            "contact_name": application.contact_name,
                            "survey_kind": str(SurveyKind(survey.kind).label),
                            "due_on": _ja(due_on), "answer_url": survey_answer_url(survey)},
                   dedupe_key=f"survey:request:{survey.pk}", related=application)
    return survey


def survey_answer(*, survey: Survey, answers: dict, actor) -> Survey:
    """The company's owner account answers the survey, once."""
    with transaction.atomic():
        locked = (Survey.objects.select_for_update(of=("self",))
                  .select_related("case__application").get(pk=survey.pk))
        application = locked.case.application
        if not (getattr(actor, "is_authenticated", False)
                and application.applicant_id == actor.pk):
            raise PermissionDenied("the owner applicant answers")
        if locked.answered_at is not None:
            raise DuringError({"": _("このアンケートは回答済みです（%(when)s）。回答後は変更できません。")
                                   % {"when": _ja(timezone.localdate(locked.answered_at))}})
        locked.answers = clean_answers(locked.kind, answers)
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answers", "answered_at"])
        audit_record(actor=actor, action="survey.answered", obj=locked,
                     after={"kind": locked.kind, "answers": locked.answers,
                            "late": locked.due_on < timezone.localdate()},
                     rule_ids=[RULE_REPORT])
    return locked
