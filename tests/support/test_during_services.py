"""Activities (only in support, within the period), reviews (change_expert replaces the expert,
history kept), surveys (answered once), review_next_due."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from applications.enums import ApplicationStatus as S
from experts.models import Assignment
from handson.models import AuditLog, OutboundMail
from support.enums import ActivityKind, ReviewDecision, SurveyKind
from support.models import Activity, Review, Survey
from support.selectors import company_trips, review_next_due
from support.selectors_lifecycle import company_activities
from support.services.activities import DuringError, activity_record
from support.services.reviews import review_record
from support.services.surveys import survey_answer, survey_create
from tests.factories import UserFactory
from tests.support.factories_during import (
    SECRET,
    TODAY,
    DuringExpertFactory,
    in_support_case,
    staff_user,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def setup():
    return in_support_case()


@pytest.fixture
def staff():
    return staff_user()


def _visit(setup, actor, **overrides):
    values = {"case": setup.case, "kind": ActivityKind.VISIT, "date": date(2026, 6, 20),
              "participants": "代表取締役 山田様／専門家", "summary": "米国向け価格表の見直しを助言",
              "internal_note": SECRET, "referral_service": "", "expert": None, "actor": actor}
    return activity_record(**{**values, **overrides})


# -- activities ---------------------------------------------------------------------------

def test_the_current_expert_records_a_visit_as_themselves(setup):
    other = DuringExpertFactory()
    activity = _visit(setup, setup.expert.user, expert=other)  # cannot pose as another
    assert (activity.kind, activity.date, activity.expert, activity.recorded_by) == (
        ActivityKind.VISIT, date(2026, 6, 20), setup.expert, setup.expert.user)
    log = AuditLog.objects.get(action="activity.recorded")
    assert (log.actor, log.object_id, log.rule_ids) == (setup.expert.user, str(activity.pk),
                                                        ["V.2"])


def test_staff_record_jetros_own_activity_without_an_expert(setup, staff):
    activity = _visit(setup, staff, kind=ActivityKind.PHONE)
    assert activity.expert is None
    with pytest.raises(DuringError) as refused:
        _visit(setup, staff, expert=DuringExpertFactory())
    assert refused.value.errors == {"expert": "この企業を担当した専門家を選んでください。"}


def test_activities_only_in_support(staff):
    for status in (S.CONSENT_RECEIVED, S.COMPLETED, S.TERMINATED):
        setup = in_support_case(status=status)
        with pytest.raises(DuringError) as refused:
            _visit(setup, staff)
        assert list(refused.value.errors) == [""]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("day", "message"), [
    (date(2026, 5, 9), "支援期間（2026年5月10日〜2027年2月28日）内の日付を入力してください。"),
    (date(2027, 3, 1), "支援期間（2026年5月10日〜2027年2月28日）内の日付を入力してください。"),
    (date(2026, 7, 2), "実施日は今日以前の日付を入力してください（実施した活動を記録します）。"),
])
def test_the_date_lies_within_the_period_and_not_ahead(setup, staff, day, message):
    with pytest.raises(DuringError) as refused:
        _visit(setup, staff, date=day)
    assert refused.value.errors == {"date": message}


def test_the_period_bounds_themselves_are_accepted(staff):
    setup = in_support_case(period_start=date(2026, 6, 1), period_end=date(2026, 7, 1))
    assert _visit(setup, staff, date=date(2026, 6, 1)).date == date(2026, 6, 1)
    assert _visit(setup, staff, date=date(2026, 7, 1)).date == date(2026, 7, 1)


def test_a_referral_names_the_service_and_others_drop_it(setup, staff):
    with pytest.raises(DuringError) as refused:
        _visit(setup, staff, kind=ActivityKind.REFERRAL, referral_service=" ")
    assert list(refused.value.errors) == ["referral_service"]
    referral = _visit(setup, staff, kind=ActivityKind.REFERRAL,
                      referral_service="ジェトロ 輸出相談（専門家による個別相談）")
    assert referral.referral_service == "ジェトロ 輸出相談（専門家による個別相談）"
    visit = _visit(setup, staff, referral_service="紛れ込んだ値")
    assert visit.referral_service == ""


def test_kickoff_is_not_recorded_here_and_summary_is_required(setup, staff):
    with pytest.raises(DuringError) as refused:
        _visit(setup, staff, kind=ActivityKind.KICKOFF, summary="  ")
    assert set(refused.value.errors) == {"kind", "summary"}


def test_who_may_record(setup):
    for outsider in (setup.owner, UserFactory(), DuringExpertFactory().user,
                     UserFactory(role="committee")):
        with pytest.raises(PermissionDenied):
            _visit(setup, outsider)


def test_the_companys_view_never_has_the_internal_note(setup, staff):
    _visit(setup, staff)
    rows = company_activities(setup.application)
    assert [(r.kind_label, r.date, r.summary) for r in rows] == [
        ("企業訪問", date(2026, 6, 20), "米国向け価格表の見直しを助言")]
    assert SECRET not in repr(rows)


# -- reviews ------------------------------------------------------------------------------

def test_review_next_due(setup, staff):
    assert review_next_due(setup.case) == date(2026, 5, 10) + timedelta(days=60)
    review_record(case=setup.case, held_on=date(2026, 6, 30), findings="順調", actor=staff,
                  decision=ReviewDecision.CONTINUE)
    assert review_next_due(setup.case) == date(2026, 8, 29)
    setup.case.review_interval_days = 30
    assert review_next_due(setup.case) == date(2026, 7, 30)
    assert review_next_due(in_support_case(period_start=None, period_end=None).case) is None


def test_review_change_expert_replaces_the_expert_and_keeps_the_history(setup, staff):
    new = DuringExpertFactory()
    review = review_record(case=setup.case, held_on=date(2026, 6, 30),
                           findings="現地の商習慣に詳しい専門家に交替する", actor=staff,
                           decision=ReviewDecision.CHANGE_EXPERT, new_expert=new)
    assert review.decision == ReviewDecision.CHANGE_EXPERT
    rows = list(Assignment.objects.filter(application=setup.application)
                .order_by("pk").values_list("expert_id", "ended_at", "end_reason"))
    assert len(rows) == 2
    assert rows[0][0] == setup.expert.pk and rows[0][1] is not None
    assert rows[0][2] == "現地の商習慣に詳しい専門家に交替する"
    assert rows[1][:2] == (new.pk, None)
    assert AuditLog.objects.get(action="review.recorded").after["new_expert"] == new.pk
    assert AuditLog.objects.filter(action="expert.replaced").count() == 1
    # the old expert is no longer on the support side
    with pytest.raises(PermissionDenied):
        _visit(setup, setup.expert.user)
    assert _visit(setup, new.user).expert == new


def test_a_refused_replacement_records_no_review(setup, staff):
    with pytest.raises(DuringError) as refused:
        review_record(case=setup.case, held_on=date(2026, 6, 30), findings="交替",
                      decision=ReviewDecision.CHANGE_EXPERT, new_expert=setup.expert,
                      actor=staff)
    assert refused.value.errors == {
        "new_expert": "現在の担当と同じ専門家です。別の専門家を選んでください。"}
    assert not Review.objects.exists()
    with pytest.raises(DuringError) as missing:
        review_record(case=setup.case, held_on=date(2026, 6, 30), findings="交替",
                      decision=ReviewDecision.CHANGE_EXPERT, actor=staff)
    assert missing.value.errors == {"new_expert": "交替後の専門家を選んでください。"}


def test_review_end_only_records(setup, staff):
    review_record(case=setup.case, held_on=date(2026, 6, 30), findings="目標達成",
                  decision=ReviewDecision.END, actor=staff)
    setup.application.refresh_from_db()
    assert setup.application.status == S.IN_SUPPORT
    assert Assignment.objects.get(application=setup.application).ended_at is None


def test_reviews_are_staffs_and_dated_sensibly(setup, staff):
    with pytest.raises(PermissionDenied):
        review_record(case=setup.case, held_on=date(2026, 6, 30), findings="x",
                      decision=ReviewDecision.CONTINUE, actor=setup.expert.user)
    with pytest.raises(DuringError) as refused:
        review_record(case=setup.case, held_on=date(2026, 7, 2), findings="",
                      decision="maybe", actor=staff)
    assert refused.value.errors == {"held_on": "実施日は今日以前の日付を入力してください。",
                                    "findings": "所見を入力してください。",
                                    "decision": "結論を選んでください。"}


# -- surveys ------------------------------------------------------------------------------

PROGRESS = {"progress": "米国の代理店2社と商談中", "deals": 3, "contracts": 1,
            "export_yen": 1_200_000, "issues": "", "requests": "価格交渉の同席"}


def test_staff_ask_for_a_progress_report_and_the_company_gets_the_link(setup, staff):
    survey = survey_create(case=setup.case, due_on=date(2026, 7, 31), actor=staff)
    assert (survey.kind, survey.due_on, survey.answers, survey.answered_at) == (
        SurveyKind.PROGRESS, date(2026, 7, 31), {}, None)
    mail = OutboundMail.objects.get(dedupe_key=f"survey:request:{survey.pk}")
    assert mail.to == setup.application.contact_email
    assert (f"/my/applications/{setup.application.public_id}/surveys/{survey.pk}/"
            in mail.body_text)
    with pytest.raises(DuringError) as past:
        survey_create(case=setup.case, due_on=date(2026, 6, 30), actor=staff)
    assert past.value.errors == {"due_on": "回答期限は今日以降の日付を入力してください。"}


def test_the_owner_answers_once(setup, staff):
    survey = survey_create(case=setup.case, due_on=date(2026, 7, 31), actor=staff)
    with pytest.raises(PermissionDenied):
        survey_answer(survey=survey, answers=PROGRESS, actor=UserFactory())
    with pytest.raises(PermissionDenied):
        survey_answer(survey=survey, answers=PROGRESS, actor=staff)

    answered = survey_answer(survey=survey, answers={**PROGRESS, "status": "x"},
                             actor=setup.owner)
    assert answered.answers == PROGRESS  # only the questionnaire's keys
    assert answered.answered_at is not None

    with pytest.raises(DuringError) as twice:
        survey_answer(survey=survey, answers={**PROGRESS, "deals": 9}, actor=setup.owner)
    assert twice.value.errors == {"": "このアンケートは回答済みです（2026年7月1日）。回答後は変更できません。"}
    survey.refresh_from_db()
    assert survey.answers["deals"] == 3


def test_answers_are_validated(setup, staff):
    survey = survey_create(case=setup.case, due_on=date(2026, 7, 31), actor=staff)
    with pytest.raises(DuringError) as refused:
        survey_answer(survey=survey, answers={"progress": " ", "deals": -1, "contracts": "1",
                                              "export_yen": None}, actor=setup.owner)
    assert refused.value.errors == {"progress": "進捗状況を入力してください。",
                                    "deals": "0以上100,000以下の数で入力してください。",
                                    "contracts": "半角数字（整数）で入力してください。",
                                    "export_yen": "成果：輸出額（円）を入力してください。"}
    outcome = Survey.objects.create(case=setup.case, kind=SurveyKind.OUTCOME,
                                    due_on=date(2026, 8, 1))
    with pytest.raises(DuringError) as scale:
        survey_answer(survey=outcome, answers={"outcome": "成約1件", "satisfaction": 6},
                      actor=setup.owner)
    assert scale.value.errors == {"satisfaction": "1〜5のいずれかを選んでください。"}
    done = survey_answer(survey=outcome, answers={"outcome": "成約1件", "satisfaction": 5},
                         actor=setup.owner)
    assert done.answers == {"outcome": "成約1件", "satisfaction": 5, "comment": ""}


def test_company_trips_show_only_the_companys_columns(setup, staff):
    from support.services.trips import trip_plan, trip_propose

    first = trip_propose(case=setup.case, destination="LA", start_on=date(2026, 8, 3),
                         end_on=date(2026, 8, 8), actor=staff)
    trip_plan(trip=first, actor=staff)
    trip_propose(case=setup.case, destination="NY", start_on=date(2026, 9, 3),
                 end_on=date(2026, 9, 8), company_share_note="航空券代の半額", actor=staff)
    rows = company_trips(setup.application)
    assert [(r.sequence, r.status_label, r.company_share_note, r.awaits_confirmation)
            for r in rows] == [(1, "確定", "", False),
                               (2, "調整中（企業負担の確認待ち）", "航空券代の半額", True)]
