"""Uploads through the WEB form page, replacement, deletion and downloads (DOCS-FS,
DOCS-PRODUCT, quality.md "Uploads" 6–7)."""

import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus, DocumentKind, DocumentSource
from applications.models import Application, Document
from handson.enums import Role
from handson.models import AuditLog
from tests.applications.factories_webform import stored_document
from tests.factories import ApplicationFactory, UserFactory, verified_login
from tests.pdf_samples import png_bytes, uploaded, valid_pdf

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")
FS = DocumentKind.FINANCIAL_STATEMENT


@pytest.fixture
def application():
    return ApplicationFactory(company__name="株式会社あおば精機", product_name="精密部品")


@pytest.fixture
def owner_client(client, application):
    client.force_login(application.applicant)
    return client


def upload_url(application):
    return reverse("applications:document_upload", args=[application.public_id])


def form_url(application):
    return reverse("applications:webform", args=[application.public_id])


def post_upload(client, application, data: bytes, name="決算書.pdf", *, kind=FS,
                fiscal_year="2025", slot="fs1"):
    payload = {"kind": kind, "slot": slot, "file": uploaded(data, name=name)}
    if fiscal_year is not None:
        payload["fiscal_year"] = fiscal_year
    return client.post(upload_url(application), payload)


@pytest.fixture
def files():
    """The files the private storage holds now that it did not hold when the test began."""
    storage = Document._meta.get_field("file").storage
    root = Path(storage.location)

    def snapshot() -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    before = snapshot()

    def new_files() -> list[str]:
        return sorted(snapshot() - before)

    new_files.read = lambda name: (root / name).read_bytes()
    return new_files


# -- access ----------------------------------------------------------------------------------

def test_upload_url():
    assert reverse("applications:document_upload",
                   args=["00000000-0000-0000-0000-000000000001"]) == (
        "/my/applications/00000000-0000-0000-0000-000000000001/documents/")


def test_anonymous_upload_redirects_to_login(client, application, files):
    response = post_upload(client, application, valid_pdf())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("handson:login"))
    assert not Document.objects.exists()
    assert files() == []


def test_another_applicants_upload_is_404(client, application, files):
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = post_upload(client, application, valid_pdf())
    assert response.status_code == 404
    assert not Document.objects.exists()
    assert files() == []


def test_upload_is_post_only(owner_client, application):
    assert owner_client.get(upload_url(application)).status_code == 405


# -- accepted upload ---------------------------------------------------------------------------

def test_valid_pdf_is_stored_under_a_generated_name(owner_client, application, files):
    data = valid_pdf(pages=3)
    response = post_upload(owner_client, application, data)
    assert response.status_code == 302
    assert response["Location"] == form_url(application) + "#section-documents"

    document = Document.objects.get()
    assert document.application == application
    assert (document.kind, document.fiscal_year, document.source) == (FS, 2025, "web")
    assert GENERATED.fullmatch(document.file.name)
    assert document.original_name == "決算書.pdf"
    assert document.page_count == 3
    assert document.size_bytes == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.uploaded_by == application.applicant
    assert files() == [document.file.name]
    assert files.read(document.file.name) == data

    log = AuditLog.objects.get(action="document.uploaded")
    assert log.rule_ids == ["DOCS-FS"]
    assert log.actor == application.applicant
    assert log.after["fiscal_year"] == 2025
    assert log.after["sha256"] == document.sha256

    html = owner_client.get(form_url(application)).content.decode()
    assert ("2025年度（令和7年度） 決算報告書 を受け付けました: 決算書.pdf（3ページ・0.1MB未満）"
            in html)
    assert '<span class="document-name">決算書.pdf</span>' in html
    assert reverse("applications:document_download", args=[document.public_id]) in html


def test_catalogue_upload_has_no_fiscal_year(owner_client, application):
    response = post_upload(owner_client, application, valid_pdf(2), name="catalog.pdf",
                           kind=DocumentKind.PRODUCT_CATALOGUE, fiscal_year="2025",
                           slot="product")
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.fiscal_year) == (DocumentKind.PRODUCT_CATALOGUE, None)
    assert AuditLog.objects.get(action="document.uploaded").rule_ids == ["DOCS-PRODUCT"]
    assert document.download_name == "株式会社あおば精機_(精密部品).pdf"


# -- refused upload ----------------------------------------------------------------------------

