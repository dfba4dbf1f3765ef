"""The WEB form in Chromium: autosave, a PDF upload, the browser's own checks, axe-core."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from applications.models import Document, WebFormAnswers
from tests.e2e.conftest import assert_accessible
from tests.factories import ApplicationFactory
from tests.pdf_samples import valid_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as(page, live_server, user) -> None:
    """What django.contrib.auth.login stores, put in a session the browser then carries
    (applicants arrive by a signed link; the password login is for staff)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "handson.auth.EmailOrUsernameBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": store.session_key, "url": live_server.url}])


def test_applicant_fills_in_uploads_and_the_page_is_accessible(page, live_server):
    application = ApplicationFactory(company__name="株式会社あおば精機", product_name="精密部品")
    log_in_as(page, live_server, application.applicant)
    page.goto(f"/my/applications/{application.public_id}/form/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "WEBフォーム（申込内容の入力と書類の提出）")
    assert_accessible(page)

    # autosave after a pause in typing, announced in the section's live region
    page.get_by_label("経営理念・経営戦略").fill("ものづくりで世界の現場を支える")
    status = page.locator("#status-plan")
    status.filter(has_text="保存しました（").wait_for()
    answers = WebFormAnswers.objects.get(application=application)
    assert answers.management_philosophy == "ものづくりで世界の現場を支える"
    assert "「経営理念・経営戦略」が未入力です。" not in page.locator("#missing-items").inner_text()

    # a yes/no radio saves on change
    page.locator("#id_declarations-declares_not_antisocial_0").check()
    page.locator("#status-declarations").filter(has_text="保存しました（").wait_for()
    answers.refresh_from_db()
    assert answers.declares_not_antisocial is True

    # the browser refuses a non-PDF before sending
    slot = page.locator("#slot-fs1")
    slot.locator("input[type=file]").set_input_files(
        files=[{"name": "memo.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    slot.get_by_role("button", name="送信する").click()
    assert slot.locator("#id_fs1_file_error").inner_text() == (
        "PDFファイル（拡張子 .pdf）を選んでください。")
    assert not Document.objects.exists()

    # a real PDF is accepted and shown at once beside its slot
    slot.locator("input[type=file]").set_input_files(
        files=[{"name": "決算書2025.pdf", "mimeType": "application/pdf",
                "buffer": valid_pdf(pages=2)}])
    with page.expect_navigation():
        slot.get_by_role("button", name="送信する").click()
    slot = page.locator("#slot-fs1")
    assert "決算書2025.pdf" in slot.inner_text()
    assert "2025年度（令和7年度）" in slot.inner_text()
    assert "2ページ" in slot.inner_text()
    assert "を受け付けました" in page.locator("#status-documents").inner_text()
    document = Document.objects.get()
    assert (document.fiscal_year, document.page_count) == (2025, 2)
    assert_accessible(page)
