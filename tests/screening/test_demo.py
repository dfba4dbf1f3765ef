"""The screening room's demo seeder: every stage of the selection, idempotent, through the
services, and the staff pages render with it."""

import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.models import Application, Document
from experts.models import Assignment
from handson.models import AuditLog, OutboundMail, User
from screening import selectors
from screening.demo import DEMO_APPLICATIONS, MEETING_TITLE, STAGES
from screening.enums import InterviewMode, InterviewStatus, MeetingStatus, Stage
from screening.models import (
    AgendaItem,
    Assessment,
    CommitteeMeeting,
    Interview,
    Notice,
    NoticeKind,
    NoticeStatus,
    StageDecision,
)
from support.demo import DEMO_COMPANIES
from tests.factories import verified_login

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 10, 14, 9, 30, tzinfo=JST)  # a Wednesday inside the intake period
ROOT = Path(__file__).resolve().parents[2]
NAMES = [spec["company"]["name"] for spec in DEMO_APPLICATIONS]


def seed():
    call_command("seed_demo", stdout=open(os.devnull, "w"))


def by_status() -> dict[str, int]:
    return dict(Application.objects.order_by().values_list("status").annotate(n=Count("pk")))


def totals() -> tuple:
    return tuple(model.objects.count() for model in (
        Application, Document, AuditLog, OutboundMail, User, Assessment, StageDecision,
        Interview, Notice, CommitteeMeeting, AgendaItem, Assignment))


def demo(name_part: str) -> Application:
    return Application.objects.select_related("company").get(company__name__contains=name_part)


@time_machine.travel(NOW, tick=False)
def test_seed_twice_gives_the_same_data_at_exactly_the_listed_stages():
    seed()
    first = (by_status(), totals(),
             sorted(Application.objects.values_list("pk", "status", "status_changed_at",
                                                    "received_at", "updated_at")))
    seed()
    assert (by_status(), totals(),
            sorted(Application.objects.values_list("pk", "status", "status_changed_at",
                                                   "received_at", "updated_at"))) == first

    assert len(DEMO_APPLICATIONS) == 12
    ours = Counter(Application.objects.filter(company__name__in=NAMES)
                   .values_list("status", flat=True))
    assert ours == Counter(STAGES)
    assert ours == Counter({S.AWAITING_DOCUMENTS: 2, S.RECEIVED: 2, S.DOCUMENT_SCREENING: 1,
                            S.INTERVIEW_SCHEDULED: 1, S.INTERVIEWED: 1, S.MATCHING: 1,
                            S.COMMITTEE_REVIEW: 2, S.REJECTED: 1, S.WITHDRAWN: 1})
    support = Counter(target for *_rest, target in DEMO_COMPANIES)
    assert by_status() == dict(ours + support)


