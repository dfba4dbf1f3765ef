"""The outbox: rows first, tasks after commit, exactly-once delivery, retries, the sweep."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone

from handson import outbox
from handson.celery import app as celery_app
from handson.enums import MailStatus
from handson.models import OutboundMail
from tests import services

CONTEXT = {"company_name": "株式会社テスト製作所"}


def queue(key: str = "test:1") -> OutboundMail:
    return outbox.mail_queue(to="tanaka@example.jp", template="test_notice", context=CONTEXT,
                             dedupe_key=key)


@pytest.mark.django_db
def test_mail_is_rendered_in_japanese_into_a_row():
    mail = queue()
    assert mail.status == MailStatus.PENDING
    assert mail.subject == "【ハンズオン支援】株式会社テスト製作所 様へのお知らせ"
    assert "これは試験用のお知らせです。" in mail.body_text
    assert "http://127.0.0.1:8000/" in mail.body_text
    assert "<p>株式会社テスト製作所<br>" in mail.body_html


@pytest.mark.django_db
def test_same_dedupe_key_gives_one_row():
    first, second = queue("same"), queue("same")
    assert first.pk == second.pk
    assert OutboundMail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_exception_before_commit_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the service failed after queueing")
    assert OutboundMail.objects.count() == 0
    assert django_mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_commit_enqueues_and_delivers_once():
    with transaction.atomic():
        mail = queue()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.attempts == 1
    assert len(django_mail.outbox) == 1
    sent = django_mail.outbox[0]
    assert sent.to == ["tanaka@example.jp"]
    assert sent.extra_headers["Message-ID"] == f"<outbox-{mail.pk}@handson.invalid>"


@pytest.mark.django_db
def test_deliver_twice_sends_once():
    mail = queue()
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.SENT
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.SKIPPED
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_cancelled_mail_is_never_sent():
    mail = queue()
    assert outbox.mail_cancel(mail=mail) is True
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.SKIPPED
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_temporary_smtp_error_is_retried_with_backoff(smtp_sink):
    smtp_sink.scripted_replies.append("451 4.3.0 Try again later")
    mail = queue()
    before = timezone.now()
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.RETRY
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.PENDING, 1)
    assert "451" in mail.last_error
    assert before + timedelta(seconds=59) < mail.next_attempt_at <= timezone.now() + timedelta(
        minutes=1)
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.SENT
    assert len(smtp_sink.parsed()) == 1


@pytest.mark.django_db
def test_permanent_smtp_error_marks_failed(smtp_sink):
    smtp_sink.scripted_replies.append("550 5.1.1 No such user")
    mail = queue()
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.FAILED
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert "550" in mail.last_error
    assert smtp_sink.parsed() == []


@pytest.mark.django_db
def test_gives_up_after_max_attempts(smtp_sink, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_sink.scripted_replies += ["451 busy", "451 busy"]
    mail = queue()
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.RETRY
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.FAILED


def test_backoff_doubles_and_is_capped():
    minutes = [outbox.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8, 20)]
    assert minutes == [1, 2, 4, 8, 60, 60]


@pytest.mark.django_db
def test_sweep_picks_only_due_pending_mails():
    fresh, old, retry_later, sent = (queue(k) for k in ("fresh", "old", "later", "sent"))
    OutboundMail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(minutes=3))
    OutboundMail.objects.filter(pk=retry_later.pk).update(
        created_at=timezone.now() - timedelta(minutes=3),
        next_attempt_at=timezone.now() + timedelta(minutes=5))
    OutboundMail.objects.filter(pk=sent.pk).update(
        status=MailStatus.SENT, created_at=timezone.now() - timedelta(minutes=3))
    assert list(outbox.mails_due().values_list("pk", flat=True)) == [old.pk]


@pytest.mark.worker
def test_real_worker_on_redis_delivers_exactly_once(celery_worker, smtp_sink):
    with transaction.atomic():
        mail = queue("worker:once")
    received = smtp_sink.wait_for(1)
    assert len(received) == 1
    assert received[0]["Subject"].strip() == "【ハンズオン支援】株式会社テスト製作所 様へのお知らせ"
    assert "試験用のお知らせ" in received[0].get_body(("plain",)).get_content()
    # A duplicated delivery of the task (broker redelivery, a second sweep) sends nothing.
    for _ in range(3):
        outbox.mail_enqueue(mail_id=mail.pk)
    time.sleep(1.5)
    assert len(smtp_sink.parsed()) == 1
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT


@pytest.mark.worker
def test_mail_created_while_broker_is_down_goes_out_with_the_sweep(celery_worker, smtp_sink):
    celery_app.conf.broker_url = f"redis://127.0.0.1:{services.free_port()}/0"
    services.reset_broker_pool(celery_app)
    started = time.monotonic()
    with transaction.atomic():
        mail = queue("worker:sweep")
    assert time.monotonic() - started < 5, "an unreachable broker must not hold up the request"
    mail.refresh_from_db()
    assert mail.status == MailStatus.PENDING

    celery_app.conf.broker_url = services.redis_url()
    services.reset_broker_pool(celery_app)
    assert outbox.mail_sweep() == 0  # not due yet: the task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=True):
        assert outbox.mail_sweep() == 1
    received = smtp_sink.wait_for(1)
    assert len(received) == 1
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT


@pytest.fixture
def receipt_renderer():
    calls = []

    def render(*, number: int):
        calls.append(number)
        return f"受付番号 {number}".encode(), f"受付票_{number}.txt", "text/plain"

    outbox.register_attachment_renderer("test.receipt", render)
    yield calls
    outbox.ATTACHMENT_RENDERERS.pop("test.receipt")


@pytest.mark.django_db
def test_attachments_are_made_when_the_mail_is_sent(receipt_renderer):
    mail = outbox.mail_queue(to="tanaka@example.jp", template="test_notice", context=CONTEXT,
                             dedupe_key="with-attachment",
                             attachments=[outbox.attachment("test.receipt", number=7)])
    assert mail.attachments == [{"renderer": "test.receipt", "kwargs": {"number": 7}}]
    assert receipt_renderer == []  # nothing is rendered while queueing
    assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.SENT
    assert receipt_renderer == [7]
    sent = django_mail.outbox[0]
    assert sent.attachments == [("受付票_7.txt", "受付番号 7", "text/plain")]


def test_an_unknown_attachment_renderer_is_refused_when_queueing():
    with pytest.raises(KeyError):
        outbox.attachment("no.such.renderer")


@pytest.mark.django_db
def test_an_attachment_that_cannot_be_made_fails_the_mail_for_staff_to_see():
    def broken(**kwargs):
        raise ValueError("template missing")

    outbox.register_attachment_renderer("test.broken", broken)
    try:
        mail = outbox.mail_queue(to="tanaka@example.jp", template="test_notice",
                                 context=CONTEXT, dedupe_key="broken-attachment",
                                 attachments=[outbox.attachment("test.broken")])
        assert outbox.mail_deliver(mail_id=mail.pk) is outbox.Delivery.FAILED
    finally:
        outbox.ATTACHMENT_RENDERERS.pop("test.broken")
    mail.refresh_from_db()
    assert (mail.status, mail.last_error) == (MailStatus.FAILED, "ValueError: template missing")
    assert django_mail.outbox == []
