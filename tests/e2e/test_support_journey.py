"""The support journey end to end in Chromium (issue #6 "Done when"):

staff match an expert from the ranked list → 最終審査中; the committee adopts (services: the
committee has its own browser test) and the adoption notice is sent, so the company's status
page shows it; staff record the consent and the kickoff (PERIOD-END: 2027-03-01 refused next
to its field, 2027-02-28 accepted); the expert logs a visit and a 1st trip (fixed at once),
proposes a 2nd trip that cannot be fixed before the company confirms its share; the company
confirms through the link of its mail; the trip is fixed; a JETRO review replaces the expert
(the old expert's portal no longer has the company); the support is terminated with TERM-7
and an internal note that neither the company's pages nor its mails show.

Mails go through the outbox, a real Celery worker on Redis and an SMTP sink.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationStatus as S
from experts.models import Assignment
from screening.enums import MeetingStatus
from screening.models import Notice, NoticeKind
from screening.services import committee as committee_services
from screening.services import notices as notice_services
from support.enums import TripStatus
from support.models import SupportCase, Trip
from tests.e2e.conftest import assert_accessible
from tests.e2e.journey_helpers import (
    applicant_page,
    body_of,
    first_link,
    staff_page,
    wait_for_mail,
)
from tests.experts.factories import ExpertFactory, expert_user, matching_application
from tests.factories import CallFactory
from tests.screening.factories_committee import make_meeting, member
from tests.screening.factories_screening import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

COMPANY = "株式会社あおば精機"
CONTACT = "sato@aoba.example.jp"
LIMIT = date(2027, 2, 28)  # the call's support_end_limit (PERIOD-END)
SHARE = "航空券代の2分の1（約15万円）"
SECRET_NOTE = "代表者が専門家の助言に反し独断で値引きを繰り返した件（社内限り・journey）"
TERM_REASON_TEXT = "ジェトロや専門家の助言・指導に反する行為を繰り返した"


@pytest.fixture
def call(settings, live_server):
    settings.SITE_URL = live_server.url  # the links in the mails point at this server
    today = timezone.localdate()
    limit = LIMIT
    if today + timedelta(days=90) > limit:  # the machine clock decides, as in test_committee
        limit = today + timedelta(days=180)
    return CallFactory(fiscal_year=2026, opens_on=today - timedelta(days=200),
                       closes_on=today + timedelta(days=30),
                       decisions_not_before=today - timedelta(days=30), support_end_limit=limit)


def _fill_trip(page, start, end, share=""):
    page.get_by_label("行き先（都市・訪問先）").fill("ロサンゼルス（展示会）")
    page.get_by_label("国・地域コード（ISO 2文字）").fill("US")
    page.get_by_label("出発日").fill(start.isoformat())
    page.get_by_label("帰国日").fill(end.isoformat())
    page.get_by_label("目的").fill("現地バイヤーとの商談に同席")
    if share:
        page.get_by_label("企業にご負担いただく費用の一部（2回目以降の同行）").fill(share)
    page.get_by_role("button", name="登録する").click()


def _adopt_through_the_committee(application, lead):
    """④⑤ with the services: a meeting of three, two adopt, one recuses, the close; then the
    adoption notice is sent (the status page shows the decision from then on)."""
    members = [member(display_name=name) for name in ("山本 委員長", "佐々木 委員", "小林 委員")]
    meeting = make_meeting(members=members, chair=members[0], call=application.call,
                           applications=[application], status=MeetingStatus.OPEN, actor=lead)
    item = meeting.agenda.get()
    committee_services.vote_cast(actor=members[0], item=item, choice="adopt")
    committee_services.vote_cast(actor=members[1], item=item, choice="adopt")
    committee_services.vote_cast(actor=members[2], item=item, choice="recused",
                                 conflict_note="親族が同社の役員")
    committee_services.meeting_close(actor=lead, meeting=meeting)
    application.refresh_from_db()
    assert application.status == S.ADOPTED
    notice = Notice.objects.get(application=application, kind=NoticeKind.ADOPTION)
    notice_services.notice_send(notice=notice, actor=lead)


def test_support_journey_from_matching_to_the_early_end(browser, live_server, call,
                                                        celery_worker, smtp_sink):
    today = timezone.localdate()
    limit = call.support_end_limit
    application = matching_application(call=call, company__name=COMPANY, contact_email=CONTACT,
                                       target_countries=["US"])
    first = ExpertFactory(name="高橋 誠", user=expert_user(display_name="高橋 誠"),
                          countries=["US"], industries=["manufacturing_other"],
                          fields=["export_channels"])
    successor = ExpertFactory(name="李 美玲", countries=["US"], fields=["export_channels"])
    ExpertFactory(name="鈴木 一郎", countries=["VN"])
    lead = staff_user(display_name="田中 担当")

    # ③ Staff match: the ranked list with its reasons; the first is confirmed.
    staff_context, staff = staff_page(browser, live_server, lead)
    staff.goto(f"/staff/applications/{application.public_id}/matching/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("専門家のマッチング")
    rows = staff.locator("#candidates tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).get_by_role("rowheader")).to_have_text("高橋 誠")
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text("李 美玲")
    expect(rows.nth(2).get_by_role("rowheader")).to_have_text("鈴木 一郎")  # no US: last
    assert rows.nth(0).locator(".matching-reasons li").all_inner_texts()[0] == (
        "第1希望の対象国（米国）に対応")
    assert "希望する支援（輸出・販路開拓）に対応" in (
        rows.nth(0).locator(".matching-reasons li").all_inner_texts())
    assert_accessible(staff)
    staff.get_by_role("group", name="担当にする専門家").get_by_label("高橋 誠").check()
    staff.get_by_role("button", name="選んだ専門家で確定し、最終審査へ進める").click()
    expect(staff.get_by_text("担当の専門家を高橋 誠さんに確定し、最終審査（採択企業選定審査委員会）に進めました。")
           ).to_be_visible()
    assert_accessible(staff)
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW

    # ④⑤ The committee adopts; the adoption notice reaches the company with its PDFs.
    _adopt_through_the_committee(application, lead)
    adoption = wait_for_mail(smtp_sink, "採択のお知らせ", to=CONTACT)
    assert [part.get_filename() for part in adoption.iter_attachments()] == [
        f"{COMPANY}_採択通知書.pdf", f"{COMPANY}_応募・利用条件兼同意書.pdf"]

    company_context, company = applicant_page(browser, live_server, application.applicant)
    company.goto(f"/my/applications/{application.public_id}/")
    expect(company.locator(".status-pill")).to_contain_text("採択")
    expect(company.get_by_text("採択となりました。")).to_be_visible()
    expect(company.get_by_role("link", name="採択通知書（PDF）")).to_be_visible()
    assert_accessible(company)

    # ⑤ Staff record the consent on the support case page.
    staff.goto("/staff/support/")
    assert_accessible(staff)
    staff.get_by_role("link", name=COMPANY).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(COMPANY)
    assert_accessible(staff)
    section = staff.locator("#consent-section")
    section.get_by_label("同意書（原本）の受領日").fill(today.isoformat())
    section.get_by_role("button", name="受領を記録する").click()
    expect(staff.get_by_text("同意書（原本）の受領を記録しました。")).to_be_visible()
    expect(staff.locator("#status")).to_have_text("同意書受領")
    assert_accessible(staff)

    # V.2 The kickoff: a day past the call's limit is refused next to the field.
    section = staff.locator("#kickoff-section")
    section.get_by_label("キックオフミーティングの実施日").fill(today.isoformat())
    section.get_by_label("合意した支援内容").fill("米国の代理店候補の選定と商談準備")
    section.get_by_label("支援開始日").fill(today.isoformat())
    section.get_by_label("支援終了予定日").fill((limit + timedelta(days=1)).isoformat())
    section.get_by_role("button", name="記録して支援を開始する").click()
    field = staff.locator("#kickoff-section").get_by_label("支援終了予定日")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = staff.locator("#id_kickoff-period_end_error")
    expect(error).to_contain_text(
        f"支援終了予定日は、募集回で定める支援期間の最終日（{limit.year}年{limit.month}月{limit.day}日）"
        "以前の日付にしてください")
    assert "id_kickoff-period_end_error" in field.get_attribute("aria-describedby")
    assert_accessible(staff)
    field.fill(limit.isoformat())
    staff.locator("#kickoff-section").get_by_role("button", name="記録して支援を開始する").click()
    expect(staff.get_by_text("キックオフミーティングと支援期間を記録し、支援を開始しました。")
           ).to_be_visible()
    expect(staff.locator("#status")).to_have_text("支援中")
    assert_accessible(staff)
    case = SupportCase.objects.get(application=application)
    assert (case.period_start, case.period_end) == (today, limit)

    # The expert's portal: a visit and the 1st trip (JETRO's cost, fixed at once).
    expert_context, expert = staff_page(browser, live_server, first.user)
    expert.goto("/expert/")
    expect(expert.get_by_role("heading", level=1)).to_have_text("担当企業")
    assert_accessible(expert)
    expert.get_by_role("link", name=COMPANY).click()
    expect(expert.get_by_role("heading", level=1)).to_have_text(COMPANY)
    assert_accessible(expert)
    expert.get_by_role("link", name="支援活動を記録する").click()
    assert_accessible(expert)
    expert.get_by_label("種類").select_option("visit")
    expert.get_by_label("実施日").fill(today.isoformat())
    expert.get_by_label("参加者").fill("代表取締役 山田様")
    expert.get_by_label("内容（企業にも表示されます）").fill("工場を訪問し米国向け価格表を見直した")
    expert.get_by_label("社内メモ（企業には表示しません）").fill("値引きに前のめり（社内限り）")
    expert.get_by_role("button", name="記録する").click()
    expect(expert.get_by_text("支援活動を記録しました。")).to_be_visible()

    expert.get_by_role("link", name="海外出張同行を登録する").click()
    expect(expert.get_by_text("1回目の海外出張同行はジェトロの負担です。")).to_be_visible()
    assert_accessible(expert)
    _fill_trip(expert, today + timedelta(days=20), today + timedelta(days=25))
    expert.get_by_role("button", name="1回目の出張を確定する").click()
    expect(expert.get_by_text("1回目の海外出張同行を確定しました。")).to_be_visible()
    expect(expert.locator("#trip-1 .trip-status")).to_have_text("確定")

    # The 2nd trip cannot be fixed before the company confirms its share (II.4(2)).
    expert.get_by_role("link", name="海外出張同行を登録する").click()
    _fill_trip(expert, today + timedelta(days=60), today + timedelta(days=64), share=SHARE)
    expect(expert.get_by_text("企業に費用の一部負担の事前確認をお願いしました。")).to_be_visible()
    expert.get_by_role("button", name="2回目の出張を確定する").click()
    expect(expert.get_by_text(
        "2回目の海外出張同行は、企業にご負担いただく費用の一部について企業の事前確認が必要です"
        "（募集要項 II.4(2)）。企業が確認するまで確定できません。").first).to_be_visible()
    expect(expert.locator("#trip-2 .trip-status")).to_have_text("調整中（企業負担の確認待ち）")
    assert_accessible(expert)
    second = Trip.objects.get(case=case, sequence=2)
    assert second.status == TripStatus.PROPOSED

    # The company confirms on its page, reached by the link of the mail it received.
    request = wait_for_mail(smtp_sink, "費用の一部ご負担についてのご確認のお願い", to=CONTACT)
    assert SHARE in body_of(request)
    company.goto(first_link(body_of(request), f"/trips/{second.pk}/confirm/"))
    expect(company.get_by_role("heading", level=1)).to_have_text("海外出張同行の費用の一部負担の確認")
    expect(company.locator("#share-note")).to_have_text(SHARE)
    assert_accessible(company)
    company.get_by_label("確認された方のお名前").fill("佐藤 花子")
    company.get_by_label("上記の費用の一部を当社が負担することを確認しました。").check()
    company.get_by_role("button", name="負担を確認する").click()
    expect(company.locator("#confirmed")).to_contain_text("佐藤 花子様が確認済みです。")
    assert_accessible(company)

    expert.goto(f"/expert/companies/{application.public_id}/")  # the 409 page was a POST
    expect(expert.locator("#trip-2")).to_contain_text("企業負担分 確認済み")
    expert.get_by_role("button", name="2回目の出張を確定する").click()
    expect(expert.get_by_text("2回目の海外出張同行を確定しました。")).to_be_visible()
    expect(expert.locator("#trip-2 .trip-status")).to_have_text("確定")
    second.refresh_from_db()
    assert (second.status, second.company_share_confirmed_by) == (TripStatus.PLANNED, "佐藤 花子")

    # V.2 A JETRO review replaces the expert.
    staff.goto(f"/staff/support/{application.public_id}/")
    staff.get_by_role("link", name="支援レビュー").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("支援活動のレビュー")
    assert_accessible(staff)
    staff.get_by_label("実施日").fill(today.isoformat())
    staff.get_by_label("所見（社内用）").fill("専門分野の重点を代理店開拓に移すため交替する")
    staff.get_by_role("group", name="結論").get_by_label("専門家を交替").check()
    staff.get_by_label("交替後の専門家（結論が「専門家を交替」のとき）").select_option(label="李 美玲")
    staff.get_by_role("button", name="記録する").click()
    expect(staff.get_by_text("レビューを記録し、担当の専門家を交替しました。")).to_be_visible()
    assert_accessible(staff)
    current = Assignment.objects.get(application=application, ended_at__isnull=True)
    assert current.expert == successor

    # The old expert's portal no longer has the company: not listed, its page a 404.
    expert.goto("/expert/")
    expect(expert.get_by_text("現在担当している企業はありません。")).to_be_visible()
    expect(expert.get_by_role("link", name=COMPANY)).to_have_count(0)
    assert_accessible(expert)
    response = expert.goto(f"/expert/companies/{application.public_id}/")
    assert response.status == 404
    expert_context.close()

    # III.6 The early end with TERM-7 and an internal note.
    staff.goto(f"/staff/support/{application.public_id}/")
    section = staff.locator("#terminate-section")
    section.get_by_label("途中終了の理由（申込要領 III.6）").select_option("TERM-7")
    section.get_by_label("経緯・判断の内容（社内用）").fill(SECRET_NOTE)
    section.get_by_label("終了日").fill(today.isoformat())
    section.get_by_role("button", name="途中終了を記録する").click()
    expect(staff.get_by_text("支援の途中終了を記録しました。")).to_be_visible()
    expect(staff.locator("#status")).to_have_text("支援終了（途中終了）")
    expect(staff.locator("#termination-reason")).to_contain_text("TERM-7")
    assert_accessible(staff)
    staff_context.close()
    application.refresh_from_db()
    assert application.status == S.TERMINATED

    # The company's pages: the end, courteously, and no reason of any kind.
    company.goto(f"/my/applications/{application.public_id}/")
    expect(company.get_by_text("支援は終了しました。ご利用いただき、ありがとうございました。")
           ).to_be_visible()
    status_text = company.locator("main").inner_text()
    assert_accessible(company)
    company.get_by_role("link", name="支援の状況（専門家・活動・報告）").click()
    expect(company.get_by_role("heading", level=1)).to_have_text("支援の状況")
    expect(company.locator("#company-status")).to_have_text("支援終了")
    support_text = company.locator("main").inner_text()
    assert f"{today.year}年{today.month}月{today.day}日をもって支援を終了しました。" in support_text
    assert "ご利用いただき、ありがとうございました。" in support_text
    assert "工場を訪問し米国向け価格表を見直した" in support_text
    assert_accessible(company)
    company_context.close()
    for text in (status_text, support_text):
        assert SECRET_NOTE not in text
        assert "TERM-" not in text and TERM_REASON_TEXT not in text and "III.6" not in text
        assert "値引き" not in text  # the expert's internal memo neither

    # The termination mail at the sink: courteous, no reason.
    ended = wait_for_mail(smtp_sink, "支援終了のお知らせ", to=CONTACT)
    body = body_of(ended)
    assert f"{today.year}年{today.month}月{today.day}日をもちまして、専門家による支援を終了いたしました" in body
    assert "心より御礼申し上げます" in body
    for text in (body, str(ended["Subject"])):
        assert SECRET_NOTE not in text and "TERM-" not in text
        assert TERM_REASON_TEXT not in text and "助言・指導に反する" not in text
    for message in smtp_sink.parsed():  # nothing that reached the company carries the note
        assert SECRET_NOTE not in body_of(message) and "TERM-" not in body_of(message)
