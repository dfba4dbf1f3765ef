"""④ 採択企業選定審査委員会: meetings, agenda, votes, and the close (decisions + minutes).

The rules, as the pages state them (VOTING_RULES below is the text shown):

- Each member votes 採択 / 不採択 / 棄権 on each application, or declares a conflict of
  interest (利益相反のため回避, with a note). **A vote is final once cast**: a second attempt
  (double click, second tab) records nothing and shows the vote already recorded. The
  unique constraint (agenda_item, member) and a row lock on the agenda item make this hold
  under concurrency.
- Votes are accepted only while the meeting is open (審議中). The chair or JETRO staff open
  and close it.
- Quorum (定足数): the number of members who cast 採択, 不採択 or 棄権 on the item must be at
  least the meeting's quorum. Recused members and members who did not vote do not count.
  Without quorum there is no decision and the application stays 最終審査中.
- Majority: 採択 > 不採択 adopts, 不採択 > 採択 rejects. Abstentions count toward the
  quorum but not toward the majority.
- A tie (採択 = 不採択, 0 = 0 included) follows the meeting's tie rule: the chair decides
  (the chair records a casting decision when closing the meeting) or the tie rejects.

Closing records every item's counts and decision, moves the applications (workflow), assigns
the コンソーシアムID and drafts the notices, all in one transaction; the minutes PDF is
produced right after (and can be produced again if that fails).

Lock order (no deadlocks with the submission and the votes): Call → meeting → agenda items
→ applications. A vote locks its agenda item only.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus as S
from applications.models import Application, Call
from applications.services import workflow
from handson.audit import audit_record
from handson.enums import Role
from handson.files import generated_name
from handson.pdf import render_pdf
from screening.enums import Decision, MeetingStatus, TieRule, VoteChoice
from screening.models import AgendaItem, CommitteeMeeting, NoticeKind, Vote

RULE_COMMITTEE = "V.1(2)④"
RULE_ADOPTION = "V.1(2)⑤"
RULE_REJECTION = "V.1(2)⑥"

CAST = (VoteChoice.ADOPT, VoteChoice.REJECT, VoteChoice.ABSTAIN)

VOTING_RULES = [
    _("投票は「採択」「不採択」「棄権」のいずれか、または利益相反がある場合の「回避」（内容の記入が必要）です。"),
    _("投票は一度行うと変更できません。二重に送信しても、最初の投票だけが記録されます。"),
    _("投票できるのは、委員会が「審議中」の間だけです。開会と閉会は委員長またはジェトロ職員が行います。"),
    _("定足数：その案件に「採択」「不採択」「棄権」のいずれかを投じた委員の数が定足数以上であること。回避した委員と投票しなかった委員は数えません。定足数に満たない案件は決定なしとなり、最終審査中のまま次回以降の委員会に諮ります。"),
    _("過半数：「採択」が「不採択」より多ければ採択、「不採択」が多ければ不採択です。棄権は定足数には数えますが、可否の比較には数えません。"),
]


class CommitteeError(Exception):
    """An action the meeting's state or the rules do not allow; `message` is for the user."""

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


class CastingNeeded(CommitteeError):
    """A tie under the chair-decides rule: the chair's casting decision is missing."""

    def __init__(self, items):
        self.items = list(items)
        super().__init__(_("可否同数の案件があります。委員長が裁決（採択または不採択）を選んでから閉会してください。"))


def tie_rule_text(tie_rule: str) -> str:
    return str(TieRule(tie_rule).label)


# -- the arithmetic ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    adopt: int = 0
    reject: int = 0
    abstain: int = 0
    recused: int = 0

    @property
    def cast(self) -> int:
        """Members counted toward the quorum: 採択 + 不採択 + 棄権."""
        return self.adopt + self.reject + self.abstain

    @property
    def tied(self) -> bool:
        return self.adopt == self.reject


@dataclass(frozen=True)
class Outcome:
    decision: str  # Decision value
    decided_by_chair: bool = False
    chair_casting_choice: str = ""


