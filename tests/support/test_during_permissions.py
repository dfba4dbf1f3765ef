"""Every URL of the DURING-support area × every role, with the expected status written out.

Object pages answer 404 to anyone whose object it is not (nothing leaks); the overdue list
answers 403 (a list, as the other staff lists); anonymous users are sent to the login.
"""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from experts.models import Assignment
from handson.enums import Role
from support.enums import SurveyKind
from support.models import Survey, Trip
from tests.factories import ApplicationFactory, UserFactory, verified_login
from tests.support.factories_during import (
    TODAY,
    DuringExpertFactory,
    in_support_case,
    staff_user,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "other_applicant", "staff", "committee", "expert_assigned",
         "expert_not_assigned", "expert_ended", "admin"]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def world():
    setup = in_support_case()
    ended = DuringExpertFactory()
    Assignment.objects.create(application=setup.application, expert=ended,
                              ended_at=timezone.now(), end_reason="交替")
    Trip.objects.create(case=setup.case, expert=setup.expert, sequence=1, destination="LA",
                        start_on=date(2026, 8, 3), end_on=date(2026, 8, 8), status="planned")
    second = Trip.objects.create(case=setup.case, expert=setup.expert, sequence=2,
                                 destination="NY", start_on=date(2026, 9, 3),
                                 end_on=date(2026, 9, 8), company_share_note="航空券代の半額")
    survey = Survey.objects.create(case=setup.case, kind=SurveyKind.PROGRESS,
                                   due_on=date(2026, 6, 30))
    other_expert = DuringExpertFactory()
    in_support_case(expert=other_expert)  # an expert busy elsewhere
    return {"setup": setup, "trip": second, "survey": survey, "ended": ended,
            "other_expert": other_expert}


def _login(client, who, world):
    setup = world["setup"]
    users = {
        "owner": lambda: setup.owner,
        "other_applicant": lambda: ApplicationFactory(status="in_support").applicant,
        "staff": lambda: staff_user(),
        "committee": lambda: UserFactory(role=Role.COMMITTEE),
        "expert_assigned": lambda: setup.expert.user,
        "expert_not_assigned": lambda: world["other_expert"].user,
        "expert_ended": lambda: world["ended"].user,
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    if who == "anonymous":
        return
    user = users[who]()
    if who in ("owner", "other_applicant"):
        client.force_login(user)
    else:
        verified_login(client, user)


STAFF_ONLY = {"staff": 200, "admin": 200}
EXPERT_ONLY = {"expert_assigned": 200}
OWNER_ONLY = {"owner": 200}

# name, method, args ("case" / "trip" / "survey" / None), expected for the permitted roles
# (everyone else logged in: 404 unless `others` says otherwise; anonymous: 302)
URLS = [
    ("support:staff_activities", "get", "case", STAFF_ONLY, 404),
    ("support:staff_trips", "get", "case", STAFF_ONLY, 404),
    ("support:staff_trip", "get", "trip", STAFF_ONLY, 404),
    ("support:staff_trip_plan", "post", "trip", {"staff": 409, "admin": 409}, 404),
    ("support:staff_trip_confirm", "post", "trip", {"staff": 400, "admin": 400}, 404),
    ("support:staff_trip_cost", "post", "trip", {"staff": 400, "admin": 400}, 404),
    ("support:staff_trip_cancel", "post", "trip", {"staff": 400, "admin": 400}, 404),
    ("support:staff_trip_done", "post", "trip", {"staff": 409, "admin": 409}, 404),
    ("support:staff_reviews", "get", "case", STAFF_ONLY, 404),
    ("support:staff_surveys", "get", "case", STAFF_ONLY, 404),
    ("support:staff_survey", "get", "survey", STAFF_ONLY, 404),
    ("support:surveys_overdue", "get", None, STAFF_ONLY, 403),
    ("support:expert_home", "get", None,
     {"expert_assigned": 200, "expert_not_assigned": 200, "expert_ended": 200}, 404),
    ("support:expert_case", "get", "case", EXPERT_ONLY, 404),
    ("support:expert_activity_new", "get", "case", EXPERT_ONLY, 404),
    ("support:expert_trip_new", "get", "case", EXPERT_ONLY, 404),
    ("support:expert_trip_plan", "post", "trip", {"expert_assigned": 409}, 404),
    ("support:expert_trip_done", "post", "trip", {"expert_assigned": 409}, 404),
    ("support:trip_confirm", "get", "trip", OWNER_ONLY, 404),
    ("support:survey_answer", "get", "survey", OWNER_ONLY, 404),
]


def _url(name, args, world):
    public_id = world["setup"].application.public_id
    return reverse(name, args={
        None: [], "case": [public_id], "trip": [public_id, world["trip"].pk],
        "survey": [public_id, world["survey"].pk]}[args])


def _expected(role, permitted, others):
    if role == "anonymous":
        return 302
    return permitted.get(role, others)


CASES = [(name, method, args, role, _expected(role, permitted, others))
         for name, method, args, permitted, others in URLS for role in ROLES]


@pytest.mark.parametrize(("name", "method", "args", "role", "expected"), CASES,
                         ids=[f"{c[0].split(':')[1]}-{c[3]}" for c in CASES])
def test_permission_matrix(client, world, name, method, args, role, expected):
    _login(client, role, world)
    response = getattr(client, method)(_url(name, args, world))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("handson:login"))


def test_nothing_changed_by_the_refused_requests(client, world):
    """The 409s above are refusals: the 2nd trip is still waiting for the company."""
    for role in ROLES:
        client.logout()
        _login(client, role, world)
        client.post(_url("support:expert_trip_plan", "trip", world))
        client.post(_url("support:staff_trip_plan", "trip", world))
    world["trip"].refresh_from_db()
    assert world["trip"].status == "proposed"


def test_another_companys_objects_are_404_even_for_their_owner(client, world):
    """A trip or survey id of company A under company B's URL is not found."""
    other = in_support_case()
    client.force_login(other.owner)
    public_id = other.application.public_id
    assert client.get(reverse("support:trip_confirm",
                              args=[public_id, world["trip"].pk])).status_code == 404
    assert client.get(reverse("support:survey_answer",
                              args=[public_id, world["survey"].pk])).status_code == 404
    client.logout()
    verified_login(client, staff_user())
    assert client.get(reverse("support:staff_trip",
                              args=[public_id, world["trip"].pk])).status_code == 404
    assert client.get(reverse("support:staff_survey",
                              args=[public_id, world["survey"].pk])).status_code == 404
