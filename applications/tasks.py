import logging

from celery import shared_task

from applications.services.registration import registration_purge_expired

logger = logging.getLogger(__name__)


# -- online registration (FORM-TIMEOUT) --
@shared_task
def task_purge_expired_registrations() -> int:
    """Erase registrations whose 2 hours are over (Celery beat, every minute)."""
    count = registration_purge_expired()
    if count:
        logger.info("FORM-TIMEOUT: erased %d expired registration draft(s)", count)
    return count
