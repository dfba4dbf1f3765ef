"""Staff journey: log in (password + TOTP), dashboard, filter the list, open an application."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from handson.enums import Role
from tests.e2e.conftest import assert_accessible, login
from tests.factories import ApplicationFactory, CallFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_filters_the_list_and_opens_an_application(page):
    staff = UserFactory(role=Role.STAFF, display_name="鈴木 一郎")
    call = CallFactory()
    received = timezone.now() - timezone.timedelta(days=40)
    ApplicationFactory(call=call, status=S.RECEIVED, received_at=received,
                       company__name="青葉精機株式会社", company__name_kana="アオバセイキ",
                       company__prefecture="13")
    ApplicationFactory(call=call, status=S.DOCUMENT_SCREENING, received_at=received,
                       company__name="さくら商事有限会社", company__name_kana="サクラショウジ",
                       company__prefecture="27", target_countries=["VN"])
    ApplicationFactory(call=call, company__name="みなと食品", company__prefecture="01")

    login(page, staff)
    page.goto("/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "ダッシュボード"
    assert page.locator("#intake-figures").inner_text().strip() == "2件 ／ 300件"
    assert page.locator("#waiting tbody tr").count() == 2
    assert_accessible(page)

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="申込一覧").click()
    assert page.get_by_role("heading", level=1).inner_text() == "申込一覧"
    assert page.locator("#applications tbody tr").count() == 3
    page.get_by_label("都道府県").select_option("27")
    page.get_by_role("button", name="この条件で表示").click()
    page.wait_for_url("**/staff/applications/?*prefecture=27*")
    rows = page.locator("#applications tbody tr")
    assert rows.count() == 1
    assert "さくら商事有限会社" in rows.first.inner_text()
    assert page.get_by_label("都道府県").input_value() == "27"
    assert_accessible(page)

    # search with hiragana finds the フリガナ
    page.get_by_role("link", name="条件をクリア").click()
    page.get_by_label("検索", exact=True).fill("あおば")
    page.get_by_role("button", name="この条件で表示").click()
    page.wait_for_url("**q=*")
    assert page.locator("#applications tbody tr").count() == 1

    page.get_by_role("link", name="青葉精機株式会社").click()
    assert page.get_by_role("heading", level=1).inner_text() == "青葉精機株式会社"
    assert_accessible(page)
    page.get_by_label("担当職員").select_option(label="鈴木 一郎")
    page.get_by_role("button", name="担当職員を設定").click()
    assert "担当職員を鈴木 一郎に設定しました。" in page.locator(".messages").inner_text()
    assert page.locator("#staff-in-charge").inner_text() == "鈴木 一郎"

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="送信メール").click()
    assert page.get_by_role("heading", level=1).inner_text() == "送信メール"
    assert_accessible(page)
