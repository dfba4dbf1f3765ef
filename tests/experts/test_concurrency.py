"""Row locks (PostgreSQL): the last place of an expert, and one current expert per application,
hold under concurrent confirmations."""

import threading

import pytest
from django.db import close_old_connections

from applications.enums import ApplicationStatus as S
from experts import services
from experts.models import Assignment
from handson.enums import Role
from tests import services as test_services
from tests.experts.factories import ExpertFactory, matching_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(calls):
    barrier = threading.Barrier(len(calls))
    done, errors = [], []

    def run(call):
        try:
            barrier.wait()
            done.append(call())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return done, errors


def test_the_last_place_of_an_expert_is_taken_once():
    test_services.require_postgres()
    staff = UserFactory(role=Role.STAFF)
    expert = ExpertFactory(capacity=1)
    applications = [matching_application() for _ in range(4)]
    done, errors = run_concurrently([
        (lambda a=a: services.assignment_confirm(application=a, expert=expert, actor=staff,
                                                 score=1, reasons=[]))
        for a in applications])
    assert len(done) == 1
    assert [e.message for e in errors] == [
        f"{expert.name}さんの担当数が上限に達しています（1/1件）。"] * 3
    assert Assignment.objects.filter(expert=expert, ended_at=None).count() == 1
    statuses = sorted(a.__class__.objects.get(pk=a.pk).status for a in applications)
    assert statuses == [S.COMMITTEE_REVIEW] + [S.MATCHING] * 3


def test_one_application_gets_one_expert_under_double_clicks():
    test_services.require_postgres()
    staff = UserFactory(role=Role.STAFF)
    application = matching_application()
    experts = ExpertFactory.create_batch(4)
    done, errors = run_concurrently([
        (lambda e=e: services.assignment_confirm(application=application, expert=e, actor=staff,
                                                 score=1, reasons=[]))
        for e in experts])
    assert len(done) == 1
    assert {e.message for e in errors} == {"専門家マッチング中の申込だけに専門家を確定できます。"}
    assert Assignment.objects.filter(application=application).count() == 1
