"""Support activities (V.2): visits, online meetings, phone advice, trip accompaniment,
trade fairs and referrals to other JETRO / consortium services.

Also the helpers the other DURING-support services share (trips, reviews, surveys):

- `DuringError` (a `SupportError`: form field → Japanese message; nothing was changed),
- `support_side_expert(actor, application)`: who may act for the support side — JETRO staff
  (and admins), or the expert *currently* assigned to the application. An expert whose
  assignment ended, or who was never assigned, is refused like anyone else.

Who sees what: the company sees an activity's kind, date and summary only (the company's
reads in selectors pick those columns); JETRO staff and the company's current expert see
everything, `internal_note` included — both are the support side.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus as S
from applications.models import Application
from experts.models import Assignment, Expert
from handson.audit import audit_record
from support.enums import ActivityKind
from support.models import Activity, SupportCase
from support.services.lifecycle import SupportError

RULE_SUPPORT = "V.2"
# The kickoff is recorded by the lifecycle's start of support, not by this form.
RECORDABLE_KINDS = [k for k in ActivityKind if k != ActivityKind.KICKOFF]


class DuringError(SupportError):
    """Input or state refused by a DURING-support service; `errors`: field → message."""


def is_staff(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_jetro_staff)


def expert_of_user(user) -> Expert | None:
    """The registry entry linked to the user's account (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    from handson.enums import Role

    if not user.has_role(Role.EXPERT):
        return None
    return Expert.objects.filter(user=user).first()


def current_expert_of(application: Application) -> Expert | None:
    assignment = (Assignment.objects.filter(application=application, ended_at__isnull=True)
                  .select_related("expert").first())
    return assignment.expert if assignment is not None else None


def support_side_expert(actor, application: Application) -> Expert | None:
    """Check that the actor acts for the support side of this application.

    Returns the actor's Expert for an expert, None for staff; raises PermissionDenied for
    anyone else (including an expert not currently assigned to the application).
    """
    if is_staff(actor):
        return None
    expert = expert_of_user(actor)
    if expert is not None and Assignment.objects.filter(
            application=application, expert=expert, ended_at__isnull=True).exists():
        return expert
    raise PermissionDenied("JETRO staff or the currently assigned expert only")


def require_staff(actor) -> None:
    if not is_staff(actor):
        raise PermissionDenied("JETRO staff only")


def locked_case(case: SupportCase) -> SupportCase:
    """The case with its application, both rows locked (application first, as everywhere)."""
    Application.objects.select_for_update().get(pk=case.application_id)
    return (SupportCase.objects.select_for_update(of=("self",))
            .select_related("application__company", "application__call").get(pk=case.pk))


def require_in_support(case: SupportCase) -> None:
    if case.application.status != S.IN_SUPPORT:
        raise DuringError({"": _("支援中の案件ではないため記録できません（現在の状態：%(status)s）。")
                               % {"status": case.application.get_status_display()}})


def period_error(case: SupportCase, day: date | None) -> str:
    """'' when the day lies within the support period, else the message."""
    if day is None:
        return _("日付を入力してください。")
    if case.period_start is None or case.period_end is None:
        return _("支援期間が決まっていないため記録できません。")
    if not case.period_start <= day <= case.period_end:
        return (_("支援期間（%(start)s〜%(end)s）内の日付を入力してください。")
                % {"start": _ja(case.period_start), "end": _ja(case.period_end)})
    return ""


def _ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def today() -> date:
    return timezone.localdate()


def activity_record(*, case: SupportCase, kind: str, date: date, participants: str,
                    summary: str, internal_note: str = "", referral_service: str = "",
                    expert: Expert | None = None, actor) -> Activity:
    """Record what was done for the company (V.2), while the application is in support and
    on a day within the support period (not in the future: a record of what happened).

    The actor is JETRO staff or the currently assigned expert. An expert always records as
    themselves; staff may name the expert who took part (or none: JETRO's own activity).
    A referral names the service it referred to.
    """
    with transaction.atomic():
        locked = locked_case(case)
        actor_expert = support_side_expert(actor, locked.application)
        require_in_support(locked)
        participants = (participants or "").strip()
        summary = (summary or "").strip()
        internal_note = (internal_note or "").strip()
        referral_service = (referral_service or "").strip()
        errors: dict[str, str] = {}
        if kind not in RECORDABLE_KINDS:
            errors["kind"] = _("種類を選んでください。")
        day_error = period_error(locked, date)
        if day_error:
            errors["date"] = day_error
        elif date > today():
            errors["date"] = _("実施日は今日以前の日付を入力してください（実施した活動を記録します）。")
        if not summary:
            errors["summary"] = _("内容を入力してください。")
        if kind == ActivityKind.REFERRAL and not referral_service:
            errors["referral_service"] = _("取り次いだサービス（ジェトロ又はコンソーシアムのサービス名）を入力してください。")
        if kind != ActivityKind.REFERRAL:
            referral_service = ""
        if actor_expert is not None:
            expert = actor_expert
        elif expert is not None and not Assignment.objects.filter(
                application=locked.application, expert=expert).exists():
            errors["expert"] = _("この企業を担当した専門家を選んでください。")
        if errors:
            raise DuringError(errors)
        activity = Activity.objects.create(
            case=locked, expert=expert, kind=kind, date=date, participants=participants,
            summary=summary, internal_note=internal_note, referral_service=referral_service,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit_record(actor=actor, action="activity.recorded", obj=activity,
                     after={"case": locked.pk, "kind": kind, "date": date.isoformat(),
                            "participants": participants, "summary": summary,
                            "internal_note": internal_note,
                            "referral_service": referral_service,
                            "expert": expert.pk if expert is not None else None},
                     rule_ids=[RULE_SUPPORT])
    return activity