@time_machine.travel(NOW, tick=False)
def test_each_stage_was_reached_through_the_services():
    seed()
    applications = Application.objects.filter(company__name__in=NAMES)
    # Registration: the stored eligibility and the auto-reply exist for every company.
    assert not applications.filter(eligibility_outcome="").exists()
    for application in applications:
        assert OutboundMail.objects.filter(dedupe_key=f"autoreply:{application.pk}").exists()
        assert AuditLog.objects.filter(action="application.registered",
                                       object_id=str(application.pk)).exists()
    # Only example.jp receives mail.
    assert all(mail.to.endswith("@example.jp") for mail in OutboundMail.objects.all())

    # The WEB form: one untouched, one half filled (two statements, no declarations yet).
    untouched, half = (demo("北星乳業"), demo("みちのく漆器"))
    assert untouched.documents.count() == 0 and untouched.answers.management_philosophy == ""
    assert half.documents.count() == 2 and half.answers.desired_support
    assert half.answers.declares_not_antisocial is None

    # Received: the documents were uploaded (real PDFs in the storage) and submitted.
    received = demo("信州精密")
    assert received.documents.count() == 3
    assert all(d.file.storage.exists(d.file.name) for d in received.documents.all())
    assert received.received_at and AuditLog.objects.filter(
        action="application.received", object_id=str(received.pk)).exists()

    # Waiting flags: 10 days (none), 45 days (要注意), 65 days in ① (超過).
    today = selectors.today_local()
    counts = selectors.wait_level_counts(received.call, today)
    assert counts[selectors.WaitLevel.ATTENTION] >= 1 and counts[selectors.WaitLevel.OVERDUE] >= 1
    assert selectors.days_since(received.received_at, today) in (10, 11, 12)

    screening = demo("なにわ機工")
    assert screening.status == S.DOCUMENT_SCREENING
    assert Assessment.objects.filter(application=screening).count() == 1
    assert not StageDecision.objects.filter(application=screening).exists()

    scheduled = demo("西陣テキスタイル")
    interview = Interview.objects.get(application=scheduled)
    local = interview.scheduled_at.astimezone(JST)
    assert (interview.mode, interview.status) == (InterviewMode.ONLINE, InterviewStatus.SCHEDULED)
    assert interview.meeting_url and local.weekday() == 2
    assert 5 <= (local.date() - NOW.date()).days <= 11  # next week's Wednesday

    interviewed = demo("博多ソフトウェア")
    assert interviewed.status == S.INTERVIEWED
    assert Assessment.objects.filter(application=interviewed, stage=Stage.INTERVIEW).exists()
    assert Interview.objects.get(application=interviewed).status == InterviewStatus.HELD

    assert demo("美濃セラミックス").status == S.MATCHING

    meeting = CommitteeMeeting.objects.get(title=MEETING_TITLE)
    assert meeting.status == MeetingStatus.PLANNED and meeting.scheduled_at > NOW
    assert sorted(meeting.members.values_list("username", flat=True)) == [
        "committee1", "committee2", "committee3"]
    assert (meeting.chair.username, meeting.quorum) == ("committee1", 2)
    on_agenda = {item.application.status for item in meeting.agenda.select_related("application")}
    assert meeting.agenda.count() == 2 and on_agenda == {S.COMMITTEE_REVIEW}
    for item in meeting.agenda.all():
        assert Assignment.objects.filter(application_id=item.application_id,
                                         ended_at__isnull=True).exists()

    rejected = demo("サーフ工房")
    assert AuditLog.objects.filter(action="application.document_screening_failed",
                                   object_id=str(rejected.pk)).exists()
    notice = Notice.objects.get(application=rejected)
    assert (notice.kind, notice.status) == (NoticeKind.REJECTION, NoticeStatus.SENT)
    assert notice.mail.to == rejected.contact_email and rejected.decision_notified_at

    withdrawn = demo("金沢箔工芸")
    assert withdrawn.status == S.WITHDRAWN and withdrawn.withdrawal_reason


@time_machine.travel(NOW, tick=False)
def test_staff_and_committee_pages_render_with_the_demo_data(client):
    seed()
    staff = User.objects.get(username="staff")
    verified_login(client, staff)
    meeting = CommitteeMeeting.objects.get(title=MEETING_TITLE)
    urls = [reverse("screening:dashboard"), reverse("screening:application_list"),
            reverse("screening:application_csv"), reverse("screening:work_queue"),
            reverse("screening:committee_home"),
            reverse("screening:meeting_detail", args=[meeting.pk]),
            reverse("screening:notice_batch"), reverse("screening:mail_list")]
    urls += [reverse("screening:packet", args=[meeting.pk, item.pk])
             for item in meeting.agenda.all()]
    for application in Application.objects.all():
        urls.append(reverse("screening:application_detail", args=[application.public_id]))
    for part, name in (("なにわ機工", "document_screening"), ("博多ソフトウェア", "interview_result"),
                       ("美濃セラミックス", "matching")):
        urls.append(reverse(f"screening:{name}", args=[demo(part).public_id]))
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("screening:dashboard")).content.decode()
    assert "要注意" in page and "超過" in page

    client.logout()
    verified_login(client, User.objects.get(username="committee2"))
    for url in (reverse("screening:committee_home"),
                reverse("screening:meeting_detail", args=[meeting.pk])):
        assert client.get(url).status_code == 200, url


def test_seed_demo_works_on_a_fresh_sqlite_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo-check.sqlite3'}"}
    env.pop("REDIS_URL", None)

    def manage(*args) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    first = manage("seed_demo")
    assert "選考のデモデータ" in first and "申込の状態" in first
    if date(2026, 4, 1) <= date.today() <= date(2027, 1, 31):  # the call takes applications
        assert "最終審査中 2 件" in first and MEETING_TITLE in first
    again = manage("seed_demo")
    summary = lambda out: out[out.index("申込の状態"):]  # noqa: E731
    assert summary(again) == summary(first)
