"""⑤⑥ Decision notices: drafted, edited and sent by staff through the outbox.

- A notice is drafted when the committee closes (adoption / rejection), or by staff for an
  application rejected earlier (① ②) or without a matching expert (no_match).
- Its text never carries reasons or the screening process (V.1(2)⑥): the default text is
  built from the company, the call and the links only, and the adoption and consent PDFs
  take the same data.
- One live notice per application and kind (a partial unique constraint; `withdrawn` ones
  do not count), and one mail per notice (dedupe key `notice:<pk>`).
- Nothing is sent before `Call.decisions_not_before` (Japan time).
- A notice whose decision no longer holds (the status was reversed) is withdrawn: at send
  time, and by `notices_withdraw_stale` when staff reverse the decision — the pending mail
  is cancelled in the outbox.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from handson import outbox
from handson.audit import audit_record
from handson.enums import MailStatus
from screening.models import Notice, NoticeKind, NoticeStatus

RULE_ADOPTION = "V.1(2)⑤"
RULE_REJECTION = "V.1(2)⑥"

# The application status each kind of notice announces.
KIND_STATUS = {
    NoticeKind.ADOPTION: S.ADOPTED,
    NoticeKind.REJECTION: S.REJECTED,
    NoticeKind.NO_MATCH: S.REJECTED,
}
MAIL_TEMPLATE = "decision_notice"  # emails/decision_notice.{subject.txt,txt}


class NoticeError(Exception):
    """A notice action that is not possible now; `message` is for staff."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


class NoticeTooEarly(NoticeError):
    pass


class NoticeStale(NoticeError):
    """The decision no longer holds: the notice was withdrawn instead of sent."""


def _rule(kind: str) -> str:
    return RULE_ADOPTION if kind == NoticeKind.ADOPTION else RULE_REJECTION


def status_url(application: Application) -> str:
    return settings.SITE_URL + reverse("applications:status", args=[application.public_id])


def notice_text_context(application: Application) -> dict:
    """What a notice may say: company, contact, call, the ID and the links. No reasons."""
    return {
        "company_name": application.company.name,
        "contact_name": application.contact_name,
        "product_name": application.product_name,
        "call_title": application.call.title,
        "consortium_id": application.consortium_id or "",
        "status_url": status_url(application),
    }


