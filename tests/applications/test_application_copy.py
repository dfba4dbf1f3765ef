"""申込内容控え: a Japanese PDF of everything submitted, as an attachment; owner and staff."""

import shutil
import subprocess
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse

from applications.enums import DocumentKind, DocumentSource
from applications.models import Document
from applications.services import workflow
from handson.enums import Role
from tests import services
from tests.applications.submission_helpers import INTAKE_DAY, MARKET_NEEDS, complete_application
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdftotext(data: bytes, tmp_path, *options: str) -> str:
    if not shutil.which("pdftotext"):
        services.missing("pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
                            capture_output=True, check=True, timeout=60)
    return result.stdout.decode()


def flat(text: str) -> str:
    """pdftotext breaks long cells into lines: compare without any whitespace."""
    return "".join(text.split())


@pytest.fixture
def received():
    with time_machine.travel(INTAKE_DAY, tick=False):
        application = complete_application(
            company__name="株式会社あおば精機", company__name_kana="カブシキガイシャアオバセイキ",
            company__capital_yen=30_000_000, target_countries=["US", "TH"],
            us_tariff_response=True, product_name="精密加工部品",
        )
        Document.objects.create(application=application, kind=DocumentKind.PRODUCT_CATALOGUE,
                                original_name="カタログ.pdf", size_bytes=2_345_678,
                                page_count=12, source=DocumentSource.POSTAL)
        return workflow.application_submit(application=application, actor=application.applicant)


def copy_url(application) -> str:
    return reverse("applications:copy_pdf", args=[application.public_id])


def test_owner_downloads_the_copy_with_everything_submitted(client, received, tmp_path):
    client.force_login(received.applicant)
    response = client.get(copy_url(received))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    expected = quote("株式会社あおば精機_申込内容控え.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{expected}"
    assert response.content.startswith(b"%PDF-")

    text = flat(pdftotext(response.content, tmp_path))
    for expected_text in [
        "申込内容控え", "株式会社あおば精機", "カブシキガイシャアオバセイキ",
        "30,000,000円", "25人", "〒107-6006東京都港区赤坂1-12-32",
        "受付日時2026年5月11日10:00",
        "1.米国", "2.タイ", "精密加工部品", "輸出プロジェクト",
        # WEB form answers with the question labels (WebFormAnswers verbose_names)
        "海外展開の計画", "海外展開の実施体制implementation_structureの回答です。",
        "財務基盤financial_baseの回答です。", flat(MARKET_NEEDS),
        "申込要件の確認", "法令遵守の確認と調査への同意",
        # the documents list
        "odb-pt-apply@jetro.go.jp",
    ]:
        assert expected_text in text, expected_text
    # The documents list, one table row per document (read in layout order).
    rows = [flat(line) for line in pdftotext(response.content, tmp_path, "-layout").splitlines()]
    assert "決算報告書決算書2025.pdf3120.6KBWEBフォーム" in rows
    assert "製品・サービスのカタログ・写カタログ.pdf122.2MB郵送" in rows
    assert rows.count("2025年度2026/05/11") == 1
    # Only the questions asked of an export project: none of the overseas-base ones.
    assert "拠点の生産・操業・活動" not in text


def test_copy_is_not_offered_before_receipt(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    assert client.get(copy_url(application)).status_code == 404


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("owner", 200), ("other_applicant", 404), ("staff", 200),
    ("committee", 404), ("expert", 404),
])
def test_copy_access_matrix(client, received, who, expected):
    from tests.factories import verified_login

    users = {"owner": received.applicant, "other_applicant": UserFactory(role=Role.APPLICANT),
             "staff": UserFactory(role=Role.STAFF), "committee": UserFactory(role=Role.COMMITTEE),
             "expert": UserFactory(role=Role.EXPERT)}
    if who == "owner" or who == "other_applicant":
        client.force_login(users[who])
    elif who in users:
        verified_login(client, users[who])
    assert client.get(copy_url(received)).status_code == expected


def test_markup_in_a_company_name_is_text(client, tmp_path):
    with time_machine.travel(INTAKE_DAY, tick=False):
        application = complete_application(company__name="<img src=file:///etc/passwd>商事")
        workflow.application_submit(application=application, actor=application.applicant)
    client.force_login(application.applicant)
    response = client.get(copy_url(application))
    assert "<imgsrc=file:///etc/passwd>商事" in flat(pdftotext(response.content, tmp_path))
    assert "root:" not in pdftotext(response.content, tmp_path)
