"""② 面談審査 (interview): schedule, reschedule, cancel, result and decision.

The company is told the date by e-mail (outbox, `emails/interview_*.txt`) or by phone; a
phone call is recorded in the interview's contact log instead of a mail. Mails carry the
date, the place or meeting URL and who should attend — never notes, scores or reasons.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import formats, timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from handson.audit import audit_record
from handson.outbox import mail_queue
from screening.enums import InterviewMode, InterviewStatus, NoticeChannel, Proposal, Stage
from screening.models import Assessment, Interview, StageDecision
from screening.services.document_screening import (
    ScreeningError,
    _decide,
    assessment_save,
)

WEEKDAYS = "月火水木金土日"
SCHEDULABLE = {S.DOCUMENT_SCREENING, S.INTERVIEW_SCHEDULED}
# What the company sees: a change of one of these is a reschedule and is mailed again.
APPLICANT_FIELDS = ("scheduled_at", "duration_minutes", "mode", "place", "meeting_url",
                    "company_attendees")


def jp_datetime(value) -> str:
    """2026-12-03 14:00 (any zone) → 「2026年12月3日（木）14:00」 in Japan time."""
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日（{WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def _stamp(value) -> int:
    return int(value.timestamp() * 1_000_000)


def _snapshot(interview: Interview) -> dict:
    return {
        "scheduled_at": timezone.localtime(interview.scheduled_at).isoformat(),
        "duration_minutes": interview.duration_minutes,
        "mode": interview.mode,
        "place": interview.place,
        "meeting_url": interview.meeting_url,
        "company_attendees": interview.company_attendees,
        "jetro_staff": sorted(interview.jetro_staff.values_list("pk", flat=True)),
        "expert_candidate": interview.expert_candidate_id,
        "status": interview.status,
        "notice_channel": interview.notice_channel,
    }


def _check_place(mode: str, place: str, meeting_url: str) -> None:
    if mode == InterviewMode.IN_PERSON and not place.strip():
        raise ScreeningError("対面の面談には場所を入力してください。")
    if mode == InterviewMode.ONLINE and not meeting_url.strip():
        raise ScreeningError("オンラインの面談には会議のURLを入力してください。")


def _log_contact(interview: Interview, *, actor, channel: str, contact_note: str) -> None:
    """Phone notices are recorded (who, when, what) instead of a mail."""
    if channel != NoticeChannel.PHONE:
        return
    contact_note = contact_note.strip()
    if not contact_note:
        raise ScreeningError("電話で連絡した場合は、連絡記録（相手・日時・内容）を入力してください。")
    when = formats.date_format(timezone.localtime(), "Y年n月j日 H:i")
    line = f"{when} {actor}: {contact_note}"
    interview.contact_log = f"{interview.contact_log}\n{line}".strip()


def _mail_context(interview: Interview, **extra) -> dict:
    application = interview.application
    end = interview.scheduled_at + timedelta(minutes=interview.duration_minutes)
    return {
        **workflow._notice_context(application),
        "interview_at": jp_datetime(interview.scheduled_at),
        "interview_end": f"{timezone.localtime(end):%H:%M}",
        "duration_minutes": interview.duration_minutes,
        "mode": interview.mode,
        "mode_label": str(InterviewMode(interview.mode).label),
        "place": interview.place,
        "meeting_url": interview.meeting_url,
        "company_attendees": interview.company_attendees,
        **extra,
    }


def _mail(interview: Interview, template: str, **extra) -> None:
    application = interview.application
    mail_queue(to=application.contact_email, template=template,
               context=_mail_context(interview, **extra),
               dedupe_key=f"interview:{interview.pk}:{template}:{_stamp(interview.updated_at)}",
               related=application)


def interview_schedule(*, application: Application, actor, scheduled_at, mode: str,
                       company_attendees: str, duration_minutes: int = 60, place: str = "",
                       meeting_url: str = "", jetro_staff=(), expert_candidate=None,
                       notice_channel: str = NoticeChannel.EMAIL,
                       contact_note: str = "") -> Interview:
    """Set the interview after a ① pass; the first one moves the application to
    `interview_scheduled`. One scheduled interview at a time (reschedule or cancel it)."""
    _check_place(mode, place, meeting_url)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        passed = StageDecision.objects.filter(application=locked, stage=Stage.DOCUMENT,
                                              outcome=Proposal.PASS).exists()
        if not passed or locked.status not in SCHEDULABLE:
            raise ScreeningError("書類審査を通過し、面談審査の前にある申込にだけ面談を設定できます。")
        if locked.interviews.filter(status=InterviewStatus.SCHEDULED).exists():
            raise ScreeningError("予定中の面談があります。日程の変更または取り消しをしてください。")
        interview = Interview(
            application=locked, scheduled_at=scheduled_at, duration_minutes=duration_minutes,
            mode=mode, place=place.strip() if mode == InterviewMode.IN_PERSON else "",
            meeting_url=meeting_url.strip() if mode == InterviewMode.ONLINE else "",
            company_attendees=company_attendees.strip(), expert_candidate=expert_candidate,
            notice_channel=notice_channel, created_by=actor,
        )
        _log_contact(interview, actor=actor, channel=notice_channel, contact_note=contact_note)
        interview.save()
        interview.jetro_staff.set(jetro_staff)
        if locked.status == S.DOCUMENT_SCREENING:
            locked = workflow.interview_mark_scheduled(application=locked, actor=actor)
        interview.application = locked
        audit_record(actor=actor, action="interview.scheduled", obj=interview,
                     before={}, after=_snapshot(interview))
        if notice_channel == NoticeChannel.EMAIL:
            _mail(interview, "interview_scheduled")
    return interview


def interview_reschedule(*, interview: Interview, actor, notice_channel: str = NoticeChannel.EMAIL,
                         contact_note: str = "", jetro_staff=None, **changes) -> Interview:
    """Change a scheduled interview. A change the company sees (date, time, place, URL,
    attendees) is a reschedule: audited with before/after and told again (mail or phone)."""
    unknown = set(changes) - {*APPLICANT_FIELDS, "expert_candidate"}
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=interview.application_id)
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.status != InterviewStatus.SCHEDULED:
            raise ScreeningError("予定中の面談だけ変更できます。")
        before, previous_at = _snapshot(locked), locked.scheduled_at
        for name, value in changes.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if locked.mode == InterviewMode.IN_PERSON:
            locked.meeting_url = ""
        else:
            locked.place = ""
        _check_place(locked.mode, locked.place, locked.meeting_url)
        pending = _snapshot(locked)
        rescheduled = any(pending[name] != before[name] for name in APPLICANT_FIELDS)
        if rescheduled:
            locked.notice_channel = notice_channel
            _log_contact(locked, actor=actor, channel=notice_channel, contact_note=contact_note)
        locked.save()
        if jetro_staff is not None:
            locked.jetro_staff.set(jetro_staff)
        after = _snapshot(locked)
        if after == before:
            return locked
        action = "interview.rescheduled" if rescheduled else "interview.updated"
        changed = [k for k in after if after[k] != before[k]]
        audit_record(actor=actor, action=action, obj=locked,
                     before={k: before[k] for k in changed},
                     after={k: after[k] for k in changed})
        if rescheduled and notice_channel == NoticeChannel.EMAIL:
            _mail(locked, "interview_rescheduled",
                  previous_at=jp_datetime(previous_at))
    return locked


def interview_cancel(*, interview: Interview, actor, note: str = "",
                     notice_channel: str = NoticeChannel.EMAIL,
                     contact_note: str = "") -> Interview:
    """Cancel a scheduled interview (a new one may then be scheduled). The internal note is
    audited only; the company's mail says no more than that the date is cancelled."""
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=interview.application_id)
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.status != InterviewStatus.SCHEDULED:
            raise ScreeningError("予定中の面談だけ取り消せます。")
        locked.status = InterviewStatus.CANCELLED
        locked.notice_channel = notice_channel
        _log_contact(locked, actor=actor, channel=notice_channel, contact_note=contact_note)
        locked.save(update_fields=["status", "notice_channel", "contact_log", "updated_at"])
        audit_record(actor=actor, action="interview.cancelled", obj=locked,
                     before={"status": InterviewStatus.SCHEDULED.value},
                     after={"status": locked.status, "notice_channel": notice_channel},
                     note=note.strip())
        if notice_channel == NoticeChannel.EMAIL:
            _mail(locked, "interview_cancelled")
    return locked


