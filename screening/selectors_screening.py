"""Reads for ① document screening, ② interviews and the screening work queue. No writes."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from screening.enums import InterviewStatus, Proposal, Stage
from screening.models import Assessment, Interview, StageDecision


def applications_for_screening() -> QuerySet[Application]:
    return Application.objects.select_related("company", "call", "staff_in_charge")


def _passed_documents():
    return StageDecision.objects.filter(application=OuterRef("pk"), stage=Stage.DOCUMENT,
                                        outcome=Proposal.PASS)


def _scheduled_interview():
    return Interview.objects.filter(application=OuterRef("pk"),
                                    status=InterviewStatus.SCHEDULED)


def work_queue() -> dict[str, list]:
    """What staff have to do next, in six lists; a constant number of queries."""
    base = applications_for_screening().order_by("received_at", "pk")
    in_documents = (
        base.filter(status=S.DOCUMENT_SCREENING)
        .annotate(passed=Exists(_passed_documents()))
        .filter(passed=False)
        .annotate(document_assessments=Count("assessments",
                                             filter=Q(assessments__stage=Stage.DOCUMENT)))
    )
    # Passed ① but no interview date yet (or the only one was cancelled): 面談日程の調整待ち.
    awaiting_interview = (
        base.filter(status__in=[S.DOCUMENT_SCREENING, S.INTERVIEW_SCHEDULED])
        .annotate(passed=Exists(_passed_documents()),
                  has_interview=Exists(_scheduled_interview()))
        .filter(passed=True, has_interview=False)
    )
    upcoming = list(
        Interview.objects.filter(status=InterviewStatus.SCHEDULED)
        .select_related("application__company", "expert_candidate")
        .order_by("scheduled_at", "pk")
    )
    return {
        "received": list(base.filter(status=S.RECEIVED)),
        "document_screening": list(in_documents),
        "awaiting_interview": list(awaiting_interview),
        "upcoming_interviews": upcoming,
        "interviewed": list(
            base.filter(status=S.INTERVIEWED)
            .annotate(interview_assessments=Count(
                "assessments", filter=Q(assessments__stage=Stage.INTERVIEW)))
        ),
        "matching": list(base.filter(status=S.MATCHING).order_by("status_changed_at", "pk")),
        "now": timezone.now(),
    }


def assessments_of(application: Application, stage: str) -> list[Assessment]:
    return list(Assessment.objects.filter(application=application, stage=stage)
                .select_related("reviewer").order_by("created_at", "pk"))


def interviews_of(application: Application) -> list[Interview]:
    return list(
        application.interviews.select_related("expert_candidate", "created_by")
        .prefetch_related(Prefetch("jetro_staff"))
        .order_by("-scheduled_at", "-pk")
    )
