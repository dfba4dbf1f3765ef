"""FORM-POSTAL: staff record posted documents; completeness counts them."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from applications.completeness import missing_items
from applications.enums import ApplicationStatus as S
from applications.enums import DocumentKind, DocumentSource
from applications.models import Document
from applications.services import workflow
from applications.services.postal import PostalDocumentError, document_record_postal
from handson.enums import Role
from handson.models import AuditLog
from tests.applications.submission_helpers import INTAKE_DAY, complete
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _intake_day():
    with time_machine.travel(INTAKE_DAY, tick=False):
        yield


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


def record(application, actor, kind=DocumentKind.FINANCIAL_STATEMENT, fiscal_year=2023,
           received_on=date(2026, 5, 8), note=""):
    return document_record_postal(application=application, kind=kind, fiscal_year=fiscal_year,
                                  received_on=received_on, actor=actor, note=note)


def test_staff_records_a_posted_statement_without_a_file(staff):
    application = ApplicationFactory()
    document = record(application, staff, note="封筒に「ハンズオン支援申込書類在中」")
    document.refresh_from_db()
    assert (document.kind, document.fiscal_year, document.source) == (
        DocumentKind.FINANCIAL_STATEMENT, 2023, DocumentSource.POSTAL)
    assert not document.file
    assert document.uploaded_by == staff
    assert document.uploaded_at.isoformat() == "2026-05-07T15:00:00+00:00"  # 5/8 00:00 JST
    audit = AuditLog.objects.get(action="document.postal_recorded")
    assert audit.actor == staff
    assert audit.object_id == str(application.pk)
    assert audit.after == {"document": str(document.public_id), "kind": "financial_statement",
                           "fiscal_year": 2023, "source": "postal", "received_on": "2026-05-08"}
    assert audit.rule_ids == ["FORM-POSTAL"]
    assert audit.note == "封筒に「ハンズオン支援申込書類在中」"


def test_posted_documents_complete_the_application(staff):
    application = complete(ApplicationFactory(), years=(2025, 2024))
    assert any("決算報告書（直近3カ年度分）がそろっていません" in m
               for m in missing_items(application))
    record(application, staff, fiscal_year=2023)
    assert missing_items(application) == []
    workflow.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == S.RECEIVED


def test_posted_catalogue_replaces_the_product_url(staff):
    application = complete(ApplicationFactory(), product_url="")
    assert missing_items(application) == [
        "対象製品・サービスのURL、又は写真・カタログのPDFが必要です。"]
    record(application, staff, kind=DocumentKind.PRODUCT_CATALOGUE, fiscal_year=2024)
    assert missing_items(application) == []
    assert Document.objects.get(kind=DocumentKind.PRODUCT_CATALOGUE).fiscal_year is None


def test_only_staff_record_posted_documents():
    application = ApplicationFactory()
    with pytest.raises(PermissionDenied):
        record(application, application.applicant)
    assert not Document.objects.exists()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"fiscal_year": None}, "決算報告書の年度は 2025, 2024, 2023, 2022 のいずれかを指定してください。"),
    ({"fiscal_year": 2019}, "決算報告書の年度は 2025, 2024, 2023, 2022 のいずれかを指定してください。"),
    ({"received_on": date(2026, 5, 12)}, "受領日に未来の日付は指定できません。"),
    ({"kind": "contract"}, "書類の種類が正しくありません（contract）。"),
])
def test_invalid_records_are_refused(staff, kwargs, message):
    with pytest.raises(PostalDocumentError) as refused:
        record(ApplicationFactory(), staff, **kwargs)
    assert refused.value.message == message
    assert not Document.objects.exists()
    assert not AuditLog.objects.exists()


def test_a_slot_already_filled_is_refused(staff):
    application = complete(ApplicationFactory())
    with pytest.raises(PostalDocumentError) as refused:
        record(application, staff, fiscal_year=2025)
    assert refused.value.message == "この書類はすでに登録されています（提出方法：WEBフォーム）。"


def test_not_after_screening_has_moved_on(staff):
    application = ApplicationFactory(status=S.INTERVIEW_SCHEDULED)
    with pytest.raises(PostalDocumentError) as refused:
        record(application, staff)
    assert refused.value.message == "この申込は「面談審査予定」のため、郵送書類を登録できません。"
