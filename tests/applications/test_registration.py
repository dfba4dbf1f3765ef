"""The online registration: 3 steps, confirmation, completion (FORM-AUTOREPLY), the 2-hour
rule (FORM-TIMEOUT) with a moved clock, and closed intake (INTAKE-CAP)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import is_password_usable
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application, Company, RegistrationDraft, WebFormAnswers
from applications.services.registration import registration_purge_expired
from applications.tasks import task_purge_expired_registrations
from applications.views.registration import SESSION_DRAFT
from handson.models import AuditLog, OutboundMail, User
from tests.applications.factories_registration import (
    COMPANY,
    CONTACT,
    NOW,
    PROJECT,
    fill_steps,
    register,
    start,
    step_url,
)
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

APPLY = reverse("applications:apply")
CONFIRM = reverse("applications:register_confirm")
DONE = reverse("applications:register_done")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def call():
    return CallFactory()


def text(response) -> str:
    return response.content.decode()


# -- /apply/ ---------------------------------------------------------------------------

def test_apply_page_explains_the_program_with_the_call_dates(client, call):
    response = client.get(APPLY)
    assert response.status_code == 200
    body = text(response)
    assert "<h1 class=\"h2 mb-3\">お申し込みの前に</h1>" in body
    assert "おおむね2週間から1か月程度" in body and "2か月程度かかる場合" in body
    assert "早くても2026年4月6日以降となります。" in body
    assert "最長で2027年2月28日まで" in body
    assert "直近3期分" in body and "10MB以下" in body
    assert "開始から<strong>2時間</strong>でタイムアウト" in body and "<strong>消去</strong>" in body
    assert reverse("applications:register_start") in body
    assert "オンライン登録を始める" in body


@pytest.mark.parametrize(("change", "message"), [
    ({"intake_closed": True}, "お申し込みの受付は終了しました。"),
    ({"planned_count": 1}, "予定件数に達したため、お申し込みの受付は終了しました。"),
    ({"closes_on": NOW.date() - timedelta(days=1)}, "受付期間が終了したため"),
    ({"opens_on": NOW.date() + timedelta(days=1)}, None),  # not current: no call at all
])
def test_intake_closed_apply_page_says_so_and_start_is_refused(client, call, change, message):
    """INTAKE-CAP: staff flag, planned count of received applications, dates, no call."""
    for field, value in change.items():
        setattr(call, field, value)
    call.save()
    if "planned_count" in change:
        ApplicationFactory(call=call, received_at=NOW)
    message = message or "現在、お申し込みの受付は行っておりません。"

    page = client.get(APPLY)
    assert message in text(page)
    assert "オンライン登録を始める" not in text(page)

    refused = start(client)
    assert refused.status_code == 403
    assert message in text(refused)
    assert RegistrationDraft.objects.count() == 0
    assert SESSION_DRAFT not in client.session
    assert client.get(step_url(1)).status_code == 302


def test_start_creates_a_two_hour_draft_for_this_session(client, call):
    response = start(client)
    assert response.status_code == 302 and response.url == step_url(1)
    draft = RegistrationDraft.objects.get()
    assert draft.started_at == NOW
    assert draft.expires_at == NOW + timedelta(hours=2)
    assert draft.session_key == client.session.session_key
    assert client.session[SESSION_DRAFT] == str(draft.public_id)


def test_start_again_continues_without_resetting_the_clock(client, call, clock):
    fill_steps(client, upto=1)
    clock.shift(timedelta(minutes=30))
    response = start(client)
    assert response.url == step_url(2)
    assert RegistrationDraft.objects.get().expires_at == NOW + timedelta(hours=2)


def test_steps_show_the_time_left_server_side(client, call, clock):
    start(client)
    page = text(client.get(step_url(1)))
    assert 'data-remaining-seconds="7200"' in page
    assert '<span id="registration-countdown" role="timer">2時間00分00秒</span>' in page
    assert 'id="registration-warning" class="alert alert-warning" hidden' in page.replace("\n", "")
    assert 'aria-live="polite"' in page
    clock.shift(timedelta(hours=1, minutes=51))
    page = text(client.get(step_url(1)))
    assert 'role="timer">9分00秒</span>' in page
    assert "残り時間が10分を切りました。" in page  # visible warning without JavaScript
    clock.shift(timedelta(minutes=8, seconds=30))
    page = text(client.get(step_url(1)))
    assert "残り時間が1分を切りました。" in page and "alert-danger" in page
    clock.shift(timedelta(seconds=29, milliseconds=600))  # 0.4 s left: rounded up, never 0
    page = text(client.get(step_url(1)))
    assert 'data-remaining-seconds="1"' in page and 'role="timer">0分01秒</span>' in page


def test_steps_must_be_filled_in_order(client, call):
    start(client)
    assert client.get(step_url(3)).url == step_url(1)
    assert client.get(CONFIRM).url == step_url(1)


def test_no_registration_running_sends_to_the_apply_page(client, call):
    assert client.get(step_url(1)).url == APPLY
    assert client.post(CONFIRM).url == APPLY


# -- back and forth keeps the input --------------------------------------------------------

def test_back_keeps_unchecked_input_and_forward_keeps_checked_input(client, call):
    fill_steps(client, upto=1)
    half = {**CONTACT, "contact_phone": "03-", "action": "back"}
    response = client.post(step_url(2), half)
    assert response.url == step_url(1)
    step1 = text(client.get(step_url(1)))
    assert 'value="カブシキガイシャ　ジェトロセイサクショ"' in step1  # normalised and kept
    assert 'value="1076006"' in step1 and 'value="10,000,000"' in step1
    client.post(step_url(1), {**COMPANY, "action": "next"})
    step2 = text(client.get(step_url(2)))
    assert 'value="hanako@example.co.jp"' in step2
    assert 'value="03-"' in step2  # what was typed, as typed
    assert "aria-invalid" not in step2  # not checked yet, so no errors shown


def test_confirmation_shows_everything_normalised(client, call):
    fill_steps(client)
    page = text(client.get(CONFIRM))
    for value in ["株式会社ジェトロ製作所", "カブシキガイシャ　ジェトロセイサクショ", "7123456789012",
                  "107-6006", "東京都", "東京都港区赤坂1-12-32", "10,000,000円", "25人",
                  "https://www.example.co.jp", "hanako@example.co.jp", "03-3582-8333",
                  "第1希望 米国、第2希望 ベトナム", "精密加工部品"]:
        assert value in page, value
    assert ">登録する</button>" in page
    assert Application.objects.count() == 0


# -- completion ----------------------------------------------------------------------

def test_register_creates_exactly_one_of_each_and_queues_the_autoreply(client, call):
    response = register(client)
    assert response.status_code == 302 and response.url == DONE

    company = Company.objects.get()
    assert (company.name, company.name_kana, company.corporate_number, company.postal_code,
            company.capital_yen, company.regular_employees, company.website) == (
        "株式会社ジェトロ製作所", "カブシキガイシャ　ジェトロセイサクショ", "7123456789012",
        "1076006", 10_000_000, 25, "https://www.example.co.jp")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.AWAITING_DOCUMENTS
    assert application.call == call and application.company == company
    assert application.target_countries == ["US", "VN"]
    assert application.us_tariff_response is False
    assert application.contact_phone == "03-3582-8333"
    user = User.objects.get(applications=application)
    assert user.username == f"applicant-{user.username.removeprefix('applicant-')}"
    assert len(user.username) == len("applicant-") + 32
    assert user.email == "hanako@example.co.jp"
    assert not is_password_usable(user.password)
    assert list(user.groups.values_list("name", flat=True)) == ["applicant"]
    assert WebFormAnswers.objects.filter(application=application).count() == 1
    assert RegistrationDraft.objects.count() == 0
    assert SESSION_DRAFT not in client.session

    audit = AuditLog.objects.get(action="application.registered")
    assert audit.rule_ids == ["FORM-TIMEOUT", "FORM-AUTOREPLY"]
    assert audit.actor == user and audit.object_id == str(application.pk)

    mail = OutboundMail.objects.get()
    assert mail.dedupe_key == f"autoreply:{application.pk}"
    assert mail.to == "hanako@example.co.jp" and mail.template == "autoreply"
    assert mail.subject == "【ハンズオン支援】オンライン登録を受け付けました（株式会社ジェトロ製作所）"
    assert mail.body_text.startswith("株式会社ジェトロ製作所\n佐藤 花子 様\n")
    assert "http://127.0.0.1:8000/access/" in mail.body_text
    assert "・このリンクの有効期限：2026年7月1日 10:00まで" in mail.body_text
    assert "・対象国・地域（優先順）：第1希望 米国、第2希望 ベトナム" in mail.body_text
    assert "1年度ごとに1つのPDFファイル（10MB以下）" in mail.body_text
    assert "odb-pt-apply@jetro.go.jp" in mail.body_text
    assert "&amp;" not in mail.body_text and "&#x27;" not in mail.body_text


@pytest.mark.django_db(transaction=True)
def test_autoreply_is_delivered_after_commit(client, call):
    from django.core import mail as django_mail

    register(client)
    assert len(django_mail.outbox) == 1
    sent = django_mail.outbox[0]
    assert sent.to == ["hanako@example.co.jp"]
    assert sent.subject == "【ハンズオン支援】オンライン登録を受け付けました（株式会社ジェトロ製作所）"
    assert "http://127.0.0.1:8000/access/" in sent.body


def test_done_page_does_not_show_the_link(client, call):
    register(client)
    page = text(client.get(DONE))
    assert "hanako@example.co.jp" in page and "株式会社ジェトロ製作所" in page
    assert "/access/" not in page.replace(reverse("applications:link_resend"), "")


def test_double_submit_creates_one_application(client, call):
    register(client)
    again = client.post(CONFIRM)
    assert again.url == DONE
    assert Application.objects.count() == 1 and OutboundMail.objects.count() == 1


def test_second_tab_after_completion_shows_done_not_timeout(client, call):
    """The draft is gone because it was completed: that is not a FORM-TIMEOUT."""
    fill_steps(client)
    public_id = client.session[SESSION_DRAFT]
    client.post(CONFIRM)
    session = client.session
    session[SESSION_DRAFT] = public_id  # a request that started before the first finished
    session.pop("registration_done")
    session.save()
    response = client.post(CONFIRM)
    assert response.status_code == 302 and response.url == DONE
    assert "hanako@example.co.jp" in text(client.get(DONE))
    assert Application.objects.count() == 1 and OutboundMail.objects.count() == 1
    assert not AuditLog.objects.filter(action="registration.expired").exists()


def test_apply_page_offers_to_continue_a_running_registration(client, call, clock):
    fill_steps(client, upto=2)
    clock.shift(timedelta(minutes=45))
    page = text(client.get(APPLY))
    assert "入力途中のオンライン登録があります" in page
    assert "残り時間は1時間15分00秒（12:00まで）です。" in page
    assert f'href="{step_url(3)}"' in page
    assert "オンライン登録を始める" not in page


def test_extra_post_fields_change_nothing(client, call):
    other = ApplicationFactory()
    start(client)
    for step, data in ((1, COMPANY), (2, CONTACT), (3, PROJECT)):
        client.post(step_url(step), {**data, "action": "next", "status": "adopted",
                                     "score": "100", "company": other.company_id,
                                     "applicant": other.applicant_id, "call": 999})
    stored = RegistrationDraft.objects.get().data
    assert set(stored) == {"company", "contact", "project"}
    assert not {"status", "score", "company", "applicant", "call"} & {
        key for section in stored.values() for key in section}
    client.post(CONFIRM, {"status": "adopted", "received_at": "2026-01-01"})
    application = Application.objects.exclude(pk=other.pk).get()
    assert application.status == ApplicationStatus.AWAITING_DOCUMENTS
    assert application.received_at is None
    assert application.company != other.company and application.applicant != other.applicant


def test_second_registration_with_a_used_address_gets_its_own_account(client, call):
    existing = ApplicationFactory(contact_email="hanako@example.co.jp",
                                  applicant__email="Hanako@Example.co.jp")
    register(client)
    new = Application.objects.exclude(pk=existing.pk).get()
    assert new.applicant != existing.applicant
    assert new.applicant.email == ""  # User.email is unique; contact_email is the channel
    assert new.contact_email == "hanako@example.co.jp"


def test_intake_closing_during_registration_refuses_completion(client, call):
    fill_steps(client)
    call.intake_closed = True
    call.save()
    response = client.post(CONFIRM)
    assert response.status_code == 403
    assert "お申し込みの受付は終了しました。" in text(response)
    assert Application.objects.count() == 0 and OutboundMail.objects.count() == 0


# -- the 2-hour rule (FORM-TIMEOUT) --------------------------------------------------------

def test_at_1_59_59_the_step_still_works(client, call, clock):
    fill_steps(client, upto=1)
    clock.shift(timedelta(hours=1, minutes=59, seconds=59))
    response = client.post(step_url(2), {**CONTACT, "action": "next"})
    assert response.status_code == 302 and response.url == step_url(3)
    assert RegistrationDraft.objects.get().data["contact"]["contact_email"] == (
        "hanako@example.co.jp")


@pytest.mark.parametrize("after", [timedelta(hours=2), timedelta(hours=2, seconds=1),
                                   timedelta(hours=11)])
def test_at_2_hours_the_draft_is_erased_and_the_timeout_page_shown(client, call, clock, after):
    fill_steps(client, upto=2)
    draft = RegistrationDraft.objects.get()
    clock.shift(after)
    response = client.post(step_url(3), {**PROJECT, "action": "next"})
    assert response.status_code == 410
    assert "オンライン登録の制限時間を過ぎました" in text(response)
    assert "入力途中の内容は消去しました" in text(response)
    assert "最初から登録を始める" in text(response)
    assert not RegistrationDraft.objects.filter(pk=draft.pk).exists()
    assert SESSION_DRAFT not in client.session
    audit = AuditLog.objects.get(action="registration.expired")
    assert audit.rule_ids == ["FORM-TIMEOUT"] and audit.object_id == str(draft.public_id)
    # Nothing left to come back to; starting again gives a fresh 2 hours and empty forms.
    assert client.get(step_url(1)).url == APPLY
    start(client)
    fresh = RegistrationDraft.objects.get()
    assert fresh.data == {} and fresh.expires_at == NOW + after + timedelta(hours=2)


def test_confirm_after_2_hours_creates_nothing(client, call, clock):
    fill_steps(client)
    clock.shift(timedelta(hours=2))
    response = client.post(CONFIRM)
    assert response.status_code == 410
    assert (Application.objects.count(), Company.objects.count(), User.objects.count(),
            OutboundMail.objects.count(), RegistrationDraft.objects.count()) == (0, 0, 0, 0, 0)


def test_timeout_page_after_the_task_purged_the_draft(client, call, clock):
    fill_steps(client, upto=1)
    clock.shift(timedelta(hours=2, minutes=1))
    assert task_purge_expired_registrations.apply().get() == 1
    response = client.get(step_url(2))
    assert response.status_code == 410
    assert SESSION_DRAFT not in client.session


def test_timeout_url_of_the_countdown(client, call, clock):
    start(client)
    timeout = reverse("applications:register_timeout")
    assert client.get(timeout).url == step_url(1)  # still running: nothing timed out
    clock.shift(timedelta(hours=2))
    response = client.get(timeout)
    assert response.status_code == 200
    assert "オンライン登録の制限時間を過ぎました" in text(response)
    assert RegistrationDraft.objects.count() == 0


def test_purge_deletes_expired_drafts_and_keeps_live_ones(call, clock):
    def draft(started):
        return RegistrationDraft.objects.create(call=call, session_key="k", started_at=started,
                                                expires_at=started + timedelta(hours=2))
    expired = draft(NOW - timedelta(hours=3))
    at_limit = draft(NOW - timedelta(hours=2))
    live = draft(NOW - timedelta(hours=1, minutes=59, seconds=59))
    assert registration_purge_expired() == 2
    assert list(RegistrationDraft.objects.values_list("pk", flat=True)) == [live.pk]
    assert {a.object_id for a in AuditLog.objects.filter(action="registration.expired")} == {
        str(expired.public_id), str(at_limit.public_id)}
