"""The selection journey end to end in Chromium (issue #5 "Done when", one flow):

staff screen a received application (① scores, pass), schedule and record the interview (②
pass → matching), match an expert (③ → 最終審査中) and put it on a committee agenda; three
members vote (one recuses); the chair closes (④); the adoption notice is sent from the batch
page and reaches the SMTP sink with the 採択通知書 and the 同意書 as PDFs (⑤). A second
application is rejected at ① with an internal note; its rejection notice, sent from the batch
page, and the applicant's status page carry no reason (⑥).

Mails go through the outbox, a real Celery worker on Redis and an SMTP sink.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationStatus as S
from screening.enums import CRITERIA_LABELS, SCORED_CRITERIA
from screening.models import AgendaItem, Notice, NoticeStatus, Vote
from tests.e2e.conftest import assert_accessible
from tests.e2e.journey_helpers import applicant_page, body_of, staff_page, wait_for_mail
from tests.experts.factories import ExpertFactory
from tests.factories import CallFactory
from tests.screening.factories_committee import member, pdf_text
from tests.screening.factories_screening import complete_application, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ADOPTED = "株式会社あおば精機"
ADOPTED_MAIL = "sato@aoba.example.jp"
REJECTED = "株式会社みどり食品"
REJECTED_MAIL = "kanri@midori.example.jp"
MEETING = "第1回 採択企業選定審査委員会"
WEAK = "財務基盤が弱い"  # the internal note of the rejection: never shown to the applicant
WEAK_DECISION = "財務基盤が弱いため不通過とする（自己資本比率が低い）"
RULE_IDS = ("SEL-", "DOCS-COMPLETE", "V.1(2)")


@pytest.fixture
def call(settings, live_server):
    settings.SITE_URL = live_server.url  # the links in the mails point at this server
    today = timezone.localdate()
    # Decisions may be notified from a day in the past: the batch page can send.
    return CallFactory(fiscal_year=2026, opens_on=today - timedelta(days=200),
                       closes_on=today + timedelta(days=30),
                       decisions_not_before=today - timedelta(days=7))


def assess(page, score: str, proposal: str, notes: str) -> None:
    for criterion in SCORED_CRITERIA:
        page.get_by_role("group", name=str(CRITERIA_LABELS[criterion])).get_by_label(
            score, exact=True).check()
    page.get_by_role("group", name="提案").get_by_label(proposal, exact=True).check()
    page.get_by_label("所見（社内用・申込者には開示されません）").fill(notes)
    page.get_by_role("button", name="評価を保存する").click()


def decide(page, outcome: str, note: str = "") -> None:
    page.get_by_role("group", name="決定").get_by_label(outcome, exact=True).check()
    if note:
        page.get_by_label("決定の理由（社内用・申込者には開示されません）").fill(note)
    page.get_by_role("button", name="決定を記録する").click()


def vote(browser, live_server, user, choice: str, note: str = "", keep: bool = False):
    """A member logs in (own context), opens the packet and votes."""
    context, page = staff_page(browser, live_server, user)
    page.goto("/staff/committee/")
    page.get_by_role("link", name=MEETING).first.click()
    page.get_by_role("link", name=f"{ADOPTED}（精密加工部品）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"審議資料：{ADOPTED}")
    page.get_by_role("group", name="投票").get_by_label(choice, exact=True).check()
    if note:
        page.get_by_label("利益相反の内容（「回避」を選んだときは必須）").fill(note)
    page.get_by_role("button", name="投票する（変更できません）").click()
    expect(page.get_by_text("あなたの投票（記録済み）")).to_be_visible()
    if not keep:
        context.close()
    return context, page


def test_selection_journey_from_screening_to_the_notices(browser, live_server, call,
                                                        celery_worker, smtp_sink):
    application = complete_application(
        call=call, company__name=ADOPTED, contact_email=ADOPTED_MAIL,
        answers={"desired_support": "米国での販路開拓と代理店探しを支援してほしい。"})
    rejected = complete_application(call=call, company__name=REJECTED,
                                    contact_email=REJECTED_MAIL, product_name="冷凍和菓子")
    ExpertFactory(name="高橋 誠", countries=["US"], industries=["manufacturing_other"],
                  fields=["export_channels"])
    chair = member(display_name="山本 委員長")
    second = member(display_name="佐々木 委員")
    third = member(display_name="小林 委員")
    lead = staff_user(display_name="田中 審査")
    staff_user(display_name="鈴木 同席")

    staff_context, staff = staff_page(browser, live_server, lead)

    # ① Document screening of the first application: scores, pass.
    staff.goto("/staff/screening/")
    staff.get_by_role("link", name=f"{ADOPTED}（精密加工部品）").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("書類審査（一次審査）")
    assess(staff, "4", "通過", "計画が具体的で体制も整っている。")
    expect(staff.get_by_text("書類審査の評価を保存しました。")).to_be_visible()
    decide(staff, "通過")

    # ② The interview: scheduled, then its result and pass → 専門家マッチング中.
    expect(staff.get_by_role("heading", level=1)).to_have_text("面談審査（二次審査）の日程")
    when = timezone.localtime() + timedelta(days=14)
    staff.get_by_label("日時").fill(f"{when:%Y-%m-%d}T14:00")
    staff.get_by_role("group", name="形式").get_by_label("オンライン", exact=True).check()
    staff.get_by_label("オンライン会議のURL（オンラインの場合）").fill("https://meet.example.jp/aoba")
    staff.get_by_label("企業側の出席者").fill("代表取締役 山田 太郎\n海外事業部長 佐藤 花子")
    staff.get_by_label("田中 審査").check()
    staff.get_by_label("鈴木 同席").check()
    staff.get_by_label("専門家候補").select_option(label="高橋 誠")
    staff.get_by_role("button", name="面談を設定する").click()
    expect(staff.get_by_text("面談の日程を設定しました。")).to_be_visible()
    invitation = wait_for_mail(smtp_sink, "面談審査の日程のご案内", to=ADOPTED_MAIL)
    assert "https://meet.example.jp/aoba" in body_of(invitation)
    staff.get_by_role("link", name="面談の結果を入力する").click()
    assess(staff, "5", "通過", "代表者の意欲が高く、体制も十分。")
    decide(staff, "通過")
    expect(staff.get_by_text("面談審査の通過を決定しました。")).to_be_visible()
    expect(staff.locator(".status-pill")).to_contain_text("専門家マッチング中")

    # ③ Matching from the work queue: the first-ranked expert → 最終審査中.
    staff.goto("/staff/screening/")
    assert_accessible(staff)  # the queue with applications in several states
    staff.locator("section[aria-labelledby=q-matching]").get_by_role("link", name="専門家を選ぶ").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("専門家のマッチング")
    expect(staff.locator("#candidates tbody tr").first.get_by_role("rowheader")
           ).to_have_text("高橋 誠")
    staff.get_by_role("group", name="担当にする専門家").get_by_label("高橋 誠").check()
    staff.get_by_role("button", name="選んだ専門家で確定し、最終審査へ進める").click()
    expect(staff.get_by_text("担当の専門家を高橋 誠さんに確定し、最終審査（採択企業選定審査委員会）に進めました。")
           ).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW

    # ① The second application is rejected, with an internal note.
    staff.goto("/staff/screening/")
    staff.get_by_role("link", name=f"{REJECTED}（冷凍和菓子）").click()
    assess(staff, "2", "不通過", WEAK)
    decide(staff, "不通過", WEAK_DECISION)
    expect(staff.get_by_text("書類審査の不通過を決定しました。申込は「不採択」になりました。")
           ).to_be_visible()
    assert_accessible(staff)  # the decided (rejected) document screening page
    rejected.refresh_from_db()
    assert rejected.status == S.REJECTED

    # ④ The committee: staff set the meeting up with the application on its agenda, open it.
    staff.goto("/staff/committee/")
    staff.get_by_role("link", name="委員会を設定する").click()
    staff.get_by_label("名称").fill(MEETING)
    staff.get_by_label("開催日時").fill(f"{timezone.localdate():%Y-%m-%d}T14:00")
    for user in (chair, second, third):
        staff.get_by_label(str(user), exact=True).check()
    staff.get_by_role("combobox", name="委員長").select_option(label=str(chair))
    staff.get_by_role("spinbutton", name="定足数").fill("2")
    staff.get_by_role("group", name="可否同数の扱い").get_by_label(
        "可否同数のときは不採択とする").check()
    expect(staff.get_by_label(f"{REJECTED}（冷凍和菓子）")).to_have_count(0)  # not a candidate
    staff.get_by_label(f"{ADOPTED}（精密加工部品）").check()
    staff.get_by_role("button", name="保存する").click()
    expect(staff.get_by_text("委員会を設定しました。")).to_be_visible()
    staff.get_by_role("button", name="開会する（投票を受け付ける）").click()
    expect(staff.get_by_text("委員会を開会しました。委員は投票できます。")).to_be_visible()

    # Three members vote; one recuses. The chair closes.
    chair_context, chair_page = vote(browser, live_server, chair, "採択", keep=True)
    vote(browser, live_server, second, "採択")
    vote(browser, live_server, third, "利益相反のため回避", note="親族が同社の役員")
    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["adopt", "adopt",
                                                                     "recused"]
    chair_page.goto("/staff/committee/")
    chair_page.get_by_role("link", name=MEETING).first.click()
    chair_page.get_by_role("link", name="閉会して決定を記録する").click()
    chair_page.get_by_role("button", name="閉会して決定を記録する").click()
    expect(chair_page.get_by_text("委員会を閉会し、決定を記録しました。")).to_be_visible()
    chair_context.close()
    item = AgendaItem.objects.get()
    assert (item.votes_adopt, item.votes_reject, item.recusals, item.decision) == (
        2, 0, 1, "adopted")
    application.refresh_from_db()
    assert application.status == S.ADOPTED and application.consortium_id

    # ⑤⑥ The batch page: a draft for the rejection too, then both are sent.
    staff.goto("/staff/notices/")
    staff.get_by_role("button", name="通知のない採択・不採択の申込に下書きを作る").click()
    expect(staff.get_by_text("通知の下書きを1件作成しました。")).to_be_visible()
    assert_accessible(staff)  # both kinds of drafts listed
    staff.get_by_label(f"{ADOPTED}への通知を送信する").check()
    staff.get_by_label(f"{REJECTED}への通知を送信する").check()
    staff.get_by_role("button", name="選んだ通知を送信する").click()
    expect(staff.get_by_text(f"{ADOPTED}：送信しました（送信メールに登録）。")).to_be_visible()
    expect(staff.get_by_text(f"{REJECTED}：送信しました（送信メールに登録）。")).to_be_visible()
    assert_accessible(staff)  # the sent list
    staff_context.close()
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}

    # The adoption notice at the sink, with its two PDFs naming the company.
    adoption = wait_for_mail(smtp_sink, "採択のお知らせ", to=ADOPTED_MAIL)
    assert adoption["Subject"].strip() == f"【ハンズオン支援】採択のお知らせ（{ADOPTED} 様）"
    assert application.consortium_id in body_of(adoption)
    attachments = {part.get_filename(): part.get_content()
                   for part in adoption.iter_attachments()}
    assert list(attachments) == [f"{ADOPTED}_採択通知書.pdf",
                                 f"{ADOPTED}_応募・利用条件兼同意書.pdf"]
    for name, content in attachments.items():
        assert content.startswith(b"%PDF"), name
        assert ADOPTED in pdf_text(content), name
    assert application.consortium_id in pdf_text(attachments[f"{ADOPTED}_採択通知書.pdf"])

    # The rejection notice at the sink: courteous, no reason, no rule.
    rejection = wait_for_mail(smtp_sink, "審査結果のお知らせ", to=REJECTED_MAIL)
    assert list(rejection.iter_attachments()) == []
    text = body_of(rejection) + str(rejection["Subject"])
    assert "今回はご期待に沿えない結果となりました" in text
    for secret in (WEAK, WEAK_DECISION, *RULE_IDS):
        assert secret not in text

    # The applicants' status pages show the decisions; the rejected one, no reason.
    context, page = applicant_page(browser, live_server, rejected.applicant)
    page.goto(f"/my/applications/{rejected.public_id}/")
    expect(page.locator(".status-pill")).to_have_text("審査結果のお知らせ")
    expect(page.get_by_text("今回はご期待に沿えない結果となりました。")).to_be_visible()
    main = page.locator("main").inner_text()
    for secret in (WEAK, WEAK_DECISION, *RULE_IDS):
        assert secret not in main
    assert_accessible(page)
    context.close()

    context, page = applicant_page(browser, live_server, application.applicant)
    page.goto(f"/my/applications/{application.public_id}/")
    expect(page.get_by_text("採択となりました。")).to_be_visible()
    expect(page.get_by_role("link", name="採択通知書（PDF）")).to_be_visible()
    assert_accessible(page)
    context.close()
