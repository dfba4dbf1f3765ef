"""A decision reaches the applicant's page only with its notice (V.1(2)⑤⑥)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.selectors_status import published_status
from applications.services import workflow
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def decided(to: str):
    application = ApplicationFactory(status=S.COMMITTEE_REVIEW)
    actor = UserFactory(is_superuser=True)
    return workflow.transition(application, to, actor=actor, action=f"application.{to}",
                               note="財務基盤に懸念あり")


@pytest.mark.parametrize("decision", [S.ADOPTED, S.REJECTED])
def test_decision_is_hidden_until_the_notice_is_sent(client, decision):
    application = decided(decision)
    assert published_status(application) == S.COMMITTEE_REVIEW
    client.force_login(application.applicant)
    page = client.get(reverse("applications:status", args=[application.public_id]))
    current = page.content.decode().split('aria-current="step"')[1][:200]
    assert "最終審査" in current
    assert "採択" not in current and "審査結果" not in current

    application.decision_notified_at = timezone.now()
    application.save(update_fields=["decision_notified_at"])
    assert published_status(application) == decision


def test_withdrawal_page_does_not_hint_at_an_unpublished_decision(client):
    application = decided(S.ADOPTED)
    client.force_login(application.applicant)
    response = client.get(reverse("applications:withdraw", args=[application.public_id]))
    assert response.status_code == 409
    text = response.content.decode()
    assert "最終審査の結果をとりまとめています" in text
    assert "採否の決定後" not in text


def test_other_statuses_are_shown_as_they_are():
    application = ApplicationFactory(status=S.INTERVIEWED)
    assert published_status(application) == S.INTERVIEWED


def test_status_page_links_the_support_page_once_adopted_and_published(client):
    application = decided(S.ADOPTED)
    support_url = reverse("support:company_case", args=[application.public_id])
    client.force_login(application.applicant)
    status_url = reverse("applications:status", args=[application.public_id])
    assert support_url not in client.get(status_url).content.decode()
    application.decision_notified_at = timezone.now()
    application.save(update_fields=["decision_notified_at"])
    assert support_url in client.get(status_url).content.decode()
