"""Factories of the support lifecycle tests: applications from adoption on, set up through
the services (factories may set the adopted status directly, as the committee is not the
subject here)."""

import shutil
import subprocess
import tempfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory

from applications.enums import ApplicationStatus as S
from experts.models import Assignment, Expert
from handson.enums import Role
from support.services import lifecycle
from tests.factories import ApplicationFactory, UserFactory

TOKYO = ZoneInfo("Asia/Tokyo")
# A distinctive internal note: it must never reach the company (mail, page, PDF).
SECRET_NOTE = "社長が専門家の助言に反し独断で代理店契約を締結した件（社内限り）"
TODAY = date(2026, 6, 1)


def jst(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


def staff_user(**kwargs):
    return UserFactory(role=Role.STAFF, **kwargs)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"支援 専門家{n}")
    name_kana = factory.Sequence(lambda n: f"シエンセンモンカ{n}")
    email = factory.Sequence(lambda n: f"support-expert{n}@example.jp")


_consortium = iter(range(9000, 10000))


def adopted(**kwargs):
    kwargs.setdefault("status", S.ADOPTED)
    kwargs.setdefault("consortium_id", f"C2026-{next(_consortium):04d}")
    return ApplicationFactory(**kwargs)


def with_expert(application, expert=None) -> Assignment:
    return Assignment.objects.create(application=application, expert=expert or ExpertFactory())


def consent_received(*, actor, received_on=date(2026, 5, 1), **kwargs):
    application = adopted(**kwargs)
    lifecycle.support_consent_receive(application=application, received_on=received_on,
                                      actor=actor)
    application.refresh_from_db()
    return application


def in_support(*, actor, period_start=date(2026, 5, 10), period_end=date(2027, 2, 28),
               kickoff_on=date(2026, 5, 10), agreed_support="米国の代理店候補の開拓と商談準備",
               received_on=date(2026, 5, 1), **kwargs):
    application = consent_received(actor=actor, received_on=received_on, **kwargs)
    lifecycle.support_start(application=application, kickoff_on=kickoff_on,
                            agreed_support=agreed_support, period_start=period_start,
                            period_end=period_end, actor=actor)
    application.refresh_from_db()
    return application


def pdf_text(data: bytes) -> str:
    """The PDF's text (pdftotext), whitespace removed so table cells do not split words."""
    from tests import services as test_services

    if not shutil.which("pdftotext"):
        test_services.missing("pdftotext not found (apt-get install poppler-utils)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"],
                                capture_output=True, check=True, timeout=30)
    return "".join(result.stdout.decode("utf-8").split())
