"""The whole applicant journey in Chromium, as a new applicant would walk it (issue #4):

/apply/ → registration (3 steps) → the automatic reply reaches the SMTP sink through a real
Celery worker on Redis → its link opens the WEB form → the answers, three financial
statements and a catalogue → submit → `received`, the receipt mail, and the 申込内容控え PDF
with the company name as text.
"""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, Document
from tests.e2e.conftest import assert_accessible
from tests.factories import CallFactory
from tests.pdf_samples import valid_pdf

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

COMPANY = "株式会社みなと精工"
LINK = re.compile(r"https?://\S+/access/[^/\s]+/")

PLAN = {
    "management_philosophy": "精密加工で世界のものづくりを支えます。",
    "expansion_motive": "米国の医療機器メーカーからの引き合いが増えているためです。",
    "executive_commitment": "代表取締役が自ら海外展開の責任者を務めます。",
    "implementation_structure": "海外営業担当2名と技術担当1名の体制です。",
    "financial_base": "自己資本比率は45%で、3期連続で黒字です。",
    "target_plan": "支援期間内に米国の代理店1社と契約することを目指します。",
    "market_needs": "医療機器向け精密部品の需要が伸びています。",
    "desired_support": "代理店候補の選定と商談準備のご助言をお願いします。",
}
YES, NO = 0, 1
REQUIREMENTS = {
    "consulting_business": NO, "product_exists": YES,
    "procures_domestically_for_export": NO, "aims_export_or_agent_contract": YES,
    "product_legal": YES, "b2b": YES, "continuous_export_to_target": NO,
    "local_base_in_target": NO, "management_approved": YES,
}
DECLARATIONS = ("declares_no_legal_violation", "declares_no_subsidy_violation",
                "declares_not_antisocial", "consents_to_reporting")


@pytest.fixture
def open_call(settings, live_server):
    settings.SITE_URL = live_server.url  # the links in the mails point at this server
    today = timezone.localdate()
    return CallFactory(fiscal_year=today.year, opens_on=today - timedelta(days=1),
                       closes_on=today + timedelta(days=60), planned_count=5)


def register(page) -> None:
    page.goto("/apply/")
    page.get_by_role("button", name="オンライン登録を始める").click()
    page.wait_for_url("**/apply/register/1/")
    page.fill("#id_name", COMPANY)
    page.fill("#id_name_kana", "カブシキガイシャミナトセイコウ")
    page.select_option("#id_legal_form", "company")
    page.fill("#id_postal_code", "1076006")
    page.select_option("#id_prefecture", "13")
    page.fill("#id_address", "港区赤坂1-12-32")
    page.fill("#id_representative", "港 一郎")
    page.select_option("#id_industry", "manufacturing_other")
    page.fill("#id_capital_yen", "3000万")
    page.fill("#id_regular_employees", "40")
    page.get_by_role("button", name="次へ進む（ご担当者の情報）").click()
    page.wait_for_url("**/apply/register/2/")
    page.fill("#id_contact_name", "佐藤 花子")
    page.fill("#id_contact_email", "hanako@minato.example.jp")
    page.fill("#id_contact_email_confirm", "hanako@minato.example.jp")
    page.fill("#id_contact_phone", "03-3582-8333")
    page.get_by_role("button", name="次へ進む（プロジェクトの概要）").click()
    page.wait_for_url("**/apply/register/3/")
    page.select_option("#id_project_type", "export")
    page.select_option("#id_country_1", "US")
    page.fill("#id_product_name", "精密加工部品")
    page.get_by_role("button", name="入力内容を確認する").click()
    page.wait_for_url("**/apply/register/confirm/")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url("**/apply/register/done/")


def save_section(page, key: str) -> None:
    """The button saves the section (by fetch when scripts run) and says so beside it."""
    page.locator(f"#section-{key}").get_by_role("button", name="保存する").click()
    page.locator(f"#status-{key}").filter(has_text="保存しました").wait_for()


def fill_webform(page) -> None:
    for name, text in PLAN.items():
        page.fill(f"#id_plan-{name}", text)
    save_section(page, "plan")
    page.check(f"#id_other_support-parallel_human_support_{NO}")
    save_section(page, "other_support")
    for name, choice in REQUIREMENTS.items():
        page.check(f"#id_requirements-{name}_{choice}")
    save_section(page, "requirements")
    for name in DECLARATIONS:
        page.check(f"#id_declarations-{name}_{YES}")
    save_section(page, "declarations")


def upload(page, slot: str, name: str, pages: int) -> None:
    box = page.locator(f"#slot-{slot}")
    box.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": valid_pdf(pages=pages)}])
    with page.expect_navigation():
        box.get_by_role("button", name="送信する").click()
    assert "受付済み" in page.locator(f"#slot-{slot}").inner_text()


def test_a_new_applicant_walks_the_whole_journey(page, live_server, open_call, celery_worker,
                                                 smtp_sink):
    register(page)

    # The automatic reply (FORM-AUTOREPLY) arrives at the SMTP sink through the worker.
    autoreply = smtp_sink.wait_for(1)[0]
    assert autoreply["To"] == "hanako@minato.example.jp"
    body = autoreply.get_body(("plain",)).get_content()
    assert COMPANY in body
    link = LINK.search(body).group(0)
    assert link.startswith(f"{live_server.url}/access/")

    # The link logs the contact person in to their own application's WEB form.
    page.goto(link)
    page.wait_for_url("**/form/")
    application = Application.objects.get()
    assert page.url.endswith(f"/my/applications/{application.public_id}/form/")
    assert application.eligibility_outcome == "eligible"
    assert_accessible(page)

    fill_webform(page)
    for slot, name in (("fs1", "決算書_第12期.pdf"), ("fs2", "決算書_第11期.pdf"),
                       ("fs3", "決算書_第10期.pdf")):
        upload(page, slot, name, pages=3)
    upload(page, "product", "製品カタログ.pdf", pages=8)
    assert Document.objects.filter(application=application).count() == 4
    assert_accessible(page)

    # Submit from the status page: everything is there, so it is received.
    page.get_by_role("link", name="申込状況の確認・提出へ").click()
    assert "必要な項目と書類はすべてそろっています" in page.locator("main").inner_text()
    page.get_by_role("button", name="この内容で申し込む").click()
    page.wait_for_url(f"**/my/applications/{application.public_id}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.received_at is not None
    assert_accessible(page)

    receipt = smtp_sink.wait_for(2)[1]
    assert receipt["To"] == "hanako@minato.example.jp"
    assert COMPANY in receipt.get_body(("plain",)).get_content()

    # 申込内容控え: a Japanese PDF whose text carries the company name.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="申込内容控え（PDF）をダウンロード").click()
    download = download_info.value
    assert download.suggested_filename == f"{COMPANY}_申込内容控え.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", download.path(), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert COMPANY in text
    assert PLAN["desired_support"] in text.replace("\n", "")
