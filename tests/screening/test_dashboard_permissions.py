"""Every URL of the dashboard area × every role, with the expected status written out."""

import pytest
from django.urls import reverse

from handson.enums import MailStatus, Role
from handson.models import OutboundMail
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "staff", "committee", "expert", "admin"]


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def failed_mail(application):
    return OutboundMail.objects.create(
        to="a@example.jp", template="t", subject="件名", body_text="本文", dedupe_key="perm",
        status=MailStatus.FAILED, attempts=6, last_error="SMTP 550",
        object_type="applications.application", object_id=str(application.pk))


def _user(who, application):
    return {
        "applicant": lambda: application.applicant,  # the owner of the application
        "staff": lambda: UserFactory(role=Role.STAFF),
        "committee": lambda: UserFactory(role=Role.COMMITTEE),
        "expert": lambda: UserFactory(role=Role.EXPERT),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[who]()


# url name, method, is the URL about one object?, status for staff/admin
URLS = [
    ("screening:dashboard", "get", False, 200),
    ("screening:application_list", "get", False, 200),
    ("screening:application_csv", "get", False, 200),
    ("screening:application_detail", "get", True, 200),
    ("screening:application_assign", "post", True, 302),
    ("screening:mail_list", "get", False, 200),
    ("screening:mail_resend", "post", True, 302),
]
EXPECTED = {
    # role: (status for a page of lists, status for an object page)
    "anonymous": (302, 302),
    "applicant": (403, 404),
    "committee": (403, 404),
    "expert": (403, 404),
}


def _url(name, application, mail):
    if name in ("screening:application_detail", "screening:application_assign"):
        return reverse(name, args=[application.public_id])
    if name == "screening:mail_resend":
        return reverse(name, args=[mail.pk])
    return reverse(name)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("name", "method", "is_object", "staff_status"), URLS)
def test_permission_matrix(client, application, failed_mail, who, name, method, is_object,
                           staff_status):
    if who != "anonymous":
        verified_login(client, _user(who, application))
    url = _url(name, application, failed_mail)
    response = getattr(client, method)(url, {"staff_user": ""} if method == "post" else {})
    expected = staff_status if who in ("staff", "admin") else EXPECTED[who][int(is_object)]
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("handson:login"))
    failed_mail.refresh_from_db()
    resent = name == "screening:mail_resend" and who in ("staff", "admin")
    assert failed_mail.status == (MailStatus.PENDING if resent else MailStatus.FAILED)


def test_staff_without_second_factor_is_sent_to_verify(client):
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    response = client.get(reverse("screening:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("handson:otp_setup"))


def test_unknown_application_is_404_for_staff(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    response = client.get(reverse("screening:application_detail",
                                  args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


def test_rules():
    staff, member = UserFactory(role=Role.STAFF), UserFactory(role=Role.COMMITTEE)
    for perm in ("screening.view_dashboard", "screening.view_application",
                 "screening.export_applications", "screening.assign_staff",
                 "screening.view_outbox", "screening.resend_mail"):
        assert staff.has_perm(perm)
        assert not member.has_perm(perm)
