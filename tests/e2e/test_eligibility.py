"""Browser: the eligibility self-check (anyone) and the staff eligibility page with an override."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import EligibilityOverride, WebFormAnswers
from applications.services.eligibility import application_eligibility_refresh
from handson.enums import Role
from tests.e2e.conftest import assert_accessible, login
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YES, NO = "はい", "いいえ"


def answer(page, question: str, value: str) -> None:
    page.get_by_role("group", name=question, exact=True).get_by_label(value, exact=True).check()


def test_self_check_eligible_then_ineligible(page):
    page.goto("/eligibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申込要件のセルフチェック")
    assert_accessible(page)

    # Progressive display: the capital field appears for a company only, and the project's
    # own questions once its type is chosen.
    capital = page.get_by_label("資本金の額（出資の総額）")
    expect(capital).to_be_hidden()
    answer(page, "組織形態", "個人事業主")
    expect(capital).to_be_hidden()
    expect(page.get_by_label("常時使用する従業員の数")).to_be_visible()
    answer(page, "組織形態", "会社（株式会社・合同会社など）")
    expect(capital).to_be_visible()
    export_question = page.get_by_role("group", name="B to B（取引先が企業）の案件である")
    base_question = page.get_by_role("group", name="対象国・地域の現地法令に従って拠点を設立する")
    expect(export_question).to_be_hidden()
    expect(base_question).to_be_hidden()

    answer(page, "主たる事業の業種", "製造業・建設業・運輸業・その他")
    capital.fill("1000万円")
    page.get_by_label("常時使用する従業員の数").fill("25")
    answer(page, "海外展開支援のコンサルティング等を業としている", NO)
    answer(page, "プロジェクトの種類", "輸出プロジェクト")
    expect(export_question).to_be_visible()
    expect(base_question).to_be_hidden()
    page.get_by_label("第1希望").select_option("US")
    for question, value in [
        ("申込時点で輸出する製品・サービスが存在する", YES),
        ("商社・卸として国内で調達した商材を輸出する", NO),
        ("対象国・地域への輸出や現地代理店契約等を目指す", YES),
        ("日本及び対象国・地域の法令に違反する製品・サービスではない", YES),
        ("B to B（取引先が企業）の案件である", YES),
        ("本サービスへの申込について経営責任者の承認を得ている", YES),
        ("対象国・地域へすでに継続的な輸出を行っている", NO),
        ("対象国・地域にすでに現地事業拠点がある", NO),
        ("同時期に同内容で他の人的支援サービスを受ける予定がある", NO),
        ("法令違反・不正行為・公序良俗に反する行為がなく、その疑いもない", YES),
        ("補助金適正化法及び関係省庁の命令に違反していない", YES),
        ("反社会的勢力又はこれに類似する企業・団体・個人ではない", YES),
        ("支援期間中・終了後の調査への回答と利用実績の公表に同意する", YES),
    ]:
        answer(page, question, value)
    page.get_by_role("button", name="結果を見る").click()

    expect(page.get_by_role("heading", name="申込要件を満たしています")).to_be_visible()
    expect(page.locator("#selfcheck-size")).to_have_text("中小企業")
    findings = page.locator("li.eligibility-finding")
    expect(findings).to_have_count(15)
    expect(findings.first).to_contain_text("SIZE-SME")
    expect(findings.first).to_contain_text("III.1(1)① 中小企業に該当します。")
    assert_accessible(page)

    # Back to the form with the answers kept; 2,001 employees and ¥500M → not eligible.
    page.get_by_role("button", name="回答を修正する").click()
    expect(page.get_by_label("資本金の額（出資の総額）")).to_have_value("1000万円")
    page.get_by_label("資本金の額（出資の総額）").fill("5億")
    page.get_by_label("常時使用する従業員の数").fill("2001")
    page.get_by_role("button", name="結果を見る").click()

    expect(page.get_by_role("heading", name="申込要件を満たしていない項目があります")).to_be_visible()
    fail = page.locator("li.eligibility-finding-fail")
    expect(fail).to_have_count(1)
    expect(fail).to_contain_text("SIZE-MID")
    expect(fail).to_contain_text("III.1(1)② 企業規模の要件を満たさないため、対象となりません。")
    expect(page.locator("#selfcheck-other-services")).to_contain_text("新規輸出1万者支援プログラム")
    assert_accessible(page)


def test_self_check_errors_are_announced_and_tied_to_fields(page):
    page.goto("/eligibility/")
    answer(page, "組織形態", "会社（株式会社・合同会社など）")
    page.get_by_role("button", name="結果を見る").click()
    summary = page.locator("#selfcheck-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("資本金の額を入力してください。")
    capital = page.get_by_label("資本金の額（出資の総額）")
    expect(capital).to_have_attribute("aria-invalid", "true")
    expect(capital).to_have_accessible_description(re.compile("資本金の額を入力してください。"))
    assert_accessible(page)


def test_staff_sees_the_findings_and_overrides_one(page):
    application = ApplicationFactory(company__name="株式会社あおば精機")
    WebFormAnswers.objects.create(application=application, continuous_export_to_target=True)
    application_eligibility_refresh(application=application)
    staff = UserFactory(role=Role.STAFF, display_name="職員 花子")
    login(page, staff)

    page.goto(f"/staff/applications/{application.public_id}/eligibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申込要件の判定")
    expect(page.locator(".eligibility-summary [data-outcome]")).to_have_text("要確認")
    expect(page.locator("li.eligibility-finding")).to_have_count(15)
    finding = page.locator("#finding-PROJ-EXCL-EXPORTING")
    expect(finding).to_contain_text("へすでに継続的な輸出が実現していると申告されています。")
    assert_accessible(page)

    finding.get_by_text("PROJ-EXCL-EXPORTING の判定を変更する").click()
    finding.get_by_label("適合", exact=True).check()
    finding.get_by_role("button", name="変更を保存する").click()
    finding = page.locator("#finding-PROJ-EXCL-EXPORTING")
    reason = finding.get_by_label("変更の理由")
    expect(reason).to_have_accessible_description(
        re.compile("判定を変更する理由を入力してください。"))
    assert_accessible(page)

    reason.fill("サンプル出荷のみで継続的な輸出ではないことを電話で確認しました。")
    finding.get_by_role("button", name="変更を保存する").click()

    expect(page.get_by_text("PROJ-EXCL-EXPORTING の判定を変更しました。")).to_be_visible()
    expect(page.locator(".eligibility-summary [data-outcome]")).to_have_text("対象")
    history = page.locator("table.eligibility-overrides tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("要確認 → 適合")
    expect(history).to_contain_text("職員 花子")
    expect(history).to_contain_text("サンプル出荷のみで継続的な輸出ではないことを電話で確認しました。")
    assert_accessible(page)
    override = EligibilityOverride.objects.get()
    assert (override.rule_id, override.new_outcome, override.created_by_id) == (
        "PROJ-EXCL-EXPORTING", "pass", staff.pk)
