"""Reads of the experts room: the registry with current loads, assignments, conflicts.

The expert portal (support room) lists an expert's companies with `current_companies_of`;
the matching and replacement pages rank `expert_snapshots()`.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet

from applications.models import Application
from experts.matching import Candidate, ExpertSnapshot, desired_fields_from, rank_candidates
from experts.models import Assignment, Expert, ExpertConflict

CURRENT = Q(ended_at__isnull=True)


def experts_with_load(queryset: QuerySet[Expert] | None = None) -> QuerySet[Expert]:
    """Experts annotated with `current_load`: the number of their current assignments."""
    queryset = Expert.objects.all() if queryset is None else queryset
    return queryset.annotate(
        current_load=Count("assignments", filter=Q(assignments__ended_at__isnull=True)))


def snapshot_of(expert: Expert, load: int) -> ExpertSnapshot:
    return ExpertSnapshot(
        expert_id=expert.pk, name=expert.name, name_kana=expert.name_kana,
        countries=tuple(expert.countries or ()), regions=tuple(expert.regions or ()),
        industries=tuple(expert.industries or ()), fields=tuple(expert.fields or ()),
        capacity=expert.capacity, load=load, is_active=expert.is_active,
    )


def expert_snapshots(queryset: QuerySet[Expert] | None = None) -> list[ExpertSnapshot]:
    """Every expert (active or not) with the current load, in one query."""
    return [snapshot_of(expert, expert.current_load)
            for expert in experts_with_load(queryset).order_by("name_kana", "name", "pk")]


def conflicted_expert_ids(company) -> set[int]:
    """IDs of the experts with a declared conflict with the company (or its ID)."""
    return set(ExpertConflict.objects.filter(company=company)
               .values_list("expert_id", flat=True))


def current_assignment(application: Application) -> Assignment | None:
    """The application's current (not ended) assignment, with its expert."""
    return (Assignment.objects.filter(CURRENT, application=application)
            .select_related("expert", "assigned_by").first())


def assignment_history(application: Application) -> list[Assignment]:
    """Every assignment of the application, newest first (ended ones included)."""
    return list(Assignment.objects.filter(application=application)
                .select_related("expert", "assigned_by").order_by("-assigned_at", "-pk"))


def current_companies_of(expert: Expert) -> QuerySet[Application]:
    """The applications this expert currently supports (for the expert portal)."""
    return (Application.objects.filter(expert_assignments__expert=expert,
                                       expert_assignments__ended_at__isnull=True)
            .select_related("company", "call").order_by("company__name_kana", "pk"))


def expert_detail(pk: int) -> Expert:
    """One expert with load, conflicts (and their companies) and current assignments."""
    return (experts_with_load(Expert.objects.select_related("user"))
            .prefetch_related(
                Prefetch("conflicts", ExpertConflict.objects.select_related("company")
                         .order_by("company__name_kana", "pk")),
                Prefetch("assignments", Assignment.objects.filter(CURRENT)
                         .select_related("application__company").order_by("assigned_at"),
                         to_attr="current_assignments"))
            .get(pk=pk))


# -- matching (V.1(2)③) and replacement (V.2) -------------------------------------------------

@dataclass(frozen=True)
class Matching:
    desired_support: str
    desired_fields: list[str]
    ranked: list[Candidate]
    excluded: list[Candidate]

    def candidate(self, expert_id: int) -> Candidate | None:
        return next((c for c in self.ranked if c.expert_id == expert_id), None)


def desired_support_of(application: Application) -> str:
    """The WEB form's 専門家に希望するサポート内容 ('' when the form has no answers)."""
    try:
        return application.answers.desired_support or ""
    except ObjectDoesNotExist:
        return ""


def matching_for(application: Application, *, interview_candidate_id: int | None = None,
                 current_expert_id: int | None = None) -> Matching:
    """The registry ranked for this application (3 queries: answers, conflicts, experts)."""
    text = desired_support_of(application)
    desired = desired_fields_from(text, application.project_type)
    candidates = rank_candidates(
        target_countries=list(application.target_countries or []),
        industry=application.company.industry,
        desired_fields=desired,
        experts=expert_snapshots(),
        interview_candidate_id=interview_candidate_id,
        conflicted_expert_ids=conflicted_expert_ids(application.company_id),
        current_expert_id=current_expert_id,
    )
    return Matching(text, desired, [c for c in candidates if c.excluded is None],
                    [c for c in candidates if c.excluded is not None])
