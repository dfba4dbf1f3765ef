"""The DURING-support pages: the expert portal, the company's confirmation and survey pages,
the staff sub-pages and the overdue list (constant query count)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.models import Assignment
from support.enums import ActivityKind, ReviewDecision, SurveyKind, TripStatus
from support.models import Activity, Review, Survey, Trip
from tests.factories import verified_login
from tests.support.factories_during import (
    SECRET,
    TODAY,
    DuringExpertFactory,
    in_support_case,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def setup():
    return in_support_case(company__name="株式会社あおば精機")


def _text(response) -> str:
    return response.content.decode()


# -- expert portal -------------------------------------------------------------------------

def test_the_portal_lists_only_the_experts_current_companies(client, setup):
    ended = in_support_case(expert=setup.expert, company__name="株式会社おわり商事")
    Assignment.objects.filter(application=ended.application).update(ended_at=timezone.now())
    in_support_case(company__name="株式会社よその会社")
    verified_login(client, setup.expert.user)

    page = _text(client.get(reverse("support:expert_home")))

    assert "株式会社あおば精機" in page
    assert "株式会社おわり商事" not in page
    assert "株式会社よその会社" not in page
    assert client.get(reverse("support:expert_case",
                              args=[ended.application.public_id])).status_code == 404


def test_the_expert_sees_every_activity_with_internal_notes(client, setup):
    Activity.objects.create(case=setup.case, kind=ActivityKind.ONLINE, date=date(2026, 6, 3),
                            summary="価格表の助言", internal_note=SECRET)
    verified_login(client, setup.expert.user)
    page = _text(client.get(reverse("support:expert_case", args=[setup.application.public_id])))
    assert "価格表の助言" in page and SECRET in page
    assert "2026年5月10日〜2027年2月28日" in page


def test_the_expert_records_a_visit_in_the_portal(client, setup):
    verified_login(client, setup.expert.user)
    url = reverse("support:expert_activity_new", args=[setup.application.public_id])
    response = client.post(url, {"kind": "visit", "date": "2026-06-30",
                                 "participants": "山田様", "summary": "工場訪問",
                                 "internal_note": "", "referral_service": "",
                                 "expert": DuringExpertFactory().pk, "case": 999})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.case, activity.expert, activity.kind) == (
        setup.case, setup.expert, ActivityKind.VISIT)


def test_a_date_outside_the_period_is_an_error_tied_to_its_field(client, setup):
    verified_login(client, setup.expert.user)
    url = reverse("support:expert_activity_new", args=[setup.application.public_id])
    response = client.post(url, {"kind": "visit", "date": "2026-05-01", "summary": "訪問"})
    assert response.status_code == 400
    page = _text(response)
    assert "支援期間（2026年5月10日〜2027年2月28日）内の日付を入力してください。" in page
    assert 'aria-invalid="true" aria-describedby="id_date_error" id="id_date"' in page
    assert not Activity.objects.exists()


def test_the_portal_refuses_to_plan_a_second_trip_before_the_confirmation(client, setup):
    verified_login(client, setup.expert.user)
    new = reverse("support:expert_trip_new", args=[setup.application.public_id])
    first = {"destination": "ロサンゼルス", "country": "US", "start_on": "2026-08-03",
             "end_on": "2026-08-08", "purpose": "展示会", "company_share_note": ""}
    assert client.post(new, first).status_code == 302
    trip1 = Trip.objects.get(sequence=1)
    plan1 = reverse("support:expert_trip_plan", args=[setup.application.public_id, trip1.pk])
    assert client.post(plan1).status_code == 302
    response = client.post(new, {**first, "start_on": "2026-10-05", "end_on": "2026-10-09"})
    assert response.status_code == 400
    assert "2回目以降の海外出張同行では" in _text(response)
    assert client.post(new, {**first, "start_on": "2026-10-05", "end_on": "2026-10-09",
                             "company_share_note": "航空券代の半額"}).status_code == 302
    trip2 = Trip.objects.get(sequence=2)
    plan2 = reverse("support:expert_trip_plan", args=[setup.application.public_id, trip2.pk])
    refused = client.post(plan2)
    assert refused.status_code == 409
    assert "企業が確認するまで確定できません。" in _text(refused)
    trip2.refresh_from_db()
    assert trip2.status == TripStatus.PROPOSED


# -- the company's pages --------------------------------------------------------------------

def _second_trip(setup):
    Trip.objects.create(case=setup.case, sequence=1, destination="LA", status="planned",
                        start_on=date(2026, 8, 3), end_on=date(2026, 8, 8))
    return Trip.objects.create(case=setup.case, sequence=2, destination="NY",
                               start_on=date(2026, 9, 3), end_on=date(2026, 9, 8),
                               company_share_note="航空券代の半額（約12万円）")


def test_the_company_confirms_its_share(client, setup):
    trip = _second_trip(setup)
    client.force_login(setup.owner)
    url = reverse("support:trip_confirm", args=[setup.application.public_id, trip.pk])
    page = _text(client.get(url))
    assert "航空券代の半額（約12万円）" in page
    missing = client.post(url, {"confirmed_by_name": "佐藤 花子"})
    assert missing.status_code == 400
    assert "内容をご確認のうえ、チェックを入れてください。" in _text(missing)
    response = client.post(url, {"confirmed_by_name": "佐藤 花子", "agree": "on",
                                 "company_share_confirmed_at": "2020-01-01"})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.company_share_confirmed_by == "佐藤 花子"
    assert trip.company_share_confirmed_at == timezone.now()
    assert "佐藤 花子様が確認済みです。" in _text(client.get(url))


def test_a_first_trip_has_no_confirmation_page(client, setup):
    _second_trip(setup)
    client.force_login(setup.owner)
    first = Trip.objects.get(sequence=1)
    assert client.get(reverse("support:trip_confirm",
                              args=[setup.application.public_id, first.pk])).status_code == 404


def test_the_company_answers_a_survey_once_then_it_is_read_only(client, setup):
    survey = Survey.objects.create(case=setup.case, kind=SurveyKind.PROGRESS,
                                   due_on=date(2026, 7, 31))
    client.force_login(setup.owner)
    url = reverse("support:survey_answer", args=[setup.application.public_id, survey.pk])
    page = _text(client.get(url))
    for label in ("進捗状況", "成果：商談件数", "成果：成約件数", "成果：輸出額（円）", "課題",
                  "専門家への要望"):
        assert label in page
    answers = {"progress": "代理店と商談中", "deals": "３", "contracts": "1",
               "export_yen": "1,200,000", "issues": "", "requests": ""}
    assert client.post(url, answers).status_code == 302
    survey.refresh_from_db()
    assert survey.answers == {"progress": "代理店と商談中", "deals": 3, "contracts": 1,
                              "export_yen": 1_200_000, "issues": "", "requests": ""}
    page = _text(client.get(url))
    assert "回答後は変更できません。" in page and "1,200,000円" in page
    assert "<textarea" not in page
    again = client.post(url, {**answers, "deals": "9"})
    assert again.status_code == 409
    survey.refresh_from_db()
    assert survey.answers["deals"] == 3


def test_the_outcome_survey_asks_satisfaction(client, setup):
    survey = Survey.objects.create(case=setup.case, kind=SurveyKind.OUTCOME,
                                   due_on=date(2026, 7, 31))
    client.force_login(setup.owner)
    url = reverse("support:survey_answer", args=[setup.application.public_id, survey.pk])
    bad = client.post(url, {"outcome": "成約1件", "satisfaction": "7"})
    assert bad.status_code == 400
    assert client.post(url, {"outcome": "成約1件", "satisfaction": "4",
                             "comment": "助かりました"}).status_code == 302
    survey.refresh_from_db()
    assert survey.answers == {"outcome": "成約1件", "satisfaction": 4, "comment": "助かりました"}


# -- staff pages ----------------------------------------------------------------------------

def test_staff_record_a_review_that_replaces_the_expert(client, setup):
    new = DuringExpertFactory(name="交替 先生")
    verified_login(client, staff_user())
    url = reverse("support:staff_reviews", args=[setup.application.public_id])
    page = _text(client.get(url))
    assert "2026年7月9日" in page  # next review: period start + 60 days
    response = client.post(url, {"held_on": "2026-06-30", "findings": "専門分野が合わない",
                                 "decision": ReviewDecision.CHANGE_EXPERT,
                                 "new_expert": new.pk})
    assert response.status_code == 302
    assert Review.objects.get().decision == ReviewDecision.CHANGE_EXPERT
    current = Assignment.objects.get(application=setup.application, ended_at__isnull=True)
    assert current.expert == new
    page = _text(client.get(url))
    assert "交替 先生" in page and setup.expert.name in page  # the history


def test_staff_cancel_a_fixed_trip_for_the_company(client, setup):
    trip = Trip.objects.create(case=setup.case, sequence=1, destination="LA",
                               status="planned", start_on=date(2026, 8, 3),
                               end_on=date(2026, 8, 8))
    verified_login(client, staff_user())
    url = reverse("support:staff_trip_cancel", args=[setup.application.public_id, trip.pk])
    response = client.post(url, {"cause": "company", "cost1_description": "航空券のキャンセル料",
                                 "cost1_amount": "45,000", "cost2_description": "",
                                 "cost2_amount": ""})
    assert response.status_code == 302
    cost = trip.costs.get()
    assert (cost.amount_yen, cost.bearer, cost.is_cancellation) == (45_000, "company", True)
    page = _text(client.get(reverse("support:staff_trip",
                                    args=[setup.application.public_id, trip.pk])))
    assert "45,000円" in page


def test_staff_activities_show_everything(client, setup):
    Activity.objects.create(case=setup.case, kind=ActivityKind.REFERRAL, date=date(2026, 6, 3),
                            summary="輸出相談に取り次ぎ", internal_note=SECRET,
                            referral_service="ジェトロ 輸出相談")
    verified_login(client, staff_user())
    page = _text(client.get(reverse("support:staff_activities",
                                    args=[setup.application.public_id])))
    assert SECRET in page and "ジェトロ 輸出相談" in page


def _overdue(n):
    for i in range(n):
        setup = in_support_case()
        Survey.objects.create(case=setup.case, kind=SurveyKind.PROGRESS,
                              due_on=date(2026, 6, 1 + i % 28))
        Survey.objects.create(case=setup.case, kind=SurveyKind.PROGRESS,
                              due_on=date(2026, 8, 1))  # not yet due
        Survey.objects.create(case=setup.case, kind=SurveyKind.PROGRESS,
                              due_on=date(2026, 6, 1), answered_at=timezone.now())


def _count_queries(client):
    url = reverse("support:surveys_overdue")
    client.get(url)  # warm up (session, roles)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), _text(response)


def test_the_overdue_list_has_a_constant_query_count(client):
    verified_login(client, staff_user())
    _overdue(1)
    one, page = _count_queries(client)
    assert "1件" in page and "30日" in page
    _overdue(49)
    fifty, page = _count_queries(client)
    assert "50件" in page
    assert fifty == one
    assert Survey.objects.count() == 150
