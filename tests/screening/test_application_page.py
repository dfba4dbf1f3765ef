"""The staff application page, the 担当職員 assignment and the outbox page with 再送."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.enums import DocumentKind, DocumentSource
from applications.models import Document, WebFormAnswers
from handson.audit import audit_record
from handson.enums import MailStatus, Role
from handson.models import AuditLog, OutboundMail
from screening.enums import Proposal, Stage
from screening.models import Assessment, StageDecision
from screening.services.assignment import AssignmentError, application_assign_staff
from screening.services.mail import MailNotResendable, mail_resend
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.STAFF, display_name="鈴木 一郎")
    verified_login(client, user)
    return user


@pytest.fixture
def application():
    return ApplicationFactory(
        company__name="青葉精機株式会社", company__name_kana="アオバセイキ",
        status=S.RECEIVED, target_countries=["VN", "US"],
        eligibility_outcome="review",
        eligibility_result={"size_category": "midtier", "outcome": "review", "findings": [
            {"rule_id": "SIZE-MID", "outcome": "pass", "message": "中堅企業です。"},
            {"rule_id": "PROJ-EXCL-EXPORTING", "outcome": "review", "message": "継続的な輸出"},
        ]},
    )


def mail(application=None, *, status=MailStatus.FAILED, key="k1", subject="受付のお知らせ"):
    related = {"object_type": "applications.application", "object_id": str(application.pk)} \
        if application else {}
    return OutboundMail.objects.create(
        to="sato@example.jp", template="application_received", subject=subject,
        body_text="本文", dedupe_key=key, status=status, attempts=6 if status == "failed" else 1,
        last_error="SMTPRecipientsRefused: 550" if status == "failed" else "", **related)


def page(client, application):
    response = client.get(reverse("screening:application_detail", args=[application.public_id]))
    assert response.status_code == 200
    return response


def test_page_shows_what_was_submitted(client, staff, application):
    WebFormAnswers.objects.create(application=application, management_philosophy="顧客第一",
                                  product_exists=True, b2b=False)
    document = Document(application=application, kind=DocumentKind.FINANCIAL_STATEMENT,
                        fiscal_year=2024, original_name="決算書.pdf", size_bytes=2048,
                        page_count=12, source=DocumentSource.POSTAL)
    document.file.save("documents/x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    Document.objects.create(application=application, kind=DocumentKind.FINANCIAL_STATEMENT,
                            fiscal_year=2023, source=DocumentSource.FY2025_REUSE)
    response = page(client, application)
    html = response.content.decode()
    rows = {row.label: row.text for row in response.context["answers"]}
    assert rows["経営理念・経営戦略"] == "顧客第一"
    assert rows["申込時点で輸出する製品・サービスが存在する"] == "はい"
    assert rows["B to B（取引先が企業）の案件である"] == "いいえ"
    assert rows["海外展開の動機・目的"] == "（回答なし）"
    assert "顧客第一" in html
    assert response.context["target_countries"] == ["ベトナム", "米国"]
    assert reverse("applications:document_download", args=[document.public_id]) in html
    assert [(d.fiscal_year, d.page_count, d.get_source_display()) for d in
            response.context["documents"]] == [(2024, 12, "郵送"), (2023, 0, "2025年度提出分")]
    assert "2.0\xa0KB" in html
    assert [(f.rule_id, f.outcome_label) for f in response.context["stored_findings"]] == [
        ("SIZE-MID", "適合"), ("PROJ-EXCL-EXPORTING", "要確認")]
    assert (response.context["outcome_label"], response.context["size_category"]) == (
        "要確認", "中堅企業")


def test_page_without_answers_documents_or_history(client, staff, application):
    response = page(client, application)
    assert response.context["answers"] is None
    html = response.content.decode()
    for text in ("WEBフォームの回答はまだ保存されていません。", "提出された書類はありません。",
                 "審査の記録はまだありません。", "この申込に関するメールはありません。"):
        assert text in html


def test_page_shows_screening_history_mails_and_audit(client, staff, application):
    reviewer = UserFactory(role=Role.STAFF, display_name="審査 太郎")
    Assessment.objects.create(application=application, stage=Stage.DOCUMENT, reviewer=reviewer,
                              scores={"SEL-1": 4, "SEL-2": 5}, proposal=Proposal.PASS)
    StageDecision.objects.create(application=application, stage=Stage.DOCUMENT,
                                 outcome=Proposal.PASS, decided_by=reviewer, note="良好")
    failed = mail(application)
    mail(application, status=MailStatus.SENT, key="k2", subject="別のお知らせ")
    mail(None, key="other")  # not about this application
    audit_record(actor=reviewer, action="application.received", obj=application,
                 before={"status": "awaiting_documents"}, after={"status": "received"},
                 rule_ids=["DOCS-COMPLETE"])
    response = page(client, application)
    assert [(a.reviewer_id, a.total) for a in response.context["assessments"]] == [
        (reviewer.pk, 9)]
    assert [d.note for d in response.context["decisions"]] == ["良好"]
    assert [m.subject for m in response.context["mails"]] == ["別のお知らせ", "受付のお知らせ"]
    assert [e.action for e in response.context["audit"]] == ["application.received"]
    html = response.content.decode()
    assert reverse("screening:mail_resend", args=[failed.pk]) in html  # only the failed one
    assert html.count('action="/staff/mails/') == 1
    assert "SMTPRecipientsRefused: 550" in html
    assert "status: received" in html and "DOCS-COMPLETE" in html


# -- 担当職員 -------------------------------------------------------------------------------

def test_assign_staff_service_sets_and_audits(staff, application):
    colleague = UserFactory(role=Role.STAFF, display_name="田中 次郎")
    application_assign_staff(application=application, staff_user=colleague, actor=staff)
    application.refresh_from_db()
    assert application.staff_in_charge == colleague
    application_assign_staff(application=application, staff_user=colleague, actor=staff)
    application_assign_staff(application=application, staff_user=None, actor=staff)
    application.refresh_from_db()
    assert application.staff_in_charge is None
    entries = list(AuditLog.objects.filter(action="application.staff_assigned")
                   .order_by("id").values_list("actor", "before", "after"))
    assert entries == [
        (staff.pk, {"staff_in_charge": None, "staff_in_charge_name": ""},
         {"staff_in_charge": colleague.pk, "staff_in_charge_name": "田中 次郎"}),
        (staff.pk, {"staff_in_charge": colleague.pk, "staff_in_charge_name": "田中 次郎"},
         {"staff_in_charge": None, "staff_in_charge_name": ""}),
    ]


def test_assign_staff_refuses_non_staff(staff, application):
    with pytest.raises(AssignmentError):
        application_assign_staff(application=application,
                                 staff_user=UserFactory(role=Role.COMMITTEE), actor=staff)
    application.refresh_from_db()
    assert application.staff_in_charge is None
    assert not AuditLog.objects.exists()


def test_assign_staff_through_the_page(client, staff, application):
    url = reverse("screening:application_assign", args=[application.public_id])
    response = client.post(url, {"staff_user": str(staff.pk)}, follow=True)
    assert response.redirect_chain == [(
        reverse("screening:application_detail", args=[application.public_id]), 302)]
    assert "担当職員を鈴木 一郎に設定しました。" in response.content.decode()
    application.refresh_from_db()
    assert application.staff_in_charge == staff

    member = UserFactory(role=Role.COMMITTEE)
    response = client.post(url, {"staff_user": str(member.pk)})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["staff_user"]
    html = response.content.decode()
    assert 'aria-describedby="id_staff_user_helptext id_staff_user_error"' in html
    assert 'aria-invalid="true"' in html
    application.refresh_from_db()
    assert application.staff_in_charge == staff


# -- outbox -----------------------------------------------------------------------------------

def test_mail_resend_service(staff, monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr("handson.outbox.mail_enqueue", lambda *, mail_id: enqueued.append(mail_id))
    failed = mail()
    with django_capture_on_commit_callbacks(execute=True):
        mail_resend(mail=failed, actor=staff)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (MailStatus.PENDING, 0,
                                                                        None)
    assert enqueued == [failed.pk]
    entry = AuditLog.objects.get(action="mail.resend_requested")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        staff, "handson.outboundmail", str(failed.pk))
    assert entry.before == {"status": "failed", "attempts": 6,
                            "last_error": "SMTPRecipientsRefused: 550"}
    # a second click finds it pending: refused, nothing queued again
    with pytest.raises(MailNotResendable), django_capture_on_commit_callbacks(execute=True):
        mail_resend(mail=failed, actor=staff)
    assert enqueued == [failed.pk]


def test_mail_list_shows_failed_then_pending(client, staff):
    pending = mail(status=MailStatus.PENDING, key="p", subject="送信待ち")
    failed = mail(key="f", subject="送信失敗")
    mail(status=MailStatus.SENT, key="s", subject="送信済み")
    mail(status=MailStatus.CANCELLED, key="c", subject="取り消し")
    response = client.get(reverse("screening:mail_list"))
    assert [m.pk for m in response.context["page"].object_list] == [failed.pk, pending.pk]
    html = response.content.decode()
    assert reverse("screening:mail_resend", args=[failed.pk]) in html
    assert reverse("screening:mail_resend", args=[pending.pk]) not in html


def test_resend_through_the_page(client, staff, monkeypatch):
    monkeypatch.setattr("handson.outbox.mail_enqueue", lambda *, mail_id: True)
    failed = mail()
    url = reverse("screening:mail_resend", args=[failed.pk])
    response = client.post(url, {"next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain == [(reverse("screening:mail_list"), 302)]
    assert "「受付のお知らせ」（sato@example.jp）を再送の待ち行列に入れました。" in (
        response.content.decode())
    failed.refresh_from_db()
    assert failed.status == MailStatus.PENDING

    response = client.post(url, {"next": "/staff/applications/"}, follow=True)
    assert response.redirect_chain == [("/staff/applications/", 302)]
    assert "送信に失敗したメールのみ再送できます。" in response.content.decode()
    assert client.get(url).status_code == 405


def test_eligibility_panel_of_the_eligibility_room(client, staff, application):
    """When the eligibility room provides its panel, the page includes it (else a fallback)."""
    from django.urls import NoReverseMatch

    response = page(client, application)
    html = response.content.decode()
    try:
        from applications.services.eligibility import eligibility_for_display  # noqa: F401
    except ImportError:
        assert response.context["eligibility"] is None
        assert 'id="findings"' in html
    else:
        assert response.context["eligibility"] is not None
        assert "eligibility-panel" in html
    try:
        url = reverse("applications:staff_eligibility", args=[application.public_id])
    except NoReverseMatch:
        assert response.context["eligibility_url"] == ""
    else:
        assert f'href="{url}"' in html
