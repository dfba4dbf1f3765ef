"""Staff screen a received application in the browser: ① scores and a pass, an online
interview, ② result and pass → 専門家マッチング中. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from handson.models import OutboundMail
from screening.enums import CRITERIA_LABELS, SCORED_CRITERIA
from tests.e2e.conftest import assert_accessible, login
from tests.screening.factories_screening import ExpertFactory, complete_application, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_assessment(page, score: str) -> None:
    for criterion in SCORED_CRITERIA:
        page.get_by_role("group", name=str(CRITERIA_LABELS[criterion])).get_by_label(
            score, exact=True).check()
    page.get_by_role("group", name="提案").get_by_label("通過", exact=True).check()
    page.get_by_label("所見（社内用・申込者には開示されません）").fill("計画が具体的で体制も整っている。")
    page.get_by_role("button", name="評価を保存する").click()


def decide_pass(page) -> None:
    page.get_by_role("group", name="決定").get_by_label("通過", exact=True).check()
    page.get_by_role("button", name="決定を記録する").click()


def test_staff_screen_interview_and_pass_to_matching(page):
    application = complete_application(company__name="株式会社あおば精機")
    lead = staff_user(display_name="田中 審査")
    staff_user(display_name="鈴木 同席")
    ExpertFactory(name="高橋 専門家")
    login(page, lead)

    page.goto("/staff/screening/")
    assert page.get_by_role("heading", level=1).inner_text() == "選考の作業一覧"
    assert_accessible(page)
    page.get_by_role("link", name="株式会社あおば精機（精密加工部品）").click()

    # ① document screening
    assert page.get_by_role("heading", level=1).inner_text() == "書類審査（一次審査）"
    assert_accessible(page)
    fill_assessment(page, "4")
    assert page.get_by_text("書類審査の評価を保存しました。").is_visible()
    assert "書類審査中" in page.locator(".status-pill").inner_text()
    decide_pass(page)

    # ② schedule an online interview
    assert page.get_by_role("heading", level=1).inner_text() == "面談審査（二次審査）の日程"
    assert page.get_by_text("書類審査の通過を決定しました。").is_visible()
    assert_accessible(page)
    when = timezone.localtime() + timedelta(days=14)
    page.get_by_label("日時").fill(f"{when:%Y-%m-%d}T14:00")
    page.get_by_role("group", name="形式").get_by_label("オンライン", exact=True).check()
    page.get_by_label("オンライン会議のURL（オンラインの場合）").fill("https://meet.example.jp/aoba")
    page.get_by_label("企業側の出席者").fill("代表取締役 山田 太郎\n海外事業部長 佐藤 花子")
    page.get_by_label("田中 審査").check()
    page.get_by_label("鈴木 同席").check()
    page.get_by_label("専門家候補").select_option(label="高橋 専門家")
    page.get_by_role("button", name="面談を設定する").click()
    assert page.get_by_text("面談の日程を設定しました。").is_visible()
    assert "面談審査予定" in page.locator(".status-pill").inner_text()
    assert_accessible(page)
    mail = OutboundMail.objects.get(template="interview_scheduled")
    weekday = "月火水木金土日"[when.weekday()]
    assert f"{when.year}年{when.month}月{when.day}日（{weekday}）14:00" in mail.body_text

    # ② result and decision
    page.get_by_role("link", name="面談の結果を入力する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "面談審査（二次審査）の結果と決定"
    assert_accessible(page)
    fill_assessment(page, "5")
    assert "面談審査済み" in page.locator(".status-pill").inner_text()
    decide_pass(page)
    assert page.get_by_text("面談審査の通過を決定しました。").is_visible()
    assert "専門家マッチング中" in page.locator(".status-pill").inner_text()
    assert_accessible(page)

    application.refresh_from_db()
    assert application.status == S.MATCHING

    page.get_by_role("link", name="最終審査へ（手動）").click()
    assert_accessible(page)
