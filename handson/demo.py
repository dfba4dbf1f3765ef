"""Demo data for `make run` and for tests that want a populated system.

Each room adds its own part with `register_seeder`; every seeder must be idempotent. A room
may also add a closing summary with `register_summary` (run after all seeders, read only).
"""

from collections.abc import Callable

from django_otp.plugins.otp_totp.models import TOTPDevice

from handson.enums import Role
from handson.models import User
from handson.roles import role_group

DEMO_PASSWORD = "handson-demo-2026"  # noqa: S105 - demo accounts only, printed by make run
# RFC 6238's published test key: demo accounts only (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"

DEMO_ACCOUNTS = [
    ("admin", "admin@example.jp", "管理者", None),
    ("staff", "staff@example.jp", "ジェトロ 職員", Role.STAFF),
    ("committee1", "committee1@example.jp", "審査委員 一郎", Role.COMMITTEE),
    ("committee2", "committee2@example.jp", "審査委員 二郎", Role.COMMITTEE),
    ("committee3", "committee3@example.jp", "審査委員 三子", Role.COMMITTEE),
    ("expert", "expert@example.jp", "専門家 花子", Role.EXPERT),
]


def seed_accounts() -> list[str]:
    lines = []
    for username, email, name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": email, "display_name": name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role is None
            user.save()
        if role is not None:
            user.groups.add(role_group(role))
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "demo", "key": DEMO_TOTP_KEY})
        lines.append(f"  {username:<11} / {DEMO_PASSWORD}  ({name})")
    return lines


SEEDERS: list[Callable[[], list[str]]] = []


def register_seeder(seeder: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Higher rooms add their demo data here (from AppConfig.ready), in app order."""
    SEEDERS.append(seeder)
    return seeder


SUMMARIES: list[Callable[[], list[str]]] = []


def register_summary(summary: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Lines printed after every seeder has run (e.g. the applications per stage)."""
    SUMMARIES.append(summary)
    return summary


def seed() -> list[str]:
    lines = ["デモ用アカウント（ユーザー名 / パスワード）:", *seed_accounts(),
             "  二段階認証: 認証アプリにキー GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ を登録するか、",
             "  `.venv/bin/python manage.py totp_code staff` で現在の確認コードを表示できます。"]
    for seeder in SEEDERS:
        lines += seeder()
    for summary in SUMMARIES:
        lines += summary()
    return lines
