"""FORM-WITHDRAW: the applicant withdraws before the decision; staff are told; no undo."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from handson.enums import Role
from handson.models import AuditLog, OutboundMail
from tests.applications.submission_helpers import INTAKE_DAY, complete_application
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _intake_day():
    with time_machine.travel(INTAKE_DAY, tick=False):
        yield


@pytest.fixture
def received():
    application = complete_application(company__name="株式会社みなと食品",
                                       product_name="冷凍和菓子")
    return workflow.application_submit(application=application, actor=application.applicant)


def withdraw_url(application) -> str:
    return reverse("applications:withdraw", args=[application.public_id])


def test_confirmation_page_explains_it_cannot_be_undone(client, received):
    client.force_login(received.applicant)
    response = client.get(withdraw_url(received))
    assert response.status_code == 200
    page = response.content.decode()
    assert "辞退の取り消しはできません。" in page
    assert "ご提出いただいた申込書類等は返却いたしません（申込要領 IV.2(2)③）。" in page
    assert 'for="id_reason"' in page and '<textarea name="reason"' in page
    assert "辞退の理由（任意）" in page
    assert "辞退を確定する" in page
    assert Application.objects.get(pk=received.pk).status == S.RECEIVED


def test_post_withdraws_with_reason_mails_and_audit(client, received, settings):
    settings.STAFF_NOTIFICATION_EMAIL = "handson-staff@example.jp"
    client.force_login(received.applicant)
    response = client.post(withdraw_url(received), {"reason": "  社内体制の見直しのため  "},
                           follow=True)
    assert response.redirect_chain == [
        (reverse("applications:status", args=[received.public_id]), 302)]
    assert "お申し込みの辞退を承りました。" in response.content.decode()

    application = Application.objects.get(pk=received.pk)
    assert application.status == S.WITHDRAWN
    assert application.withdrawal_reason == "社内体制の見直しのため"
    assert application.status_changed_at == INTAKE_DAY

    audit = AuditLog.objects.get(action="application.withdrawn")
    assert audit.actor == received.applicant
    assert audit.before == {"status": "received"}
    assert audit.after == {"status": "withdrawn", "withdrawal_reason": "社内体制の見直しのため"}
    assert audit.rule_ids == ["FORM-WITHDRAW"]

    staff_mail = OutboundMail.objects.get(template="staff_withdrawal_notice")
    assert staff_mail.to == "handson-staff@example.jp"
    assert staff_mail.dedupe_key == f"withdrawal-staff:{application.pk}"
    assert staff_mail.subject == "【ハンズオン支援・職員向け】申込辞退：株式会社みなと食品"
    assert "・辞退時の状態：受付済み" in staff_mail.body_text
    assert "・辞退の理由：社内体制の見直しのため" in staff_mail.body_text

    mail = OutboundMail.objects.get(template="application_withdrawn")
    assert mail.to == application.contact_email
    assert mail.subject == "【ハンズオン支援】お申し込みの辞退を承りました（株式会社みなと食品 様）"
    assert "株式会社みなと食品\n佐藤 花子 様" in mail.body_text
    assert "・対象製品・サービス：冷凍和菓子" in mail.body_text
    assert "申込書類等は返却いたしませんので" in mail.body_text
    stamp = int(INTAKE_DAY.timestamp() * 1_000_000)
    assert mail.dedupe_key == f"status:{application.pk}:withdrawn:{stamp}"
    assert "社内体制の見直し" not in mail.body_text  # the applicant's mail does not echo it


def test_withdrawal_without_a_reason(received):
    workflow.application_withdraw(application=received, actor=received.applicant)
    application = Application.objects.get(pk=received.pk)
    assert (application.status, application.withdrawal_reason) == (S.WITHDRAWN, "")
    assert "・辞退の理由：（記載なし）" in OutboundMail.objects.get(
        template="staff_withdrawal_notice").body_text


def test_reason_longer_than_2000_characters_is_refused(client, received):
    client.force_login(received.applicant)
    response = client.post(withdraw_url(received), {"reason": "あ" * 2001})
    assert response.status_code == 400
    page = response.content.decode()
    assert "この値は 2000 文字以下でなければなりません( 2001 文字になっています)。" in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in page
    assert Application.objects.get(pk=received.pk).status == S.RECEIVED


def test_withdrawal_while_awaiting_documents():
    application = ApplicationFactory()
    workflow.application_withdraw(application=application, actor=application.applicant,
                                  reason="準備が間に合わないため")
    assert Application.objects.get(pk=application.pk).status == S.WITHDRAWN


@pytest.mark.parametrize("status", [S.ADOPTED, S.REJECTED, S.WITHDRAWN, S.IN_SUPPORT])
def test_not_allowed_after_the_decision(client, status):
    application = ApplicationFactory(status=status)
    with pytest.raises(workflow.TransitionError):
        workflow.application_withdraw(application=application, actor=application.applicant)
    client.force_login(application.applicant)
    for response in (client.get(withdraw_url(application)),
                     client.post(withdraw_url(application), {"reason": "x"})):
        assert response.status_code == 409
        assert "このお申し込みは辞退の手続きができません" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == status
    assert not AuditLog.objects.filter(action="application.withdrawn").exists()
    assert not OutboundMail.objects.exists()


def test_adopted_applicant_is_pointed_to_the_declination_form(client):
    application = ApplicationFactory(status=S.ADOPTED, decision_notified_at=timezone.now())
    client.force_login(application.applicant)
    page = client.get(withdraw_url(application)).content.decode()
    assert "採択後辞退届（定型フォーム）をご提出ください。" in page


def test_another_applicant_cannot_withdraw(client, received):
    client.force_login(UserFactory(role=Role.APPLICANT))
    assert client.post(withdraw_url(received), {"reason": "x"}).status_code == 404
    assert Application.objects.get(pk=received.pk).status == S.RECEIVED


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_staff_cannot_withdraw_for_the_applicant(client, received, who):
    from tests.factories import verified_login

    verified_login(client, UserFactory(role=Role.STAFF) if who == "staff" else
                   UserFactory(is_superuser=True, is_staff=True))
    response = client.post(withdraw_url(received), {"reason": "x"})
    assert response.status_code == 302
    assert Application.objects.get(pk=received.pk).status == S.RECEIVED


def test_withdrawal_is_final(client, received):
    workflow.application_withdraw(application=received, actor=received.applicant)
    with pytest.raises(workflow.TransitionError):
        workflow.application_submit(application=Application.objects.get(pk=received.pk),
                                    actor=received.applicant)
    client.force_login(received.applicant)
    page = client.get(reverse("applications:status", args=[received.public_id])).content
    assert withdraw_url(received).encode() not in page
