"""Final submission (DOCS-COMPLETE): refused while incomplete, received when complete."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import workflow
from handson.models import AuditLog, OutboundMail
from tests.applications.submission_helpers import INTAKE_DAY, complete, complete_application
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

MISSING_PRODUCT = "対象製品・サービスのURL、又は写真・カタログのPDFが必要です。"


@pytest.fixture(autouse=True)
def _intake_day():
    with time_machine.travel(INTAKE_DAY, tick=False):
        yield


def test_incomplete_application_is_refused_with_the_exact_missing_list():
    application = complete(ApplicationFactory(), product_url="")
    with pytest.raises(workflow.ApplicationIncomplete) as refused:
        workflow.application_submit(application=application, actor=application.applicant)
    assert refused.value.missing == [MISSING_PRODUCT]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DOCUMENTS
    assert application.received_at is None
    assert not AuditLog.objects.filter(action="application.received").exists()
    assert not OutboundMail.objects.exists()


def test_untouched_application_lists_every_plan_text_first():
    application = ApplicationFactory()
    with pytest.raises(workflow.ApplicationIncomplete) as refused:
        workflow.application_submit(application=application, actor=application.applicant)
    missing = refused.value.missing
    assert missing[0] == "「経営理念・経営戦略」が未入力です。"
    assert MISSING_PRODUCT in missing
    assert any(item.startswith("決算報告書（直近3カ年度分）がそろっていません（提出済み: 0年度分）")
               for item in missing)


def test_complete_application_is_received_with_mail_and_audit():
    application = complete_application(company__name="株式会社あおば精機",
                                       call__decisions_not_before=date(2026, 6, 1))
    result = workflow.application_submit(application=application, actor=application.applicant)

    application.refresh_from_db()
    assert result.status == application.status == ApplicationStatus.RECEIVED
    assert application.received_at == INTAKE_DAY
    assert application.status_changed_at == INTAKE_DAY

    mail = OutboundMail.objects.get(dedupe_key=f"received:{application.pk}")
    assert mail.to == application.contact_email
    assert mail.template == "application_received"
    assert mail.subject == "【ハンズオン支援】お申し込みを受け付けました（株式会社あおば精機 様）"
    body = mail.body_text
    assert "株式会社あおば精機\n佐藤 花子 様" in body
    assert "受付日時：2026年5月11日 10:00" in body
    assert "おおむね2週間から1か月程度" in body
    assert "2か月程度かかる場合があります" in body
    assert "審査を早めることはいたしかねます" in body
    assert "採否の決定は、早くても2026年6月1日以降となります。" in body
    status_url = "http://127.0.0.1:8000" + reverse("applications:status",
                                                   args=[application.public_id])
    assert status_url in body
    assert "申込を辞退する" in body
    assert "申込書類等は返却いたしません" in body
    assert "odb-pt-apply@jetro.go.jp" in body
    assert "&amp;" not in body and "&#x27;" not in body
    assert OutboundMail.objects.count() == 1  # one mail: the receipt is the status notice

    audit = AuditLog.objects.get(action="application.received")
    assert audit.actor == application.applicant
    assert audit.object_type == "applications.application"
    assert audit.object_id == str(application.pk)
    assert audit.before == {"status": "awaiting_documents"}
    assert audit.after == {"status": "received", "received_at": "2026-05-11T01:00:00+00:00"}
    assert audit.rule_ids == ["DOCS-COMPLETE", "INTAKE-CAP"]


def test_receipt_mail_leaves_out_a_decision_date_already_past():
    application = complete_application()  # decisions_not_before 2026-04-06 < 2026-05-11
    workflow.application_submit(application=application, actor=application.applicant)
    assert "早くても" not in OutboundMail.objects.get().body_text


def test_mail_text_is_not_html_escaped():
    application = complete_application(company__name="A&B “商事”<株>")
    workflow.application_submit(application=application, actor=application.applicant)
    mail = OutboundMail.objects.get()
    assert mail.subject == "【ハンズオン支援】お申し込みを受け付けました（A&B “商事”<株> 様）"
    assert "A&B “商事”<株>\n" in mail.body_text


def test_submitting_twice_is_refused_and_sends_one_mail():
    application = complete_application()
    workflow.application_submit(application=application, actor=application.applicant)
    with pytest.raises(workflow.TransitionError):
        workflow.application_submit(application=application, actor=application.applicant)
    assert OutboundMail.objects.count() == 1
    assert AuditLog.objects.filter(action="application.received").count() == 1


# -- the view ------------------------------------------------------------------------------

def submit_url(application) -> str:
    return reverse("applications:submit", args=[application.public_id])


def test_view_submits_and_shows_the_status_page_with_a_success_message(client):
    application = complete_application()
    client.force_login(application.applicant)
    response = client.post(submit_url(application), follow=True)
    assert response.redirect_chain == [
        (reverse("applications:status", args=[application.public_id]), 302)]
    page = response.content.decode()
    assert "お申し込みを受け付けました。受付のお知らせをご担当者のメールアドレスにお送りしました。" in page
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RECEIVED


def test_view_shows_the_missing_items_and_changes_nothing(client):
    application = complete(ApplicationFactory(), product_url="")
    client.force_login(application.applicant)
    response = client.post(submit_url(application))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="submit-errors"' in page and 'role="alert"' in page
    assert "まだお申し込みを完了できません" in page
    assert f"<li>{MISSING_PRODUCT}</li>" in page
    assert Application.objects.get(pk=application.pk).status == (
        ApplicationStatus.AWAITING_DOCUMENTS)
    assert not OutboundMail.objects.exists()


def test_extra_post_fields_change_nothing(client):
    application = complete_application()
    client.force_login(application.applicant)
    client.post(submit_url(application), {"status": "adopted", "received_at": "2020-01-01",
                                          "consortium_id": "X1"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.received_at == INTAKE_DAY
    assert application.consortium_id is None


def test_view_on_an_already_received_application_redirects_with_a_notice(client):
    application = complete_application()
    workflow.application_submit(application=application, actor=application.applicant)
    client.force_login(application.applicant)
    response = client.post(submit_url(application), follow=True)
    assert "このお申し込みは受付済みです。" in response.content.decode()
    assert OutboundMail.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "other_applicant"])
def test_submit_by_someone_else(client, who):
    from handson.enums import Role
    from tests.factories import UserFactory

    application = complete_application()
    if who == "other_applicant":
        client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.post(submit_url(application))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("handson:login"))
    else:
        assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).status == (
        ApplicationStatus.AWAITING_DOCUMENTS)


def test_get_is_not_allowed(client):
    application = complete_application()
    client.force_login(application.applicant)
    assert client.get(submit_url(application)).status_code == 405
