"""The support lifecycle services: consent, start and the period (PERIOD-END), 辞退届, the end."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.models import AuditLog, OutboundMail
from support.enums import ActivityKind, DeclinationChannel, EndKind, SurveyKind
from support.models import Activity, Declination, SupportCase, Survey
from support.services import lifecycle
from support.services.lifecycle import SupportError
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.support.factories_lifecycle import (
    SECRET_NOTE,
    adopted,
    consent_received,
    in_support,
    jst,
    staff_user,
    with_expert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(jst(2026, 6, 1, 10, 0), tick=False):
        yield date(2026, 6, 1)


@pytest.fixture
def staff():
    return staff_user(display_name="田中 職員", email="tanaka@jetro.example.jp")


def status_of(application) -> str:
    return Application.objects.get(pk=application.pk).status


def audit_actions(obj) -> list[str]:
    return list(AuditLog.objects.filter(object_type=obj._meta.label_lower,
                                        object_id=str(obj.pk))
                .order_by("created_at", "id").values_list("action", flat=True))


def start(application, staff, **overrides):
    values = {"kickoff_on": date(2026, 5, 20), "agreed_support": "米国の代理店開拓",
              "period_start": date(2026, 5, 20), "period_end": date(2027, 2, 28)}
    values.update(overrides)
    return lifecycle.support_start(application=application, actor=staff, **values)


# -- ⑤ consent ---------------------------------------------------------------------------------

def test_consent_creates_the_case_audits_and_tells_the_company(staff):
    application = adopted(company__name="株式会社あおば精機", contact_email="sato@aoba.example.jp")
    case = lifecycle.support_consent_receive(application=application,
                                             received_on=date(2026, 5, 28), actor=staff)
    assert status_of(application) == S.CONSENT_RECEIVED
    case = SupportCase.objects.get(pk=case.pk)
    assert (case.consent_received_on, case.consent_received_by) == (date(2026, 5, 28), staff)
    row = AuditLog.objects.get(action="application.consent_received")
    assert (row.before, row.after, row.rule_ids, row.actor) == (
        {"status": "adopted"}, {"status": "consent_received"}, ["V.1(2)⑤"], staff)
    case_row = AuditLog.objects.get(action="support_case.consent_received")
    assert case_row.after == {"consent_received_on": "2026-05-28",
                              "consent_received_by": staff.pk}
    mail = OutboundMail.objects.get(template="support_consent_received")
    assert mail.to == "sato@aoba.example.jp"
    assert mail.subject == "【ハンズオン支援】応募・利用条件兼同意書を受領しました（株式会社あおば精機 様）"
    assert "2026年5月28日に受領いたしました" in mail.body_text


def test_consent_refuses_a_future_date_a_non_staff_actor_and_a_wrong_state(staff):
    application = adopted()
    with pytest.raises(SupportError) as exc:
        lifecycle.support_consent_receive(application=application,
                                          received_on=date(2026, 6, 2), actor=staff)
    assert exc.value.errors == {"received_on": "受領日に未来の日付は指定できません。"}
    with pytest.raises(PermissionDenied):
        lifecycle.support_consent_receive(application=application,
                                          received_on=date(2026, 6, 1),
                                          actor=application.applicant)
    review = ApplicationFactory(status=S.COMMITTEE_REVIEW)
    with pytest.raises(SupportError):
        lifecycle.support_consent_receive(application=review, received_on=date(2026, 6, 1),
                                          actor=staff)
    assert status_of(application) == S.ADOPTED and status_of(review) == S.COMMITTEE_REVIEW
    assert not SupportCase.objects.exists()
    assert not OutboundMail.objects.exists()


# -- V.2 kickoff, start and PERIOD-END ------------------------------------------------------------

def test_no_start_before_the_consent(staff):
    application = adopted()
    with pytest.raises(SupportError) as exc:
        start(application, staff)
    assert exc.value.errors == {"": "同意書（原本）の受領を記録してから、支援を開始してください。"}
    assert status_of(application) == S.ADOPTED
    assert not Activity.objects.exists()


def test_start_on_the_last_day_of_the_call_limit_is_accepted(staff):
    application = consent_received(actor=staff)
    expert = with_expert(application).expert
    case = start(application, staff, period_end=date(2027, 2, 28))
    assert status_of(application) == S.IN_SUPPORT
    case.refresh_from_db()
    assert (case.kickoff_on, case.period_start, case.period_end, case.agreed_support) == (
        date(2026, 5, 20), date(2026, 5, 20), date(2027, 2, 28), "米国の代理店開拓")
    kickoff = Activity.objects.get(case=case)
    assert (kickoff.kind, kickoff.date, kickoff.summary, kickoff.expert, kickoff.recorded_by) == (
        ActivityKind.KICKOFF, date(2026, 5, 20), "米国の代理店開拓", expert, staff)
    assert AuditLog.objects.get(action="support_case.started").rule_ids == ["V.2", "PERIOD-END"]
    mail = OutboundMail.objects.get(template="support_started")
    assert "・支援期間：2026年5月20日〜2027年2月28日" in mail.body_text
    assert f"・担当専門家：{expert.name}" in mail.body_text


def test_a_period_ending_after_the_call_limit_is_refused(staff):
    application = consent_received(actor=staff)
    with pytest.raises(SupportError) as exc:
        start(application, staff, period_end=date(2027, 3, 1))
    assert exc.value.errors == {"period_end": (
        "支援終了予定日は、募集回で定める支援期間の最終日（2027年2月28日）以前の日付にしてください"
        "（申込要領 III.6）。")}
    assert status_of(application) == S.CONSENT_RECEIVED
    assert not Activity.objects.exists()
    assert SupportCase.objects.get(application=application).period_end is None


def test_the_limit_is_the_calls_setting_not_a_constant(staff):
    call = CallFactory(fiscal_year=2027, title="2027年度", support_end_limit=date(2028, 1, 31))
    refused = consent_received(actor=staff, call=call)
    with pytest.raises(SupportError) as exc:
        start(refused, staff, period_end=date(2028, 2, 1))
    assert "（2028年1月31日）以前" in exc.value.errors["period_end"]
    start(refused, staff, period_end=date(2028, 1, 31))
    assert status_of(refused) == S.IN_SUPPORT
    # A shorter limit refuses what FY2026 allows.
    short = CallFactory(fiscal_year=2028, title="2028年度", support_end_limit=date(2026, 12, 31))
    application = consent_received(actor=staff, call=short)
    with pytest.raises(SupportError) as exc:
        start(application, staff, period_end=date(2027, 2, 28))
    assert "（2026年12月31日）以前" in exc.value.errors["period_end"]


def test_start_after_end_and_start_before_the_consent_date_are_refused(staff):
    application = consent_received(actor=staff, received_on=date(2026, 5, 1))
    with pytest.raises(SupportError) as exc:
        start(application, staff, period_start=date(2026, 9, 1), period_end=date(2026, 8, 31))
    assert exc.value.errors == {"period_start": "支援開始日は、支援終了予定日以前の日付にしてください。"}
    with pytest.raises(SupportError) as exc:
        start(application, staff, period_start=date(2026, 4, 30))
    assert exc.value.errors == {"period_start": (
        "支援開始日は、同意書（原本）の受領日（2026年5月1日）以降の日付にしてください。"
        "支援は同意書の受領後に開始します。")}
    with pytest.raises(SupportError) as exc:
        start(application, staff, agreed_support="  ", kickoff_on=None)
    assert set(exc.value.errors) == {"agreed_support", "kickoff_on"}
    assert status_of(application) == S.CONSENT_RECEIVED


def test_staff_change_the_period_with_the_same_rule_audited(staff):
    application = in_support(actor=staff)
    with pytest.raises(SupportError) as exc:
        lifecycle.support_period_change(application=application, actor=staff,
                                        period_start=date(2026, 5, 10),
                                        period_end=date(2027, 3, 1))
    assert list(exc.value.errors) == ["period_end"]
    lifecycle.support_period_change(application=application, actor=staff,
                                    period_start=date(2026, 5, 10),
                                    period_end=date(2026, 12, 25), note="企業の都合で短縮")
    case = SupportCase.objects.get(application=application)
    assert case.period_end == date(2026, 12, 25)
    row = AuditLog.objects.get(action="support_case.period_changed")
    assert (row.before["period_end"], row.after["period_end"], row.rule_ids, row.note) == (
        "2027-02-28", "2026-12-25", ["PERIOD-END"], "企業の都合で短縮")
    mail = OutboundMail.objects.get(template="support_period_changed")
    assert "2026年5月10日〜2026年12月25日" in mail.body_text
    assert "企業の都合で短縮" not in mail.body_text


# -- ⑦ 辞退届 -------------------------------------------------------------------------------------

def test_the_owner_declines_online(staff, settings):
    settings.STAFF_NOTIFICATION_EMAIL = "handson-staff@jetro.example.jp"
    application = adopted(company__name="株式会社みどり食品", contact_email="kato@midori.example.jp")
    lifecycle.support_decline(application=application, channel=DeclinationChannel.ONLINE,
                              signer_name="緑川  一郎", reason="社内体制が整わないため",
                              submitted_on=date(2026, 6, 1), actor=application.applicant)
    assert status_of(application) == S.DECLINED
    declination = Declination.objects.get(application=application)
    assert (declination.channel, declination.signer_name, declination.reason,
            declination.submitted_on, declination.recorded_by) == (
        "online", "緑川 一郎", "社内体制が整わないため", date(2026, 6, 1), application.applicant)
    assert AuditLog.objects.get(action="application.declined").rule_ids == ["V.1(2)⑦"]
    company = OutboundMail.objects.get(template="support_declined")
    assert company.to == "kato@midori.example.jp"
    assert company.subject == "【ハンズオン支援】採択後辞退届を受け付けました（株式会社みどり食品 様）"
    staff_mail = OutboundMail.objects.get(template="support_declined_staff")
    assert staff_mail.to == "handson-staff@jetro.example.jp"
    assert "・辞退の理由：社内体制が整わないため" in staff_mail.body_text


def test_only_the_owner_declines_online_and_staff_record_paper(staff):
    application = consent_received(actor=staff)
    for intruder in (UserFactory(), staff):
        with pytest.raises(PermissionDenied):
            lifecycle.support_decline(application=application,
                                      channel=DeclinationChannel.ONLINE, signer_name="某",
                                      reason="", submitted_on=date(2026, 6, 1), actor=intruder)
    with pytest.raises(PermissionDenied):
        lifecycle.support_decline(application=application, channel=DeclinationChannel.PAPER,
                                  signer_name="某", reason="", submitted_on=date(2026, 6, 1),
                                  actor=application.applicant)
    lifecycle.support_decline(application=application, channel=DeclinationChannel.PAPER,
                              signer_name="山田 太郎", reason="", submitted_on=date(2026, 5, 30),
                              actor=staff)
    assert status_of(application) == S.DECLINED
    assert Declination.objects.get().recorded_by == staff


def test_no_declination_once_the_support_has_started(staff):
    application = in_support(actor=staff)
    with pytest.raises(SupportError) as exc:
        lifecycle.support_decline(application=application, channel=DeclinationChannel.ONLINE,
                                  signer_name="山田 太郎", reason="", submitted_on=date(2026, 6, 1),
                                  actor=application.applicant)
    assert list(exc.value.errors) == [""]
    assert status_of(application) == S.IN_SUPPORT
    assert not Declination.objects.exists()


# -- III.6 the end --------------------------------------------------------------------------------

def test_completion_at_the_period_end_asks_for_the_outcome_survey(staff):
    application = in_support(actor=staff, period_start=date(2026, 3, 1),
                             period_end=date(2026, 5, 31), received_on=date(2026, 2, 20),
                             kickoff_on=date(2026, 3, 1))
    lifecycle.support_complete(application=application, actor=staff, ended_on=date(2026, 5, 31))
    assert status_of(application) == S.COMPLETED
    case = SupportCase.objects.get(application=application)
    assert (case.ended_on, case.end_kind, case.termination_reason) == (
        date(2026, 5, 31), EndKind.COMPLETED, "")
    assert AuditLog.objects.get(action="application.support_completed").rule_ids == ["PERIOD-END"]
    survey = Survey.objects.get(case=case)
    assert (survey.kind, survey.due_on) == (SurveyKind.OUTCOME, date(2026, 7, 1))
    request = OutboundMail.objects.get(template="support_survey_request")
    assert request.dedupe_key == f"survey:request:{survey.pk}"
    assert "・回答期限：2026年7月1日" in request.body_text
    assert (f"・回答ページ：{settings.SITE_URL}/my/applications/{application.public_id}"
            f"/surveys/{survey.pk}/") in request.body_text
    assert OutboundMail.objects.filter(template="support_completed").count() == 1


def test_early_completion_is_the_goal_reached(staff):
    application = in_support(actor=staff)
    lifecycle.support_complete(application=application, actor=staff, ended_on=date(2026, 6, 1))
    case = SupportCase.objects.get(application=application)
    assert (case.end_kind, case.termination_reason) == (EndKind.COMPLETED, "TERM-2")
    assert AuditLog.objects.get(action="application.support_completed").rule_ids == ["TERM-2"]


@pytest.mark.parametrize(("ended_on", "message"), [
    (date(2026, 6, 2), "終了日に未来の日付は指定できません。"),
    (date(2026, 5, 9), "終了日は、支援開始日（2026年5月10日）以降の日付にしてください。"),
])
def test_the_end_date_is_checked(staff, ended_on, message):
    application = in_support(actor=staff)
    with pytest.raises(SupportError) as exc:
        lifecycle.support_complete(application=application, actor=staff, ended_on=ended_on)
    assert exc.value.errors == {"ended_on": message}
    assert status_of(application) == S.IN_SUPPORT


def test_termination_keeps_the_reason_internal(staff):
    application = in_support(actor=staff, company__name="株式会社そら商事")
    lifecycle.support_terminate(application=application, reason_code="TERM-7",
                                internal_note=SECRET_NOTE, actor=staff,
                                ended_on=date(2026, 6, 1))
    assert status_of(application) == S.TERMINATED
    case = SupportCase.objects.get(application=application)
    assert (case.end_kind, case.termination_reason, case.internal_note, case.ended_on) == (
        EndKind.TERMINATED, "TERM-7", SECRET_NOTE, date(2026, 6, 1))
    row = AuditLog.objects.get(action="application.support_terminated")
    assert (row.rule_ids, row.note) == (["TERM-7"], SECRET_NOTE)
    assert audit_actions(case)[-1] == "support_case.terminated"
    notice = OutboundMail.objects.get(template="support_terminated")
    assert notice.subject == "【ハンズオン支援】支援終了のお知らせ（株式会社そら商事 様）"
    assert "2026年6月1日をもちまして、専門家による支援を終了いたしました" in notice.body_text
    assert Survey.objects.filter(case=case, kind=SurveyKind.OUTCOME).count() == 1
    for mail in OutboundMail.objects.all():
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}\n{mail.context}"
        assert SECRET_NOTE not in text
        assert "TERM-" not in text
        assert "助言・指導に反する" not in text


def test_termination_needs_a_code_of_iii_6(staff):
    application = in_support(actor=staff)
    with pytest.raises(SupportError) as exc:
        lifecycle.support_terminate(application=application, reason_code="TERM-9",
                                    internal_note="x", actor=staff, ended_on=date(2026, 6, 1))
    assert list(exc.value.errors) == ["reason_code"]
    assert status_of(application) == S.IN_SUPPORT


def test_the_end_ends_the_expert_assignment(staff):
    experts_services = pytest.importorskip("experts.services")
    if not hasattr(experts_services, "assignment_end"):
        pytest.skip("experts.services.assignment_end is not there yet")
    application = in_support(actor=staff)
    assignment = with_expert(application)
    lifecycle.support_terminate(application=application, reason_code="TERM-8",
                                internal_note="多忙", actor=staff, ended_on=date(2026, 6, 1))
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert "多忙" not in assignment.end_reason
