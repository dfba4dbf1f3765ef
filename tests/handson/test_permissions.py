"""Role predicates and the permission-checked download: another owner's object is a 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.enums import DocumentKind
from applications.models import Document
from handson.enums import Role
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def document():
    application = ApplicationFactory(company__name="株式会社あおば精機", product_name="精密部品")
    doc = Document(application=application, kind=DocumentKind.FINANCIAL_STATEMENT,
                   fiscal_year=2024, original_name="決算書.pdf", size_bytes=len(PDF_BYTES))
    doc.file.save("documents/2026/11/generated.pdf", ContentFile(PDF_BYTES), save=True)
    return doc


def url(doc):
    return reverse("applications:document_download", args=[doc.public_id])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("owner", 200),
        ("other_applicant", 404),
        ("staff", 200),
        ("committee", 404),
        ("expert", 404),
        ("admin", 200),
    ],
)
def test_document_download_matrix(client, document, who, expected):
    users = {
        "owner": document.application.applicant,
        "other_applicant": UserFactory(role=Role.APPLICANT),
        "staff": UserFactory(role=Role.STAFF),
        "committee": UserFactory(role=Role.COMMITTEE),
        "expert": UserFactory(role=Role.EXPERT),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    if who in users:
        verified_login(client, users[who])
    response = client.get(url(document))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("handson:login"))


def test_download_is_an_attachment_with_the_program_name(client, document):
    client.force_login(document.application.applicant)
    response = client.get(url(document))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    # 株式会社あおば精機_(2024年度)_決算報告書.pdf, percent-encoded per RFC 6266 / 5987
    assert "%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE" in disposition
    assert "_%282024%E5%B9%B4%E5%BA%A6%29_" in disposition


def test_unknown_document_is_404_even_for_staff(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    response = client.get(reverse("applications:document_download",
                                  args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


def test_role_predicates():
    from handson.roles import is_applicant, is_committee_member, is_expert, is_staff_member

    staff, member = UserFactory(role=Role.STAFF), UserFactory(role=Role.COMMITTEE)
    admin = UserFactory(is_superuser=True)
    assert is_staff_member(staff) and is_staff_member(admin)
    assert not is_staff_member(member)
    assert is_committee_member(member) and not is_committee_member(staff)
    assert not is_expert(staff) and not is_applicant(staff)
    inactive = UserFactory(role=Role.STAFF, is_active=False)
    assert not is_staff_member(inactive)


def test_application_rule_is_object_level():
    mine, theirs = ApplicationFactory(), ApplicationFactory()
    user = mine.applicant
    assert user.has_perm("applications.view_application", mine)
    assert not user.has_perm("applications.view_application", theirs)


@pytest.mark.parametrize(("role", "expected"), [
    (Role.STAFF, ["/staff/", "/staff/support/"]),
    (Role.COMMITTEE, ["/staff/committee/"]),
    (Role.EXPERT, ["/expert/", "/expert/profile/"]),
])
def test_home_offers_each_role_its_own_starting_points(client, role, expected):
    verified_login(client, UserFactory(role=role))
    links = client.get("/").context["links"]
    assert [link["url"] for link in links] == expected


def test_home_offers_an_applicant_their_applications(client):
    application = ApplicationFactory(company__name="株式会社あおば精機")
    client.force_login(application.applicant)
    links = client.get("/").context["links"]
    assert links == [{"url": f"/my/applications/{application.public_id}/",
                      "label": "株式会社あおば精機 のお申し込み"}]


def test_home_offers_visitors_the_way_in(client):
    links = client.get("/").context["links"]
    assert [link["url"] for link in links] == ["/apply/", "/eligibility/", "/access/resend/"]
