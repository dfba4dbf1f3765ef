"""Login for staff, committee members and experts: one answer, throttling, session limits."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from handson.enums import Role
from tests.factories import UserFactory

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
    client.force_login(UserFactory(role=Role.STAFF))
    client.get("/")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("handson:login")
    assert "_auth_user_id" not in client.session


def test_staff_session_ends_after_12_hours_even_when_active(client):
    client.force_login(UserFactory(role=Role.STAFF))
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
    client.force_login(UserFactory(role=Role.STAFF))
    start = timezone.now()
    client.get("/")
    with time_machine.travel(start + timedelta(minutes=25)):
        assert client.post(reverse("handson:keepalive")).status_code == 204
    with time_machine.travel(start + timedelta(minutes=50)):
        assert client.get("/").status_code == 200


def test_staff_pages_carry_the_idle_warning(client):
    client.force_login(UserFactory(role=Role.STAFF))
    html = client.get("/").content.decode()
    assert 'data-idle-seconds="1800"' in html
    assert 'id="session-warning"' in html
