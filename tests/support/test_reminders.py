"""Reminders (Celery beat, daily): each queued exactly once, whatever the runs and restarts."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from handson.models import OutboundMail
from support.models import Review, Survey
from support.services.reminders import reminders_send
from support.tasks import task_send_support_reminders
from tests import services as test_services
from tests.support.factories_lifecycle import (
    ExpertFactory,
    in_support,
    jst,
    staff_user,
    with_expert,
)


def at(day: date, hour: int = 8):
    return time_machine.travel(jst(day.year, day.month, day.day, hour, 0), tick=False)


def keys(template: str | None = None) -> list[str]:
    mails = OutboundMail.objects.filter(dedupe_key__startswith="reminder:")
    if template:
        mails = mails.filter(template=template)
    return sorted(mails.values_list("dedupe_key", flat=True))


@pytest.fixture
def case_setup(db, settings):
    settings.STAFF_NOTIFICATION_EMAIL = "handson-staff@jetro.example.jp"
    with at(date(2026, 5, 20)):
        actor = staff_user(email="tanaka@jetro.example.jp")
        application = in_support(actor=actor, staff_in_charge=actor,
                                 period_start=date(2026, 5, 10), period_end=date(2027, 2, 28),
                                 contact_email="sato@aoba.example.jp",
                                 company__name="株式会社あおば精機")
        assignment = with_expert(application, ExpertFactory(name="高橋 専門家",
                                                            email="takahashi@example.jp"))
    return application, application.support_case, assignment.expert, actor


def test_period_end_30_days_ahead_to_staff_in_charge_and_expert_once(case_setup):
    application, case, expert, actor = case_setup
    with at(date(2027, 1, 28)):  # 31 days before the end
        reminders_send()
        assert keys("support_reminder_period_end") == []
    with at(date(2027, 1, 29)):  # 30 days before
        assert reminders_send() >= 2
        assert reminders_send() == 0
        task_send_support_reminders()  # the beat task, as after a restart
    with at(date(2027, 1, 30)):
        reminders_send()
    mails = OutboundMail.objects.filter(template="support_reminder_period_end").order_by("to")
    assert [(m.to, m.dedupe_key) for m in mails] == [
        ("takahashi@example.jp", f"reminder:period_end:{case.pk}:2027-02-28:expert:{expert.pk}"),
        ("tanaka@jetro.example.jp", f"reminder:period_end:{case.pk}:2027-02-28"),
    ]
    staff_mail = mails.get(to="tanaka@jetro.example.jp")
    assert staff_mail.subject == ("【ハンズオン支援・職員向け】支援期間の終了が近づいています："
                                  "株式会社あおば精機（2027年2月28日まで）")
    assert "あと30日で終了予定です。" in staff_mail.body_text
    assert "高橋 専門家 様" in mails.get(to="takahashi@example.jp").body_text


def test_a_changed_period_end_is_announced_again(case_setup):
    from support.services.lifecycle import support_period_change

    application, case, expert, actor = case_setup
    with at(date(2027, 1, 29)):
        reminders_send()
    with at(date(2027, 1, 30)):
        support_period_change(application=application, actor=actor,
                              period_start=date(2026, 5, 10), period_end=date(2027, 2, 20))
        reminders_send()
        reminders_send()
    assert keys("support_reminder_period_end") == sorted([
        f"reminder:period_end:{case.pk}:2027-02-20",
        f"reminder:period_end:{case.pk}:2027-02-20:expert:{expert.pk}",
        f"reminder:period_end:{case.pk}:2027-02-28",
        f"reminder:period_end:{case.pk}:2027-02-28:expert:{expert.pk}",
    ])


def test_the_shared_address_without_staff_in_charge(case_setup):
    application, case, expert, actor = case_setup
    application.staff_in_charge = None
    application.save(update_fields=["staff_in_charge"])
    with at(date(2027, 2, 1)):
        reminders_send()
    assert OutboundMail.objects.get(dedupe_key=f"reminder:period_end:{case.pk}:2027-02-28").to == (
        "handson-staff@jetro.example.jp")


def test_review_due_from_the_start_then_from_the_last_review(case_setup):
    application, case, expert, actor = case_setup  # start 2026-05-10, every 60 days → 07-09
    with at(date(2026, 7, 1)):
        reminders_send()
        assert keys("support_reminder_review_due") == []
    with at(date(2026, 7, 2)):  # 7 days ahead
        reminders_send()
        reminders_send()
    assert keys("support_reminder_review_due") == [f"reminder:review_due:{case.pk}:2026-07-09"]
    mail = OutboundMail.objects.get(template="support_reminder_review_due")
    assert mail.to == "tanaka@jetro.example.jp"
    assert "・レビュー予定日：2026年7月9日" in mail.body_text
    Review.objects.create(case=case, held_on=date(2026, 7, 8), findings="順調",
                          decision="continue", reviewer=actor)
    with at(date(2026, 7, 20)):
        reminders_send()
        assert len(keys("support_reminder_review_due")) == 1
    with at(date(2026, 9, 1)):  # 07-08 + 60 = 09-06, 5 days ahead
        reminders_send()
        reminders_send()
    assert keys("support_reminder_review_due") == [
        f"reminder:review_due:{case.pk}:2026-07-09", f"reminder:review_due:{case.pk}:2026-09-06"]


def test_survey_overdue_to_the_company_once(case_setup):
    application, case, expert, actor = case_setup
    survey = Survey.objects.create(case=case, kind="progress", due_on=date(2026, 7, 1))
    answered = Survey.objects.create(case=case, kind="progress", due_on=date(2026, 6, 1),
                                     answered_at=timezone.now())
    with at(date(2026, 7, 1)):
        reminders_send()
        assert keys("support_reminder_survey_overdue") == []
    for day in (date(2026, 7, 2), date(2026, 7, 2), date(2026, 8, 15)):
        with at(day):
            reminders_send()
    assert keys("support_reminder_survey_overdue") == [f"reminder:survey_overdue:{survey.pk}"]
    mail = OutboundMail.objects.get(template="support_reminder_survey_overdue")
    assert mail.to == "sato@aoba.example.jp"
    assert "回答期限の2026年7月1日を過ぎております" in mail.body_text
    assert answered.pk not in [int(k.rsplit(":", 1)[1]) for k in keys(
        "support_reminder_survey_overdue")]


def test_ended_cases_get_no_period_or_review_reminders(case_setup):
    from support.services.lifecycle import support_terminate

    application, case, expert, actor = case_setup
    with at(date(2027, 1, 20)):
        support_terminate(application=application, reason_code="TERM-8", internal_note="多忙",
                          actor=actor, ended_on=date(2027, 1, 20))
    with at(date(2027, 2, 1)):
        reminders_send()
    assert keys("support_reminder_period_end") == []
    assert keys("support_reminder_review_due") == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_queue_each_reminder_once(settings):
    test_services.require_postgres()
    settings.STAFF_NOTIFICATION_EMAIL = "handson-staff@jetro.example.jp"
    with at(date(2026, 5, 20)):
        actor = staff_user(email="tanaka@jetro.example.jp")
        cases = []
        for _ in range(3):
            application = in_support(actor=actor, period_end=date(2026, 6, 20))
            with_expert(application)
            Survey.objects.create(case=application.support_case, kind="progress",
                                  due_on=date(2026, 6, 1))
            cases.append(application.support_case)
    runs = 6
    barrier = threading.Barrier(runs, timeout=30)
    errors: list[str] = []

    def run():
        try:
            barrier.wait()
            reminders_send(date(2026, 6, 5))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    # per case: period end to staff and to the expert, a review due (05-10 + 60 > end: none),
    # and one overdue survey
    assert OutboundMail.objects.filter(dedupe_key__startswith="reminder:").count() == 3 * 3
    for case in cases:
        assert OutboundMail.objects.filter(
            dedupe_key=f"reminder:period_end:{case.pk}:2026-06-20").count() == 1