def decide(tally: Tally, *, quorum: int, tie_rule: str, casting: str | None = None) -> Outcome:
    """Counts → decision (see the module docstring). Raises CastingNeeded for a tie under
    the chair-decides rule without a casting decision (adopt or reject)."""
    if tally.cast < quorum:
        return Outcome(Decision.NO_QUORUM)
    if tally.adopt > tally.reject:
        return Outcome(Decision.ADOPTED)
    if tally.reject > tally.adopt:
        return Outcome(Decision.REJECTED)
    if tie_rule == TieRule.REJECT:
        return Outcome(Decision.REJECTED)
    if casting not in (VoteChoice.ADOPT, VoteChoice.REJECT):
        raise CastingNeeded([])
    decision = Decision.ADOPTED if casting == VoteChoice.ADOPT else Decision.REJECTED
    return Outcome(decision, decided_by_chair=True, chair_casting_choice=casting)


def tallies(meeting: CommitteeMeeting) -> dict[int, Tally]:
    """Item id → counts, in one query."""
    rows = (Vote.objects.filter(agenda_item__meeting=meeting)
            .values("agenda_item_id")
            .annotate(adopt=Count("pk", filter=Q(choice=VoteChoice.ADOPT)),
                      reject=Count("pk", filter=Q(choice=VoteChoice.REJECT)),
                      abstain=Count("pk", filter=Q(choice=VoteChoice.ABSTAIN)),
                      recused=Count("pk", filter=Q(choice=VoteChoice.RECUSED))))
    result = {item_id: Tally() for item_id in meeting.agenda.values_list("pk", flat=True)}
    for row in rows:
        result[row["agenda_item_id"]] = Tally(row["adopt"], row["reject"], row["abstain"],
                                              row["recused"])
    return result


def needs_casting(meeting: CommitteeMeeting, counts: dict[int, Tally]) -> list[int]:
    """Items that would need the chair's casting decision if the meeting closed now."""
    if meeting.tie_rule != TieRule.CHAIR_DECIDES:
        return []
    return [item_id for item_id, tally in counts.items()
            if tally.cast >= meeting.quorum and tally.tied]


# -- who may do what (the views check the same with django-rules first) ----------------------

def is_member(user, meeting: CommitteeMeeting) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.COMMITTEE)
                and meeting.members.filter(pk=user.pk).exists())


def may_run(user, meeting: CommitteeMeeting) -> bool:
    """Open and close: the chair or JETRO staff."""
    return bool(user and user.is_authenticated
                and (user.is_jetro_staff or (meeting.chair_id == user.pk
                                             and is_member(user, meeting))))


# -- meetings and agenda -----------------------------------------------------------------------

def agenda_candidates(call: Call | None = None, *, meeting: CommitteeMeeting | None = None):
    """Applications ready for the final review and not on another meeting still to close."""
    busy = AgendaItem.objects.exclude(meeting__status=MeetingStatus.CLOSED)
    if meeting is not None:
        busy = busy.exclude(meeting=meeting)
    queryset = (Application.objects.filter(status=S.COMMITTEE_REVIEW)
                .exclude(pk__in=busy.values("application_id"))
                .select_related("company").order_by("company__name_kana", "pk"))
    if call is not None:
        queryset = queryset.filter(call=call)
    return queryset


def _validate(*, call, members, chair, quorum, applications, meeting=None) -> None:
    members = list(members)
    if not members:
        raise CommitteeError(_("委員を1名以上選んでください。"))
    if any(not m.is_active or not m.has_role(Role.COMMITTEE) for m in members):
        raise CommitteeError(_("委員には審査委員のアカウントだけを選べます。"))
    if chair is None or chair.pk not in {m.pk for m in members}:
        raise CommitteeError(_("委員長は委員の中から選んでください。"))
    if not 1 <= quorum <= len(members):
        raise CommitteeError(_("定足数は1以上、委員の人数（%(n)d名）以下にしてください。")
                             % {"n": len(members)})
    allowed = set(agenda_candidates(call, meeting=meeting).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in applications):
        raise CommitteeError(_("審議案件には、この募集回で「最終審査中」の、他の委員会に付議されていない申込だけを選べます。"))


