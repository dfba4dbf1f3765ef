"""The support lifecycle's demo seeder: every state, idempotent, through the services."""

import pytest
import time_machine
from django.core.management import call_command

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.models import AuditLog, OutboundMail
from support.demo import DEMO_COMPANIES, INTERNAL_NOTE
from support.models import Activity, SupportCase
from tests.support.factories_lifecycle import jst

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@time_machine.travel(jst(2026, 9, 1, 10, 0), tick=False)
def test_demo_brings_companies_into_each_state_once():
    seed()
    counts = (Application.objects.count(), AuditLog.objects.count(),
              OutboundMail.objects.count(), Activity.objects.count())
    seed()
    assert (Application.objects.count(), AuditLog.objects.count(),
            OutboundMail.objects.count(), Activity.objects.count()) == counts
    states = {name: Application.objects.get(company__name=name).status
              for name, *_rest, _target in DEMO_COMPANIES}
    assert sorted(states.values()) == sorted(t for *_rest, t in DEMO_COMPANIES)
    terminated = SupportCase.objects.get(application__status=S.TERMINATED)
    assert (terminated.termination_reason, terminated.internal_note) == ("TERM-7", INTERNAL_NOTE)
    running = SupportCase.objects.get(application__status=S.IN_SUPPORT)
    assert running.activities.count() == 3  # kickoff, visit, online
    assert not OutboundMail.objects.filter(body_text__contains=INTERNAL_NOTE).exists()
