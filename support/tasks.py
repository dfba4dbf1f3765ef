import logging

from celery import shared_task

from support.services.reminders import reminders_send

logger = logging.getLogger(__name__)


# -- support lifecycle reminders (Celery beat, daily at 08:00 Asia/Tokyo) --
@shared_task
def task_send_support_reminders() -> int:
    """Queue the due reminders (period end, review due, survey overdue), each exactly once."""
    count = reminders_send()
    logger.info("support reminders: %d new mail(s) queued", count)
    return count
