"""The demo seeder of the experts room, and the selectors the other rooms use."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from experts import selectors
from experts.demo import DEMO_EXPERTS
from experts.models import Assignment, Expert
from handson.models import User
from tests.experts.factories import AssignmentFactory, ConflictFactory, ExpertFactory
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_links_the_demo_expert():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Expert.objects.count() == len(DEMO_EXPERTS) == 6
    linked = Expert.objects.get(user__username="expert")
    assert linked.name == "専門家 花子"
    assert User.objects.get(username="expert").expert_profile == linked
    assert set(Expert.objects.values_list("is_active", flat=True)) == {True, False}
    regions = {region for e in Expert.objects.all() for region in e.regions}
    assert len(regions) >= 6


def test_expert_snapshots_carry_current_loads_in_one_query():
    busy, idle = ExpertFactory(name_kana="ア", capacity=3), ExpertFactory(name_kana="イ")
    AssignmentFactory.create_batch(2, expert=busy)
    Assignment.objects.create(application=ApplicationFactory(status=S.COMPLETED), expert=busy,
                              ended_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        snapshots = selectors.expert_snapshots()
    assert len(queries) == 1
    assert [(s.expert_id, s.load, s.capacity) for s in snapshots] == [
        (busy.pk, 2, 3), (idle.pk, 0, 5)]


def test_current_assignment_companies_and_conflicts():
    expert = ExpertFactory()
    current = AssignmentFactory(expert=expert, application__company__name_kana="イ")
    other = AssignmentFactory(expert=expert, application__company__name_kana="ア")
    Assignment.objects.create(application=ApplicationFactory(status=S.COMPLETED), expert=expert,
                              ended_at=timezone.now())
    AssignmentFactory()  # someone else's
    assert selectors.current_assignment(current.application) == current
    assert selectors.current_assignment(ApplicationFactory()) is None
    with CaptureQueriesContext(connection) as queries:
        companies = [a.company.name for a in selectors.current_companies_of(expert)]
    assert len(queries) == 1
    assert companies == [other.application.company.name, current.application.company.name]
    conflict = ConflictFactory(expert=expert)
    assert selectors.conflicted_expert_ids(conflict.company) == {expert.pk}
    assert selectors.conflicted_expert_ids(current.application.company) == set()
