import os

import pytest

from tests import services

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def smtp_sink(settings):
    """Route Django mail to a real SMTP server on loopback for this test."""
    with services.smtp_sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = sink.host
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@pytest.fixture
def celery_worker(transactional_db):
    with services.celery_worker() as app:
        yield app