def _snapshot(meeting: CommitteeMeeting) -> dict:
    return {
        "title": meeting.title, "scheduled_at": meeting.scheduled_at.isoformat(),
        "members": sorted(meeting.members.values_list("pk", flat=True)),
        "chair": meeting.chair_id, "quorum": meeting.quorum, "tie_rule": meeting.tie_rule,
        "disclose_individual_votes": meeting.disclose_individual_votes,
        "agenda": list(meeting.agenda.values_list("application_id", flat=True)),
    }


def meeting_create(*, actor, call: Call, title: str, scheduled_at, members, chair, quorum: int,
                   tie_rule: str, disclose_individual_votes: bool, applications,
                   place: str = "") -> CommitteeMeeting:
    """Staff set up a meeting and its agenda (applications in committee_review)."""
    if not actor.is_jetro_staff:
        raise CommitteeError(_("委員会の設定はジェトロ職員だけが行えます。"))
    applications = list(applications)
    with transaction.atomic():
        _validate(call=call, members=members, chair=chair, quorum=quorum,
                  applications=applications)
        meeting = CommitteeMeeting.objects.create(
            call=call, title=title, scheduled_at=scheduled_at, place=place, chair=chair,
            quorum=quorum, tie_rule=TieRule(tie_rule),
            disclose_individual_votes=disclose_individual_votes, created_by=actor)
        meeting.members.set(members)
        AgendaItem.objects.bulk_create([
            AgendaItem(meeting=meeting, application=application, position=index)
            for index, application in enumerate(applications, start=1)])
        audit_record(actor=actor, action="committee.meeting_created", obj=meeting,
                     after=_snapshot(meeting), rule_ids=[RULE_COMMITTEE])
    return meeting


def meeting_update(*, actor, meeting: CommitteeMeeting, title: str, scheduled_at, members, chair,
                   quorum: int, tie_rule: str, disclose_individual_votes: bool, applications,
                   place: str = "") -> CommitteeMeeting:
    """Change a meeting (and its agenda) while it has not opened."""
    if not actor.is_jetro_staff:
        raise CommitteeError(_("委員会の設定はジェトロ職員だけが行えます。"))
    applications = list(applications)
    with transaction.atomic():
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise CommitteeError(_("開会した委員会の設定は変更できません。"))
        _validate(call=locked.call, members=members, chair=chair, quorum=quorum,
                  applications=applications, meeting=locked)
        before = _snapshot(locked)
        locked.title, locked.scheduled_at, locked.place = title, scheduled_at, place
        locked.chair, locked.quorum, locked.tie_rule = chair, quorum, TieRule(tie_rule)
        locked.disclose_individual_votes = disclose_individual_votes
        locked.save(update_fields=["title", "scheduled_at", "place", "chair", "quorum",
                                   "tie_rule", "disclose_individual_votes"])
        locked.members.set(members)
        wanted = [a.pk for a in applications]
        locked.agenda.exclude(application_id__in=wanted).delete()
        present = set(locked.agenda.values_list("application_id", flat=True))
        AgendaItem.objects.bulk_create([
            AgendaItem(meeting=locked, application_id=pk, position=index)
            for index, pk in enumerate(wanted, start=1) if pk not in present])
        for index, pk in enumerate(wanted, start=1):
            locked.agenda.filter(application_id=pk).update(position=index)
        audit_record(actor=actor, action="committee.meeting_updated", obj=locked,
                     before=before, after=_snapshot(locked), rule_ids=[RULE_COMMITTEE])
    return locked


def meeting_open(*, actor, meeting: CommitteeMeeting) -> CommitteeMeeting:
    """planned → open: voting starts."""
    with transaction.atomic():
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if not may_run(actor, locked):
            raise CommitteeError(_("開会できるのは委員長またはジェトロ職員です。"))
        if locked.status != MeetingStatus.PLANNED:
            raise CommitteeError(_("この委員会はすでに開会しています。"))
        if not locked.agenda.exists():
            raise CommitteeError(_("審議案件がないため開会できません。"))
        locked.status = MeetingStatus.OPEN
        locked.opened_at = timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        audit_record(actor=actor, action="committee.meeting_opened", obj=locked,
                     before={"status": MeetingStatus.PLANNED},
                     after={"status": MeetingStatus.OPEN}, rule_ids=[RULE_COMMITTEE])
    return locked


