"""Reads of the committee (④) and notice (⑤⑥) pages. No writes here."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from applications.countries import country_name
from applications.eligibility import FINDING_OUTCOME_LABELS, OUTCOME_LABELS
from screening.enums import CRITERIA_LABELS, SCORED_CRITERIA, InterviewStatus, MeetingStatus, Stage
from screening.models import (
    AgendaItem,
    Assessment,
    CommitteeMeeting,
    Interview,
    Notice,
    NoticeStatus,
    StageDecision,
    Vote,
)


def meetings_for(user) -> QuerySet[CommitteeMeeting]:
    """Staff: every meeting; a member: the meetings they sit on. With the counts the home
    page shows (items, and the items still waiting for this user's vote)."""
    queryset = CommitteeMeeting.objects.select_related("call", "chair")
    if not user.is_jetro_staff:
        # A subquery, so the member count below counts every member, not only this one.
        queryset = queryset.filter(
            pk__in=CommitteeMeeting.members.through.objects.filter(user_id=user.pk)
            .values("committeemeeting_id"))
    return queryset.annotate(
        item_count=Count("agenda", distinct=True),
        member_count=Count("members", distinct=True),
    ).order_by("-scheduled_at", "-pk")


def home_rows(user) -> list[dict]:
    """The meetings of the home page, with what still needs this user's vote (constant
    number of queries whatever the number of meetings)."""
    meetings = list(meetings_for(user))
    ids = [m.pk for m in meetings]
    items = (AgendaItem.objects.filter(meeting_id__in=ids)
             .annotate(voted=Exists(Vote.objects.filter(agenda_item=OuterRef("pk"),
                                                        member=user)))
             .values("meeting_id", "voted"))
    member_of = set(CommitteeMeeting.members.through.objects.filter(
        committeemeeting_id__in=ids, user_id=user.pk).values_list("committeemeeting_id",
                                                                  flat=True))
    pending: dict[int, int] = {}
    for row in items:
        if not row["voted"]:
            pending[row["meeting_id"]] = pending.get(row["meeting_id"], 0) + 1
    rows = []
    for meeting in meetings:
        is_member = meeting.pk in member_of
        waiting = pending.get(meeting.pk, 0) if is_member else 0
        rows.append({
            "meeting": meeting, "is_member": is_member, "waiting": waiting,
            "needs_vote": is_member and meeting.status == MeetingStatus.OPEN and waiting > 0,
        })
    return rows


def meeting_for_pages() -> QuerySet[CommitteeMeeting]:
    return CommitteeMeeting.objects.select_related("call", "chair", "created_by")


def agenda_of(meeting: CommitteeMeeting, user) -> list[dict]:
    items = list(meeting.agenda.select_related("application__company").order_by("position",
                                                                                 "pk"))
    votes = {v.agenda_item_id: v for v in Vote.objects.filter(agenda_item__meeting=meeting,
                                                              member=user)}
    voted = dict(Vote.objects.filter(agenda_item__meeting=meeting).values("agenda_item_id")
                 .annotate(n=Count("pk")).values_list("agenda_item_id", "n"))
    return [{"item": item, "my_vote": votes.get(item.pk), "voted_count": voted.get(item.pk, 0)}
            for item in items]


# -- the packet ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposedExpert:
    name: str
    source: str  # "assignment", "interview" or "" (未定)


def proposed_expert(application) -> ProposedExpert:
    """The current expert assignment (experts room), else the interview's expert candidate,
    else 未定."""
    from experts.models import Assignment

    assignment = (Assignment.objects.filter(application=application, ended_at=None)
                  .select_related("expert").first())
    if assignment is not None:
        return ProposedExpert(assignment.expert.name, "assignment")
    interview = (Interview.objects.filter(application=application,
                                          expert_candidate__isnull=False)
                 .exclude(status=InterviewStatus.CANCELLED)
                 .select_related("expert_candidate").order_by("-scheduled_at").first())
    if interview is not None:
        return ProposedExpert(interview.expert_candidate.name, "interview")
    return ProposedExpert("", "")


def eligibility_of(application) -> dict:
    result = application.eligibility_result or {}
    findings = [
        {"rule_id": f.get("rule_id", ""), "outcome": f.get("outcome", ""),
         "outcome_label": FINDING_OUTCOME_LABELS.get(f.get("outcome", ""), f.get("outcome", "")),
         "message": f.get("message", "")}
        for f in result.get("findings", []) if isinstance(f, dict)
    ]
    outcome = application.eligibility_outcome or result.get("outcome", "")
    return {"outcome": outcome, "outcome_label": OUTCOME_LABELS.get(outcome, outcome or "未判定"),
            "findings": findings}


def assessments_by_stage(application) -> list[dict]:
    assessments = list(Assessment.objects.filter(application=application)
                       .select_related("reviewer").order_by("stage", "created_at"))
    decisions = {d.stage: d for d in StageDecision.objects.filter(application=application)
                 .select_related("decided_by")}
    stages = []
    for stage in (Stage.DOCUMENT, Stage.INTERVIEW):
        rows = [{"assessment": a, "scores": [a.scores.get(c, "") for c in SCORED_CRITERIA],
                 "total": a.total,
                 "bonuses": [CRITERIA_LABELS[c] for c in a.bonuses if c in CRITERIA_LABELS]}
                for a in assessments if a.stage == stage]
        stages.append({"stage": stage, "label": stage.label, "rows": rows,
                       "decision": decisions.get(stage)})
    return stages


def packet(item: AgendaItem) -> dict:
    application = item.application
    return {
        "application": application,
        "company": application.company,
        "countries": [country_name(c) for c in application.target_countries or []],
        "eligibility": eligibility_of(application),
        "stages": assessments_by_stage(application),
        "scored_criteria": [(c, CRITERIA_LABELS[c]) for c in SCORED_CRITERIA],
        "expert": proposed_expert(application),
    }


def agenda_item_for_pages() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("meeting__chair", "meeting__call",
                                             "application__company", "application__call")


# -- notices --------------------------------------------------------------------------------------

def notices_for_batch(status: str = NoticeStatus.DRAFT) -> QuerySet[Notice]:
    return (Notice.objects.filter(status=status)
            .select_related("application__company", "application__call", "mail")
            .order_by("kind", "application__company__name_kana", "pk"))


def notice_counts() -> dict[str, int]:
    counts = dict(Notice.objects.values("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    return {status: counts.get(status, 0) for status in NoticeStatus.values}

