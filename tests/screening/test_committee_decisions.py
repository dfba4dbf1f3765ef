"""④ the arithmetic (quorum, majority, ties), the close in one transaction, the minutes."""

from unittest import mock

import pytest

from applications.enums import ApplicationStatus as S
from applications.services import workflow
from handson.models import AuditLog
from screening.enums import Decision, MeetingStatus, TieRule, VoteChoice
from screening.models import AgendaItem, Notice
from screening.services import committee as services
from screening.services.committee import Tally, decide
from tests.screening.factories_committee import (
    item_of,
    make_meeting,
    member,
    pdf_text,
    ready_application,
    staff,
)

A, R, X = VoteChoice.ADOPT, VoteChoice.REJECT, VoteChoice.ABSTAIN

# (adopt, reject, abstain, recused, quorum, tie rule, casting) → (decision, by chair)
CASES = [
    ((3, 0, 0, 0), 3, TieRule.REJECT, None, Decision.ADOPTED, False),
    ((2, 1, 0, 0), 3, TieRule.REJECT, None, Decision.ADOPTED, False),
    ((1, 2, 0, 0), 3, TieRule.CHAIR_DECIDES, None, Decision.REJECTED, False),
    ((1, 0, 2, 0), 3, TieRule.REJECT, None, Decision.ADOPTED, False),  # abstentions: quorum only
    ((0, 1, 2, 0), 3, TieRule.REJECT, None, Decision.REJECTED, False),
    ((2, 0, 0, 1), 3, TieRule.REJECT, None, Decision.NO_QUORUM, False),  # recused don't count
    ((1, 1, 0, 1), 3, TieRule.REJECT, None, Decision.NO_QUORUM, False),
    ((0, 0, 0, 3), 1, TieRule.REJECT, None, Decision.NO_QUORUM, False),
    ((1, 1, 1, 0), 3, TieRule.REJECT, None, Decision.REJECTED, False),  # tie → reject
    ((1, 1, 1, 0), 3, TieRule.CHAIR_DECIDES, A, Decision.ADOPTED, True),
    ((1, 1, 0, 1), 2, TieRule.CHAIR_DECIDES, R, Decision.REJECTED, True),
    ((0, 0, 2, 0), 2, TieRule.REJECT, None, Decision.REJECTED, False),  # 0 = 0 is a tie
    ((0, 0, 2, 0), 2, TieRule.CHAIR_DECIDES, A, Decision.ADOPTED, True),
    ((2, 1, 0, 0), 2, TieRule.CHAIR_DECIDES, R, Decision.ADOPTED, False),  # no tie: casting unused
]


@pytest.mark.parametrize(("counts", "quorum", "tie_rule", "casting", "decision", "by_chair"),
                         CASES)
def test_counts_to_decision(counts, quorum, tie_rule, casting, decision, by_chair):
    outcome = decide(Tally(*counts), quorum=quorum, tie_rule=tie_rule, casting=casting)
    assert (outcome.decision, outcome.decided_by_chair) == (decision, by_chair)
    assert outcome.chair_casting_choice == (casting if by_chair else "")


def test_a_tie_under_chair_decides_needs_the_casting_decision():
    with pytest.raises(services.CastingNeeded):
        decide(Tally(1, 1, 0, 0), quorum=2, tie_rule=TieRule.CHAIR_DECIDES)


pytestmark = pytest.mark.django_db


def _vote(meeting, item, choices, notes=None):
    voters = list(meeting.members.order_by("pk"))
    for voter, choice in zip(voters, choices, strict=False):
        services.vote_cast(actor=voter, item=item, choice=choice,
                           conflict_note="顧問契約あり" if choice == VoteChoice.RECUSED else "")


def test_close_records_counts_decisions_statuses_ids_and_drafts():
    call_apps = [ready_application(), ready_application(), ready_application()]
    meeting = make_meeting(n_members=4, quorum=3, tie_rule=TieRule.REJECT,
                           applications=call_apps, call=call_apps[0].call,
                           status=MeetingStatus.OPEN)
    adopted, rejected, short = call_apps
    _vote(meeting, item_of(meeting, adopted), [A, A, X, VoteChoice.RECUSED])
    _vote(meeting, item_of(meeting, rejected), [A, R, R, X])
    _vote(meeting, item_of(meeting, short), [A, A, VoteChoice.RECUSED, VoteChoice.RECUSED])
    chair = meeting.chair
    services.meeting_close(actor=chair, meeting=meeting)

    rows = {i.application_id: (i.votes_adopt, i.votes_reject, i.votes_abstain, i.recusals,
                               i.decision) for i in AgendaItem.objects.all()}
    assert rows == {
        adopted.pk: (2, 0, 1, 1, "adopted"),
        rejected.pk: (1, 2, 1, 0, "rejected"),
        short.pk: (2, 0, 0, 2, "no_quorum"),
    }
    for app in call_apps:
        app.refresh_from_db()
    assert (adopted.status, rejected.status, short.status) == (S.ADOPTED, S.REJECTED,
                                                               S.COMMITTEE_REVIEW)
    assert adopted.consortium_id == "C2026-0001"
    assert rejected.consortium_id is None
    assert sorted(Notice.objects.values_list("application_id", "kind", "status")) == sorted([
        (adopted.pk, "adoption", "draft"), (rejected.pk, "rejection", "draft")])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED and meeting.closed_at is not None
    assert meeting.minutes_pdf.name.startswith("minutes/")
    actions = list(AuditLog.objects.filter(actor=chair).values_list("action", flat=True))
    assert actions.count("committee.item_decided") == 3
    assert "application.committee_adopted" in actions
    assert "application.committee_rejected" in actions
    assert "committee.meeting_closed" in actions