def current_interview(application: Application) -> Interview | None:
    """The interview to record a result for: the latest one not cancelled."""
    return (application.interviews.exclude(status=InterviewStatus.CANCELLED)
            .order_by("-scheduled_at", "-pk").first())


def interview_result_save(*, interview: Interview, actor, scores: dict, bonuses, notes: str,
                          proposal: str) -> Assessment:
    """After the interview: the first result marks it held (interview_scheduled →
    interviewed); each staff member then has one interview-stage assessment."""
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=interview.application_id)
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.status == InterviewStatus.CANCELLED:
            raise ScreeningError("取り消された面談には結果を入力できません。")
        if locked.status == InterviewStatus.SCHEDULED:
            locked.status = InterviewStatus.HELD
            locked.save(update_fields=["status", "updated_at"])
            audit_record(actor=actor, action="interview.held", obj=locked,
                         before={"status": InterviewStatus.SCHEDULED.value},
                         after={"status": locked.status})
            workflow.interview_mark_held(application=locked.application, actor=actor)
        return assessment_save(application=locked.application, stage=Stage.INTERVIEW,
                               actor=actor, scores=scores, bonuses=bonuses, notes=notes,
                               proposal=proposal)


def interview_decide(*, application: Application, outcome: str, actor,
                     note: str = "") -> StageDecision:
    """Record the ② decision: pass → matching, fail → rejected."""
    return _decide(application=application, stage=Stage.INTERVIEW, outcome=outcome,
                   actor=actor, note=note, decide=workflow.interview_decide)
