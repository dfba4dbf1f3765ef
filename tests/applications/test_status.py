"""The applicant's status page: timeline from the audit log, no rejection reasons, owner only."""

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.services import workflow
from handson.enums import Role
from handson.models import OutboundMail
from tests.applications.submission_helpers import JST, complete_application
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

STEP = re.compile(
    r'<li class="status-step status-step-(?P<state>\w+)"(?P<current> aria-current="step")?>'
    r'\s*<span class="status-step-label">(?P<label>[^<]*)</span>.*?'
    r'(?:<time class="status-step-date" datetime="[^"]*">(?P<date>[^<]*)</time>)?\s*</li>',
    re.S)
REASON = "財務基盤が弱い"


def steps(response) -> list[tuple[str, str, bool, str]]:
    return [(m["label"], m["state"], bool(m["current"]), m["date"] or "")
            for m in STEP.finditer(response.content.decode())]


def status_url(application) -> str:
    return reverse("applications:status", args=[application.public_id])


def at(text: str):
    return time_machine.travel(datetime.fromisoformat(text).replace(tzinfo=JST), tick=False)


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def screened(staff):
    """Registered on 5/1, received on 5/11, in document screening since 5/20."""
    with at("2026-05-01 09:00"):
        application = complete_application()
    with at("2026-05-11 10:00"):
        workflow.application_submit(application=application, actor=application.applicant)
    with at("2026-05-20 15:00"):
        workflow.transition(application, S.DOCUMENT_SCREENING, actor=staff,
                            action="application.document_screening_started")
    application.refresh_from_db()
    return application


def test_timeline_dates_come_from_the_audit_log(client, screened):
    client.force_login(screened.applicant)
    response = client.get(status_url(screened))
    assert response.status_code == 200
    assert steps(response) == [
        ("オンライン登録", "done", False, "2026年5月1日"),
        ("WEBフォーム入力・書類提出", "done", False, "2026年5月1日"),
        ("受付", "done", False, "2026年5月11日"),
        ("書類審査（一次審査）", "current", True, "2026年5月20日"),
        ("面談審査（二次審査）", "upcoming", False, ""),
        ("専門家マッチング", "upcoming", False, ""),
        ("最終審査", "upcoming", False, ""),
        ("採択", "upcoming", False, ""),
        ("支援", "upcoming", False, ""),
    ]
    page = response.content.decode()
    assert page.count('aria-current="step"') == 1
    assert "現在の状況：<span class=\"status-pill\">書類審査（一次審査）</span>" in page
    # V.1(2)①: about 2 weeks to 1 month after receipt (5/11), up to 2 months.
    assert "おおむね2週間から1か月程度（2026年5月25日〜2026年6月11日ごろ）" in page
    assert "2か月程度（2026年7月11日ごろまで）" in page
    assert "採否の決定は、早くても" not in page  # 2026-04-06 is already past
    assert reverse("applications:copy_pdf", args=[screened.public_id]) in page
    assert reverse("applications:withdraw", args=[screened.public_id]) in page
    assert reverse("applications:submit", args=[screened.public_id]) not in page


def test_decision_date_is_shown_while_it_is_ahead(client, screened):
    screened.call.decisions_not_before = datetime(2026, 7, 1).date()
    screened.call.save()
    client.force_login(screened.applicant)
    with at("2026-05-21 09:00"):
        page = client.get(status_url(screened)).content.decode()
    assert "採否の決定は、早くても2026年7月1日以降となります。" in page


def test_audit_dates_win_over_created_at(client, staff):
    with at("2026-05-01 09:00"):
        application = complete_application()
    with at("2026-06-02 09:00"):
        workflow.application_submit(application=application, actor=application.applicant)
    client.force_login(application.applicant)
    labels = {label: date for label, _, _, date in steps(client.get(status_url(application)))}
    assert labels["受付"] == "2026年6月2日"


def test_awaiting_documents_shows_the_missing_items_and_the_submit_button(client):
    with at("2026-05-01 09:00"):
        application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.get(status_url(application))
    page = response.content.decode()
    assert steps(response)[1] == ("WEBフォーム入力・書類提出", "current", True, "2026年5月1日")
    assert "未入力・未提出の項目" in page
    assert "<li>「経営理念・経営戦略」が未入力です。</li>" in page
    assert reverse("applications:submit", args=[application.public_id]) in page
    assert reverse("applications:copy_pdf", args=[application.public_id]) not in page
    assert reverse("applications:withdraw", args=[application.public_id]) in page


def test_complete_application_says_everything_is_there(client):
    application = complete_application()
    client.force_login(application.applicant)
    page = client.get(status_url(application)).content.decode()
    assert "必要な項目と書類はすべてそろっています。" in page
    assert "未入力・未提出の項目" not in page


