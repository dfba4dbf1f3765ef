"""④⑤ in the browser: staff set up a meeting with three members; the members vote (one
recuses); the chair closes; staff send the adoption notice, which reaches the SMTP sink.
axe-core on the packet/voting page and the other pages on the way."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from screening.models import AgendaItem, Notice, NoticeStatus, Vote
from tests.e2e.conftest import assert_accessible, login
from tests.screening.factories_committee import (
    SECRET_NOTE,
    member,
    pdf_text,
    ready_application,
    staff,
    with_screening_notes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, user)
    return context, page


def vote(browser, live_server, user, company: str, choice: str, note: str = "",
         keep: bool = False):
    """Log in (a fresh context), vote, and close the context unless `keep` (a TOTP code is
    accepted once, so the same user cannot log in again within the same 30 s)."""
    context, page = new_page(browser, live_server, user)
    try:
        page.goto("/staff/committee/")
        assert page.get_by_role("heading", level=1).inner_text() == "採択企業選定審査委員会"
        assert page.get_by_text("未投票の案件が1件あります。").is_visible()
        assert_accessible(page)
        page.get_by_role("link", name="第1回 採択企業選定審査委員会").first.click()
        page.get_by_role("link", name=f"{company}（精密加工部品）").click()
        assert page.get_by_role("heading", level=1).inner_text() == f"審議資料：{company}"
        assert page.get_by_text(SECRET_NOTE).first.is_visible()
        assert_accessible(page)
        page.get_by_role("group", name="投票").get_by_label(choice, exact=True).check()
        if note:
            page.get_by_label("利益相反の内容（「回避」を選んだときは必須）").fill(note)
        page.get_by_role("button", name="投票する（変更できません）").click()
        assert page.get_by_text("あなたの投票（記録済み）").is_visible()
        assert_accessible(page)
    finally:
        if not keep:
            context.close()
    return context, page


def test_meeting_votes_close_and_adoption_notice(browser, live_server, celery_worker,
                                                 smtp_sink):
    application = with_screening_notes(ready_application(
        company__name="株式会社あおば精機", contact_email="sato@aoba.example.jp"))
    call = application.call
    call.decisions_not_before = date(2026, 4, 6)
    call.save(update_fields=["decisions_not_before"])
    if timezone.localdate() < call.decisions_not_before:  # the machine clock decides
        call.decisions_not_before = timezone.localdate() - timedelta(days=1)
        call.save(update_fields=["decisions_not_before"])
    chair = member(display_name="山本 委員長")
    second = member(display_name="佐々木 委員")
    third = member(display_name="小林 委員")
    lead = staff(display_name="田中 職員")

    # Staff set the meeting up and open it.
    context, page = new_page(browser, live_server, lead)
    page.goto("/staff/committee/")
    page.get_by_role("link", name="委員会を設定する").click()
    assert_accessible(page)
    page.get_by_label("名称").fill("第1回 採択企業選定審査委員会")
    page.get_by_label("開催日時").fill("2026-04-03T14:00")
    for user in (chair, second, third):
        page.get_by_label(str(user), exact=True).check()
    page.get_by_role("combobox", name="委員長").select_option(label=str(chair))
    page.get_by_role("spinbutton", name="定足数").fill("2")
    page.get_by_role("group", name="可否同数の扱い").get_by_label(
        "可否同数のときは不採択とする").check()
    page.get_by_label("株式会社あおば精機（精密加工部品）").check()
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("委員会を設定しました。").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="開会する（投票を受け付ける）").click()
    assert page.get_by_text("委員会を開会しました。委員は投票できます。").is_visible()

    # The members vote; one recuses.
    chair_context, chair_page = vote(browser, live_server, chair, "株式会社あおば精機", "採択",
                                     keep=True)
    vote(browser, live_server, second, "株式会社あおば精機", "採択")
    vote(browser, live_server, third, "株式会社あおば精機", "利益相反のため回避",
         note="親族が同社の役員")
    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["adopt", "adopt",
                                                                     "recused"]

    # The chair closes.
    chair_page.goto("/staff/committee/")
    chair_page.get_by_role("link", name="第1回 採択企業選定審査委員会").first.click()
    chair_page.get_by_role("link", name="閉会して決定を記録する").click()
    assert_accessible(chair_page)
    chair_page.get_by_role("button", name="閉会して決定を記録する").click()
    assert chair_page.get_by_text("委員会を閉会し、決定を記録しました。").is_visible()
    assert_accessible(chair_page)
    chair_context.close()
    item = AgendaItem.objects.get()
    assert (item.votes_adopt, item.votes_reject, item.votes_abstain, item.recusals,
            item.decision) == (2, 0, 0, 1, "adopted")
    application.refresh_from_db()
    assert (application.status, application.consortium_id) == (S.ADOPTED, "C2026-0001")

    # Staff preview and send the adoption notice from the batch page.
    page.goto("/staff/notices/")
    assert_accessible(page)
    page.get_by_role("row", name="株式会社あおば精機").get_by_role(
        "link", name="プレビュー・編集").click()
    assert "C2026-0001" in page.get_by_label("本文").input_value()
    assert_accessible(page)
    page.get_by_role("link", name="一覧に戻る（送信は一覧で行います）").click()
    page.get_by_label("株式会社あおば精機への通知を送信する").check()
    page.get_by_role("button", name="選んだ通知を送信する").click()
    assert page.get_by_text("株式会社あおば精機：送信しました（送信メールに登録）。").is_visible()
    context.close()

    messages = smtp_sink.wait_for(1)
    assert len(messages) == 1
    sent = messages[0]
    assert sent["To"] == "sato@aoba.example.jp"
    assert sent["Subject"].strip() == "【ハンズオン支援】採択のお知らせ（株式会社あおば精機 様）"
    body = sent.get_body(("plain",)).get_content()
    assert "C2026-0001" in body and "/my/applications/" in body
    assert SECRET_NOTE not in body
    # The 採択通知書 and the 同意書 travel with the mail as PDFs.
    attachments = {part.get_filename(): part.get_content() for part in sent.iter_attachments()}
    assert list(attachments) == ["株式会社あおば精機_採択通知書.pdf",
                                 "株式会社あおば精機_応募・利用条件兼同意書.pdf"]
    notice_text = pdf_text(attachments["株式会社あおば精機_採択通知書.pdf"])
    assert "株式会社あおば精機" in notice_text and "C2026-0001" in notice_text
    assert SECRET_NOTE not in notice_text
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.SENT