def test_refused_file_stores_nothing_and_says_why_beside_the_slot(owner_client, application,
                                                                  files):
    response = post_upload(owner_client, application, png_bytes(), name="scan.pdf",
                           fiscal_year="2024", slot="fs2")
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert files() == []
    assert not AuditLog.objects.filter(action="document.uploaded").exists()
    html = response.content.decode()
    assert ('<div class="invalid-feedback d-block" id="id_fs2_file_error">'
            "PDFファイルではないようです。ファイル名が「.pdf」で終わっていても、中身がPDFでなければ"
            "受け付けられません。PDF形式で保存し直してから、もう一度お送りください。</div>") in html
    assert 'aria-invalid="true" aria-describedby="id_fs2_file_error"' in html
    # the year chosen for that slot is kept
    assert '<option value="2024" selected>2024年度（令和6年度）</option>' in html


def test_year_outside_the_list_is_refused(owner_client, application, files):
    response = post_upload(owner_client, application, valid_pdf(), fiscal_year="2019")
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert files() == []


def test_financial_statement_needs_a_year(owner_client, application):
    response = post_upload(owner_client, application, valid_pdf(), fiscal_year=None)
    assert response.status_code == 400
    assert "年度を選んでください。" in response.content.decode()


def test_missing_file_is_refused(owner_client, application):
    response = owner_client.post(upload_url(application),
                                 {"kind": FS, "fiscal_year": "2025", "slot": "fs1"})
    assert response.status_code == 400
    assert "ファイルを選んでください。" in response.content.decode()


def test_upload_after_receipt_is_refused(owner_client, application, files):
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.RECEIVED)
    response = post_upload(owner_client, application, valid_pdf())
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert files() == []


# -- names are never paths --------------------------------------------------------------------

def test_two_companies_uploading_the_same_name_never_overwrite(client, files):
    first, second = ApplicationFactory(), ApplicationFactory()
    data_first, data_second = valid_pdf(1), valid_pdf(2)
    for application, data in ((first, data_first), (second, data_second)):
        client.force_login(application.applicant)
        assert post_upload(client, application, data).status_code == 302
    doc_first = Document.objects.get(application=first)
    doc_second = Document.objects.get(application=second)
    assert doc_first.file.name != doc_second.file.name
    assert doc_first.original_name == doc_second.original_name == "決算書.pdf"
    assert files.read(doc_first.file.name) == data_first
    assert files.read(doc_second.file.name) == data_second


@pytest.mark.parametrize(("name", "kept"), [
    ("../../x.pdf", "x.pdf"),  # Django keeps only the base name; we never use it anyway
    ("a.php%00.pdf", "a.php%00.pdf"),
    ("x.pdf.html", "x.pdf.html"),
    # the upload parser already drops the bidi override; as data it would be harmless too
    ("請求書\u202efdp.exe", "請求書fdp.exe"),
    ("CON.pdf", "CON.pdf"),
    ("あ" * 300 + ".pdf", ("あ" * 300)[:251] + ".pdf"),
])
def test_hostile_names_are_data_only(owner_client, application, files, name, kept):
    assert post_upload(owner_client, application, valid_pdf(), name=name).status_code == 302
    document = Document.objects.get()
    assert GENERATED.fullmatch(document.file.name)
    assert document.original_name == kept
    assert len(document.original_name) <= 255
    assert files() == [document.file.name]
    html = owner_client.get(form_url(application)).content.decode()
    assert "\u202e" not in html  # shown with bidi controls neutralised


# -- replacement and deletion -----------------------------------------------------------------

def test_new_upload_for_the_same_year_replaces_the_old(owner_client, application, files,
                                                       django_capture_on_commit_callbacks):
    post_upload(owner_client, application, valid_pdf(1), name="旧.pdf")
    old = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(owner_client, application, valid_pdf(2), name="新.pdf", slot="fs1")
    new = Document.objects.get()
    assert new.pk != old.pk
    assert (new.original_name, new.page_count) == ("新.pdf", 2)
    assert files() == [new.file.name]
    log = AuditLog.objects.filter(action="document.uploaded").latest("pk")
    assert [r["original_name"] for r in log.before["replaced"]] == ["旧.pdf"]


def test_other_years_are_separate_slots(owner_client, application):
    for year in ("2025", "2024", "2023"):
        post_upload(owner_client, application, valid_pdf(), fiscal_year=year)
    assert sorted(Document.objects.values_list("fiscal_year", flat=True)) == [2023, 2024, 2025]


