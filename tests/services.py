"""Real services for the tests: an SMTP sink, a Celery worker on Redis, Chromium.

A test that needs a service it cannot find skips with the reason, except under CI=true,
where a missing service fails the run (CI must never pass by skipping).
"""

import os
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def missing(reason: str):
    """Skip locally, fail in CI."""
    if IN_CI:
        pytest.fail(f"CI needs this service: {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("REDIS_URL is not set (Redis is needed for this test)")
    return url


def is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def require_postgres():
    if not is_postgres():
        missing("DATABASE_URL does not point at PostgreSQL (row locks need it)")


def require_chromium() -> str:
    if not shutil.which(CHROMIUM):
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list = field(default_factory=list)
    # Replies to give instead of accepting, consumed one per DATA (e.g. "451 try later").
    scripted_replies: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.scripted_replies:
                return self.scripted_replies.pop(0)
            self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def parsed(self):
        from email import message_from_bytes, policy

        with self.lock:
            return [message_from_bytes(e.content, policy=policy.default) for e in self.messages]

    def wait_for(self, count: int, timeout: float = 15.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                break
            time.sleep(0.05)
        return self.parsed()


@contextmanager
def smtp_sink():
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@contextmanager
def celery_worker():
    """A real Celery worker (solo pool, in a thread) consuming from Redis."""
    from celery.contrib.testing.worker import start_worker

    from handson.celery import app

    url = redis_url()
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=url)
    reset_broker_pool(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)
        reset_broker_pool(app)


def reset_broker_pool(app):
    """Forget pooled broker connections so a changed broker_url takes effect."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