def test_close_is_one_transaction():
    apps = [ready_application(), ready_application()]
    meeting = make_meeting(quorum=1, applications=apps, call=apps[0].call,
                           status=MeetingStatus.OPEN)
    _vote(meeting, item_of(meeting, apps[0]), [A])
    _vote(meeting, item_of(meeting, apps[1]), [R])
    with mock.patch.object(workflow, "committee_reject", side_effect=RuntimeError("boom")), \
            pytest.raises(RuntimeError):
        services.meeting_close(actor=meeting.chair, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.OPEN
    assert list(AgendaItem.objects.values_list("decision", "votes_adopt")) == [("", 0), ("", 0)]
    assert set(type(apps[0]).objects.values_list("status", flat=True)) == {S.COMMITTEE_REVIEW}
    assert type(apps[0]).objects.exclude(consortium_id=None).count() == 0
    assert Notice.objects.count() == 0
    assert not AuditLog.objects.filter(action__startswith="committee.item").exists()


def test_chair_records_the_casting_decision_on_a_tie():
    meeting = make_meeting(n_members=3, quorum=2, status=MeetingStatus.OPEN)
    item = item_of(meeting)
    _vote(meeting, item, [A, R, X])
    with pytest.raises(services.CastingNeeded):
        services.meeting_close(actor=meeting.chair, meeting=meeting)
    with pytest.raises(services.CastingNeeded):  # staff cannot cast the chair's decision
        services.meeting_close(actor=staff(), meeting=meeting, casting={item.pk: A})
    services.meeting_close(actor=meeting.chair, meeting=meeting, casting={item.pk: A})
    item.refresh_from_db()
    assert (item.decision, item.decided_by_chair, item.chair_casting_choice) == (
        "adopted", True, "adopt")
    assert item.application.status == S.ADOPTED


def test_open_and_close_by_the_chair_or_staff_only():
    meeting = make_meeting()
    other = meeting.members.exclude(pk=meeting.chair_id).first()
    with pytest.raises(services.CommitteeError):
        services.meeting_open(actor=other, meeting=meeting)
    services.meeting_open(actor=meeting.chair, meeting=meeting)
    with pytest.raises(services.CommitteeError):
        services.meeting_close(actor=other, meeting=meeting)
    with pytest.raises(services.CommitteeError):
        services.meeting_open(actor=meeting.chair, meeting=meeting)


def test_a_withdrawn_application_is_closed_without_decision():
    meeting = make_meeting(quorum=1, status=MeetingStatus.OPEN)
    item = item_of(meeting)
    _vote(meeting, item, [A])
    workflow.application_withdraw(application=item.application, actor=item.application.applicant)
    services.meeting_close(actor=meeting.chair, meeting=meeting)
    item.refresh_from_db()
    assert (item.votes_adopt, item.decision) == (1, "")
    assert item.application.status == S.WITHDRAWN
    assert Notice.objects.count() == 0


def test_meeting_setup_rules():
    chair = member()
    app = ready_application()
    kwargs = dict(actor=staff(), call=app.call, title="t", scheduled_at=app.created_at,
                  tie_rule=TieRule.REJECT, disclose_individual_votes=False)
    with pytest.raises(services.CommitteeError, match="委員長は委員の中から"):
        services.meeting_create(members=[member()], chair=chair, quorum=1,
                                applications=[app], **kwargs)
    with pytest.raises(services.CommitteeError, match="定足数"):
        services.meeting_create(members=[chair], chair=chair, quorum=2, applications=[app],
                                **kwargs)
    with pytest.raises(services.CommitteeError, match="審査委員のアカウント"):
        services.meeting_create(members=[chair, staff()], chair=chair, quorum=1,
                                applications=[app], **kwargs)
    with pytest.raises(services.CommitteeError, match="最終審査中"):
        services.meeting_create(members=[chair], chair=chair, quorum=1,
                                applications=[ready_application(status=S.MATCHING)], **kwargs)
    services.meeting_create(members=[chair], chair=chair, quorum=1, applications=[app], **kwargs)
    with pytest.raises(services.CommitteeError, match="他の委員会"):  # already on a meeting
        services.meeting_create(members=[chair], chair=chair, quorum=1, applications=[app],
                                **kwargs)


def _minutes(meeting) -> str:
    meeting.refresh_from_db()
    with meeting.minutes_pdf.open("rb") as handle:
        return pdf_text(handle.read())


def test_minutes_show_decisions_and_counts_but_not_individual_votes():
    app = ready_application(company__name="株式会社みなと商事")
    meeting = make_meeting(n_members=3, quorum=2, applications=[app], call=app.call,
                           status=MeetingStatus.OPEN)
    _vote(meeting, item_of(meeting), [A, A, VoteChoice.RECUSED])
    services.meeting_close(actor=meeting.chair, meeting=meeting)
    text = _minutes(meeting)
    assert "採択企業選定審査委員会議事録" in text
    assert "株式会社みなと商事" in text
    assert ("1.株式会社みなと商事（精密加工部品）決定：採択票数：採択2票、不採択0票、棄権0票／"
            "利益相反による回避1名（委員C）定足数に数える委員：2名（定足数2名）") in text
    assert "委員ごとの投票" not in text
    assert "委員A＝採択" not in text


def test_minutes_show_individual_votes_when_configured():
    meeting = make_meeting(n_members=2, quorum=2, disclose=True, tie_rule=TieRule.REJECT,
                           status=MeetingStatus.OPEN)
    _vote(meeting, item_of(meeting), [A, R])
    services.meeting_close(actor=meeting.chair, meeting=meeting)
    text = _minutes(meeting)
    assert "委員ごとの投票" in text
    assert "委員A＝採択、委員B＝不採択" in text
    assert "不採択" in text
