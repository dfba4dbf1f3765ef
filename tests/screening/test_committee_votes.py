"""④ votes: one final vote per member and item, only while the meeting is open."""

import threading

import pytest
from django.db import close_old_connections

from handson.models import AuditLog
from screening.enums import MeetingStatus, VoteChoice
from screening.models import Vote
from screening.services import committee as services
from tests import services as test_services
from tests.screening.factories_committee import item_of, make_meeting, member, staff

pytestmark = pytest.mark.django_db


def test_a_vote_is_recorded_and_audited():
    meeting = make_meeting(status=MeetingStatus.OPEN)
    voter = meeting.members.order_by("pk").first()
    result = services.vote_cast(actor=voter, item=item_of(meeting), choice=VoteChoice.ADOPT)
    assert result.created is True
    assert (result.vote.member, result.vote.choice) == (voter, VoteChoice.ADOPT)
    entry = AuditLog.objects.get(action="committee.vote_cast")
    assert entry.after["choice"] == "adopt"
    assert entry.rule_ids == ["V.1(2)④"]


def test_a_second_vote_changes_nothing_and_returns_the_first():
    meeting = make_meeting(status=MeetingStatus.OPEN)
    voter = meeting.members.order_by("pk").first()
    item = item_of(meeting)
    first = services.vote_cast(actor=voter, item=item, choice=VoteChoice.ADOPT)
    second = services.vote_cast(actor=voter, item=item, choice=VoteChoice.REJECT)
    assert second.created is False
    assert second.vote.pk == first.vote.pk
    assert list(Vote.objects.values_list("choice", flat=True)) == ["adopt"]
    assert AuditLog.objects.filter(action="committee.vote_cast").count() == 1


def test_no_vote_before_the_meeting_opens():
    meeting = make_meeting()
    voter = meeting.members.order_by("pk").first()
    with pytest.raises(services.CommitteeError, match="まだ開会していません"):
        services.vote_cast(actor=voter, item=item_of(meeting), choice=VoteChoice.ADOPT)
    assert Vote.objects.count() == 0


def test_no_vote_after_the_meeting_closes():
    meeting = make_meeting(status=MeetingStatus.OPEN, quorum=1)
    first, second = meeting.members.order_by("pk")[:2]
    services.vote_cast(actor=first, item=item_of(meeting), choice=VoteChoice.ADOPT)
    services.meeting_close(actor=staff(), meeting=meeting)
    with pytest.raises(services.CommitteeError, match="閉会したため"):
        services.vote_cast(actor=second, item=item_of(meeting), choice=VoteChoice.REJECT)
    assert Vote.objects.count() == 1


def test_only_members_of_the_meeting_vote():
    meeting = make_meeting(status=MeetingStatus.OPEN)
    with pytest.raises(services.CommitteeError, match="委員ではない"):
        services.vote_cast(actor=member(), item=item_of(meeting), choice=VoteChoice.ADOPT)
    with pytest.raises(services.CommitteeError):
        services.vote_cast(actor=staff(), item=item_of(meeting), choice=VoteChoice.ADOPT)
    assert Vote.objects.count() == 0


def test_recusal_needs_a_note_and_keeps_it():
    meeting = make_meeting(status=MeetingStatus.OPEN)
    voter = meeting.members.order_by("pk").first()
    with pytest.raises(services.CommitteeError, match="利益相反の内容"):
        services.vote_cast(actor=voter, item=item_of(meeting), choice=VoteChoice.RECUSED)
    result = services.vote_cast(actor=voter, item=item_of(meeting), choice=VoteChoice.RECUSED,
                                conflict_note="  取引先の役員を兼任  ")
    assert (result.vote.choice, result.vote.conflict_note) == ("recused", "取引先の役員を兼任")


def test_a_note_without_recusal_is_not_stored():
    meeting = make_meeting(status=MeetingStatus.OPEN)
    voter = meeting.members.order_by("pk").first()
    result = services.vote_cast(actor=voter, item=item_of(meeting), choice=VoteChoice.ABSTAIN,
                                conflict_note="メモ")
    assert result.vote.conflict_note == ""


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_votes_give_one_row():
    test_services.require_postgres()
    meeting = make_meeting(status=MeetingStatus.OPEN)
    voter = meeting.members.order_by("pk").first()
    item = item_of(meeting)
    tries = 6
    barrier = threading.Barrier(tries)
    outcomes, errors = [], []

    def vote(choice):
        try:
            barrier.wait()
            outcomes.append(services.vote_cast(actor=voter, item=item, choice=choice).created)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    choices = [VoteChoice.ADOPT, VoteChoice.REJECT] * (tries // 2)
    threads = [threading.Thread(target=vote, args=(c,)) for c in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == [False] * (tries - 1) + [True]
    assert Vote.objects.filter(agenda_item=item, member=voter).count() == 1
    assert AuditLog.objects.filter(action="committee.vote_cast").count() == 1
