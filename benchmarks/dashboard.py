"""The staff application list with 10,000 applications against Django admin's changelist.

Two calls are seeded once in the bench database and reused by later runs: one with 10,000
applications, one with 1,000 (bulk_create: companies, applicant accounts, applications in
a mix of statuses, receipt dates, staff in charge and eligibility outcomes). The same
realistic question is asked of both pages, in process through the full middleware stack,
as a staff member (and, for the admin, a superuser) who has passed the second factor:

    /staff/applications/?call=<id>&status=received&page=2
    /admin/applications/application/?call__id__exact=<id>&status__exact=received&p=2

Both show 50 rows a page (the admin's list_per_page, 100, is set to the list's 50 while
the case runs, so both pages render the same rows' worth of work).

`dashboard.list`: the list's time on the 10,000 call, at most 1.0x the admin's.
`dashboard.queries`: the list's query count on the 10,000 call beside the 1,000 call's
(constant in N: ratio 1.00x); the admin's counts are in the notes.
"""

import atexit
from contextlib import contextmanager
from datetime import timedelta

from benchmarks import _support, harness

SIZES = {1_000: 2024, 10_000: 2025}  # applications → the fiscal year of their call
N = 10_000
PAGE = 2
PAGE_SIZE = 50  # screening.views.dashboard.PAGE_SIZE; the admin is set to the same

STATUS_MIX = [  # a third received, the rest spread over the pipeline
    "received", "received", "received", "received", "awaiting_documents",
    "awaiting_documents", "document_screening", "document_screening", "interview_scheduled",
    "rejected", "adopted", "withdrawn",
]
NOT_RECEIVED = {"registering", "awaiting_documents"}
OUTCOMES = ["eligible", "eligible", "review", "ineligible", ""]
COUNTRIES = [["US"], ["VN", "TH"], ["CN", "TW", "US"], ["DE"], ["SG", "MY"]]