def default_text(application: Application, kind: str) -> tuple[str, str]:
    context = notice_text_context(application)
    subject = render_to_string(f"screening/notices/text/{kind}.subject.txt", context)
    body = render_to_string(f"screening/notices/text/{kind}.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def notice_draft(*, application: Application, kind: str, actor) -> Notice:
    """The draft of `kind` for the application (the live one if it exists already)."""
    kind = NoticeKind(kind)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != KIND_STATUS[kind]:
            raise NoticeError(_("申込の状態（%(status)s）がこの通知と合わないため、作成できません。")
                              % {"status": locked.get_status_display()})
        live = Notice.objects.filter(application=locked, kind=kind).exclude(
            status=NoticeStatus.WITHDRAWN).first()
        if live is not None:
            return live
        subject, body = default_text(locked, kind)
        try:
            with transaction.atomic():
                notice = Notice.objects.create(application=locked, kind=kind, subject=subject,
                                               body=body, created_by=_user(actor))
        except IntegrityError:
            return Notice.objects.filter(application=locked, kind=kind).exclude(
                status=NoticeStatus.WITHDRAWN).get()
        audit_record(actor=actor, action="notice.drafted", obj=notice,
                     after={"application": locked.pk, "kind": kind}, rule_ids=[_rule(kind)])
    return notice


def notices_draft_missing(*, actor, call=None) -> list[Notice]:
    """Drafts for decided applications that have no live notice yet: adopted → adoption,
    rejected (at any stage) → rejection. Staff choose `no_match` by hand where it applies."""
    live = Notice.objects.exclude(status=NoticeStatus.WITHDRAWN)
    created = []
    for status, kinds, kind in ((S.ADOPTED, [NoticeKind.ADOPTION], NoticeKind.ADOPTION),
                                (S.REJECTED, [NoticeKind.REJECTION, NoticeKind.NO_MATCH],
                                 NoticeKind.REJECTION)):
        queryset = Application.objects.filter(status=status).exclude(
            pk__in=live.filter(kind__in=kinds).values("application_id"))
        if call is not None:
            queryset = queryset.filter(call=call)
        for application in queryset.select_related("company", "call"):
            created.append(notice_draft(application=application, kind=kind, actor=actor))
    return created


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def notice_edit(*, notice: Notice, actor, subject: str, body: str) -> Notice:
    """Staff change the text of a draft (audited, before and after)."""
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip() + "\n"
    if not subject or not body.strip():
        raise NoticeError(_("件名と本文を入力してください。"))
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.DRAFT:
            raise NoticeError(_("送信済み・取り下げ済みの通知は編集できません。"))
        before = {"subject": locked.subject, "body": locked.body}
        locked.subject, locked.body = subject, body
        locked.save(update_fields=["subject", "body", "updated_at"])
        audit_record(actor=actor, action="notice.edited", obj=locked, before=before,
                     after={"subject": subject, "body": body}, rule_ids=[_rule(locked.kind)])
    return locked


def _withdraw(notice: Notice, *, actor, reason: str) -> bool:
    """Withdraw one locked notice; cancel its mail if still pending. True if the mail had
    already gone out (staff then contact the applicant)."""
    delivered = False
    if notice.mail_id is not None:
        cancelled = outbox.mail_cancel(mail=notice.mail)
        notice.mail.refresh_from_db(fields=["status"])
        delivered = not cancelled and notice.mail.status == MailStatus.SENT
    if notice.status == NoticeStatus.SENT:  # the decision is no longer published
        Application.objects.filter(pk=notice.application_id).update(decision_notified_at=None)
    before = notice.status
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(actor=actor, action="notice.withdrawn", obj=notice,
                 before={"status": before},
                 after={"status": NoticeStatus.WITHDRAWN, "mail_already_delivered": delivered},
                 rule_ids=[_rule(notice.kind)], note=reason)
    return delivered


def notices_withdraw_stale(*, application: Application, actor=None) -> list[Notice]:
    """Withdraw every live notice whose decision the application no longer has (a reversed
    decision): drafts and queued ones; a mail not yet delivered is cancelled."""
    withdrawn = []
    with transaction.atomic():
        current = Application.objects.get(pk=application.pk).status
        notices = (Notice.objects.select_for_update(of=("self",)).select_related("mail")
                   .filter(application_id=application.pk)
                   .exclude(status=NoticeStatus.WITHDRAWN))
        for notice in notices:
            if KIND_STATUS[notice.kind] != current:
                _withdraw(notice, actor=actor, reason="the decision was reversed")
                withdrawn.append(notice)
    return withdrawn


def decision_reverse(*, application: Application, actor, note: str) -> Application:
    """Staff reverse a committee decision (→ committee_review) and withdraw its notices."""
    return workflow.decision_reverse(
        application=application, actor=actor, note=note,
        notify=lambda app: notices_withdraw_stale(application=app, actor=actor))


def _too_early(application: Application) -> str:
    not_before = application.call.decisions_not_before
    if timezone.localdate() < not_before:
        return str(_("採否の通知は%(date)s以降でなければ送信できません（募集回の「採否決定の最短日」）。")
                   % {"date": formats.date_format(not_before, "Y年n月j日")})
    return ""


@dataclass(frozen=True)
class SendResult:
    notice: Notice
    sent: bool
    message: str = ""


ATTACHMENT_RENDERER = "screening.notice_document"


def _attachments(application: Application, kind: str) -> list[dict]:
    """The adoption notice carries the 採択通知書 and the 同意書 as PDFs (V.1(2)⑤)."""
    if kind != NoticeKind.ADOPTION:
        return []
    return [outbox.attachment(ATTACHMENT_RENDERER, application_id=application.pk,
                              document=document)
            for document in ("adoption_notice", "consent_form")]


def render_notice_attachment(*, application_id: int, document: str) -> tuple[bytes, str, str]:
    """The outbox's renderer: the PDF as it is when the mail is sent."""
    application = Application.objects.select_related("company", "call").get(pk=application_id)
    content, filename = notice_document(application, document)
    return content, filename, "application/pdf"


def notice_send(*, notice: Notice, actor) -> Notice:
    """Queue the notice's mail (outbox, dedupe `notice:<pk>`) and mark it sent.

    Raises NoticeTooEarly before the call's decision date, NoticeStale (and withdraws it)
    when the application no longer has the notice's status, NoticeError when not a draft.
    """
    with transaction.atomic():
        # Lock order as in decision_reverse: the application first, then its notices.
        application = Application.objects.select_for_update(of=("self",)).select_related(
            "call", "company").get(pk=notice.application_id)
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.DRAFT:
            raise NoticeError(_("この通知はすでに送信済みか、取り下げられています。"))
        if application.status != KIND_STATUS[locked.kind]:
            _withdraw(locked, actor=actor, reason="status changed before sending")
            stale = NoticeStale(_("申込の状態が変わったため（現在：%(status)s）、この通知は取り下げました。")
                                % {"status": application.get_status_display()})
        else:
            stale = None
            early = _too_early(application)
            if early:
                raise NoticeTooEarly(early)
            mail = outbox.mail_queue(
                to=application.contact_email, template=MAIL_TEMPLATE,
                context={"subject": locked.subject, "body": locked.body},
                dedupe_key=f"notice:{locked.pk}", related=application,
                attachments=_attachments(application, locked.kind))
            locked.status = NoticeStatus.SENT
            locked.sent_at = timezone.now()
            locked.mail = mail
            locked.save(update_fields=["status", "sent_at", "mail", "updated_at"])
            # From now on the applicant's status page shows the decision (V.1(2)⑤⑥).
            application.decision_notified_at = locked.sent_at
            application.save(update_fields=["decision_notified_at", "updated_at"])
            audit_record(actor=actor, action="notice.sent", obj=locked,
                         before={"status": NoticeStatus.DRAFT},
                         after={"status": NoticeStatus.SENT, "mail": mail.pk,
                                "kind": locked.kind},
                         rule_ids=[_rule(locked.kind)])
    if stale is not None:  # the withdrawal is committed; the caller learns why
        raise stale
    return locked


def notices_send(*, notices, actor) -> list[SendResult]:
    """Send a batch: each notice on its own (one refusal does not stop the others)."""
    results = []
    for notice in notices:
        try:
            results.append(SendResult(notice_send(notice=notice, actor=actor), True))
        except NoticeError as exc:
            notice.refresh_from_db()
            results.append(SendResult(notice, False, exc.message))
    return results


def sent_adoption_notice(application: Application) -> Notice | None:
    """The adoption notice that went out (the applicant's PDFs depend on it)."""
    return (Notice.objects.filter(application=application, kind=NoticeKind.ADOPTION,
                                  status=NoticeStatus.SENT).order_by("-sent_at").first())


# -- the applicant's documents (⑤): rendered on request, from the same data as the notice ---

DOCUMENTS = {
    "adoption_notice": ("pdf/adoption_notice.html", "採択通知書"),
    "consent_form": ("pdf/consent_form.html", "応募・利用条件兼同意書"),
}


def notice_document(application: Application, document: str) -> tuple[bytes, str]:
    """The 採択通知書 or the 応募・利用条件兼同意書 as PDF bytes and a download name.

    Dated the day the adoption notice was sent (today for a staff preview before that).
    Built from the company, the call and the ID only: no scores, notes or reasons.
    """
    from applications.countries import country_name
    from handson.pdf import render_pdf

    template, title = DOCUMENTS[document]
    notice = sent_adoption_notice(application)
    issued = timezone.localtime(notice.sent_at).date() if notice else timezone.localdate()
    call = application.call
    company = application.company
    context = {
        "application": application, "company": company, "call": call,
        "consortium_id": application.consortium_id or "",
        "issued_on": issued, "title": title,
        "fiscal_year": call.fiscal_year,
        "support_end_limit": call.support_end_limit,
        "countries": [country_name(code) for code in application.target_countries or []],
        "address": (company.address if company.address.startswith(
            company.get_prefecture_display()) else
            f"{company.get_prefecture_display()}{company.address}"),
    }
    pdf = render_pdf(template, context)
    return pdf, f"{company.name}_{title}.pdf"
