"""What several cases need: the bench database, its seed data, logged-in sessions.

Everything here writes to the bench database only (benchmarks/settings.py, the default of
`python -m benchmarks`); a case that seeds data raises `Unavailable` under other settings.
"""

from datetime import timedelta
from importlib import import_module

from benchmarks import harness

APPLICANT_BACKEND = "handson.auth.EmailOrUsernameBackend"
FORMS_FISCAL_YEAR = 2026  # the open call of the applicant pages (call_current picks it)

_migrated = False


def require_bench_database() -> None:
    """Refuse to seed anything unless the settings are the bench's own (its own database)."""
    from django.conf import settings

    if getattr(settings, "BENCH_DIR", None) is None:
        raise harness.Unavailable(
            f"seeds a database: run with DJANGO_SETTINGS_MODULE=benchmarks.settings (the "
            f"default of python -m benchmarks), not {settings.SETTINGS_MODULE}")
    prepare_database()


def prepare_database() -> None:
    """Bring the bench database up to date (once per run); other settings: nothing."""
    from django.conf import settings

    global _migrated
    if not _migrated and getattr(settings, "BENCH_DIR", None) is not None:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        _migrated = True


def database_label() -> str:
    from django.conf import settings
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    return f"{connection.vendor} {name.replace(str(settings.BASE_DIR) + '/', '')}"


def open_call(fiscal_year: int = FORMS_FISCAL_YEAR, **fields):
    """A call whose intake is open today (and stays open: a cap nobody reaches)."""
    from django.utils import timezone

    from applications.models import Call

    today = timezone.localdate()
    defaults = {
        "title": f"{fiscal_year}年度 専門家による海外展開支援（ベンチマーク）",
        "opens_on": today - timedelta(days=30), "closes_on": today + timedelta(days=90),
        "planned_count": 1_000_000, "decisions_not_before": today,
        "support_end_limit": today + timedelta(days=365), "intake_closed": False,
        **fields,
    }
    call, _created = Call.objects.update_or_create(fiscal_year=fiscal_year, defaults=defaults)
    return call


def company_fields(n: int) -> dict:
    from applications.enums import Industry, LegalForm

    prefectures = ["13", "27", "23", "14", "40", "01", "26", "28"]
    return {
        "name": f"株式会社ベンチ精機{n:05d}", "name_kana": f"カブシキガイシャベンチセイキ{n:05d}",
        "corporate_number": f"{(7_000_000_000_000 + n) % 10**13:013d}",
        "legal_form": LegalForm.COMPANY, "postal_code": "1076006",
        "prefecture": prefectures[n % len(prefectures)], "address": "港区赤坂1-12-32",
        "representative": "山田 太郎", "industry": Industry.MANUFACTURING_OTHER,
        "capital_yen": 10_000_000 + n, "regular_employees": 5 + n % 200,
    }


def applicant_users(prefix: str, count: int):
    """`count` applicant accounts named `{prefix}-{n:05d}` (created once, reused)."""
    from django.contrib.auth.hashers import make_password

    from handson.enums import Role
    from handson.models import User
    from handson.roles import role_group

    names = [f"{prefix}-{n:05d}" for n in range(count)]
    mine = User.objects.filter(username__startswith=f"{prefix}-")
    existing = set(mine.values_list("username", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=name, email="", display_name=f"担当 {name[-5:]}", password=unusable)
         for name in names if name not in existing], batch_size=500)
    users = {u.username: u for u in mine}
    group = role_group(Role.APPLICANT)
    through = User.groups.through
    have = set(through.objects.filter(group=group, user__username__startswith=f"{prefix}-")
               .values_list("user_id", flat=True))
    through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk)
                                 for u in users.values() if u.pk not in have], batch_size=500)
    return [users[name] for name in names]


def staff_user(username: str, *, superuser: bool = False):
    """A staff member (or admin) with a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from handson.enums import Role
    from handson.models import User
    from handson.roles import role_group

    user, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": username, "is_staff": superuser,
                                     "is_superuser": superuser})
    if not superuser:
        user.groups.add(role_group(Role.STAFF))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def verified_client(user):
    """A django.test.Client logged in as `user` with the second factor passed
    (what tests/factories.verified_login does)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend=APPLICANT_BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(
        user=user, confirmed=True).persistent_id
    session.save()
    return client


def login_session(user) -> str:
    """A session key that carries `user` logged in, as django.contrib.auth.login stores it
    (applicants arrive by a signed link, not a password)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = APPLICANT_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def delete_sessions(keys) -> None:
    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    for key in keys:
        engine.SessionStore(session_key=key).delete()
