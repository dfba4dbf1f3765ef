import logging

from celery import shared_task

from handson import outbox

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, acks_late=True)
def task_send_mail(self, *, mail_id: int) -> str:
    result = outbox.mail_deliver(mail_id=mail_id)
    if result is outbox.Delivery.RETRY:
        delay = outbox.retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(countdown=delay)
    return result.value


@shared_task
def task_sweep_outbox() -> int:
    count = outbox.mail_sweep()
    if count:
        logger.info("outbox sweep enqueued %d mail(s)", count)
    return count