# -- votes ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VoteResult:
    vote: Vote
    created: bool  # False: the member had already voted; `vote` is the recorded one


def vote_cast(*, actor, item: AgendaItem, choice: str, conflict_note: str = "") -> VoteResult:
    """Record `actor`'s vote on one agenda item, once. A second attempt changes nothing and
    returns the vote already recorded (created=False)."""
    choice = VoteChoice(choice)
    conflict_note = (conflict_note or "").strip()
    if choice == VoteChoice.RECUSED and not conflict_note:
        raise CommitteeError(_("利益相反の内容を記入してください。"))
    if choice != VoteChoice.RECUSED:
        conflict_note = ""
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        meeting = CommitteeMeeting.objects.get(pk=locked.meeting_id)
        if not is_member(actor, meeting):
            raise CommitteeError(_("この委員会の委員ではないため投票できません。"))
        existing = Vote.objects.filter(agenda_item=locked, member=actor).first()
        if existing is not None:
            return VoteResult(existing, created=False)
        if meeting.status == MeetingStatus.PLANNED:
            raise CommitteeError(_("委員会はまだ開会していません。開会後に投票してください。"))
        if meeting.status != MeetingStatus.OPEN:
            raise CommitteeError(_("委員会は閉会したため、投票は締め切られました。"))
        try:
            with transaction.atomic():
                vote = Vote.objects.create(agenda_item=locked, member=actor, choice=choice,
                                           conflict_note=conflict_note)
        except IntegrityError:  # a concurrent request won (only without the row lock)
            return VoteResult(Vote.objects.get(agenda_item=locked, member=actor),
                              created=False)
        audit_record(actor=actor, action="committee.vote_cast", obj=vote,
                     after={"agenda_item": locked.pk, "application": locked.application_id,
                            "choice": choice, "conflict_note": conflict_note},
                     rule_ids=[RULE_COMMITTEE])
    return VoteResult(vote, created=True)


# -- the close -------------------------------------------------------------------------------------

def meeting_close(*, actor, meeting: CommitteeMeeting,
                  casting: dict[int, str] | None = None) -> CommitteeMeeting:
    """open → closed: every item's counts and decision, the status moves, the コンソーシアムID
    and the draft notices, in one transaction; then the minutes PDF.

    `casting` maps agenda item ids to the chair's casting decision (adopt/reject) for ties
    under the chair-decides rule; only the chair may give it. Raises CommitteeError /
    CastingNeeded with nothing changed.
    """
    from screening.services.notices import notice_draft

    casting = {int(k): v for k, v in (casting or {}).items()}
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=meeting.call_id)
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if not may_run(actor, locked):
            raise CommitteeError(_("閉会できるのは委員長またはジェトロ職員です。"))
        if locked.status != MeetingStatus.OPEN:
            raise CommitteeError(_("審議中の委員会だけを閉会できます。"))
        items = list(locked.agenda.select_for_update().order_by("position", "pk"))
        counts = tallies(locked)
        tied = needs_casting(locked, counts)
        if tied and actor.pk != locked.chair_id:
            raise CastingNeeded(tied)
        missing = [pk for pk in tied if casting.get(pk) not in (VoteChoice.ADOPT,
                                                                 VoteChoice.REJECT)]
        if missing:
            raise CastingNeeded(missing)
        summary = []
        for item in items:
            tally = counts[item.pk]
            outcome = decide(tally, quorum=locked.quorum, tie_rule=locked.tie_rule,
                             casting=casting.get(item.pk))
            application = Application.objects.select_for_update().get(pk=item.application_id)
            decision = outcome.decision
            if application.status != S.COMMITTEE_REVIEW:
                decision = ""  # withdrawn meanwhile: recorded without a decision
            item.votes_adopt, item.votes_reject = tally.adopt, tally.reject
            item.votes_abstain, item.recusals = tally.abstain, tally.recused
            item.decision = decision
            item.decided_by_chair = outcome.decided_by_chair and bool(decision)
            item.chair_casting_choice = outcome.chair_casting_choice if decision else ""
            item.save(update_fields=["votes_adopt", "votes_reject", "votes_abstain",
                                     "recusals", "decision", "decided_by_chair",
                                     "chair_casting_choice"])
            note = _("採択企業選定審査委員会（%(title)s）の決定") % {"title": locked.title}
            if decision == Decision.ADOPTED:
                workflow.committee_adopt(application=application, actor=actor, note=note)
                notice_draft(application=application, kind=NoticeKind.ADOPTION, actor=actor)
            elif decision == Decision.REJECTED:
                workflow.committee_reject(application=application, actor=actor, note=note)
                notice_draft(application=application, kind=NoticeKind.REJECTION, actor=actor)
            row = {"item": item.pk, "application": item.application_id,
                   "adopt": tally.adopt, "reject": tally.reject, "abstain": tally.abstain,
                   "recused": tally.recused, "decision": decision,
                   "decided_by_chair": item.decided_by_chair,
                   "chair_casting_choice": item.chair_casting_choice}
            summary.append(row)
            audit_record(actor=actor, action="committee.item_decided", obj=item, after=row,
                         rule_ids=[RULE_COMMITTEE] + (
                             [RULE_ADOPTION] if decision == Decision.ADOPTED else
                             [RULE_REJECTION] if decision == Decision.REJECTED else []))
        locked.status = MeetingStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action="committee.meeting_closed", obj=locked,
                     before={"status": MeetingStatus.OPEN},
                     after={"status": MeetingStatus.CLOSED, "items": summary},
                     rule_ids=[RULE_COMMITTEE])
    try:
        minutes_generate(meeting=locked, actor=actor)
    except Exception:  # noqa: BLE001 - the decisions stand; staff can produce the minutes again
        import logging

        logging.getLogger(__name__).exception("committee: minutes of meeting %s failed",
                                              locked.pk)
    return locked


