"""INTAKE-CAP: intake ends when the planned number (予定件数) is reached, even under load."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application, Call
from applications.services import workflow
from handson.models import AuditLog, OutboundMail
from tests import services
from tests.applications.submission_helpers import INTAKE_DAY, complete_application
from tests.factories import CallFactory


@pytest.fixture
def intake_day():
    with time_machine.travel(INTAKE_DAY, tick=False):
        yield


@pytest.mark.django_db
def test_second_submission_is_refused_when_the_cap_of_one_is_reached(intake_day):
    call = CallFactory(planned_count=1)
    first, second = complete_application(call=call), complete_application(call=call)

    workflow.application_submit(application=first, actor=first.applicant)
    call.refresh_from_db()
    assert call.intake_closed is True
    closed = AuditLog.objects.get(action="call.intake_closed")
    assert (closed.object_type, closed.object_id) == ("applications.call", str(call.pk))
    assert closed.before == {"intake_closed": False}
    assert closed.after == {"intake_closed": True, "received_count": 1, "planned_count": 1}
    assert closed.rule_ids == ["INTAKE-CAP"]
    assert closed.actor == first.applicant

    with pytest.raises(workflow.IntakeClosed) as refused:
        workflow.application_submit(application=second, actor=second.applicant)
    assert refused.value.reason == workflow.IntakeClosed.CLOSED
    second.refresh_from_db()
    assert (second.status, second.received_at) == (ApplicationStatus.AWAITING_DOCUMENTS, None)
    assert OutboundMail.objects.filter(to=second.contact_email).count() == 0
    assert AuditLog.objects.filter(action="call.intake_closed").count() == 1


@pytest.mark.django_db
def test_cap_lowered_below_the_received_count_closes_the_call_and_refuses(intake_day):
    call = CallFactory(planned_count=5)
    first, second = complete_application(call=call), complete_application(call=call)
    workflow.application_submit(application=first, actor=first.applicant)
    Call.objects.filter(pk=call.pk).update(planned_count=1)  # staff changed the plan

    with pytest.raises(workflow.IntakeClosed) as refused:
        workflow.application_submit(application=second, actor=second.applicant)
    assert refused.value.reason == workflow.IntakeClosed.CAP_REACHED
    call.refresh_from_db()
    assert call.intake_closed is True
    assert Application.objects.get(pk=second.pk).received_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "reason"), [
    (date(2026, 3, 31), workflow.IntakeClosed.NOT_OPEN_YET),
    (date(2027, 2, 1), workflow.IntakeClosed.PERIOD_OVER),
])
def test_submission_outside_the_call_dates_is_refused(today, reason):
    application = complete_application()
    with time_machine.travel(f"{today.isoformat()} 12:00 +09:00", tick=False), \
            pytest.raises(workflow.IntakeClosed) as refused:
        workflow.application_submit(application=application, actor=application.applicant)
    assert refused.value.reason == reason
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DOCUMENTS
    assert Call.objects.get().intake_closed is False


@pytest.mark.django_db
def test_first_and_last_day_of_the_call_are_open():
    for day in ("2026-04-01 00:00 +09:00", "2027-01-31 23:59 +09:00"):
        application = complete_application()
        with time_machine.travel(day, tick=False):
            workflow.application_submit(application=application, actor=application.applicant)
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RECEIVED


@pytest.mark.django_db
def test_view_shows_a_polite_intake_closed_page(client, intake_day):
    call = CallFactory(planned_count=1, intake_closed=True)
    application = complete_application(call=call)
    client.force_login(application.applicant)
    response = client.post(reverse("applications:submit", args=[application.public_id]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "お申し込みの受付は終了しました。たくさんのお申し込みをいただき" in page
    assert "ジェトロのサービス一覧" in page
    assert Application.objects.get(pk=application.pk).status == (
        ApplicationStatus.AWAITING_DOCUMENTS)


@pytest.mark.django_db
def test_status_page_says_intake_has_closed(client):
    call = CallFactory(intake_closed=True)
    application = complete_application(call=call)
    client.force_login(application.applicant)
    page = client.get(reverse("applications:status", args=[application.public_id]))
    assert "予定件数に達したため、この募集回の受付は終了しました。" in page.content.decode()


# -- concurrency (PostgreSQL row locks) ------------------------------------------------------

APPLICANTS = 20
CAP = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_final_submissions_receive_exactly_the_cap(intake_day):
    services.require_postgres()
    call = CallFactory(planned_count=CAP)
    applications = [complete_application(call=call) for _ in range(APPLICANTS)]
    barrier = threading.Barrier(APPLICANTS, timeout=30)
    outcomes: dict[int, str] = {}
    lock = threading.Lock()

    def submit(application):
        try:
            barrier.wait()
            try:
                workflow.application_submit(application=application, actor=application.applicant)
                outcome = "received"
            except workflow.IntakeClosed:
                outcome = "closed"
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                outcome = f"error: {type(exc).__name__}: {exc}"
            with lock:
                outcomes[application.pk] = outcome
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes.values()).count("received") == CAP, outcomes
    assert sorted(outcomes.values()).count("closed") == APPLICANTS - CAP, outcomes
    received = Application.objects.filter(call=call, status=ApplicationStatus.RECEIVED)
    assert received.count() == CAP
    assert set(received.values_list("pk", flat=True)) == {
        pk for pk, outcome in outcomes.items() if outcome == "received"}
    # Nothing half-saved: refused applications are untouched, with no audit row or mail.
    refused = Application.objects.filter(call=call).exclude(status=ApplicationStatus.RECEIVED)
    assert refused.count() == APPLICANTS - CAP
    assert not refused.exclude(status=ApplicationStatus.AWAITING_DOCUMENTS).exists()
    assert not refused.filter(received_at__isnull=False).exists()
    assert Application.objects.filter(call=call, received_at__isnull=False).count() == CAP
    assert AuditLog.objects.filter(action="application.received").count() == CAP
    assert OutboundMail.objects.filter(template="application_received").count() == CAP
    assert AuditLog.objects.filter(action="call.intake_closed").count() == 1
    assert Call.objects.get(pk=call.pk).intake_closed is True
