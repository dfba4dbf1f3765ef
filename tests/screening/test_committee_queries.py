"""List pages of the committee and the notices: the query count does not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from screening.services import notices as notice_services
from tests.factories import verified_login
from tests.screening.factories_committee import make_meeting, member, ready_application, staff

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_committee_home_queries_are_constant(client):
    me = member()
    make_meeting(members=[me, member()], chair=me)
    verified_login(client, me)
    url = reverse("screening:committee_home")
    one = _queries(client, url)
    for _ in range(4):
        make_meeting(members=[me, member()], chair=me)
    assert _queries(client, url) == one


def test_notice_batch_queries_are_constant(client):
    from applications.enums import ApplicationStatus as S

    user = staff()
    ready_application(status=S.REJECTED)
    notice_services.notices_draft_missing(actor=user)
    verified_login(client, user)
    url = reverse("screening:notice_batch")
    one = _queries(client, url)
    for _ in range(5):
        ready_application(status=S.REJECTED)
    notice_services.notices_draft_missing(actor=user)
    assert _queries(client, url) == one
