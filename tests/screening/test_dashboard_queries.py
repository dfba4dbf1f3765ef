"""The dashboard, the list (with filters) and the CSV make the same number of queries for 1
and for 200 applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.enums import Role
from tests.factories import CallFactory, UserFactory, verified_login
from tests.screening.factories import make_applications

pytestmark = pytest.mark.django_db

STATUSES = [S.RECEIVED, S.DOCUMENT_SCREENING, S.INTERVIEW_SCHEDULED, S.AWAITING_DOCUMENTS]


def count_queries(client, url, params=None) -> tuple[int, int]:
    """(queries, rows shown): a filter that empties the page would skip the page query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if response.streaming:
            shown = b"".join(response.streaming_content).count(b"\r\n") - 1
        else:
            shown = len(response.context.get("rows") or response.context.get("waiting") or [])
    assert response.status_code == 200
    assert shown >= 1
    return len(queries), shown


@pytest.fixture
def setup(client):
    staff = [UserFactory(role=Role.STAFF) for _ in range(3)]
    verified_login(client, staff[0])
    call = CallFactory()
    applicant = UserFactory(role=Role.APPLICANT)

    def add(n):
        make_applications(n, call=call, applicant=applicant, staff=[*staff, None],
                          statuses=STATUSES, received_at=timezone.now())
        # some of them waited long (flags), each status changed at another time
        Application.objects.filter(pk__in=Application.objects.order_by("pk")
                                   .values("pk")[:(n + 1) // 2]).update(
            received_at=timezone.now() - timezone.timedelta(days=70))

    add.first_staff = staff[0]
    return add


@pytest.mark.parametrize(("name", "params"), [
    ("screening:dashboard", {}),
    ("screening:application_list", {}),
    # every filter at least once; each combination matches the first application
    ("screening:application_list", {"q": "いっかつ", "industry": "manufacturing_other",
                                     "prefecture": "13", "sort": "-days"}),
    ("screening:application_list", {"country": "US", "size_category": "sme",
                                     "eligibility_outcome": "eligible", "wait": "1",
                                     "status": S.RECEIVED, "project_type": "export",
                                     "sort": "status", "page": "1"}),
    ("screening:application_list", {"staff": "<first staff>", "sort": "kana"}),
    ("screening:application_csv", {}),
    ("screening:application_csv", {"status": S.RECEIVED, "country": "US", "sort": "kana",
                                    "q": "イッカツ"}),
])
def test_query_count_is_constant(client, setup, name, params):
    url = reverse(name)
    if params.get("staff") == "<first staff>":
        params = {**params, "staff": str(setup.first_staff.pk)}
    setup(1)
    count_queries(client, url, params)  # warm-up: session, content types …
    one, shown_one = count_queries(client, url, params)
    setup(199)
    assert Application.objects.count() == 200
    many, shown_many = count_queries(client, url, params)
    assert shown_many > shown_one
    assert many == one


def test_the_pages_really_show_many_rows(client, setup):
    """The constant counts above are not constant because the pages are empty."""
    setup(200)
    list_response = client.get(reverse("screening:application_list"))
    assert len(list_response.context["rows"]) == 50
    csv_response = client.get(reverse("screening:application_csv"))
    assert b"".join(csv_response.streaming_content).count(b"\r\n") == 201
    dashboard = client.get(reverse("screening:dashboard"))
    assert sum(stage.count for stage in dashboard.context["pipeline"]) == 200
    assert len(dashboard.context["waiting"]) == 50
