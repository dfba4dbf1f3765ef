"""Reads of the support room's DURING-support part (activities, trips, reviews, surveys).

`review_next_due` is shared with the lifecycle's reminders.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from support.enums import CostBearer, TripStatus
from support.models import Activity, Review, SupportCase, Survey, Trip, TripCost


def review_due_on(case: SupportCase, last_review_on: date | None) -> date | None:
    """When the next periodic review (V.2) is due: the last review's date, or the period
    start when none was held yet, plus the case's review interval. None before the start."""
    start = last_review_on or case.period_start
    if start is None:
        return None
    return start + timedelta(days=case.review_interval_days)


def review_next_due(case: SupportCase) -> date | None:
    last = case.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    return review_due_on(case, last)


# -- staff and expert pages (the support side: everything, internal notes included) ---------

def case_of_application(application) -> SupportCase | None:
    return (SupportCase.objects.filter(application=application)
            .select_related("application__company", "application__call").first())


def staff_case(public_id) -> SupportCase:
    """The case of an application for the staff sub-pages (DoesNotExist → the view's 404)."""
    return (SupportCase.objects.select_related("application__company", "application__call",
                                               "application__staff_in_charge")
            .get(application__public_id=public_id))


def activities_of(case: SupportCase) -> list[Activity]:
    return list(case.activities.select_related("expert", "recorded_by").order_by("-date", "-pk"))


def trips_of(case: SupportCase) -> list[Trip]:
    """The case's trips with their costs; `needs_share` and `may_plan` set on each."""
    trips = list(case.trips.select_related("expert")
                 .prefetch_related(Prefetch("costs", TripCost.objects.order_by("pk")))
                 .order_by("sequence"))
    for trip in trips:
        earlier = [t for t in trips if t.sequence < trip.sequence
                   and t.status != TripStatus.CANCELLED]
        trip.needs_share = bool(earlier)
        trip.may_plan = trip.status == TripStatus.PROPOSED and (
            not trip.needs_share or trip.company_share_confirmed_at is not None)
        trip.awaits_company = (trip.status == TripStatus.PROPOSED and trip.needs_share
                               and trip.company_share_confirmed_at is None)
        trip.company_total = sum(c.amount_yen for c in trip.costs.all()
                                 if c.bearer == CostBearer.COMPANY)
        trip.jetro_total = sum(c.amount_yen for c in trip.costs.all()
                               if c.bearer == CostBearer.JETRO)
    return trips


def trip_of(case: SupportCase, pk: int) -> Trip:
    for trip in trips_of(case):
        if trip.pk == pk:
            return trip
    raise Trip.DoesNotExist


def reviews_of(case: SupportCase) -> list[Review]:
    return list(case.reviews.select_related("reviewer").order_by("-held_on", "-pk"))


def surveys_of(case: SupportCase) -> list[Survey]:
    return list(case.surveys.order_by("due_on", "pk"))


def overdue_surveys(today: date) -> QuerySet[Survey]:
    """Unanswered surveys past their due date, oldest first, in one query."""
    return (Survey.objects.filter(answered_at__isnull=True, due_on__lt=today)
            .select_related("case__application__company", "case__application__call",
                            "case__application__staff_in_charge")
            .order_by("due_on", "pk"))


# -- the expert portal -----------------------------------------------------------------------

def expert_current_applications(expert) -> list:
    """The applications currently assigned to the expert, each with its case (or None)."""
    from experts.selectors import current_companies_of

    applications = list(current_companies_of(expert).select_related("support_case"))
    return applications


def expert_application(expert, public_id):
    """One application currently assigned to the expert (DoesNotExist otherwise)."""
    from experts.selectors import current_companies_of

    return current_companies_of(expert).get(public_id=public_id)


# -- the company's pages: explicit columns only (no internal note, no cost lines of JETRO) ----

@dataclass(frozen=True)
class CompanyTrip:
    pk: int
    sequence: int
    destination: str
    start_on: date
    end_on: date
    purpose: str
    status_label: str
    company_share_note: str
    company_share_confirmed_at: object
    company_share_confirmed_by: str
    awaits_confirmation: bool


def company_trips(application) -> list[CompanyTrip]:
    """The company's view of its trips; `awaits_confirmation` marks the ones whose share the
    company still has to confirm (II.4(2)) — link them to `support:trip_confirm`."""
    rows = list(Trip.objects.filter(case__application=application).order_by("sequence")
                .values_list("pk", "sequence", "destination", "start_on", "end_on", "purpose",
                             "status", "company_share_note", "company_share_confirmed_at",
                             "company_share_confirmed_by"))
    labels = dict(TripStatus.choices)
    result = []
    for row in rows:
        pk, seq, dest, start, end, purpose, status, note, at, by = row
        earlier = any(r[1] < seq and r[6] != TripStatus.CANCELLED for r in rows)
        result.append(CompanyTrip(pk, seq, dest, start, end, purpose, str(labels[status]),
                                  note if earlier else "", at, by,
                                  status == TripStatus.PROPOSED and earlier and at is None
                                  and bool(note)))
    return result
