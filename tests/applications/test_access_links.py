"""Signed personal links (FORM-AUTOREPLY): login for exactly one application, expiry at 30
days and at the call's end, tampering, and "mail me my link again"."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.services.access_links import (
    SALT,
    AccessLinkExpired,
    AccessLinkInvalid,
    access_links_resend,
    access_token_for,
    access_url,
    link_expires_at,
    open_applications_for,
    resolve_access_token,
)
from handson.models import OutboundMail
from tests.applications.factories_registration import NOW, TOKYO, register
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

RESEND = reverse("applications:link_resend")


@pytest.fixture(autouse=True)
def clock():
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    cache.clear()


@pytest.fixture
def application():
    return ApplicationFactory(contact_email="hanako@example.co.jp")


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_token_holds_the_application_and_its_applicant(application):
    payload = signing.loads(access_token_for(application), salt=SALT)
    assert payload == {"a": application.public_id.hex, "u": application.applicant_id}
    url = access_url(application)
    assert url.startswith("http://127.0.0.1:8000/access/") and url.endswith("/")
    assert resolve_access_token(access_token_for(application)) == application


def test_link_expires_after_30_days_before_the_call_ends(application):
    assert link_expires_at(application) == NOW + timedelta(days=30)


def test_link_expires_at_the_end_of_the_calls_last_day_in_tokyo():
    call = CallFactory(closes_on=date(2026, 6, 10))
    application = ApplicationFactory(call=call)
    assert link_expires_at(application) == datetime(2026, 6, 11, 0, 0, tzinfo=TOKYO)


def test_link_works_until_30_days_then_expires(application, clock):
    token = access_token_for(application)
    clock.shift(timedelta(days=30) - timedelta(seconds=1))
    assert resolve_access_token(token) == application
    clock.shift(timedelta(seconds=2))
    with pytest.raises(AccessLinkExpired):
        resolve_access_token(token)


def test_link_expires_when_the_call_ends(clock):
    application = ApplicationFactory(call=CallFactory(closes_on=date(2026, 6, 10)))
    token = access_token_for(application)
    clock.move_to(datetime(2026, 6, 10, 23, 59, 59, tzinfo=TOKYO))
    assert resolve_access_token(token) == application
    clock.move_to(datetime(2026, 6, 11, 0, 0, tzinfo=TOKYO))
    with pytest.raises(AccessLinkExpired):
        resolve_access_token(token)


def test_a_received_application_stays_reachable_after_the_call_ends(clock):
    """Selection and support run past the intake (to 2027-02-28 and the outcome survey):
    only the 30-day validity of each link applies then."""
    application = ApplicationFactory(call=CallFactory(closes_on=date(2026, 6, 10)),
                                     status=ApplicationStatus.RECEIVED)
    clock.move_to(datetime(2026, 6, 9, 12, 0, tzinfo=TOKYO))
    token = access_token_for(application)
    assert link_expires_at(application) == datetime(2026, 7, 9, 12, 0, tzinfo=TOKYO)
    clock.move_to(datetime(2026, 7, 1, 9, 0, tzinfo=TOKYO))
    assert resolve_access_token(token) == application
    assert open_applications_for(application.contact_email) == [application]


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: t[:-10],  # cut off by a mail program
    lambda t: "x" + t,
    lambda t: signing.dumps({"a": "0" * 32, "u": 1}, salt="another-salt"),
    lambda t: signing.dumps({"a": "1" * 32, "u": 1}, salt=SALT),  # signed, but unknown
])
def test_tampered_or_unknown_tokens_are_invalid(application, mangle):
    with pytest.raises(AccessLinkInvalid):
        resolve_access_token(mangle(access_token_for(application)))


def test_a_token_naming_another_applicant_is_invalid(application):
    other = ApplicationFactory()
    forged = signing.dumps({"a": application.public_id.hex, "u": other.applicant_id}, salt=SALT)
    with pytest.raises(AccessLinkInvalid):
        resolve_access_token(forged)


def test_inactive_applicant_cannot_use_the_link(application):
    application.applicant.is_active = False
    application.applicant.save()
    with pytest.raises(AccessLinkInvalid):
        resolve_access_token(access_token_for(application))


# -- the access view -------------------------------------------------------------------

def test_link_logs_in_that_applicant_cycles_the_session_and_opens_the_webform(client,
                                                                             application):
    client.get(reverse("applications:apply"))
    client.session.save()
    before = client.session.session_key
    response = client.get(path_of(access_url(application)))
    assert response.status_code == 302
    assert response.url == f"/my/applications/{application.public_id}/form/"
    assert client.session["_auth_user_id"] == str(application.applicant_id)
    assert client.session.session_key != before
    assert response["Cache-Control"].startswith("max-age=0")
    # The next request is authenticated (the backend is one of AUTHENTICATION_BACKENDS).
    home = client.get(reverse("home"))
    assert home.wsgi_request.user == application.applicant


def test_link_is_only_for_its_own_application(client, application):
    other = ApplicationFactory()
    client.get(path_of(access_url(application)))
    user = client.get(reverse("home")).wsgi_request.user
    assert user.has_perm("applications.view_application", application)
    assert not user.has_perm("applications.view_application", other)
    assert list(user.applications.all()) == [application]


def test_registration_mail_link_logs_in_the_new_applicant(client):
    from applications.models import Application

    CallFactory()
    register(client)
    application = Application.objects.get()
    mail = OutboundMail.objects.get(template="autoreply")
    assert f"\n{access_url(application)}\n" in mail.body_text
    response = client.get(path_of(access_url(application)))
    assert response.url == f"/my/applications/{application.public_id}/form/"
    assert client.session["_auth_user_id"] == str(application.applicant_id)


@pytest.mark.parametrize(("shift", "status", "title"), [
    (timedelta(days=31), 410, "リンクの有効期限が切れています"),
    (None, 400, "このリンクはご利用いただけません"),
])
def test_bad_links_show_a_polite_page_with_the_resend_link(client, application, clock, shift,
                                                            status, title):
    url = path_of(access_url(application))
    if shift:
        clock.shift(shift)
    else:
        url = url[:-6] + "/"
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1 class=\"h2 mb-3\">{title}</h1>" in html
    assert f'href="{RESEND}"' in html
    assert "_auth_user_id" not in client.session


# -- "mail me my link again" -------------------------------------------------------------

def resend(client, email):
    return client.post(RESEND, {"email": email})


def test_resend_answers_identically_for_known_and_unknown_addresses(client, application):
    known = resend(client, "ＨＡＮＡＫＯ＠example.co.jp")
    unknown = resend(client, "nobody@example.co.jp")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().replace("ＨＡＮＡＫＯ", "").split(  # noqa: E731
        'name="csrfmiddlewaretoken"')[0]
    assert strip(known) == strip(unknown)
    assert "新しいリンクをお送りしました" in known.content.decode()
    mails = list(OutboundMail.objects.all())
    assert len(mails) == 1
    assert mails[0].to == "hanako@example.co.jp" and mails[0].template == "access_link"
    assert mails[0].subject == (
        f"【ハンズオン支援】WEBフォームへのリンクをお送りします（{application.company.name}）")
    link = next(line.strip() for line in mails[0].body_text.splitlines() if "/access/" in line)
    assert client.get(path_of(link)).url == f"/my/applications/{application.public_id}/form/"


def test_resend_covers_each_open_application_of_the_address(application):
    second = ApplicationFactory(contact_email="HANAKO@example.co.jp")
    ApplicationFactory(contact_email="hanako@example.co.jp", status=ApplicationStatus.WITHDRAWN)
    ended = ApplicationFactory(contact_email="hanako@example.co.jp",
                               call=CallFactory(fiscal_year=2025, closes_on=date(2026, 1, 31)))
    assert access_links_resend(email="hanako@example.co.jp") == 2
    keys = set(OutboundMail.objects.values_list("dedupe_key", flat=True))
    assert {k.split(":")[1] for k in keys} == {str(application.pk), str(second.pk)}
    assert ended.pk not in {int(k.split(":")[1]) for k in keys}


def test_repeated_clicks_within_5_minutes_send_one_mail(application, clock):
    assert access_links_resend(email="hanako@example.co.jp") == 1
    clock.shift(timedelta(seconds=30))
    access_links_resend(email="hanako@example.co.jp")
    assert OutboundMail.objects.count() == 1
    clock.shift(timedelta(minutes=5))
    access_links_resend(email="hanako@example.co.jp")
    assert OutboundMail.objects.count() == 2


def test_resend_is_rate_limited_per_address_silently(client, application, clock):
    for minutes in (0, 6, 12):
        clock.shift(timedelta(minutes=minutes and 6))
        assert resend(client, "hanako@example.co.jp").status_code == 200
    assert OutboundMail.objects.count() == 3
    clock.shift(timedelta(minutes=6))
    limited = resend(client, "hanako@example.co.jp")
    assert limited.status_code == 200
    assert "新しいリンクをお送りしました" in limited.content.decode()
    assert OutboundMail.objects.count() == 3
    clock.shift(timedelta(hours=1))
    resend(client, "hanako@example.co.jp")
    assert OutboundMail.objects.count() == 4


def test_resend_form_errors_are_next_to_the_field(client):
    response = client.post(RESEND, {"email": "hanako@"})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_email_helptext id_email_error"' \
        in html
    assert "メールアドレスの形式が正しくありません（例：taro@example.co.jp）。" in html
    assert OutboundMail.objects.count() == 0
