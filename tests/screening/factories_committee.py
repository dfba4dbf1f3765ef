"""Factories of the committee (④) and notice (⑤⑥) tests."""

from datetime import datetime

from django.utils import timezone

from applications.enums import ApplicationStatus as S
from handson.enums import Role
from screening.enums import MeetingStatus, TieRule
from screening.models import AgendaItem, Assessment, StageDecision
from screening.services import committee as services
from tests.factories import ApplicationFactory, CallFactory, UserFactory

SECRET_NOTE = "財務基盤が弱い"
SECRET_DECISION_NOTE = "代表者の意欲が感じられない"


def member(**kwargs):
    return UserFactory(role=Role.COMMITTEE, **kwargs)


def staff(**kwargs):
    return UserFactory(role=Role.STAFF, **kwargs)


def ready_application(**kwargs):
    """An application in committee_review with eligibility findings."""
    kwargs.setdefault("status", S.COMMITTEE_REVIEW)
    kwargs.setdefault("eligibility_outcome", "eligible")
    kwargs.setdefault("eligibility_result", {"size_category": "sme", "findings": [
        {"rule_id": "SIZE-SME", "outcome": "pass", "message": "中小企業基本法の中小企業に該当します。"},
        {"rule_id": "COUNTRY-COUNT", "outcome": "pass", "message": "対象国・地域の数は要件を満たします。"},
    ]})
    kwargs.setdefault("received_at", timezone.make_aware(datetime(2026, 2, 2, 10)))
    return ApplicationFactory(**kwargs)


def with_screening_notes(application, reviewer=None):
    """Assessments and stage decisions with internal notes that must never reach the applicant."""
    reviewer = reviewer or staff()
    for stage in ("document", "interview"):
        Assessment.objects.create(
            application=application, stage=stage, reviewer=reviewer,
            scores={c: 3 for c in ("SEL-1", "SEL-2", "SEL-3", "SEL-4", "SEL-5", "SEL-6",
                                   "SEL-10")},
            notes=SECRET_NOTE, proposal="pass")
        StageDecision.objects.create(application=application, stage=stage, outcome="pass",
                                     decided_by=reviewer, note=SECRET_DECISION_NOTE)
    return application


def make_meeting(*, members=None, n_members=3, chair=None, quorum=2,
                 tie_rule=TieRule.CHAIR_DECIDES, disclose=False, applications=None,
                 status=MeetingStatus.PLANNED, actor=None, call=None):
    call = call or CallFactory()
    members = members or [member(display_name=f"委員{chr(0x41 + i)}") for i in range(n_members)]
    applications = applications if applications is not None else [ready_application(call=call)]
    actor = actor or staff()
    meeting = services.meeting_create(
        actor=actor, call=call, title="第1回 採択企業選定審査委員会",
        scheduled_at=timezone.make_aware(datetime(2026, 4, 3, 14)), members=members,
        chair=chair or members[0], quorum=quorum, tie_rule=tie_rule,
        disclose_individual_votes=disclose, applications=applications)
    if status != MeetingStatus.PLANNED:
        services.meeting_open(actor=actor, meeting=meeting)
        meeting.refresh_from_db()
    return meeting


def item_of(meeting, application=None) -> AgendaItem:
    items = meeting.agenda.all()
    return items.get(application=application) if application else items.get()


def pdf_text(data: bytes) -> str:
    """The PDF's text (pdftotext), whitespace removed so table cells do not split words."""
    import shutil
    import subprocess
    import tempfile

    from tests import services as test_services

    if not shutil.which("pdftotext"):
        test_services.missing("pdftotext not found (apt-get install poppler-utils)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"],
                                capture_output=True, check=True, timeout=30)
    return "".join(result.stdout.decode("utf-8").split())
