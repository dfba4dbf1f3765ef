"""Every URL of the support lifecycle × every role, with the expected status written out."""


import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.enums import Role
from tests.factories import UserFactory, verified_login
from tests.support.factories_lifecycle import (
    ExpertFactory,
    adopted,
    consent_received,
    in_support,
    jst,
    staff_user,
    with_expert,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "other_applicant", "staff", "committee", "expert", "admin"]
KICKOFF = {"kickoff-kickoff_on": "2026-06-01", "kickoff-agreed_support": "米国の代理店開拓",
           "kickoff-period_start": "2026-06-01", "kickoff-period_end": "2027-02-28"}

# name, method, state the application is in, POST data, the status after a permitted POST,
# {role: expected HTTP status}
LIST = {"anonymous": 302, "owner": 403, "other_applicant": 403, "staff": 200,
        "committee": 403, "expert": 403, "admin": 200}
STAFF_PAGE = {"anonymous": 302, "owner": 404, "other_applicant": 404, "staff": 200,
              "committee": 404, "expert": 404, "admin": 200}
STAFF_POST = {**STAFF_PAGE, "staff": 302, "admin": 302}
COMPANY_PAGE = {"anonymous": 302, "owner": 200, "other_applicant": 404, "staff": 200,
                "committee": 404, "expert": 404, "admin": 200}
# The 辞退届 online is the owner's own act: staff and admins are sent back to the page.
DECLINE = {**COMPANY_PAGE, "staff": 302, "admin": 302}
DECLINE_POST = {**DECLINE, "owner": 302}

URLS = [
    ("support:case_list", "get", S.ADOPTED, {}, None, LIST),
    ("support:case_detail", "get", S.IN_SUPPORT, {}, None, STAFF_PAGE),
    ("support:case_consent", "post", S.ADOPTED, {"consent-received_on": "2026-05-29"},
     S.CONSENT_RECEIVED, STAFF_POST),
    ("support:case_kickoff", "post", S.CONSENT_RECEIVED, KICKOFF, S.IN_SUPPORT, STAFF_POST),
    ("support:case_period", "post", S.IN_SUPPORT,
     {"period-period_start": "2026-05-10", "period-period_end": "2027-01-31"}, S.IN_SUPPORT,
     STAFF_POST),
    ("support:case_complete", "post", S.IN_SUPPORT, {"complete-ended_on": "2026-06-01"},
     S.COMPLETED, STAFF_POST),
    ("support:case_terminate", "post", S.IN_SUPPORT,
     {"terminate-reason_code": "TERM-7", "terminate-internal_note": "社内",
      "terminate-ended_on": "2026-06-01"}, S.TERMINATED, STAFF_POST),
    ("support:case_declination", "post", S.ADOPTED,
     {"declination-signer_name": "山田 太郎", "declination-submitted_on": "2026-05-31"},
     S.DECLINED, STAFF_POST),
    ("support:company_case", "get", S.IN_SUPPORT, {}, None, COMPANY_PAGE),
    ("support:decline", "get", S.ADOPTED, {}, None, DECLINE),
    ("support:decline", "post", S.ADOPTED,
     {"signer_name": "山田 太郎", "understood": "on", "confirmed": "1"}, S.DECLINED,
     DECLINE_POST),
    ("support:declination_pdf", "get", S.CONSENT_RECEIVED, {}, None, COMPANY_PAGE),
]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(jst(2026, 6, 1, 10, 0), tick=False):
        yield


def application_in(state):
    actor = staff_user()
    if state == S.ADOPTED:
        return adopted()
    if state == S.CONSENT_RECEIVED:
        return consent_received(actor=actor)
    return in_support(actor=actor)


def user_for(who, application):
    if who == "owner":
        return application.applicant
    if who == "other_applicant":
        return UserFactory(role=Role.APPLICANT)
    if who == "expert":  # the expert assigned to this very company
        user = UserFactory(role=Role.EXPERT)
        with_expert(application, ExpertFactory(user=user))
        return user
    if who == "admin":
        return UserFactory(is_superuser=True, is_staff=True)
    return UserFactory(role={"staff": Role.STAFF, "committee": Role.COMMITTEE}[who])


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("name", "method", "state", "data", "after", "expected"), URLS,
                         ids=[f"{u[0]}-{u[1]}" for u in URLS])
def test_permission_matrix(client, who, name, method, state, data, after, expected):
    application = application_in(state)
    if who != "anonymous":
        user = user_for(who, application)
        if who == "owner" or who == "other_applicant":
            client.force_login(user)
        else:
            verified_login(client, user)
    url = reverse(name) if name == "support:case_list" else reverse(
        name, args=[application.public_id])
    response = getattr(client, method)(url, data)
    assert response.status_code == expected[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("handson:login"))
    permitted = response.status_code == 302 and who != "anonymous" and not (
        name == "support:decline" and who in ("staff", "admin"))
    now = Application.objects.get(pk=application.pk).status
    assert now == (after if (method == "post" and permitted) else state)
