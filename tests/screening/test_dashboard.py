"""The pipeline view: counts per stage, intake against 予定件数, waiting days and flags."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.enums import Role
from screening import selectors
from tests.factories import ApplicationFactory, CallFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")
RECEIVED = datetime(2026, 5, 1, 10, 0, tzinfo=JST)


def jst(*args) -> datetime:
    return datetime(*args, tzinfo=JST)


@pytest.fixture
def staff_client(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    return client


def make(status, *, received=RECEIVED, changed=None, call=None, name="株式会社テスト"):
    application = ApplicationFactory(status=status, received_at=received,
                                     company__name=name, **({"call": call} if call else {}))
    Application.objects.filter(pk=application.pk).update(
        status_changed_at=changed or received or RECEIVED)
    application.refresh_from_db()
    return application


def dashboard(client):
    response = client.get(reverse("screening:dashboard"))
    assert response.status_code == 200
    return response


@time_machine.travel(jst(2026, 6, 1, 9, 0), tick=False)
def test_pipeline_counts_every_status_in_order(staff_client):
    call = CallFactory()
    for status in (S.RECEIVED, S.RECEIVED, S.DOCUMENT_SCREENING, S.REJECTED):
        make(status, call=call)
    make(S.AWAITING_DOCUMENTS, received=None, call=call)
    make(S.RECEIVED, call=CallFactory(fiscal_year=2025, title="2025年度"))  # another call
    response = dashboard(staff_client)
    assert response.context["call"] == call
    pipeline = [(stage.status, stage.label, stage.count) for stage in response.context["pipeline"]]
    assert [status for status, _label, _count in pipeline] == [value for value, _ in S.choices]
    assert {status: count for status, _label, count in pipeline if count} == {
        S.AWAITING_DOCUMENTS: 1, S.RECEIVED: 2, S.DOCUMENT_SCREENING: 1, S.REJECTED: 1}
    assert pipeline[2] == (S.RECEIVED, "受付済み", 2)
    html = response.content.decode()
    assert f'href="{reverse("screening:application_list")}?call={call.pk}&amp;status=received"' in html


@time_machine.travel(jst(2026, 6, 1, 9, 0), tick=False)
def test_intake_counts_received_applications_of_the_call(staff_client):
    call = CallFactory(planned_count=4)
    make(S.RECEIVED, call=call)
    make(S.WITHDRAWN, call=call)  # received, then withdrawn: it still took a place
    make(S.AWAITING_DOCUMENTS, received=None, call=call)
    response = dashboard(staff_client)
    intake = response.context["intake"]
    assert (intake.received, intake.planned, intake.remaining, intake.percent, intake.closed) == (
        2, 4, 2, 50, False)
    html = response.content.decode()
    assert "2件 ／ 4件" in html
    assert '<progress class="w-100 intake-progress" max="4" value="2"' in html
    assert "受付中" in html

    call.intake_closed = True
    call.save()
    assert "受付終了" in dashboard(staff_client).content.decode()


@pytest.mark.parametrize(("now", "days", "level", "label"), [
    (jst(2026, 5, 15, 23, 59), 14, 0, ""),
    (jst(2026, 5, 30, 23, 59), 29, 0, ""),
    (jst(2026, 5, 31, 0, 0), 30, 1, "要注意"),  # ≥ 30 days, from midnight in Japan
    (jst(2026, 6, 30, 23, 59), 60, 1, "要注意"),
    (jst(2026, 7, 1, 0, 0), 61, 2, "超過"),  # > 60 days
    (jst(2026, 9, 1, 12, 0), 123, 2, "超過"),
])
@pytest.mark.parametrize("status", [S.RECEIVED, S.DOCUMENT_SCREENING])
def test_wait_flags_with_a_moved_clock(staff_client, status, now, days, level, label):
    # received 1 May 10:00; document screening started 20 May: the guideline's clock still
    # counts from receipt (V.1(2)①)
    changed = RECEIVED if status == S.RECEIVED else jst(2026, 5, 20, 15, 0)
    application = make(status, changed=changed)
    with time_machine.travel(now, tick=False):
        response = dashboard(staff_client)
        [row] = response.context["waiting"]
        assert row.pk == application.pk
        assert (row.wait.days_since_receipt, row.wait.level, row.wait.label) == (days, level,
                                                                                label)
        assert row.wait_level == level  # the database agrees with Python
        in_stage = days if status == S.RECEIVED else (now.date() - changed.date()).days
        assert row.wait.days_in_stage == in_stage
        counts = response.context["wait_counts"]
        assert counts == {0: int(level == 0), 1: int(level == 1), 2: int(level == 2)}
        listed = staff_client.get(reverse("screening:application_list"), {"wait": "1"})
        assert len(listed.context["rows"]) == (1 if level else 0)


@time_machine.travel(jst(2026, 7, 15, 9, 0), tick=False)
def test_other_stages_are_never_flagged(staff_client):
    make(S.INTERVIEW_SCHEDULED, received=jst(2026, 4, 2, 9, 0))
    make(S.AWAITING_DOCUMENTS, received=None, changed=jst(2026, 4, 2, 9, 0))
    response = dashboard(staff_client)
    assert response.context["waiting"] == []
    rows = staff_client.get(reverse("screening:application_list")).context["rows"]
    assert [(row.wait.level, row.wait.days_in_stage) for row in rows] == [(0, 104), (0, 104)]


@time_machine.travel(jst(2026, 7, 15, 9, 0), tick=False)
def test_waiting_list_puts_overdue_first(staff_client):
    fresh = make(S.RECEIVED, received=jst(2026, 7, 10, 9, 0), name="新しい")
    attention = make(S.DOCUMENT_SCREENING, received=jst(2026, 6, 1, 9, 0),
                     changed=jst(2026, 7, 14, 9, 0), name="要注意")
    overdue_newer = make(S.RECEIVED, received=jst(2026, 5, 10, 9, 0), name="超過2")
    overdue_older = make(S.DOCUMENT_SCREENING, received=jst(2026, 5, 1, 9, 0),
                         changed=jst(2026, 7, 1, 9, 0), name="超過1")
    make(S.MATCHING, received=jst(2026, 4, 1, 9, 0), name="対象外")
    response = dashboard(staff_client)
    rows = response.context["waiting"]
    assert [row.pk for row in rows] == [overdue_older.pk, overdue_newer.pk, attention.pk,
                                        fresh.pk]
    assert [(row.wait.days_since_receipt, row.wait.days_in_stage, row.wait.label)
            for row in rows] == [(75, 14, "超過"), (66, 66, "超過"), (44, 1, "要注意"),
                                 (5, 5, "")]
    assert response.context["wait_counts"] == {0: 1, 1: 1, 2: 2}
    html = response.content.decode()
    assert html.index("超過1") < html.index("超過2") < html.index("要注意</a>")


def test_day_helpers_agree_with_the_database_thresholds():
    today = jst(2026, 7, 1, 12, 0).date()
    attention_before, overdue_before = selectors.wait_thresholds(today)
    assert attention_before == jst(2026, 6, 2, 0, 0)  # 2 June 00:00 JST → 29 days on 1 July
    assert overdue_before == jst(2026, 5, 2, 0, 0)  # 1 May → 61 days
    assert selectors.days_since(jst(2026, 6, 1, 23, 59), today) == 30
    assert selectors.days_since(jst(2026, 6, 2, 0, 0), today) == 29
    assert [selectors.wait_level_for(d) for d in (None, 29, 30, 60, 61)] == [0, 0, 1, 1, 2]


def test_dashboard_without_any_call(staff_client):
    response = dashboard(staff_client)
    assert response.context["call"] is None
    assert "募集回がまだ登録されていません。" in response.content.decode()


def test_staff_nav_marks_the_current_page(staff_client):
    html = dashboard(staff_client).content.decode()
    assert (f'<a class="nav-link active" href="{reverse("screening:dashboard")}" '
            'aria-current="page">ダッシュボード</a>') in html
    assert f'<a class="nav-link" href="{reverse("screening:application_list")}">申込一覧</a>' in html
    assert f'<a class="nav-link" href="{reverse("screening:mail_list")}">送信メール</a>' in html
