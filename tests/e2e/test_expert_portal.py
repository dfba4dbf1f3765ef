"""The expert portal in Chromium: the expert logs a visit and a first overseas trip, proposes a
2nd trip that cannot be fixed until the company confirms its share (II.4(2)); the company
confirms on its page; then the trip is fixed. axe-core on the portal and company pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from support.enums import TripStatus
from support.models import Activity, Trip
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_webform import log_in_as
from tests.support.factories_during import in_support_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARE = "航空券代の2分の1（約15万円）"


def _fill_trip(page, start, end, share=""):
    page.get_by_label("行き先（都市・訪問先）").fill("ロサンゼルス（展示会）")
    page.get_by_label("国・地域コード（ISO 2文字）").fill("US")
    page.get_by_label("出発日").fill(start.isoformat())
    page.get_by_label("帰国日").fill(end.isoformat())
    page.get_by_label("目的").fill("現地バイヤーとの商談に同席")
    if share:
        page.get_by_label("企業にご負担いただく費用の一部（2回目以降の同行）").fill(share)
    page.get_by_role("button", name="登録する").click()


def test_expert_logs_a_visit_and_trips_and_the_company_confirms_its_share(browser, page,
                                                                          live_server):
    today = timezone.localdate()
    setup = in_support_case(company__name="株式会社あおば精機",
                            period_start=today - timedelta(days=30),
                            period_end=today + timedelta(days=200))

    login(page, setup.expert.user)
    page.goto("/expert/")
    expect(page.get_by_role("heading", level=1)).to_have_text("担当企業")
    assert_accessible(page)
    page.get_by_role("link", name="株式会社あおば精機").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("株式会社あおば精機")
    assert_accessible(page)

    # a visit
    page.get_by_role("link", name="支援活動を記録する").click()
    assert_accessible(page)
    page.get_by_label("種類").select_option("visit")
    page.get_by_label("実施日").fill(today.isoformat())
    page.get_by_label("参加者").fill("代表取締役 山田様")
    page.get_by_label("内容（企業にも表示されます）").fill("工場を訪問し米国向け価格表を見直した")
    page.get_by_label("社内メモ（企業には表示しません）").fill("値引きに前のめり（社内限り）")
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_text("支援活動を記録しました。")).to_be_visible()
    expect(page.get_by_text("工場を訪問し米国向け価格表を見直した")).to_be_visible()
    assert Activity.objects.get().expert == setup.expert

    # the 1st trip: JETRO's cost, fixed at once
    page.get_by_role("link", name="海外出張同行を登録する").click()
    expect(page.get_by_text("1回目の海外出張同行はジェトロの負担です。")).to_be_visible()
    assert_accessible(page)
    _fill_trip(page, today + timedelta(days=20), today + timedelta(days=25))
    page.get_by_role("button", name="1回目の出張を確定する").click()
    expect(page.get_by_text("1回目の海外出張同行を確定しました。")).to_be_visible()
    expect(page.locator("#trip-1 .trip-status")).to_have_text("確定")

    # the 2nd trip: waits for the company's confirmation of its share
    page.get_by_role("link", name="海外出張同行を登録する").click()
    expect(page.get_by_text("この同行は2回目以降です。")).to_be_visible()
    _fill_trip(page, today + timedelta(days=60), today + timedelta(days=64), share=SHARE)
    expect(page.get_by_text("企業に費用の一部負担の事前確認をお願いしました。")).to_be_visible()
    page.get_by_role("button", name="2回目の出張を確定する").click()
    expect(page.get_by_text(re.compile("企業が確認するまで確定できません。")).first).to_be_visible()
    expect(page.locator("#trip-2 .trip-status")).to_have_text("調整中（企業負担の確認待ち）")
    assert_accessible(page)
    second = Trip.objects.get(sequence=2)
    assert second.status == TripStatus.PROPOSED

    # the company confirms on its own page
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  timezone_id="Asia/Tokyo")
    try:
        company = context.new_page()
        log_in_as(company, live_server, setup.owner)
        company.goto(f"/my/applications/{setup.application.public_id}/trips/{second.pk}/confirm/")
        expect(company.get_by_role("heading", level=1)).to_have_text(
            "海外出張同行の費用の一部負担の確認")
        expect(company.locator("#share-note")).to_have_text(SHARE)
        assert_accessible(company)
        company.get_by_label("確認された方のお名前").fill("佐藤 花子")
        company.get_by_label("上記の費用の一部を当社が負担することを確認しました。").check()
        company.get_by_role("button", name="負担を確認する").click()
        expect(company.locator("#confirmed")).to_contain_text("佐藤 花子様が確認済みです。")
        assert_accessible(company)
    finally:
        context.close()

    # now the expert can fix it
    page.goto(f"/expert/companies/{setup.application.public_id}/")  # the 409 page was a POST
    expect(page.locator("#trip-2")).to_contain_text("企業負担分 確認済み")
    page.get_by_role("button", name="2回目の出張を確定する").click()
    expect(page.get_by_text("2回目の海外出張同行を確定しました。")).to_be_visible()
    expect(page.locator("#trip-2 .trip-status")).to_have_text("確定")
    second.refresh_from_db()
    assert (second.status, second.company_share_confirmed_by) == (TripStatus.PLANNED, "佐藤 花子")
