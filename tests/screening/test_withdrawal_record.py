"""FORM-WITHDRAW: a withdrawal received by e-mail or post, entered by staff."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.enums import Role
from handson.models import AuditLog, OutboundMail
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db
TODAY = "2026-11-25 10:00 +09:00"


def url(application):
    return reverse("screening:application_withdrawal", args=[application.public_id])


def post(client, application, **data):
    return client.post(url(application), {"channel": "email", "received_on": "2026-11-24",
                                          "reason": "社内体制の見直しのため", **data})


@pytest.fixture
def staff_client(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    return client


@time_machine.travel(TODAY, tick=False)
def test_staff_record_a_withdrawal_received_by_mail(staff_client):
    application = ApplicationFactory(status=S.DOCUMENT_SCREENING)
    response = post(staff_client, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.withdrawal_reason) == (
        S.WITHDRAWN, "社内体制の見直しのため")
    entry = AuditLog.objects.get(action="application.withdrawn")
    assert (entry.rule_ids, entry.note, entry.before) == (
        ["FORM-WITHDRAW"], "メールで受領（2026-11-24）", {"status": S.DOCUMENT_SCREENING})
    templates = sorted(OutboundMail.objects.values_list("template", flat=True))
    assert templates == ["application_withdrawn", "staff_withdrawal_notice"]


@time_machine.travel(TODAY, tick=False)
def test_the_form_is_offered_only_before_the_decision(staff_client):
    open_one = ApplicationFactory(status=S.RECEIVED)
    decided = ApplicationFactory(status=S.ADOPTED)
    page = staff_client.get(reverse("screening:application_detail", args=[open_one.public_id]))
    assert url(open_one) in page.content.decode()
    page = staff_client.get(reverse("screening:application_detail", args=[decided.public_id]))
    assert url(decided) not in page.content.decode()
    refused = post(staff_client, decided)
    assert refused.status_code == 409
    assert "辞退として記録できません" in refused.content.decode()
    assert Application.objects.get(pk=decided.pk).status == S.ADOPTED


@time_machine.travel(TODAY, tick=False)
def test_a_future_date_is_refused_next_to_the_field(staff_client):
    application = ApplicationFactory(status=S.RECEIVED)
    response = post(staff_client, application, received_on="2026-11-26")
    assert response.status_code == 400
    assert "受領日に未来の日付は指定できません。" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.RECEIVED


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("owner", 404), ("committee", 404), ("expert", 404)])
def test_only_staff_may_record(client, who, expected):
    application = ApplicationFactory(status=S.RECEIVED)
    if who == "owner":
        client.force_login(application.applicant)
    elif who != "anonymous":
        verified_login(client, UserFactory(role=Role(who)))
    assert post(client, application).status_code == expected
    assert Application.objects.get(pk=application.pk).status == S.RECEIVED


def test_the_received_on_date_is_data_for_the_audit_only():
    from screening.services.withdrawal import withdrawal_record

    application = ApplicationFactory(status=S.INTERVIEWED)
    staff = UserFactory(role=Role.STAFF)
    withdrawn = withdrawal_record(application=application, channel="post",
                                  received_on=date(2026, 11, 20), reason="", actor=staff)
    assert withdrawn.status == S.WITHDRAWN
    assert AuditLog.objects.get(action="application.withdrawn").note == (
        "書面（郵送・持参）で受領（2026-11-20）")
