import pytest
from django.core.management import call_command

from applications.models import Call
from handson.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_creates_every_role():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (User.objects.count(), Call.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (User.objects.count(), Call.objects.count()) == counts
    roles = {u.username: sorted(u.groups.values_list("name", flat=True))
             for u in User.objects.filter(username__in=["staff", "committee1", "expert"])}
    assert roles == {"staff": ["staff"], "committee1": ["committee"], "expert": ["expert"]}
    assert User.objects.get(username="admin").is_superuser
    call = Call.objects.get(fiscal_year=2026)
    assert str(call.support_end_limit) == "2027-02-28"
    assert str(call.decisions_not_before) == "2026-04-06"
