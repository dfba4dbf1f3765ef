"""The support lifecycle in the browser: staff record the consent, the kickoff with its period
(PERIOD-END refused first), then terminate with TERM-7; the company's support page shows no
internal reason. Another company declines online (form → confirmation → done). axe-core on
every page of the support lifecycle on the way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.access_links import access_token_for
from handson.models import OutboundMail
from tests.e2e.conftest import assert_accessible, login
from tests.factories import CallFactory
from tests.support.factories_lifecycle import SECRET_NOTE, adopted, staff_user, with_expert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def applicant_login(page, application):
    page.goto(reverse("applications:access", kwargs={"token": access_token_for(application)}))
    page.wait_for_load_state()


def test_consent_kickoff_terminate_and_the_company_pages(browser, live_server):
    today = timezone.localdate()
    limit = today + timedelta(days=90)  # the call's setting, whatever the machine's date
    call = CallFactory(opens_on=today - timedelta(days=200), closes_on=today + timedelta(days=60),
                       decisions_not_before=today - timedelta(days=30), support_end_limit=limit)
    application = adopted(call=call, company__name="株式会社そら商事")
    expert = with_expert(application).expert
    declining = adopted(call=call, company__name="株式会社みどり食品")
    lead = staff_user(display_name="田中 職員")

    # Staff: the list, the case page, the consent.
    context, page = new_page(browser, live_server)
    login(page, lead)
    page.goto("/staff/support/")
    assert page.get_by_role("heading", level=1).inner_text() == "支援案件"
    assert_accessible(page)
    page.get_by_role("link", name="株式会社そら商事").click()
    assert page.get_by_role("heading", level=1).inner_text() == "株式会社そら商事"
    assert_accessible(page)
    section = page.locator("#consent-section")
    section.get_by_label("同意書（原本）の受領日").fill(today.isoformat())
    section.get_by_role("button", name="受領を記録する").click()
    assert page.get_by_text("同意書（原本）の受領を記録しました。").is_visible()
    assert page.locator("#status").inner_text() == "同意書受領"
    assert_accessible(page)

    # The kickoff: a period past the call's limit is refused next to its field.
    section = page.locator("#kickoff-section")
    section.get_by_label("キックオフミーティングの実施日").fill(today.isoformat())
    section.get_by_label("合意した支援内容").fill("米国の代理店候補の選定と商談準備")
    section.get_by_label("支援開始日").fill(today.isoformat())
    section.get_by_label("支援終了予定日").fill((limit + timedelta(days=1)).isoformat())
    section.get_by_role("button", name="記録して支援を開始する").click()
    field = page.locator("#kickoff-section").get_by_label("支援終了予定日")
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator("#id_kickoff-period_end_error")
    assert "以前の日付にしてください" in error.inner_text()
    assert "id_kickoff-period_end_error" in field.get_attribute("aria-describedby")
    assert_accessible(page)
    field.fill(limit.isoformat())
    page.locator("#kickoff-section").get_by_role("button", name="記録して支援を開始する").click()
    assert page.get_by_text("キックオフミーティングと支援期間を記録し、支援を開始しました。").is_visible()
    assert page.locator("#status").inner_text() == "支援中"
    assert_accessible(page)

    # The early end, TERM-7, with an internal note.
    section = page.locator("#terminate-section")
    section.get_by_label("途中終了の理由（申込要領 III.6）").select_option("TERM-7")
    section.get_by_label("経緯・判断の内容（社内用）").fill(SECRET_NOTE)
    section.get_by_label("終了日").fill(today.isoformat())
    section.get_by_role("button", name="途中終了を記録する").click()
    assert page.get_by_text("支援の途中終了を記録しました。").is_visible()
    assert page.locator("#status").inner_text() == "支援終了（途中終了）"
    assert "TERM-7" in page.locator("#termination-reason").inner_text()
    assert_accessible(page)
    page.goto("/staff/support/")
    assert_accessible(page)
    context.close()
    assert Application.objects.get(pk=application.pk).status == S.TERMINATED

    # The company: its support page shows the end, the expert and no internal reason.
    context, page = new_page(browser, live_server)
    applicant_login(page, application)
    page.goto(reverse("support:company_case", args=[application.public_id]))
    assert page.get_by_role("heading", level=1).inner_text() == "支援の状況"
    assert page.locator("#company-status").inner_text() == "支援終了"
    body = page.locator("main").inner_text()
    assert "をもって支援を終了しました。" in body
    assert page.get_by_role("link", name="成果報告（支援終了後）に回答する").is_visible()
    assert expert.name in body
    assert "米国の代理店候補の選定と商談準備" in body
    assert SECRET_NOTE not in body and "TERM-" not in body
    assert_accessible(page)
    page.goto(reverse("applications:status", args=[application.public_id]))
    assert SECRET_NOTE not in page.locator("main").inner_text()
    context.close()
    for mail in OutboundMail.objects.filter(to=application.contact_email):
        assert SECRET_NOTE not in mail.body_text and "TERM-" not in mail.body_text

    # Another company declines online: the form, the confirmation, the page after.
    context, page = new_page(browser, live_server)
    applicant_login(page, declining)
    page.goto(reverse("support:company_case", args=[declining.public_id]))
    assert_accessible(page)
    page.get_by_role("link", name="採択後辞退届を提出する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "採択後辞退届の提出"
    page.get_by_role("button", name="内容を確認する").click()  # nothing filled in
    assert page.locator("#id_signer_name").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("代表者の氏名").fill("緑川 一郎")
    page.get_by_label("辞退の理由（任意）").fill("社内の体制が整わないため")
    page.get_by_label("辞退すると、この支援を受けられなくなること").check()
    page.get_by_role("button", name="内容を確認する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "採択後辞退届の内容の確認"
    assert page.locator("#confirm-signer").inner_text() == "緑川 一郎"
    assert_accessible(page)
    page.get_by_role("button", name="辞退届を提出する").click()
    assert page.get_by_text("採択後辞退届を受け付けました。確認のメール").is_visible()
    assert_accessible(page)
    page.goto(reverse("support:decline", args=[declining.public_id]))
    assert page.get_by_role("heading", level=1).inner_text() == "採択後辞退届"
    assert_accessible(page)
    context.close()
    assert Application.objects.get(pk=declining.pk).status == S.DECLINED