# -- the minutes ------------------------------------------------------------------------------------

def minutes_context(meeting: CommitteeMeeting) -> dict:
    members = list(meeting.members.order_by("pk"))
    items = list(meeting.agenda.select_related("application__company").order_by("position",
                                                                                 "pk"))
    votes: dict[int, list[Vote]] = {}
    for vote in (Vote.objects.filter(agenda_item__meeting=meeting)
                 .select_related("member").order_by("member_id")):
        votes.setdefault(vote.agenda_item_id, []).append(vote)
    rows = []
    for item in items:
        item_votes = votes.get(item.pk, [])
        rows.append({
            "item": item,
            "company": item.application.company.name,
            "product": item.application.product_name,
            "cast": item.votes_adopt + item.votes_reject + item.votes_abstain,
            "recused_members": [str(v.member) for v in item_votes
                                if v.choice == VoteChoice.RECUSED],
            "votes": item_votes if meeting.disclose_individual_votes else [],
            "decision_label": (item.get_decision_display() if item.decision
                               else _("申込の取り下げ等により決定なし")),
            "casting_label": (str(VoteChoice(item.chair_casting_choice).label)
                              if item.chair_casting_choice else ""),
        })
    return {
        "meeting": meeting, "members": members, "chair": meeting.chair, "rows": rows,
        "tie_rule_text": tie_rule_text(meeting.tie_rule), "issued_at": timezone.now(),
    }


def minutes_generate(*, meeting: CommitteeMeeting, actor=None) -> CommitteeMeeting:
    """Render the minutes of a closed meeting and store them (private storage)."""
    meeting = CommitteeMeeting.objects.select_related("chair", "call").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise CommitteeError(_("議事録は閉会後に作成されます。"))
    pdf = render_pdf("pdf/committee_minutes.html", minutes_context(meeting))
    old = meeting.minutes_pdf.name
    meeting.minutes_pdf.save(generated_name("minutes"), ContentFile(pdf), save=False)
    meeting.save(update_fields=["minutes_pdf"])
    audit_record(actor=actor, action="committee.minutes_generated", obj=meeting,
                 before={"minutes_pdf": old}, after={"minutes_pdf": meeting.minutes_pdf.name},
                 rule_ids=[RULE_COMMITTEE])
    return meeting
