"""② interviews: scheduling and its mail, phone notices, reschedule, cancel, result,
decision, and the manual move to the committee."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.services import workflow
from handson.models import AuditLog, OutboundMail
from screening.enums import Stage
from screening.models import Interview, StageDecision
from screening.services import interviews as services
from screening.services.document_screening import (
    ScreeningError,
    StageAlreadyDecided,
    assessment_save,
    document_screening_decide,
)
from tests.screening.factories_screening import (
    ExpertFactory,
    complete_application,
    scores,
    staff_user,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
DEC_3 = timezone.make_aware(datetime(2026, 12, 3, 14, 0))
DEC_10 = timezone.make_aware(datetime(2026, 12, 10, 10, 30))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def passed_application(**kwargs):
    application, lead = complete_application(**kwargs), staff_user()
    assessment_save(application=application, stage=Stage.DOCUMENT, actor=lead, scores=scores(),
                    bonuses=[], notes="社内所見", proposal="pass")
    document_screening_decide(application=application, outcome="pass", actor=lead)
    application.refresh_from_db()
    return application


def schedule(application, actor=None, **overrides):
    values = {
        "scheduled_at": DEC_3, "mode": "online", "meeting_url": "https://meet.example.jp/abc",
        "company_attendees": "代表取締役 山田 太郎\n海外事業部長 佐藤 花子",
        "jetro_staff": [staff_user()], "expert_candidate": ExpertFactory(),
    }
    values.update(overrides)
    return services.interview_schedule(application=application, actor=actor or staff_user(),
                                       **values)


def test_japanese_date_format():
    assert services.jp_datetime(DEC_3) == "2026年12月3日（木）14:00"
    utc = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)
    assert services.jp_datetime(utc) == "2026年12月3日（木）14:00"


def test_schedule_moves_to_interview_scheduled_and_queues_one_mail():
    application, actor = passed_application(), staff_user()
    member, expert = staff_user(display_name="鈴木 一郎"), ExpertFactory(name="高橋 専門家")
    interview = schedule(application, actor, jetro_staff=[member], expert_candidate=expert)
    application.refresh_from_db()
    assert application.status == S.INTERVIEW_SCHEDULED
    assert list(interview.jetro_staff.all()) == [member]
    assert interview.expert_candidate == expert
    moved = AuditLog.objects.get(action="application.interview_scheduled")
    assert (moved.actor, moved.before, moved.after) == (
        actor, {"status": "document_screening"}, {"status": "interview_scheduled"})
    audit = AuditLog.objects.get(action="interview.scheduled")
    assert audit.after["scheduled_at"] == "2026-12-03T14:00:00+09:00"
    assert audit.after["jetro_staff"] == [member.pk]
    mail = OutboundMail.objects.get()
    assert mail.to == "sato@aoba.example.jp"
    assert mail.template == "interview_scheduled"
    assert mail.subject.startswith("【ハンズオン支援】面談審査の日程のご案内")
    assert "2026年12月3日（木）14:00〜15:00" in mail.body_text
    assert "https://meet.example.jp/abc" in mail.body_text
    assert "代表取締役 山田 太郎" in mail.body_text
    assert "代表者の方と本件の事業責任者の方" in mail.body_text
    assert "odb-pt-apply@jetro.go.jp" in mail.body_text
    assert "社内所見" not in mail.body_text
    assert mail.dedupe_key.startswith(f"interview:{interview.pk}:interview_scheduled:")


def test_in_person_interview_mail_names_the_place():
    application = passed_application()
    schedule(application, mode="in_person", meeting_url="",
             place="ジェトロ本部（東京都港区赤坂1-12-32 アーク森ビル6階）")
    mail = OutboundMail.objects.get()
    assert "・形式：対面" in mail.body_text
    assert "・場所：ジェトロ本部（東京都港区赤坂1-12-32 アーク森ビル6階）" in mail.body_text
    assert "URL" not in mail.body_text.split("■ 面談審査")[1].split("面談には")[0]


def test_phone_notice_sends_no_mail_and_keeps_the_contact_log():
    application, actor = passed_application(), staff_user(display_name="田中 職員")
    interview = schedule(application, actor, notice_channel="phone",
                         contact_note="佐藤様に電話で日時とURLをお伝えしました。")
    assert OutboundMail.objects.count() == 0
    assert interview.notice_channel == "phone"
    assert interview.contact_log == "2026年11月20日 09:00 田中 職員: 佐藤様に電話で日時とURLをお伝えしました。"
    application.refresh_from_db()
    assert application.status == S.INTERVIEW_SCHEDULED


def test_phone_notice_needs_a_contact_record():
    application = passed_application()
    with pytest.raises(ScreeningError):
        schedule(application, notice_channel="phone", contact_note=" ")
    assert Interview.objects.count() == 0


def test_online_needs_a_url_and_in_person_a_place():
    application = passed_application()
    with pytest.raises(ScreeningError):
        schedule(application, meeting_url="")
    with pytest.raises(ScreeningError):
        schedule(application, mode="in_person", place="")
    assert Interview.objects.count() == 0


def test_no_interview_without_a_document_pass():
    application = complete_application(status=S.DOCUMENT_SCREENING)
    with pytest.raises(ScreeningError):
        schedule(application)
    application.refresh_from_db()
    assert application.status == S.DOCUMENT_SCREENING
    assert OutboundMail.objects.count() == 0


def test_only_one_scheduled_interview_at_a_time():
    application = passed_application()
    schedule(application)
    with pytest.raises(ScreeningError):
        schedule(application, scheduled_at=DEC_10)
    assert Interview.objects.count() == 1


def test_reschedule_sends_a_second_mail_with_the_new_date():
    application, actor = passed_application(), staff_user()
    interview = schedule(application)
    with time_machine.travel(NOW.replace(hour=10), tick=False):
        services.interview_reschedule(interview=interview, actor=actor, scheduled_at=DEC_10,
                                      mode="in_person", place="ジェトロ大阪本部",
                                      meeting_url="https://meet.example.jp/abc")
    interview.refresh_from_db()
    assert (interview.scheduled_at, interview.place, interview.meeting_url) == (
        DEC_10, "ジェトロ大阪本部", "")
    mails = list(OutboundMail.objects.order_by("created_at", "id"))
    assert [m.template for m in mails] == ["interview_scheduled", "interview_rescheduled"]
    assert mails[0].dedupe_key != mails[1].dedupe_key
    body = mails[1].body_text
    assert "2026年12月10日（木）10:30〜11:30" in body
    assert "・変更前の日時：2026年12月3日（木）14:00" in body
    assert "・場所：ジェトロ大阪本部" in body
    audit = AuditLog.objects.get(action="interview.rescheduled")
    assert audit.before == {"scheduled_at": "2026-12-03T14:00:00+09:00", "mode": "online",
                            "place": "", "meeting_url": "https://meet.example.jp/abc"}
    assert audit.after == {"scheduled_at": "2026-12-10T10:30:00+09:00", "mode": "in_person",
                           "place": "ジェトロ大阪本部", "meeting_url": ""}


def test_rescheduling_twice_sends_two_change_mails():
    application = passed_application()
    interview = schedule(application)
    with time_machine.travel(NOW.replace(hour=10), tick=False):
        services.interview_reschedule(interview=interview, actor=staff_user(),
                                      scheduled_at=DEC_10)
    with time_machine.travel(NOW.replace(hour=11), tick=False):
        services.interview_reschedule(interview=interview, actor=staff_user(),
                                      scheduled_at=DEC_3)
    assert OutboundMail.objects.filter(template="interview_rescheduled").count() == 2


def test_changing_only_the_jetro_staff_is_audited_without_a_mail():
    application = passed_application()
    interview = schedule(application)
    other = staff_user()
    services.interview_reschedule(interview=interview, actor=staff_user(), jetro_staff=[other],
                                  scheduled_at=DEC_3)
    assert OutboundMail.objects.count() == 1
    audit = AuditLog.objects.get(action="interview.updated")
    assert audit.after == {"jetro_staff": [other.pk]}


def test_cancel_sets_the_status_audits_and_mails_without_the_reason():
    application, actor = passed_application(), staff_user()
    interview = schedule(application)
    services.interview_cancel(interview=interview, actor=actor, note="専門家候補の都合（社内）")
    interview.refresh_from_db()
    assert interview.status == "cancelled"
    audit = AuditLog.objects.get(action="interview.cancelled")
    assert (audit.before, audit.after, audit.note) == (
        {"status": "scheduled"}, {"status": "cancelled", "notice_channel": "email"},
        "専門家候補の都合（社内）")
    mail = OutboundMail.objects.get(template="interview_cancelled")
    assert "・取り消しとなった日時：2026年12月3日（木）14:00" in mail.body_text
    assert "都合" not in mail.body_text
    application.refresh_from_db()
    assert application.status == S.INTERVIEW_SCHEDULED
    with pytest.raises(ScreeningError):
        services.interview_cancel(interview=interview, actor=actor)
    # a new date may now be set; the status does not move again
    schedule(application, scheduled_at=DEC_10)
    assert AuditLog.objects.filter(action="application.interview_scheduled").count() == 1
    assert OutboundMail.objects.filter(template="interview_scheduled").count() == 2


def record_result(interview, reviewer, proposal="pass", value=4):
    return services.interview_result_save(interview=interview, actor=reviewer,
                                          scores=scores(value), bonuses=["SEL-7"],
                                          notes="面談所見", proposal=proposal)


def test_result_marks_held_and_decision_pass_moves_to_matching():
    application, lead = passed_application(), staff_user()
    interview = schedule(application)
    assessment = record_result(interview, lead)
    record_result(interview, lead, value=5)  # a double submit updates
    interview.refresh_from_db()
    application.refresh_from_db()
    assert interview.status == "held"
    assert application.status == S.INTERVIEWED
    assert assessment.stage == "interview"
    assert application.assessments.filter(stage="interview").count() == 1
    assert AuditLog.objects.filter(action="interview.held").count() == 1
    services.interview_decide(application=application, outcome="pass", actor=lead)
    application.refresh_from_db()
    assert application.status == S.MATCHING
    passed = AuditLog.objects.get(action="application.interview_passed")
    assert (passed.before, passed.after) == ({"status": "interviewed"}, {"status": "matching"})
    assert StageDecision.objects.get(stage="interview").outcome == "pass"
    with pytest.raises(StageAlreadyDecided):
        record_result(interview, staff_user())


def test_interview_fail_rejects():
    application, lead = passed_application(), staff_user()
    record_result(schedule(application), lead, proposal="fail")
    services.interview_decide(application=application, outcome="fail", actor=lead,
                              note="社内：体制が不十分")
    application.refresh_from_db()
    assert application.status == S.REJECTED
    failed = AuditLog.objects.get(action="application.interview_failed")
    assert failed.after == {"status": "rejected"}
    assert failed.note == "社内：体制が不十分"
    assert not OutboundMail.objects.filter(body_text__contains="体制が不十分").exists()


def test_no_result_for_a_cancelled_interview():
    application = passed_application()
    interview = schedule(application)
    services.interview_cancel(interview=interview, actor=staff_user())
    with pytest.raises(ScreeningError):
        record_result(interview, staff_user())
    assert services.current_interview(application) is None


def test_manual_move_to_the_committee():
    application, lead = passed_application(), staff_user()
    record_result(schedule(application), lead)
    services.interview_decide(application=application, outcome="pass", actor=lead)
    with pytest.raises(ValueError):
        workflow.matching_skip_to_committee(application=application, actor=lead, note="  ")
    workflow.matching_skip_to_committee(application=application, actor=lead,
                                        note="専門家Aを提案（マッチング機能の稼働前のため手動）")
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW
    moved = AuditLog.objects.get(action="application.matching_skipped_to_committee")
    assert (moved.before, moved.after) == ({"status": "matching"},
                                           {"status": "committee_review"})
    assert moved.note.startswith("専門家Aを提案")
    with pytest.raises(workflow.TransitionError):
        workflow.matching_skip_to_committee(application=application, actor=lead, note="再度")


def test_exact_transition_sequence_in_the_audit_log():
    application, lead = passed_application(), staff_user()
    record_result(schedule(application), lead)
    services.interview_decide(application=application, outcome="pass", actor=lead)
    rows = AuditLog.objects.filter(object_type="applications.application",
                                   object_id=str(application.pk)).order_by("created_at", "id")
    assert [(r.action, r.before.get("status"), r.after.get("status")) for r in rows] == [
        ("application.document_screening_started", "received", "document_screening"),
        ("application.document_screening_passed", "document_screening", "document_screening"),
        ("application.interview_scheduled", "document_screening", "interview_scheduled"),
        ("application.interviewed", "interview_scheduled", "interviewed"),
        ("application.interview_passed", "interviewed", "matching"),
    ]
