"""DOCS-FS-FY2025: statements submitted in FY2025 are taken over, never copied or deleted."""

import pytest
from django.urls import reverse

from applications.enums import DocumentKind, DocumentSource
from applications.models import Document
from applications.services.documents import fy2025_statements
from handson.enums import Role
from handson.models import AuditLog
from tests.applications.factories_webform import stored_document
from tests.factories import ApplicationFactory, CallFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

NUMBER = "1234567890123"


@pytest.fixture
def last_year():
    """The same company's FY2025 application with statements for 2021, 2023 and 2024."""
    call = CallFactory(fiscal_year=2025, title="2025年度")
    application = ApplicationFactory(call=call, company__corporate_number=NUMBER)
    return {year: stored_document(application, fiscal_year=year) for year in (2021, 2023, 2024)}


@pytest.fixture
def application():
    return ApplicationFactory(company__corporate_number=NUMBER, company__name="株式会社あおば精機")


@pytest.fixture
def owner_client(client, application):
    client.force_login(application.applicant)
    return client


def form_url(application):
    return reverse("applications:webform", args=[application.public_id])


def reuse(client, application):
    return client.post(reverse("applications:document_reuse_fy2025",
                               args=[application.public_id]))


def test_offered_with_the_same_corporate_number(owner_client, application, last_year):
    # 2021 is not among the years this call asks for (2022–2025)
    assert [d.fiscal_year for d in fy2025_statements(application)] == [2024, 2023]
    html = owner_client.get(form_url(application)).content.decode()
    assert ("2025年度にご提出いただいた決算報告書（2024年度（令和6年度）・2023年度（令和5年度））"
            "をそのまま使う") in html


@pytest.mark.parametrize("number", ["", "9999999999999"])
def test_not_offered_without_the_same_corporate_number(client, last_year, number):
    application = ApplicationFactory(company__corporate_number=number)
    assert fy2025_statements(application) == []
    client.force_login(application.applicant)
    assert 'id="fy2025-offer"' not in client.get(form_url(application)).content.decode()
    reuse(client, application)
    assert not Document.objects.filter(application=application).exists()


def test_not_offered_from_another_fiscal_year(client, application):
    old = ApplicationFactory(call=CallFactory(fiscal_year=2024, title="2024年度"),
                             company__corporate_number=NUMBER)
    stored_document(old, fiscal_year=2023)
    assert fy2025_statements(application) == []


def test_reuse_points_at_the_same_files(owner_client, application, last_year):
    response = reuse(owner_client, application)
    assert response.status_code == 302
    rows = Document.objects.filter(application=application).order_by("-fiscal_year")
    assert [(d.fiscal_year, d.source, d.file.name) for d in rows] == [
        (2024, DocumentSource.FY2025_REUSE, last_year[2024].file.name),
        (2023, DocumentSource.FY2025_REUSE, last_year[2023].file.name),
    ]
    logs = AuditLog.objects.filter(action="document.reused").order_by("pk")
    assert [log.after["fiscal_year"] for log in logs] == [2024, 2023]
    assert logs[0].rule_ids == ["DOCS-FS-FY2025", "DOCS-FS"]
    assert logs[0].after["from"] == str(last_year[2024].public_id)
    # offered no more once taken over
    assert fy2025_statements(application) == []
    html = owner_client.get(form_url(application)).content.decode()
    assert "2025年度にご提出いただいたもの" in html
    assert 'id="fy2025-offer"' not in html


def test_reuse_skips_years_already_uploaded(owner_client, application, last_year):
    mine = stored_document(application, fiscal_year=2024)
    reuse(owner_client, application)
    rows = Document.objects.filter(application=application).order_by("-fiscal_year")
    assert [(d.fiscal_year, d.source) for d in rows] == [(2024, "web"), (2023, "fy2025_reuse")]
    assert rows[0].pk == mine.pk


def test_deleting_or_replacing_the_reused_row_keeps_the_fy2025_file(
        owner_client, application, last_year, django_capture_on_commit_callbacks):
    from tests.pdf_samples import uploaded, valid_pdf

    reuse(owner_client, application)
    storage = Document._meta.get_field("file").storage
    reused_2024 = Document.objects.get(application=application, fiscal_year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("applications:document_delete",
                                  args=[application.public_id, reused_2024.public_id]))
        owner_client.post(reverse("applications:document_upload", args=[application.public_id]),
                          {"kind": DocumentKind.FINANCIAL_STATEMENT, "fiscal_year": "2023",
                           "slot": "fs2", "file": uploaded(valid_pdf())})
    assert not Document.objects.filter(pk=reused_2024.pk).exists()
    new_2023 = Document.objects.get(application=application, fiscal_year=2023)
    assert new_2023.source == DocumentSource.WEB
    for year in (2023, 2024):
        assert storage.exists(last_year[year].file.name)
        assert Document.objects.filter(pk=last_year[year].pk).exists()


def test_reused_statement_is_downloadable_by_staff_not_by_the_new_account(
        client, application, last_year):
    client.force_login(application.applicant)
    reuse(client, application)
    reused = Document.objects.get(application=application, fiscal_year=2024)
    url = reverse("applications:document_download", args=[reused.public_id])
    assert client.get(url).status_code == 404
    verified_login(client, UserFactory(role=Role.STAFF))
    response = client.get(url)
    assert response.status_code == 200
    assert "_%282024%E5%B9%B4%E5%BA%A6%29_" in response["Content-Disposition"]
