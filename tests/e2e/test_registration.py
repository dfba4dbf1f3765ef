"""The applicant's path in Chromium: /apply/ → 3 steps → confirmation → done, with axe on
every page and the 2-hour countdown (FORM-TIMEOUT) visible and running."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, RegistrationDraft
from handson.models import OutboundMail
from tests.e2e.conftest import assert_accessible
from tests.factories import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_call():
    today = timezone.localdate()
    return CallFactory(fiscal_year=today.year, opens_on=today - timedelta(days=1),
                       closes_on=today + timedelta(days=60))


def countdown_seconds(page) -> int:
    text = page.locator("#registration-countdown").inner_text()
    match = re.fullmatch(r"(?:(\d+)時間)?(\d+)分(\d+)秒", text)
    assert match, text
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def test_registration_journey(page, open_call):
    page.goto("/apply/")
    assert page.get_by_role("heading", level=1).inner_text() == "お申し込みの前に"
    assert_accessible(page)
    page.get_by_role("button", name="オンライン登録を始める").click()

    # Step 1, first with a mistake: the error is announced next to the field.
    page.wait_for_url("**/apply/register/1/")
    timer = page.locator("#registration-countdown")
    assert timer.is_visible()
    first = countdown_seconds(page)
    assert 7100 < first <= 7200
    page.fill("#id_name", "株式会社ジェトロ製作所")
    page.fill("#id_name_kana", "かぶしきがいしゃ じぇとろせいさくしょ")
    page.fill("#id_corporate_number", "8123456789012")
    page.select_option("#id_legal_form", "company")
    page.fill("#id_postal_code", "１０７－６００６")
    page.select_option("#id_prefecture", "13")
    page.fill("#id_address", "港区赤坂1-12-32 アーク森ビル")
    page.fill("#id_representative", "山田 太郎")
    page.select_option("#id_industry", "manufacturing_other")
    page.fill("#id_capital_yen", "1000万")
    page.fill("#id_regular_employees", "25")
    page.get_by_role("button", name="次へ進む（ご担当者の情報）").click()
    page.wait_for_load_state()
    field = page.locator("#id_corporate_number")
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_corporate_number_error" in field.get_attribute("aria-describedby")
    assert "チェックデジットが一致しません" in page.locator("#id_corporate_number_error").inner_text()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert_accessible(page)
    field.fill("7123456789012")
    page.get_by_role("button", name="次へ進む（ご担当者の情報）").click()

    # Step 2; going back keeps step 1, forward keeps step 2.
    page.wait_for_url("**/apply/register/2/")
    assert_accessible(page)
    page.fill("#id_contact_name", "佐藤 花子")
    page.fill("#id_contact_email", "hanako@example.co.jp")
    page.fill("#id_contact_email_confirm", "hanako@example.co.jp")
    page.fill("#id_contact_phone", "03-3582-8333")
    page.get_by_role("button", name="前のステップに戻る").click()
    page.wait_for_url("**/apply/register/1/")
    assert page.input_value("#id_name_kana") == "カブシキガイシャ　ジェトロセイサクショ"
    page.get_by_role("button", name="次へ進む（ご担当者の情報）").click()
    page.wait_for_url("**/apply/register/2/")
    assert page.input_value("#id_contact_phone") == "03-3582-8333"
    page.get_by_role("button", name="次へ進む（プロジェクトの概要）").click()

    # Step 3
    page.wait_for_url("**/apply/register/3/")
    assert_accessible(page)
    page.select_option("#id_project_type", "export")
    page.select_option("#id_country_1", "US")
    page.select_option("#id_country_2", "VN")
    page.fill("#id_product_name", "精密加工部品")
    page.get_by_role("button", name="入力内容を確認する").click()

    # Confirmation: the countdown is still running down on the server's clock.
    page.wait_for_url("**/apply/register/confirm/")
    assert_accessible(page)
    main = page.locator("main").inner_text()
    assert "カブシキガイシャ　ジェトロセイサクショ" in main and "第1希望 米国、第2希望 ベトナム" in main
    assert page.locator("#registration-countdown").is_visible()
    assert countdown_seconds(page) < first
    assert page.locator("#registration-warning").is_hidden()
    page.get_by_role("button", name="登録する").click()

    page.wait_for_url("**/apply/register/done/")
    assert page.get_by_role("heading", level=1).inner_text() == "オンライン登録が完了しました"
    assert "hanako@example.co.jp" in page.locator("main").inner_text()
    assert "/access/" not in page.content().replace("/access/resend/", "")
    assert_accessible(page)
    application = Application.objects.get()
    assert application.company.name == "株式会社ジェトロ製作所"
    assert RegistrationDraft.objects.count() == 0
    assert OutboundMail.objects.filter(dedupe_key=f"autoreply:{application.pk}").count() == 1


def test_countdown_warns_at_10_minutes_and_announces_once(page, open_call):
    page.goto("/apply/")
    page.get_by_role("button", name="オンライン登録を始める").click()
    page.wait_for_url("**/apply/register/1/")
    # Move the server's deadline to 10 minutes and 2 seconds from now.
    RegistrationDraft.objects.update(expires_at=timezone.now() + timedelta(minutes=10, seconds=2))
    page.reload()
    announcer = page.locator("#registration-announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    assert announcer.inner_text() == ""
    assert page.locator("#registration-warning").is_hidden()
    expect(announcer).to_have_text(re.compile("^残り時間が10分を切りました。"), timeout=6000)
    assert announcer.inner_text().startswith("残り時間が10分を切りました。")
    assert page.locator("#registration-warning").is_visible()
    assert_accessible(page)
    # Not every second: the live region keeps the same words while the timer counts.
    page.wait_for_timeout(1500)
    assert announcer.inner_text().startswith("残り時間が10分を切りました。")


def test_timeout_page_is_accessible(page, open_call):
    page.goto("/apply/")
    page.get_by_role("button", name="オンライン登録を始める").click()
    page.wait_for_url("**/apply/register/1/")
    RegistrationDraft.objects.update(expires_at=timezone.now() + timedelta(seconds=2))
    page.reload()
    page.wait_for_url("**/apply/register/timeout/", timeout=8000)
    assert page.get_by_role("heading", level=1).inner_text() == "オンライン登録の制限時間を過ぎました"
    assert RegistrationDraft.objects.count() == 0
    assert_accessible(page)
