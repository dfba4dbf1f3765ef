"""Daily reminders of the support lifecycle (Celery beat → support.tasks).

Each reminder is queued exactly once through the outbox's unique dedupe key, whatever the
number of runs, restarts or concurrent workers:

- `reminder:period_end:<case>:<period_end>`  the period ends within PERIOD_END_NOTICE_DAYS
  (to the staff member in charge or the staff address; `…:expert:<expert>` to the expert).
  A changed period end is a new key, so the new end is announced again.
- `reminder:review_due:<case>:<due>`  a periodic review (V.2) is due within
  REVIEW_NOTICE_DAYS or overdue; due = last review (or the period start) + the case's
  review interval. Recording a review moves the due date, hence a new key.
- `reminder:survey_overdue:<survey>`  a survey is past its due date and unanswered (to the
  company contact).

A run that was missed (beat down for days) catches up: the conditions are windows, not
single days.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from handson.models import OutboundMail
from handson.outbox import mail_queue
from support.models import SupportCase, Survey
from support.selectors import review_due_on
from support.services.lifecycle import (
    absolute_url,
    company_context,
    current_assignment,
    day_ja,
    staff_recipient,
    survey_url,
)

logger = logging.getLogger(__name__)

PERIOD_END_NOTICE_DAYS = 30
REVIEW_NOTICE_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    to: str
    template: str
    context: dict
    dedupe_key: str
    related: object


def _staff_context(case: SupportCase, **extra) -> dict:
    application = case.application
    return {
        "company_name": application.company.name,
        "call_title": application.call.title,
        "period_start": day_ja(case.period_start),
        "period_end": day_ja(case.period_end),
        "case_url": absolute_url("support:case_detail", application.public_id),
        **extra,
    }


def _cases_in_support():
    return (SupportCase.objects.filter(application__status=S.IN_SUPPORT)
            .select_related("application__company", "application__call",
                            "application__staff_in_charge")
            .annotate(last_review_on=Max("reviews__held_on"))
            .order_by("pk"))


def _period_end_reminders(today: date):
    horizon = today + timedelta(days=PERIOD_END_NOTICE_DAYS)
    for case in _cases_in_support().filter(period_end__gte=today, period_end__lte=horizon):
        application = case.application
        key = f"reminder:period_end:{case.pk}:{case.period_end.isoformat()}"
        days_left = (case.period_end - today).days
        yield Reminder(staff_recipient(application), "support_reminder_period_end",
                       _staff_context(case, days_left=days_left, audience="staff"), key,
                       application)
        assignment = current_assignment(application)
        if assignment is not None and assignment.expert.email:
            yield Reminder(assignment.expert.email, "support_reminder_period_end",
                           _staff_context(case, days_left=days_left, audience="expert",
                                          expert_name=assignment.expert.name, case_url=""),
                           f"{key}:expert:{assignment.expert_id}", application)


def _review_reminders(today: date):
    for case in _cases_in_support().filter(period_start__isnull=False):
        due = review_due_on(case, case.last_review_on)
        if due is None or due > today + timedelta(days=REVIEW_NOTICE_DAYS):
            continue
        if case.period_end is not None and due > case.period_end:
            continue  # the support ends before the review would be due
        yield Reminder(staff_recipient(case.application), "support_reminder_review_due",
                       _staff_context(case, due_on=day_ja(due),
                                      overdue=due < today,
                                      last_review_on=day_ja(case.last_review_on)),
                       f"reminder:review_due:{case.pk}:{due.isoformat()}", case.application)


def _survey_reminders(today: date):
    surveys = (Survey.objects.filter(answered_at__isnull=True, due_on__lt=today)
               .select_related("case__application__company", "case__application__call")
               .order_by("pk"))
    for survey in surveys:
        application = survey.case.application
        yield Reminder(application.contact_email, "support_reminder_survey_overdue",
                       company_context(application, survey.case,
                                        survey_url=survey_url(survey),
                                        survey_due_on=day_ja(survey.due_on),
                                        survey_kind=str(survey.get_kind_display())),
                       f"reminder:survey_overdue:{survey.pk}", application)


def reminders_due(today: date) -> list[Reminder]:
    return [*_period_end_reminders(today), *_review_reminders(today),
            *_survey_reminders(today)]


def reminders_send(today: date | None = None) -> int:
    """Queue every due reminder not queued before; returns how many were new."""
    today = today or timezone.localdate()
    sent = 0
    for reminder in reminders_due(today):
        if OutboundMail.objects.filter(dedupe_key=reminder.dedupe_key).exists():
            continue
        # One transaction per mail: one bad address or template does not hold back the rest,
        # and a concurrent run waits on the unique key for a moment only.
        with transaction.atomic():
            mail_queue(to=reminder.to, template=reminder.template, context=reminder.context,
                       dedupe_key=reminder.dedupe_key, related=reminder.related)
        sent += 1  # a concurrent run may have won the key meanwhile: still one mail
    if sent:
        logger.info("support reminders: %d queued", sent)
    return sent
