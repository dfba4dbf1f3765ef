"""The staff pages (list, case page and its forms), the company's support page, the 辞退届
online and its PDF."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.models import OutboundMail
from support.enums import ActivityKind
from support.models import Activity, Declination, Review, SupportCase, Survey
from support.services import lifecycle
from tests.factories import UserFactory, verified_login
from tests.support.factories_lifecycle import (
    SECRET_NOTE,
    adopted,
    consent_received,
    in_support,
    jst,
    pdf_text,
    staff_user,
    with_expert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(jst(2026, 6, 1, 10, 0), tick=False):
        yield date(2026, 6, 1)


@pytest.fixture
def staff(client):
    user = staff_user(display_name="田中 職員")
    verified_login(client, user)
    return user


def case_url(application, name="support:case_detail"):
    return reverse(name, args=[application.public_id])


def status_of(application) -> str:
    return Application.objects.get(pk=application.pk).status


# -- staff: the case page and its forms ----------------------------------------------------------

def test_staff_record_consent_then_kickoff(client, staff):
    application = adopted(company__name="株式会社あおば精機")
    page = client.get(case_url(application))
    assert page.status_code == 200
    html = page.content.decode()
    assert "同意書（原本）の受領を記録する" in html
    assert 'id="id_consent-received_on"' in html
    assert "キックオフミーティングと支援期間を記録する" not in html

    response = client.post(case_url(application, "support:case_consent"),
                           {"consent-received_on": "2026-05-29"})
    assert response.status_code == 302 and response["Location"] == case_url(application)
    assert status_of(application) == S.CONSENT_RECEIVED

    html = client.get(case_url(application)).content.decode()
    assert "2026年5月29日（受領者：田中 職員）" in html
    assert "この募集回の支援期間は2027年2月28日までです（申込要領 III.6）。" in html
    response = client.post(case_url(application, "support:case_kickoff"), {
        "kickoff-kickoff_on": "2026-06-01", "kickoff-agreed_support": "米国の代理店開拓",
        "kickoff-period_start": "2026-06-01", "kickoff-period_end": "2027-02-28"})
    assert response.status_code == 302
    assert status_of(application) == S.IN_SUPPORT
    case = SupportCase.objects.get(application=application)
    assert (case.period_start, case.period_end) == (date(2026, 6, 1), date(2027, 2, 28))


def test_the_period_limit_error_sits_next_to_its_field(client, staff):
    application = consent_received(actor=staff)
    response = client.post(case_url(application, "support:case_kickoff"), {
        "kickoff-kickoff_on": "2026-06-01", "kickoff-agreed_support": "米国の代理店開拓",
        "kickoff-period_start": "2026-06-01", "kickoff-period_end": "2027-03-01"})
    assert response.status_code == 400
    form = response.context["forms"]["kickoff"]
    assert form.errors == {"period_end": [
        "支援終了予定日は、募集回で定める支援期間の最終日（2027年2月28日）以前の日付にしてください"
        "（申込要領 III.6）。"]}
    html = response.content.decode()
    assert ('aria-describedby="id_kickoff-period_end_helptext id_kickoff-period_end_error"'
            in html)
    assert status_of(application) == S.CONSENT_RECEIVED


def test_a_form_the_state_does_not_allow_is_refused(client, staff):
    application = adopted()
    response = client.post(case_url(application, "support:case_kickoff"), {
        "kickoff-kickoff_on": "2026-06-01", "kickoff-agreed_support": "x",
        "kickoff-period_start": "2026-06-01", "kickoff-period_end": "2027-02-28"})
    assert response.status_code == 409
    assert "この案件の現在の状態（採択）では、この操作はできません。" in response.content.decode()
    assert status_of(application) == S.ADOPTED


def test_extra_post_fields_change_nothing(client, staff):
    application = adopted()
    client.post(case_url(application, "support:case_consent"),
                {"consent-received_on": "2026-05-29", "status": "completed",
                 "consent-consent_received_by": "1", "received_on": "2020-01-01"})
    assert status_of(application) == S.CONSENT_RECEIVED
    case = SupportCase.objects.get(application=application)
    assert (case.consent_received_on, case.consent_received_by) == (date(2026, 5, 29), staff)


def test_staff_terminate_with_a_term_code_and_see_it_in_the_audit(client, staff):
    application = in_support(actor=staff)
    page = client.get(case_url(application)).content.decode()
    assert '<option value="TERM-7">(7) ジェトロや専門家の助言・指導に反する行為を繰り返した</option>' in page
    response = client.post(case_url(application, "support:case_terminate"), {
        "terminate-reason_code": "TERM-7", "terminate-internal_note": SECRET_NOTE,
        "terminate-ended_on": "2026-06-01"})
    assert response.status_code == 302
    assert status_of(application) == S.TERMINATED
    html = client.get(case_url(application)).content.decode()
    assert "TERM-7 (7) ジェトロや専門家の助言・指導に反する行為を繰り返した" in html
    assert SECRET_NOTE in html  # staff see it on their page (case and audit trail)
    assert "application.support_terminated" in html


def test_staff_record_a_paper_declination_and_change_the_period(client, staff):
    application = consent_received(actor=staff)
    response = client.post(case_url(application, "support:case_declination"), {
        "declination-signer_name": "山田　太郎", "declination-submitted_on": "2026-05-31",
        "declination-reason": ""})
    assert response.status_code == 302
    assert status_of(application) == S.DECLINED
    assert Declination.objects.get().signer_name == "山田 太郎"

    running = in_support(actor=staff)
    response = client.post(case_url(running, "support:case_period"), {
        "period-period_start": "2026-05-10", "period-period_end": "2027-03-01"})
    assert response.status_code == 400
    assert list(response.context["forms"]["period"].errors) == ["period_end"]
    response = client.post(case_url(running, "support:case_period"), {
        "period-period_start": "2026-05-10", "period-period_end": "2027-01-31"})
    assert response.status_code == 302
    assert SupportCase.objects.get(application=running).period_end == date(2027, 1, 31)


def test_staff_complete_and_the_outcome_survey_is_requested(client, staff):
    application = in_support(actor=staff)
    response = client.post(case_url(application, "support:case_complete"),
                           {"complete-ended_on": "2026-06-01"})
    assert response.status_code == 302
    assert status_of(application) == S.COMPLETED
    assert Survey.objects.filter(case__application=application).count() == 1


# -- staff: the list -----------------------------------------------------------------------------

def make_cases(n: int, actor):
    for i in range(n):
        adopted()
        consent_received(actor=actor)
        running = in_support(actor=actor)
        with_expert(running)
        Review.objects.create(case=running.support_case, held_on=date(2026, 5, 20 + i % 5),
                              findings="順調", decision="continue", reviewer=actor)
        ended = in_support(actor=actor)
        lifecycle.support_terminate(application=ended, reason_code="TERM-8", internal_note="x",
                                    actor=actor, ended_on=date(2026, 6, 1))


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("support:case_list"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_shows_each_state_with_days_left_and_next_review(client, staff):
    application = in_support(actor=staff, company__name="株式会社いろは工業",
                             period_end=date(2026, 6, 30))
    Review.objects.create(case=application.support_case, held_on=date(2026, 5, 20),
                          findings="順調", decision="continue", reviewer=staff)
    expert = with_expert(application).expert
    adopted(company__name="株式会社はじめ")
    consent_received(actor=staff, company__name="株式会社つぎ")
    response = client.get(reverse("support:case_list"))
    sections = response.context["sections"]
    assert [r.application.company.name for r in sections["adopted"]] == ["株式会社はじめ"]
    assert [r.application.company.name for r in sections["consent_received"]] == ["株式会社つぎ"]
    row = sections["in_support"][0]
    assert (row.days_left, row.next_review_on, row.expert_name) == (
        29, date(2026, 7, 19), expert.name)
    html = response.content.decode()
    assert "2026-05-10〜2026-06-30" in html and "29日" in html and "2026-07-19" in html


def test_the_list_query_count_is_constant(client, staff):
    make_cases(1, staff)
    one = list_queries(client)
    make_cases(6, staff)
    assert list_queries(client) == one


# -- the company's page --------------------------------------------------------------------------

def test_the_company_sees_its_support_without_internal_notes(client):
    actor = staff_user()
    application = in_support(actor=actor, company__name="株式会社そら商事")
    expert = with_expert(application).expert
    Activity.objects.create(case=application.support_case, kind=ActivityKind.VISIT,
                            date=date(2026, 5, 25), summary="代理店候補リストの検討",
                            internal_note=SECRET_NOTE)
    client.force_login(application.applicant)
    html = client.get(case_url(application, "support:company_case")).content.decode()
    assert "2026年5月10日〜2027年2月28日" in html
    assert expert.name in html
    assert "企業訪問" in html and "代理店候補リストの検討" in html
    assert "キックオフミーティング" in html
    assert SECRET_NOTE not in html
    assert "採択後辞退届を提出する" not in html

    lifecycle.support_terminate(application=application, reason_code="TERM-7",
                                internal_note=SECRET_NOTE, actor=actor,
                                ended_on=date(2026, 6, 1))
    html = client.get(case_url(application, "support:company_case")).content.decode()
    assert "2026年6月1日をもって支援を終了しました。" in html
    assert SECRET_NOTE not in html
    assert "TERM-" not in html and "助言・指導に反する" not in html
    assert "成果報告（支援終了後）" in html  # the survey, with its answer page
    survey = Survey.objects.get(case__application=application)
    assert f"/my/applications/{application.public_id}/surveys/{survey.pk}/" in html
    assert '<span class="status-pill" id="company-status">支援終了</span>' in html
    assert "打ち切り" not in html
    status = client.get(reverse("applications:status", args=[application.public_id]))
    assert SECRET_NOTE not in status.content.decode()
    assert "TERM-" not in status.content.decode()


def test_decline_online_with_a_confirmation_step(client):
    application = adopted(company__name="株式会社みどり食品")
    client.force_login(application.applicant)
    url = case_url(application, "support:decline")
    page = client.get(case_url(application, "support:company_case")).content.decode()
    assert url in page
    response = client.post(url, {"signer_name": "", "reason": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"signer_name", "understood"}
    response = client.post(url, {"signer_name": "緑川 一郎", "reason": "体制が整わない",
                                 "understood": "on"})
    assert response.status_code == 200
    assert "採択後辞退届の内容の確認" in response.content.decode()
    assert status_of(application) == S.ADOPTED  # nothing yet
    response = client.post(url, {"signer_name": "緑川 一郎", "reason": "体制が整わない",
                                 "understood": "on", "confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == case_url(application, "support:company_case")
    assert status_of(application) == S.DECLINED
    assert OutboundMail.objects.filter(template="support_declined").count() == 1
    # once declined the form is refused
    assert client.get(url).status_code == 409


def test_decline_is_refused_after_the_start(client):
    application = in_support(actor=staff_user())
    client.force_login(application.applicant)
    response = client.post(case_url(application, "support:decline"),
                           {"signer_name": "山田 太郎", "understood": "on", "confirmed": "1"})
    assert response.status_code == 409
    assert status_of(application) == S.IN_SUPPORT


def test_the_declination_pdf_has_the_company_name_as_text(client):
    application = adopted(company__name="株式会社<img src=file:///etc/passwd>みどり")
    client.force_login(application.applicant)
    response = client.get(case_url(application, "support:declination_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert "株式会社<imgsrc=file:///etc/passwd>みどり" in text
    assert "採択後辞退届" in text


def test_the_submitted_declination_fills_the_pdf(client):
    application = adopted(company__name="株式会社みどり食品")
    lifecycle.support_decline(application=application, channel="online",
                              signer_name="緑川 一郎", reason="体制が整わない",
                              submitted_on=date(2026, 6, 1), actor=application.applicant)
    client.force_login(application.applicant)
    text = pdf_text(client.get(case_url(application, "support:declination_pdf")).content)
    assert "緑川一郎" in text and "体制が整わない" in text and "2026年6月1日" in text


def test_a_terminated_case_pdf_for_staff_has_no_internal_reason(client, staff):
    application = in_support(actor=staff, company__name="株式会社そら商事")
    lifecycle.support_terminate(application=application, reason_code="TERM-7",
                                internal_note=SECRET_NOTE, actor=staff,
                                ended_on=date(2026, 6, 1))
    text = pdf_text(client.get(case_url(application, "support:declination_pdf")).content)
    assert "株式会社そら商事" in text
    assert "".join(SECRET_NOTE.split()) not in text and "TERM-" not in text


def test_another_applicant_gets_404(client):
    application = adopted()
    client.force_login(UserFactory())
    for name in ("support:company_case", "support:decline", "support:declination_pdf"):
        assert client.get(case_url(application, name)).status_code == 404
