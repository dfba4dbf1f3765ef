"""Demo data of the applications room (registered in apps.py)."""

from datetime import date

from applications.models import Call


def seed_call() -> Call:
    call, _ = Call.objects.get_or_create(
        fiscal_year=2026,
        defaults={
            "title": "2026年度 専門家による海外展開支援",
            "opens_on": date(2026, 4, 1),
            "closes_on": date(2027, 1, 31),
            "planned_count": 300,
            "decisions_not_before": date(2026, 4, 6),
            "support_end_limit": date(2027, 2, 28),
        },
    )
    return call


def seed() -> list[str]:
    call = seed_call()
    return [f"募集回: {call.title}（予定件数 {call.planned_count} 件）"]
