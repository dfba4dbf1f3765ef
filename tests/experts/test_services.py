"""Services: confirm, no expert, replacement, end; the registry and conflicts; audit rows."""

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.services import workflow
from experts import services
from experts.models import Assignment, Expert
from handson.enums import Role
from handson.models import AuditLog, OutboundMail
from screening.models import Notice, NoticeKind, NoticeStatus
from screening.services.notices import notice_draft, notice_send
from tests.experts.factories import (
    AssignmentFactory,
    ConflictFactory,
    ExpertFactory,
    expert_user,
    matching_application,
)
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
REASONS = ["第1希望の対象国（米国）に対応", "担当数 0/5 件で余裕あり"]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


def audits(application, action):
    return list(AuditLog.objects.filter(object_type="applications.application",
                                        object_id=str(application.pk), action=action))


# -- ③ confirm ------------------------------------------------------------------------------

def test_confirm_creates_the_assignment_moves_to_committee_and_audits(staff):
    application, expert = matching_application(), ExpertFactory(name="高橋 誠")
    assignment = services.assignment_confirm(application=application, expert=expert,
                                             actor=staff, score=50, reasons=REASONS)
    assert (assignment.application_id, assignment.expert_id, assignment.assigned_by_id,
            assignment.match_score, assignment.match_reasons, assignment.ended_at) == (
        application.pk, expert.pk, staff.pk, 50, REASONS, None)
    assert assignment.assigned_at == NOW
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW
    [assigned] = audits(application, "expert.assigned")
    assert (assigned.actor_id, assigned.rule_ids, assigned.after) == (
        staff.pk, ["V.1(2)③"],
        {"expert": expert.pk, "expert_name": "高橋 誠", "assignment": assignment.pk,
         "score": 50, "reasons": REASONS})
    [moved] = audits(application, "application.matching_completed")
    assert (moved.before, moved.after, moved.rule_ids) == (
        {"status": "matching"}, {"status": "committee_review"}, ["V.1(2)③"])


@pytest.mark.parametrize(("setup", "message"), [
    ("not_matching", "専門家マッチング中の申込だけに専門家を確定できます。"),
    ("already", "この申込にはすでに担当の専門家がいます。"),
    ("conflict", "山田 一さんには、この企業との利益相反の申告があるため担当にできません。"),
    ("inactive", "山田 一さんは稼働していないため担当にできません。"),
    ("full", "山田 一さんの担当数が上限に達しています（2/2件）。"),
])
def test_confirm_refuses_with_a_clear_message_and_changes_nothing(staff, setup, message):
    application = matching_application()
    expert = ExpertFactory(name="山田 一", capacity=2, is_active=setup != "inactive")
    if setup == "not_matching":
        application = matching_application(status=S.INTERVIEWED)
    if setup == "already":
        Assignment.objects.create(application=application, expert=ExpertFactory())
    if setup == "conflict":
        ConflictFactory(expert=expert, company=application.company)
    if setup == "full":
        AssignmentFactory.create_batch(2, expert=expert)
    before = Assignment.objects.count()
    with pytest.raises(services.AssignmentError) as caught:
        services.assignment_confirm(application=application, expert=expert, actor=staff,
                                    score=10, reasons=[])
    assert caught.value.message == message
    assert Assignment.objects.count() == before
    status = application.status
    application.refresh_from_db()
    assert application.status == status
    assert audits(application, "expert.assigned") == []


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COMMITTEE, Role.EXPERT])
def test_only_staff_confirm(role):
    application = matching_application()
    with pytest.raises(PermissionDenied):
        services.assignment_confirm(application=application, expert=ExpertFactory(),
                                    actor=UserFactory(role=role), score=1, reasons=[])
    assert not Assignment.objects.exists()


