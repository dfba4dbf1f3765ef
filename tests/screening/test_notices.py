"""⑤⑥ notices: the decision date, withdrawal on reversal, no duplicates, the コンソーシアムID,
the PDFs, and no reason anywhere the applicant can see."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import IntegrityError, transaction

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from handson.enums import MailStatus
from handson.models import AuditLog, OutboundMail
from screening.enums import MeetingStatus, VoteChoice
from screening.models import Notice, NoticeKind, NoticeStatus
from screening.services import committee as committee_services
from screening.services import notices as services
from tests.screening.factories_committee import (
    SECRET_DECISION_NOTE,
    SECRET_NOTE,
    item_of,
    make_meeting,
    pdf_text,
    ready_application,
    staff,
    with_screening_notes,
)

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
BEFORE = datetime(2026, 4, 5, 23, 59, tzinfo=TOKYO)
ON_THE_DAY = datetime(2026, 4, 6, 0, 0, tzinfo=TOKYO)


def decided(choice, **app_kwargs):
    """An application decided by a one-member committee (adopt or reject), with notes."""
    application = with_screening_notes(ready_application(**app_kwargs))
    meeting = make_meeting(n_members=1, quorum=1, applications=[application],
                           call=application.call, status=MeetingStatus.OPEN)
    committee_services.vote_cast(actor=meeting.chair, item=item_of(meeting), choice=choice)
    committee_services.meeting_close(actor=meeting.chair, meeting=meeting)
    application.refresh_from_db()
    return application, Notice.objects.get(application=application)


# -- the decision date (Call.decisions_not_before = 2026-04-06) -------------------------------

def test_no_notice_before_the_decision_date():
    with time_machine.travel(BEFORE, tick=False):
        application, notice = decided(VoteChoice.ADOPT)
        with pytest.raises(services.NoticeTooEarly) as excinfo:
            services.notice_send(notice=notice, actor=staff())
    assert excinfo.value.message == (
        "採否の通知は2026年4月6日以降でなければ送信できません（募集回の「採否決定の最短日」）。")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert OutboundMail.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_notice_goes_out_on_the_decision_date():
    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.REJECT)
        services.notice_send(notice=notice, actor=staff())
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.mail.dedupe_key == f"notice:{notice.pk}"
    assert notice.mail.status == MailStatus.SENT  # eager delivery in the tests
    assert django_mail.outbox[0].to == [application.contact_email]
    assert django_mail.outbox[0].subject == notice.subject


# -- withdrawal when the decision is reversed ----------------------------------------------------

def test_reversal_after_queueing_cancels_the_pending_mail():
    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.ADOPT)
        services.notice_send(notice=notice, actor=staff())  # not delivered: no commit here
        notice.refresh_from_db()
        assert notice.mail.status == MailStatus.PENDING
        services.decision_reverse(application=application, actor=staff(), note="議決の誤り")
    notice.refresh_from_db()
    application.refresh_from_db()
    assert application.status == S.COMMITTEE_REVIEW
    assert notice.status == NoticeStatus.WITHDRAWN
    assert notice.mail.status == MailStatus.CANCELLED
    entry = AuditLog.objects.get(action="notice.withdrawn")
    assert entry.after == {"status": "withdrawn", "mail_already_delivered": False}
    reversal = AuditLog.objects.get(action="application.decision_reversed")
    assert (reversal.before, reversal.after, reversal.note) == (
        {"status": "adopted"}, {"status": "committee_review"}, "議決の誤り")


def test_a_draft_for_a_reversed_status_is_withdrawn_at_send_time():
    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.REJECT)
        # Reversed behind the notice service's back (e.g. the workflow called directly).
        workflow.decision_reverse(application=application, actor=staff(), note="再審議")
        with pytest.raises(services.NoticeStale, match="取り下げました"):
            services.notice_send(notice=notice, actor=staff())
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert OutboundMail.objects.count() == 0


def test_after_reversal_and_a_new_decision_a_new_notice_is_drafted():
    application, first = decided(VoteChoice.ADOPT)
    consortium_id = application.consortium_id
    services.decision_reverse(application=application, actor=staff(), note="再審議")
    meeting = make_meeting(n_members=1, quorum=1, applications=[application],
                           call=application.call, status=MeetingStatus.OPEN)
    committee_services.vote_cast(actor=meeting.chair, item=item_of(meeting),
                                 choice=VoteChoice.ADOPT)
    committee_services.meeting_close(actor=meeting.chair, meeting=meeting)
    application.refresh_from_db()
    assert application.consortium_id == consortium_id  # a given number never changes
    assert list(Notice.objects.order_by("pk").values_list("kind", "status")) == [
        ("adoption", "withdrawn"), ("adoption", "draft")]


def test_only_staff_reverse_and_only_committee_decisions():
    application, _notice = decided(VoteChoice.ADOPT)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decision_reverse(application=application, actor=application.applicant,
                                  note="x")
    early = ready_application(status=S.DOCUMENT_SCREENING)
    workflow.document_screening_decide(application=early, outcome="fail", actor=staff())
    with pytest.raises(workflow.DecisionNotReversible):
        services.decision_reverse(application=early, actor=staff(), note="x")


# -- no duplicates -----------------------------------------------------------------------------

def test_no_duplicate_notice_for_the_same_event():
    application, notice = decided(VoteChoice.ADOPT)
    again = services.notice_draft(application=application, kind=NoticeKind.ADOPTION,
                                  actor=staff())
    assert again.pk == notice.pk
    assert services.notices_draft_missing(actor=staff()) == []
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(application=application, kind=NoticeKind.ADOPTION, subject="s",
                              body="b")
    with time_machine.travel(ON_THE_DAY, tick=False):
        services.notice_send(notice=notice, actor=staff())
        with pytest.raises(services.NoticeError, match="送信済み"):
            services.notice_send(notice=notice, actor=staff())
    assert OutboundMail.objects.filter(dedupe_key=f"notice:{notice.pk}").count() == 1


def test_missing_drafts_for_earlier_rejections():
    early = ready_application(status=S.DOCUMENT_SCREENING)
    workflow.document_screening_decide(application=early, outcome="fail", actor=staff())
    created = services.notices_draft_missing(actor=staff())
    assert [(n.application_id, n.kind) for n in created] == [(early.pk, "rejection")]
    assert OutboundMail.objects.count() == 0  # rejections at ① ② send nothing by themselves


# -- コンソーシアムID -------------------------------------------------------------------------------

def test_consortium_ids_are_sequential_per_call_and_unique():
    apps = [ready_application() for _ in range(3)]
    meeting = make_meeting(n_members=1, quorum=1, applications=apps, call=apps[0].call,
                           status=MeetingStatus.OPEN)
    for app in apps:
        committee_services.vote_cast(actor=meeting.chair, item=item_of(meeting, app),
                                     choice=VoteChoice.ADOPT)
    committee_services.meeting_close(actor=meeting.chair, meeting=meeting)
    ids = sorted(Application.objects.values_list("consortium_id", flat=True))
    assert ids == ["C2026-0001", "C2026-0002", "C2026-0003"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=apps[0].pk).update(consortium_id=ids[1])


def test_consortium_id_format_and_next_number():
    application = ready_application()
    Application.objects.filter(pk=application.pk).update(consortium_id="C2026-0041")
    assert workflow.consortium_id_next(application.call) == "C2026-0042"
    assert workflow.consortium_id_format(2027, 7) == "C2027-0007"


# -- what the applicant sees: no reasons ---------------------------------------------------------

def _visible_texts(application, notice) -> list[str]:
    texts = [notice.subject, notice.body, application.get_status_display()]
    for mail in OutboundMail.objects.all():
        texts += [mail.subject, mail.body_text, mail.body_html]
    for sent in django_mail.outbox:
        texts += [sent.subject, sent.body]
    return texts


@pytest.mark.django_db(transaction=True)
def test_rejection_notice_and_mail_carry_no_reason():
    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.REJECT, company__name="株式会社ひかり工業")
        services.notice_send(notice=notice, actor=staff())
    notice.refresh_from_db()
    assert notice.kind == NoticeKind.REJECTION
    assert "株式会社ひかり工業" in notice.body
    assert "https://www.jetro.go.jp/consortium/" in notice.body  # other services suggested
    assert "理由や審査の過程についてはお答えいたしかねます" in notice.body
    for text in _visible_texts(application, notice):
        assert SECRET_NOTE not in text
        assert SECRET_DECISION_NOTE not in text
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_adoption_notice_pdf_has_company_and_id_and_no_notes():
    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.ADOPT, company__name="株式会社あおば精機")
        services.notice_send(notice=notice, actor=staff())
        adoption, _name = services.notice_document(application, "adoption_notice")
        consent, consent_name = services.notice_document(application, "consent_form")
    text, consent_text = pdf_text(adoption), pdf_text(consent)
    assert "採択通知書" in text
    assert "株式会社あおば精機" in text
    assert "C2026-0001" in text
    assert "2026年4月6日" in text
    assert "応募・利用条件兼同意書" in consent_text
    assert "株式会社あおば精機" in consent_text and "C2026-0001" in consent_text
    for phrase in ("当社の人件費", "2回目以降の専門家の海外出張同行費用の一部",
                   "本同意書に定める内容に違反したとき", "各種調査に回答", "記入日", "印"):
        assert phrase in consent_text
    assert consent_name == "株式会社あおば精機_応募・利用条件兼同意書.pdf"
    notice.refresh_from_db()
    assert "C2026-0001" in notice.body and "C2026-0001" in notice.mail.body_text
    assert "/my/applications/" in notice.mail.body_text
    for blob in (text, consent_text, notice.body, notice.mail.body_text):
        assert SECRET_NOTE not in blob and SECRET_DECISION_NOTE not in blob


# -- the applicant sees the decision only with its notice ------------------------------------

def test_sending_publishes_the_decision_and_reversal_hides_it_again():
    from applications.selectors_status import published_status

    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.ADOPT)
        assert (application.decision_notified_at, published_status(application)) == (
            None, S.COMMITTEE_REVIEW)
        services.notice_send(notice=notice, actor=staff())
        application.refresh_from_db()
        assert application.decision_notified_at == ON_THE_DAY
        assert published_status(application) == S.ADOPTED
        services.decision_reverse(application=application, actor=staff(), note="議決の誤り")
    application.refresh_from_db()
    assert application.decision_notified_at is None
    assert published_status(application) == S.COMMITTEE_REVIEW


def test_status_page_links_the_adoption_pdfs_once_the_notice_is_sent(client):
    from django.urls import reverse

    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.ADOPT)
        client.force_login(application.applicant)
        url = reverse("applications:status", args=[application.public_id])
        pdf = reverse("screening:notice_pdf", args=[application.public_id, "adoption_notice"])
        assert pdf not in client.get(url).content.decode()
        services.notice_send(notice=notice, actor=staff())
        page = client.get(url).content.decode()
    assert pdf in page
    assert reverse("screening:notice_pdf", args=[application.public_id, "consent_form"]) in page


@pytest.mark.django_db(transaction=True)
def test_the_adoption_mail_carries_the_notice_and_the_consent_form_as_pdfs():
    with time_machine.travel(ON_THE_DAY, tick=False):
        application, notice = decided(VoteChoice.ADOPT)
        services.notice_send(notice=notice, actor=staff())
    sent = django_mail.outbox[0]
    names = [name for name, _content, _type in sent.attachments]
    company = application.company.name
    assert names == [f"{company}_採択通知書.pdf", f"{company}_応募・利用条件兼同意書.pdf"]
    assert {mimetype for _name, _content, mimetype in sent.attachments} == {"application/pdf"}
    notice_pdf = sent.attachments[0][1]
    assert notice_pdf.startswith(b"%PDF-")
    text = pdf_text(notice_pdf)
    assert company in text and application.consortium_id in text
    assert SECRET_NOTE not in text