def _seed_call(count: int, fiscal_year: int, staff: list):
    """A closed call with exactly `count` applications (reused when it already has them)."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from applications.enums import ProjectType
    from applications.models import Application, Company

    today = timezone.localdate()
    call = _support.open_call(
        fiscal_year, title=f"{fiscal_year}年度 専門家による海外展開支援（ベンチマーク {count:,}件）",
        opens_on=today - timedelta(days=400), closes_on=today - timedelta(days=200),
        planned_count=count, intake_closed=True)
    if Application.objects.filter(call=call).count() == count:
        return call
    with transaction.atomic():
        Application.objects.filter(call=call).delete()
        Company.objects.filter(applications__isnull=True,
                               name__startswith="株式会社ベンチ精機").delete()
        users = _support.applicant_users(f"bench-dash{count}", count)
        base = count  # company numbers of this call: count … 2*count-1, unique across calls
        companies = Company.objects.bulk_create(
            [Company(**_support.company_fields(base + n)) for n in range(count)],
            batch_size=500)
        now = timezone.now()
        rows = []
        for n, (user, company) in enumerate(zip(users, companies, strict=True)):
            status = STATUS_MIX[n % len(STATUS_MIX)]
            rows.append(Application(
                call=call, company=company, applicant=user, status=status,
                received_at=None if status in NOT_RECEIVED else now - timedelta(
                    days=n % 120, minutes=n),
                staff_in_charge=staff[n % len(staff)] if n % 3 else None,
                contact_name="佐藤 花子", contact_email=f"{user.username}@example.jp",
                contact_phone="03-3582-8333",
                project_type=ProjectType.EXPORT if n % 4 else ProjectType.OVERSEAS_BASE,
                target_countries=COUNTRIES[n % len(COUNTRIES)], product_name="精密加工部品",
                eligibility_outcome=OUTCOMES[n % len(OUTCOMES)],
            ))
        Application.objects.bulk_create(rows, batch_size=500)
        Application.objects.filter(call=call, received_at__isnull=False).update(
            status_changed_at=F("received_at"))
    return call


_seeded: dict | None = None


def _setup() -> dict:
    """Seed (once per run) and log in; returns the clients and the calls."""
    global _seeded
    if _seeded is not None:
        return _seeded
    _support.require_bench_database()
    staff = [_support.staff_user(f"bench-staff-{n}") for n in range(3)]
    admin = _support.staff_user("bench-admin", superuser=True)
    calls = {count: _seed_call(count, year, staff) for count, year in SIZES.items()}
    _seeded = {"staff": _support.verified_client(staff[0]),
               "admin": _support.verified_client(admin), "calls": calls}
    atexit.register(_support.delete_sessions,
                    [_seeded[who].session.session_key for who in ("staff", "admin")])
    return _seeded


def staff_url(call) -> str:
    return f"/staff/applications/?call={call.pk}&status=received&page={PAGE}"


def admin_url(call) -> str:
    return (f"/admin/applications/application/?call__id__exact={call.pk}"
            f"&status__exact=received&p={PAGE}")


def _get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise harness.Unavailable(f"GET {url} answered {response.status_code}"
                                  f"{' → ' + response['Location'] if response.has_header('Location') else ''}")


def _rows(client, url: str, marker: bytes) -> int:
    response = client.get(url)
    return response.content.count(marker)


@contextmanager
def _admin_page_size(size: int):
    """The admin shows 100 rows a page, the list 50: compare the same number of rows."""
    from django.contrib import admin

    from applications.models import Application

    model_admin = admin.site._registry.get(Application)
    if model_admin is None:
        raise harness.Unavailable("Application is not registered in the admin")
    before = model_admin.list_per_page
    model_admin.list_per_page = size
    try:
        yield
    finally:
        model_admin.list_per_page = before


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _get(client, url)  # warm: the same session state as the timed requests
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


@harness.case("dashboard.list", "staff application list, 10,000 applications, filtered "
              "(call, 受付済み) page 2, vs the Django admin changelist on the same data")
def list_time(repeat: int) -> harness.Result:
    seeded = _setup()
    staff, admin, call = seeded["staff"], seeded["admin"], seeded["calls"][N]
    ours, theirs = staff_url(call), admin_url(call)
    with _admin_page_size(PAGE_SIZE):
        _get(staff, ours)
        _get(admin, theirs)
        rows = (_rows(staff, ours, b"<tr data-id="),
                _rows(admin, theirs, b'name="_selected_action"'))
        target, floor = harness.paired_samples(
            lambda: _get(staff, ours), lambda: _get(admin, theirs), repeat=repeat)
    return harness.Result(
        figure=harness.median(target), floor=harness.median(floor),
        budget=harness.Budget(max_ratio=1.0),
        notes=[f"median of {repeat}; p95 {harness.fmt(harness.p95(target), 's')} vs "
               f"{harness.fmt(harness.p95(floor), 's')}; {rows[0]} vs {rows[1]} rows on the page; "
               f"{_support.database_label()}",
               f"{ours} vs {theirs}"],
    )


@harness.case("dashboard.queries", "queries of the staff list with 10,000 applications vs "
              "with 1,000 (constant in N), the admin changelist's beside them")
def list_queries(repeat: int) -> harness.Result:
    seeded = _setup()
    staff, admin, calls = seeded["staff"], seeded["admin"], seeded["calls"]
    ours = {count: _queries(staff, staff_url(call)) for count, call in calls.items()}
    theirs = {count: _queries(admin, admin_url(call)) for count, call in calls.items()}
    return harness.Result(
        figure=ours[N], floor=ours[1_000], unit="queries",
        budget=harness.Budget(max_ratio=1.0),
        notes=[f"staff list: {ours[1_000]} queries with 1,000 applications, {ours[N]} with "
               f"{N:,}; admin changelist: {theirs[1_000]} and {theirs[N]} "
               f"(sessions, user, second factor included)"],
    )
