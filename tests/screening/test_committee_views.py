"""④⑤⑥ pages: the permission matrix, voting through the page, the batch, the notice PDFs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from handson.enums import Role
from screening.enums import MeetingStatus, VoteChoice
from screening.models import Notice, NoticeStatus, Vote
from screening.services import committee as committee_services
from screening.services import notices as notice_services
from tests.factories import UserFactory, verified_login
from tests.screening.factories_committee import (
    SECRET_NOTE,
    item_of,
    make_meeting,
    member,
    ready_application,
    staff,
    with_screening_notes,
)

pytestmark = pytest.mark.django_db
ON_THE_DAY = datetime(2026, 4, 6, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def world():
    """A closed meeting with an adopted application whose adoption notice was sent, and an
    open meeting; the users of every role."""
    with time_machine.travel(ON_THE_DAY, tick=False):
        application = with_screening_notes(ready_application(company__name="株式会社あおば精機"))
        on = member(display_name="委員 田中")
        meeting = make_meeting(members=[on], quorum=1, applications=[application],
                               call=application.call, status=MeetingStatus.OPEN)
        committee_services.vote_cast(actor=on, item=item_of(meeting), choice=VoteChoice.ADOPT)
        committee_services.meeting_close(actor=on, meeting=meeting)
        notice = Notice.objects.get(application=application)
        notice_services.notice_send(notice=notice, actor=staff())
    return {
        "meeting": meeting, "item": item_of(meeting), "application": application,
        "notice": notice, "staff": staff(), "member_on": on, "member_off": member(),
        "owner": application.applicant, "other_applicant": UserFactory(role=Role.APPLICANT),
        "expert": UserFactory(role=Role.EXPERT),
    }


def _client_for(client, user):
    if user is None:
        return client
    if user.has_role(Role.APPLICANT):
        client.force_login(user)
    else:
        verified_login(client, user)
    return client


URLS = {
    "home": lambda w: reverse("screening:committee_home"),
    "new": lambda w: reverse("screening:meeting_new"),
    "meeting": lambda w: reverse("screening:meeting_detail", args=[w["meeting"].pk]),
    "packet": lambda w: reverse("screening:packet", args=[w["meeting"].pk, w["item"].pk]),
    "minutes": lambda w: reverse("screening:minutes_download", args=[w["meeting"].pk]),
    "batch": lambda w: reverse("screening:notice_batch"),
    "notice": lambda w: reverse("screening:notice_edit", args=[w["notice"].pk]),
    "pdf": lambda w: reverse("screening:notice_pdf",
                             args=[w["application"].public_id, "adoption_notice"]),
    "consent": lambda w: reverse("screening:notice_pdf",
                                 args=[w["application"].public_id, "consent_form"]),
    "reverse": lambda w: reverse("screening:decision_reverse", args=[w["application"].public_id]),
}
ROLES = ["staff", "member_on", "member_off", "owner", "other_applicant", "expert"]
EXPECTED = {  # url: status per role, in the order of ROLES
    "home": [200, 200, 200, 404, 404, 404],
    "new": [200, 404, 404, 404, 404, 404],
    "meeting": [200, 200, 404, 404, 404, 404],
    "packet": [200, 200, 404, 404, 404, 404],
    "minutes": [200, 200, 404, 404, 404, 404],
    "batch": [200, 404, 404, 404, 404, 404],
    "notice": [200, 404, 404, 404, 404, 404],
    "pdf": [200, 404, 404, 200, 404, 404],
    "consent": [200, 404, 404, 200, 404, 404],
    "reverse": [200, 404, 404, 404, 404, 404],
}


@pytest.mark.parametrize("name", list(URLS))
def test_permission_matrix(client, world, name):
    url = URLS[name](world)
    got = []
    for role in ROLES:
        client.logout()
        got.append(_client_for(client, world[role]).get(url).status_code)
    assert got == EXPECTED[name]
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page


def test_notice_pdf_is_not_served_before_the_notice_is_sent(client):
    application, = [ready_application()]
    meeting = make_meeting(n_members=1, quorum=1, applications=[application],
                           call=application.call, status=MeetingStatus.OPEN)
    committee_services.vote_cast(actor=meeting.chair, item=item_of(meeting),
                                 choice=VoteChoice.ADOPT)
    committee_services.meeting_close(actor=meeting.chair, meeting=meeting)
    client.force_login(application.applicant)
    url = reverse("screening:notice_pdf", args=[application.public_id, "adoption_notice"])
    assert client.get(url).status_code == 404


def test_packet_shows_summary_eligibility_notes_and_expert(client, world):
    verified_login(client, world["member_on"])
    page = client.get(URLS["packet"](world)).content.decode()
    assert "株式会社あおば精機" in page
    assert "SIZE-SME" in page and "中小企業基本法の中小企業に該当します。" in page
    assert SECRET_NOTE in page  # the committee sees the internal notes
    assert "提案する専門家" in page and "未定" in page
    assert "あなたの投票（記録済み）" in page and "採択" in page


def test_packet_shows_the_interview_expert_candidate(client):
    from screening.models import Interview
    from tests.screening.factories_screening import ExpertFactory

    application = ready_application()
    Interview.objects.create(application=application, scheduled_at=application.created_at,
                             mode="online", company_attendees="代表者",
                             expert_candidate=ExpertFactory(name="高橋 専門家"),
                             created_by=staff())
    meeting = make_meeting(applications=[application], call=application.call)
    verified_login(client, meeting.chair)
    page = client.get(reverse("screening:packet",
                              args=[meeting.pk, item_of(meeting).pk])).content.decode()
    assert "高橋 専門家（面談審査の専門家候補）" in page


def test_vote_through_the_page_once(client):
    meeting = make_meeting(status=MeetingStatus.OPEN)
    voter = meeting.members.order_by("pk").first()
    verified_login(client, voter)
    url = reverse("screening:packet", args=[meeting.pk, item_of(meeting).pk])
    first = client.post(url, {"choice": "adopt"}, follow=True)
    assert "投票を記録しました：採択" in first.content.decode()
    second = client.post(url, {"choice": "reject"}, follow=True)
    assert "すでに投票済みです。投票は変更できません。" in second.content.decode()
    assert list(Vote.objects.values_list("choice", flat=True)) == ["adopt"]


def test_recusal_without_note_is_an_error_tied_to_the_field(client):
    meeting = make_meeting(status=MeetingStatus.OPEN)
    verified_login(client, meeting.chair)
    url = reverse("screening:packet", args=[meeting.pk, item_of(meeting).pk])
    response = client.post(url, {"choice": "recused", "conflict_note": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "利益相反の内容を記入してください。" in page
    assert 'aria-describedby="id_conflict_note_error' in page or "is-invalid" in page
    assert Vote.objects.count() == 0


def test_vote_before_opening_is_refused_on_the_page(client):
    meeting = make_meeting()
    verified_login(client, meeting.chair)
    url = reverse("screening:packet", args=[meeting.pk, item_of(meeting).pk])
    assert "委員会はまだ開会していません。開会後に投票できます。" in client.get(url).content.decode()
    response = client.post(url, {"choice": "adopt"})
    assert response.status_code == 409
    assert Vote.objects.count() == 0


def test_home_lists_what_needs_my_vote(client):
    meeting = make_meeting(status=MeetingStatus.OPEN)
    verified_login(client, meeting.chair)
    page = client.get(reverse("screening:committee_home")).content.decode()
    assert "投票をお願いします" in page
    assert "未投票の案件が1件あります。" in page
    other = member()
    verified_login(client, other)
    page = client.get(reverse("screening:committee_home")).content.decode()
    assert meeting.title not in page
    assert "いま投票が必要な案件はありません。" in page


def test_staff_create_a_meeting_through_the_form(client):
    chair, second = member(display_name="委員長 山本"), member(display_name="委員 佐々木")
    application = ready_application()
    user = staff()
    verified_login(client, user)
    response = client.post(reverse("screening:meeting_new"), {
        "call": application.call.pk, "title": "第2回委員会", "scheduled_at": "2026-04-03T14:00",
        "place": "本部", "members": [chair.pk, second.pk], "chair": chair.pk, "quorum": "2",
        "tie_rule": "reject", "applications": [application.pk],
    })
    assert response.status_code == 302
    meeting = application.agenda_items.get().meeting
    assert (meeting.title, meeting.quorum, meeting.tie_rule, meeting.chair) == (
        "第2回委員会", 2, "reject", chair)
    assert set(meeting.members.all()) == {chair, second}


def test_meeting_form_refuses_a_chair_outside_the_members(client):
    chair, other = member(), member()
    application = ready_application()
    verified_login(client, staff())
    response = client.post(reverse("screening:meeting_new"), {
        "call": application.call.pk, "title": "t", "scheduled_at": "2026-04-03T14:00",
        "members": [other.pk], "chair": chair.pk, "quorum": "1", "tie_rule": "reject",
        "applications": [application.pk],
    })
    assert response.status_code == 400
    assert "委員長は「委員」で選んだ人の中から選んでください。" in response.content.decode()


def test_batch_sends_selected_notices_and_refuses_before_the_date(client):
    app1, app2 = ready_application(), ready_application()
    meeting = make_meeting(n_members=1, quorum=1, applications=[app1, app2], call=app1.call,
                           status=MeetingStatus.OPEN)
    committee_services.vote_cast(actor=meeting.chair, item=item_of(meeting, app1),
                                 choice=VoteChoice.ADOPT)
    committee_services.vote_cast(actor=meeting.chair, item=item_of(meeting, app2),
                                 choice=VoteChoice.REJECT)
    committee_services.meeting_close(actor=meeting.chair, meeting=meeting)
    n1, n2 = Notice.objects.get(application=app1), Notice.objects.get(application=app2)
    user = staff()
    with time_machine.travel(datetime(2026, 4, 5, 12, tzinfo=ZoneInfo("Asia/Tokyo"))):
        verified_login(client, user)
        page = client.post(reverse("screening:notice_batch"), {"notice": [n1.pk]},
                           follow=True).content.decode()
    assert "2026年4月6日以降でなければ送信できません" in page
    with time_machine.travel(ON_THE_DAY):
        verified_login(client, user)  # a new session: the idle limit ended the first one
        client.post(reverse("screening:notice_edit", args=[n1.pk]),
                    {"subject": "【ハンズオン支援】採択のお知らせ（修正）", "body": "本文を修正しました。"})
        client.post(reverse("screening:notice_batch"), {"notice": [n1.pk]})
    n1.refresh_from_db()
    n2.refresh_from_db()
    assert (n1.status, n2.status) == (NoticeStatus.SENT, NoticeStatus.DRAFT)
    assert n1.mail.subject == "【ハンズオン支援】採択のお知らせ（修正）"
    assert n1.mail.body_text.strip() == "本文を修正しました。"


def test_reverse_through_the_page(client, world):
    verified_login(client, world["staff"])
    response = client.post(URLS["reverse"](world), {"note": "議決の誤りのため"})
    assert response.status_code == 302
    world["application"].refresh_from_db()
    world["notice"].refresh_from_db()
    assert world["application"].status == S.COMMITTEE_REVIEW
    assert world["notice"].status == NoticeStatus.WITHDRAWN


def test_staff_change_a_planned_meeting(client):
    meeting = make_meeting(n_members=2, quorum=1)
    extra = ready_application(call=meeting.call)
    verified_login(client, staff())
    url = reverse("screening:meeting_edit", args=[meeting.pk])
    assert client.get(url).status_code == 200
    members = list(meeting.members.values_list("pk", flat=True))
    response = client.post(url, {
        "title": "第1回（変更）", "scheduled_at": "2026-04-03T15:00", "members": members,
        "chair": meeting.chair_id, "quorum": "2", "tie_rule": "reject",
        "applications": [item_of(meeting).application_id, extra.pk],
    })
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.quorum, meeting.agenda.count()) == ("第1回（変更）", 2, 2)
