"""Login for staff, committee members and experts: one answer, throttling, session limits."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from handson.enums import Role
from tests.factories import UserFactory, current_totp, verified_login

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery 1"
WRONG = "the same message for everyone."


def login(client, username, password=PASSWORD, ip="192.0.2.10"):
    return client.post(reverse("handson:login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_login_by_username_or_email_cycles_the_session(client):
    user = UserFactory(username="tanaka", email="Tanaka@Example.jp", role=Role.STAFF)
    client.get(reverse("handson:login"))
    before = client.session.session_key
    assert login(client, "tanaka").status_code == 302
    assert client.session.session_key != before
    client.post(reverse("handson:logout"))
    assert "_auth_user_id" not in client.session
    assert login(client, "tanaka@example.jp").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_same_answer_for_unknown_account_and_wrong_password(client):
    UserFactory(username="tanaka", role=Role.STAFF)
    unknown = login(client, "nobody")
    wrong = login(client, "tanaka", "wrong password")
    message = "ユーザー名（またはメールアドレス）かパスワードが正しくありません。"
    assert unknown.status_code == wrong.status_code == 200
    assert message in unknown.content.decode() and message in wrong.content.decode()


def test_throttled_per_account_and_per_ip_without_global_lockout(client, settings):
    UserFactory(username="tanaka", role=Role.STAFF)
    UserFactory(username="suzuki", role=Role.STAFF)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "tanaka", "wrong", ip="192.0.2.1")
    locked = login(client, "tanaka", ip="192.0.2.1")
    assert locked.status_code == 429
    assert "15分間ログインを受け付けません" in locked.content.decode()
    # Another account from another address is not affected (no global lock-out).
    assert login(client, "suzuki", ip="198.51.100.7").status_code == 302
    # The lock lifts by itself after the cool-off.
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(client, "tanaka", ip="192.0.2.1").status_code == 302


def test_staff_session_ends_after_30_minutes_idle(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    client.get("/")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("handson:login")
    assert "_auth_user_id" not in client.session


def test_staff_session_ends_after_12_hours_even_when_active(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    client.get("/")
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        assert client.get("/").status_code == 302


def test_applicant_session_is_not_cut_after_30_minutes(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    client.get("/")
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        assert client.get("/").status_code == 200


def test_keepalive_extends_an_idle_staff_session(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    start = timezone.now()
    client.get("/")
    with time_machine.travel(start + timedelta(minutes=25)):
        assert client.post(reverse("handson:keepalive")).status_code == 204
    with time_machine.travel(start + timedelta(minutes=50)):
        assert client.get("/").status_code == 200


def test_staff_pages_carry_the_idle_warning(client):
    verified_login(client, UserFactory(role=Role.STAFF))
    html = client.get("/").content.decode()
    assert 'data-idle-seconds="1800"' in html
    assert 'id="session-warning"' in html


def test_staff_must_set_up_a_second_factor_before_anything_else(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(username="tanaka", role=Role.STAFF)
    login(client, "tanaka")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/setup/?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/login/setup/?next=/admin/", {"token": "000000", "next": "/admin/"})
    assert "確認コードが正しくないか、有効期限が切れています。" in wrong.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False

    # django-otp throttles after a failure (1 s, doubling): the next try comes a bit later.
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        code = f"{totp(device.bin_key):06d}"
        done = client.post("/login/setup/", {"token": code, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/admin/").status_code == 302  # not an admin: the admin sends to login
    assert client.get("/").status_code == 200


def test_staff_with_a_device_enters_the_current_code(client):
    user = UserFactory(username="tanaka", role=Role.STAFF)
    verified_login(client, user)
    client.logout()
    login(client, "tanaka")
    assert client.get("/")["Location"] == "/login/verify/?next=%2F"
    refused = client.post("/login/verify/", {"token": "12345x"})
    assert "確認コードが正しくないか" in refused.content.decode()
    response = client.post("/login/verify/", {"token": current_totp(user), "next": "/"})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_verify_refuses_an_outside_next_url(client):
    user = UserFactory(username="tanaka", role=Role.STAFF)
    verified_login(client, user)
    client.logout()
    login(client, "tanaka")
    response = client.post("/login/verify/",
                           {"token": current_totp(user), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_applicants_need_no_second_factor(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    assert client.get("/").status_code == 200