def test_delete_removes_row_and_file(owner_client, application, files,
                                    django_capture_on_commit_callbacks):
    post_upload(owner_client, application, valid_pdf())
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("applications:document_delete",
                                             args=[application.public_id, document.public_id]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert files() == []
    assert AuditLog.objects.get(action="document.deleted").before["original_name"] == "決算書.pdf"


def test_delete_of_another_applicants_document_is_404(client, application):
    document = stored_document(application)
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.post(reverse("applications:document_delete",
                                   args=[application.public_id, document.public_id]))
    assert response.status_code == 404
    other = ApplicationFactory()
    client.force_login(other.applicant)  # own application, someone else's document
    response = client.post(reverse("applications:document_delete",
                                   args=[other.public_id, document.public_id]))
    assert response.status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_delete_after_receipt_is_refused(owner_client, application):
    document = stored_document(application)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.RECEIVED)
    owner_client.post(reverse("applications:document_delete",
                              args=[application.public_id, document.public_id]))
    assert Document.objects.filter(pk=document.pk).exists()


def test_postal_document_cannot_be_replaced_or_deleted(owner_client, application):
    postal = Document.objects.create(application=application, kind=FS, fiscal_year=2025,
                                     source=DocumentSource.POSTAL)
    response = post_upload(owner_client, application, valid_pdf())
    assert response.status_code == 400
    assert "郵送で受領済み" in response.content.decode()
    response = owner_client.post(reverse("applications:document_delete",
                                         args=[application.public_id, postal.public_id]))
    assert response.status_code == 404
    assert list(Document.objects.all()) == [postal]


# -- downloads ---------------------------------------------------------------------------------

def download_url(document):
    return reverse("applications:document_download", args=[document.public_id])


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("owner", 200), ("other_applicant", 404), ("staff", 200),
])
def test_download_matrix(client, application, who, expected):
    document = stored_document(application)
    if who == "owner":
        client.force_login(application.applicant)
    elif who == "other_applicant":
        client.force_login(UserFactory(role=Role.APPLICANT))
    elif who == "staff":
        verified_login(client, UserFactory(role=Role.STAFF))
    assert client.get(download_url(document)).status_code == expected


def test_download_headers_and_japanese_name(owner_client, application):
    data = valid_pdf()
    post_upload(owner_client, application, data, name="../../evil.html", fiscal_year="2024")
    document = Document.objects.get()
    response = owner_client.get(download_url(document))
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # 株式会社あおば精機_(2024年度)_決算報告書.pdf (RFC 6266 / RFC 5987)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''"
        "%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE%E3%81%82%E3%81%8A%E3%81%B0%E7%B2%BE%E6%A9%9F"
        "_%282024%E5%B9%B4%E5%BA%A6%29_%E6%B1%BA%E7%AE%97%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf")


def test_download_name_of_a_company_with_separators_is_safe(client):
    application = ApplicationFactory(company__name='A/B\\社"<x>', product_name="製品:1")
    document = stored_document(application, kind=DocumentKind.PRODUCT_CATALOGUE)
    client.force_login(application.applicant)
    disposition = client.get(download_url(document))["Content-Disposition"]
    assert disposition == ("attachment; filename*=utf-8''A_B_%E7%A4%BE__x__"
                           "%28%E8%A3%BD%E5%93%81_1%29.pdf")


# -- size --------------------------------------------------------------------------------------

def test_a_file_of_exactly_10_mb_is_accepted_one_byte_more_is_refused(owner_client, application,
                                                                      files):
    from tests.pdf_samples import pdf_of_size

    limit = 10 * 1024 * 1024
    response = post_upload(owner_client, application, pdf_of_size(limit + 1))
    assert response.status_code == 400
    assert "10MBを超えています" in response.content.decode()
    assert files() == []
    response = post_upload(owner_client, application, pdf_of_size(limit))
    assert response.status_code == 302
    assert Document.objects.get().size_bytes == limit


def test_a_huge_body_is_cut_off_beside_the_slot(owner_client, application, files, settings):
    settings.DOCUMENT_MAX_BYTES = 1000  # cap = 1000 bytes + 1 MiB of slack
    data = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    response = post_upload(owner_client, application, data, fiscal_year="2023", slot="fs3")
    assert response.status_code == 413
    html = response.content.decode()
    assert ('<div class="invalid-feedback d-block" id="id_fs3_file_error">'
            "ファイルのサイズが大きすぎるため、受け取りを途中で止めました。") in html
    assert not Document.objects.exists()
    assert files() == []