def test_the_database_refuses_two_current_assignments():
    application = ApplicationFactory(status=S.COMMITTEE_REVIEW)
    Assignment.objects.create(application=application, expert=ExpertFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(application=application, expert=ExpertFactory())
    # ended ones do not count
    Assignment.objects.create(application=application, expert=ExpertFactory(), ended_at=NOW)
    assert Assignment.objects.filter(application=application).count() == 2


# -- ③ → ⑥ no suitable expert ------------------------------------------------------------------

NOTE = "米国の医療機器規制に対応できる専門家が今年度は不在（社内メモ）"


def test_no_expert_rejects_audits_the_note_and_drafts_a_courteous_notice(staff):
    application = matching_application()
    workflow.matching_no_expert(
        application=application, actor=staff, note=f"  {NOTE}  ",
        notify=lambda app: notice_draft(application=app, kind=NoticeKind.NO_MATCH, actor=staff))
    application.refresh_from_db()
    assert application.status == S.REJECTED
    [audit] = audits(application, "application.matching_no_expert")
    assert (audit.before, audit.after, audit.rule_ids, audit.note, audit.actor_id) == (
        {"status": "matching"}, {"status": "rejected"}, ["V.1(2)⑥"], NOTE, staff.pk)
    notice = Notice.objects.get(application=application)
    assert (notice.kind, notice.status) == (NoticeKind.NO_MATCH, NoticeStatus.DRAFT)
    assert NOTE not in notice.body and NOTE not in notice.subject
    assert "その他" in notice.body or "支援サービス" in notice.body
    # sent later from the notice batch: the mail carries no note either
    notice_send(notice=notice, actor=staff)
    mails = list(OutboundMail.objects.all())
    assert [m.to for m in mails] == [application.contact_email]
    for mail in mails:
        assert "米国の医療機器規制" not in mail.subject + mail.body_text + mail.body_html
        assert "米国の医療機器規制" not in str(mail.context)


def test_no_expert_without_a_notify_queues_only_the_plain_status_notice(staff):
    application = matching_application()
    workflow.matching_no_expert(application=application, actor=staff, note=NOTE)
    for mail in OutboundMail.objects.all():
        assert "米国の医療機器規制" not in mail.subject + mail.body_text + str(mail.context)


def test_no_expert_needs_a_note_and_the_matching_state(staff):
    application = matching_application()
    with pytest.raises(ValueError):
        workflow.matching_no_expert(application=application, actor=staff, note="  ")
    interviewed = matching_application(status=S.INTERVIEWED)
    with pytest.raises(workflow.TransitionError):
        workflow.matching_no_expert(application=interviewed, actor=staff, note=NOTE)
    application.refresh_from_db()
    interviewed.refresh_from_db()
    assert (application.status, interviewed.status) == (S.MATCHING, S.INTERVIEWED)


def test_matching_complete_only_from_matching(staff):
    application = ApplicationFactory(status=S.INTERVIEWED)
    with pytest.raises(workflow.TransitionError):
        workflow.matching_complete(application=application, actor=staff)


# -- V.2 replacement and the end ---------------------------------------------------------------

@pytest.fixture
def supported():
    application = ApplicationFactory(status=S.IN_SUPPORT)
    old = ExpertFactory(name="前任 太郎")
    Assignment.objects.create(application=application, expert=old, match_score=60)
    return application, old


def test_replace_keeps_the_history_and_audits_before_and_after(staff, supported):
    application, old = supported
    new = ExpertFactory(name="後任 花子")
    assignment = services.assignment_replace(application=application, new_expert=new,
                                             reason="レビューの結果、製造拠点の知見が必要",
                                             actor=staff, score=45, reasons=["x"])
    rows = list(Assignment.objects.filter(application=application).order_by("pk"))
    assert [(r.expert_id, r.ended_at, r.end_reason) for r in rows] == [
        (old.pk, NOW, "レビューの結果、製造拠点の知見が必要"), (new.pk, None, "")]
    assert rows[1] == assignment
    assert (assignment.match_score, assignment.match_reasons, assignment.assigned_by_id) == (
        45, ["x"], staff.pk)
    [audit] = audits(application, "expert.replaced")
    assert audit.before == {"expert": old.pk, "expert_name": "前任 太郎",
                            "assignment": rows[0].pk}
    assert audit.after == {"expert": new.pk, "expert_name": "後任 花子",
                           "assignment": assignment.pk}
    assert (audit.note, audit.rule_ids) == ("レビューの結果、製造拠点の知見が必要", ["V.2"])
    application.refresh_from_db()
    assert application.status == S.IN_SUPPORT


@pytest.mark.parametrize(("case", "message"), [
    ("same", "現在の担当と同じ専門家です。別の専門家を選んでください。"),
    ("conflict", "新任 次郎さんには、この企業との利益相反の申告があるため担当にできません。"),
    ("full", "新任 次郎さんの担当数が上限に達しています（1/1件）。"),
    ("inactive", "新任 次郎さんは稼働していないため担当にできません。"),
    ("no_reason", "交替の理由を入力してください。"),
    ("no_current", "この申込には現在担当の専門家がいません。"),
    ("matching", "この申込の状態（専門家マッチング中）では専門家を交替できません。"),
])
def test_replace_refuses(staff, supported, case, message):
    application, old = supported
    new = ExpertFactory(name="新任 次郎", capacity=1, is_active=case != "inactive")
    if case == "same":
        new = old
    if case == "conflict":
        ConflictFactory(expert=new, company=application.company)
    if case == "full":
        AssignmentFactory(expert=new)
    if case == "no_current":
        Assignment.objects.filter(application=application).update(ended_at=NOW)
    if case == "matching":
        application = matching_application()
        Assignment.objects.create(application=application, expert=old)
    before = list(Assignment.objects.values_list("pk", "ended_at").order_by("pk"))
    with pytest.raises(services.AssignmentError) as caught:
        services.assignment_replace(application=application, new_expert=new, actor=staff,
                                    reason="" if case == "no_reason" else "交替")
    assert caught.value.message == message
    assert list(Assignment.objects.values_list("pk", "ended_at").order_by("pk")) == before
    assert audits(application, "expert.replaced") == []


def test_end_closes_the_current_assignment_once(staff, supported):
    application, old = supported
    ended = services.assignment_end(application=application, actor=staff, reason="支援期間の終了")
    assert (ended.expert_id, ended.ended_at, ended.end_reason) == (old.pk, NOW, "支援期間の終了")
    [audit] = audits(application, "expert.assignment_ended")
    assert audit.note == "支援期間の終了"
    assert services.assignment_end(application=application, actor=staff, reason="再度") is None
    assert len(audits(application, "expert.assignment_ended")) == 1


# -- the registry and conflicts -----------------------------------------------------------------

def registry_data(**overrides):
    data = {"user": None, "name": "新規 専門家", "name_kana": "シンキ　センモンカ",
            "email": "new@example.jp", "phone": "", "regions": ["asean"], "countries": ["VN"],
            "industries": [], "fields": ["ecommerce"], "languages": ["en"], "capacity": 3,
            "profile": "", "is_active": True}
    return {**data, **overrides}


def test_create_and_update_are_audited_with_the_changes_only(staff):
    expert = services.expert_create(actor=staff, data=registry_data())
    [created] = AuditLog.objects.filter(action="expert.created")
    assert created.after["countries"] == ["VN"] and created.after["user"] is None
    services.expert_update(expert=expert, actor=staff,
                           data=registry_data(capacity=4, countries=["VN", "TH"]))
    [updated] = AuditLog.objects.filter(action="expert.updated")
    assert (updated.before, updated.after) == (
        {"countries": ["VN"], "capacity": 3}, {"countries": ["VN", "TH"], "capacity": 4})
    services.expert_update(expert=expert, actor=staff,
                           data=registry_data(capacity=4, countries=["VN", "TH"]))
    assert AuditLog.objects.filter(action="expert.updated").count() == 1  # nothing changed
    services.expert_deactivate(expert=expert, actor=staff)
    expert.refresh_from_db()
    assert expert.is_active is False
    [deactivated] = AuditLog.objects.filter(action="expert.deactivated")
    assert (deactivated.before, deactivated.after) == ({"is_active": True}, {"is_active": False})


def test_registry_writes_are_staff_only():
    expert = ExpertFactory()
    for user in (UserFactory(role=Role.COMMITTEE), expert_user()):
        with pytest.raises(PermissionDenied):
            services.expert_create(actor=user, data=registry_data())
        with pytest.raises(PermissionDenied):
            services.expert_update(expert=expert, actor=user, data={"capacity": 9})
        with pytest.raises(PermissionDenied):
            services.expert_deactivate(expert=expert, actor=user)
    assert Expert.objects.count() == 1


def test_profile_update_is_own_only_and_limited_to_profile_fields():
    user = expert_user()
    expert = ExpertFactory(user=user, capacity=5)
    services.expert_profile_update(expert=expert, actor=user,
                                   data={"phone": "03-1234-5678", "countries": ["US", "CA"]})
    expert.refresh_from_db()
    assert (expert.phone, expert.countries) == ("03-1234-5678", ["US", "CA"])
    [audit] = AuditLog.objects.filter(action="expert.profile_updated")
    assert audit.actor_id == user.pk
    with pytest.raises(ValueError):
        services.expert_profile_update(expert=expert, actor=user, data={"capacity": 30})
    with pytest.raises(PermissionDenied):
        services.expert_profile_update(expert=ExpertFactory(user=expert_user()), actor=user,
                                       data={"phone": "x"})
    expert.refresh_from_db()
    assert expert.capacity == 5


def test_conflicts_add_once_and_remove(staff):
    expert, company = ExpertFactory(), ApplicationFactory().company
    conflict = services.conflict_add(expert=expert, company=company, note=" 元顧問 ", actor=staff)
    assert conflict.note == "元顧問"
    with pytest.raises(services.ExpertError) as caught:
        services.conflict_add(expert=expert, company=company, note="", actor=staff)
    assert caught.value.message == f"{company.name}との利益相反はすでに登録されています。"
    services.conflict_remove(conflict=conflict, actor=staff)
    assert not expert.conflicts.exists()
    assert list(AuditLog.objects.filter(object_type="experts.expert")
                .order_by("pk").values_list("action", flat=True)) == [
        "expert.conflict_added", "expert.conflict_removed"]