def test_rejected_application_never_shows_the_reason(client, screened, staff):
    with at("2026-06-01 11:00"):
        rejected = workflow.transition(
            screened, S.REJECTED, actor=staff, action="application.rejected",
            rule_ids=["SEL-4"], note=REASON,
            notify=lambda app: workflow.queue_status_notice(app, S.REJECTED),
        )
    rejected.decision_notified_at = rejected.status_changed_at  # its notice was sent
    rejected.save(update_fields=["decision_notified_at"])
    client.force_login(rejected.applicant)
    response = client.get(status_url(rejected))
    page = response.content.decode()
    assert REASON not in page
    assert "SEL-4" not in page
    assert "今回はご期待に沿えない結果となりました。" in page
    assert "審査の理由や審査の過程については開示いたしかねます" in page
    assert "ジェトロのサービス一覧" in page
    assert steps(response)[-1] == ("審査結果のお知らせ", "current", True, "2026年6月1日")
    assert [label for label, *_ in steps(response)] == [
        "オンライン登録", "WEBフォーム入力・書類提出", "受付", "書類審査（一次審査）",
        "審査結果のお知らせ"]
    assert reverse("applications:withdraw", args=[rejected.public_id]) not in page
    # Whatever template the screening room adds for it, the mail cannot carry the reason:
    # the notice context is built from the application only.
    with at("2026-06-01 11:00"):
        mail = workflow.queue_status_notice(rejected, S.REJECTED, template="test_notice")
    assert REASON not in str(mail.context) and REASON not in mail.body_text
    assert REASON not in mail.subject
    for row in OutboundMail.objects.all():
        assert REASON not in row.body_text + row.subject + str(row.context)


def test_queue_status_notice_without_a_template_queues_nothing(screened):
    assert workflow.status_notice_template("interview_scheduled") in (None,
                                                                      "status_interview_scheduled")
    assert workflow.status_notice_template("no_such_status") is None
    assert workflow.queue_status_notice(screened, "no_such_status") is None


def test_generic_status_notice_for_received_uses_the_received_templates(screened):
    mail = workflow.queue_status_notice(screened, S.RECEIVED)
    assert mail.template == "status_received"
    assert mail.subject.startswith("【ハンズオン支援】お申し込みを受け付けました（")
    stamp = int(screened.status_changed_at.timestamp() * 1_000_000)
    assert mail.dedupe_key == f"status:{screened.pk}:received:{stamp}"


def test_withdrawn_application_page(client):
    application = complete_application()
    workflow.application_withdraw(application=application, actor=application.applicant)
    client.force_login(application.applicant)
    response = client.get(status_url(application))
    assert steps(response)[-1][:3] == ("申込辞退", "current", True)
    assert "申込書類等は返却いたしませんので" in response.content.decode()


# -- access ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["status", "copy_pdf", "withdraw"])
def test_another_applicant_gets_404(client, screened, name):
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.get(reverse(f"applications:{name}", args=[screened.public_id]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["status", "copy_pdf", "withdraw"])
def test_anonymous_is_sent_to_login(client, screened, name):
    url = reverse(f"applications:{name}", args=[screened.public_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('handson:login')}?next={url}"


def test_unknown_application_is_404(client, screened):
    client.force_login(screened.applicant)
    response = client.get(reverse("applications:status",
                                  args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


def test_status_page_query_count_is_small(client, screened, django_assert_max_num_queries):
    client.force_login(screened.applicant)
    with django_assert_max_num_queries(12):
        assert client.get(status_url(screened)).status_code == 200


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("owner", 200), ("other_applicant", 404), ("staff", 200),
    ("committee", 404), ("expert", 404), ("admin", 200),
])
def test_status_page_access_matrix(client, screened, who, expected):
    from tests.factories import verified_login

    users = {"other_applicant": UserFactory(role=Role.APPLICANT),
             "staff": UserFactory(role=Role.STAFF), "committee": UserFactory(role=Role.COMMITTEE),
             "expert": UserFactory(role=Role.EXPERT),
             "admin": UserFactory(is_superuser=True, is_staff=True)}
    if who == "owner":
        client.force_login(screened.applicant)
    elif who == "other_applicant":
        client.force_login(users[who])
    elif who in users:
        verified_login(client, users[who])
    response = client.get(status_url(screened))
    assert response.status_code == expected
    if who in ("staff", "admin"):  # staff may look, but the applicant's own acts are not offered
        assert reverse("applications:withdraw", args=[screened.public_id]).encode() not in (
            response.content)
