"""③ Staff match an expert in the browser: the ranked list with its reasons, the excluded
experts with why, confirm the first → 最終審査中 (committee_review). axe-core on the pages."""

import pytest

from applications.enums import ApplicationStatus as S
from experts.models import Assignment
from tests.e2e.conftest import assert_accessible, login
from tests.experts.factories import (
    AssignmentFactory,
    ConflictFactory,
    ExpertFactory,
    matching_application,
)
from tests.screening.factories_screening import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_confirm_the_best_ranked_expert(page):
    application = matching_application(company__name="株式会社あおば精機",
                                       target_countries=["US", "VN"])
    best = ExpertFactory(name="高橋 誠", countries=["US"], industries=["manufacturing_other"],
                         fields=["export_channels"])
    ExpertFactory(name="李 美玲", countries=["VN"])
    conflicted = ExpertFactory(name="佐藤 相反", countries=["US"])
    ConflictFactory(expert=conflicted, company=application.company)
    full = ExpertFactory(name="鈴木 満員", countries=["US"], capacity=1)
    AssignmentFactory(expert=full)
    login(page, staff_user(display_name="田中 担当"))

    page.goto(f"/staff/applications/{application.public_id}/matching/")
    assert page.get_by_role("heading", level=1).inner_text() == "専門家のマッチング"
    assert page.locator("#desired-fields").inner_text() == "輸出・販路開拓"
    rows = page.locator("#candidates tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert first.get_by_role("rowheader").inner_text() == "高橋 誠"
    assert first.locator(".matching-score").inner_text() == "75"
    assert first.locator(".matching-reasons li").all_inner_texts() == [
        "第1希望の対象国（米国）に対応", "業種（製造業・建設業・運輸業・その他）の支援実績",
        "希望する支援（輸出・販路開拓）に対応", "担当数 0/5 件で余裕あり"]
    assert rows.nth(1).get_by_role("rowheader").inner_text() == "李 美玲"
    assert page.locator("#excluded tbody tr").all_inner_texts() == [
        "佐藤 相反\t利益相反の申告あり", "鈴木 満員\t担当数が上限に達しています（1/1件）"]
    assert_accessible(page)

    # without a choice: the error is announced on the group
    page.get_by_role("button", name="選んだ専門家で確定し、最終審査へ進める").click()
    assert page.get_by_text("専門家を選んでください。").is_visible()
    assert_accessible(page)

    page.get_by_role("group", name="担当にする専門家").get_by_label("高橋 誠").check()
    page.get_by_role("button", name="選んだ専門家で確定し、最終審査へ進める").click()
    assert page.get_by_text("担当の専門家を高橋 誠さんに確定し、最終審査（採択企業選定審査委員会）に進めました。"
                            ).is_visible()
    assert_accessible(page)

    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW
    assignment = Assignment.objects.get(application=application)
    assert (assignment.expert_id, assignment.match_score) == (best.pk, 75)
