"""Overseas trips the expert accompanies, and their costs (II.3, II.4).

The cost-share rule:
- The FIRST accompanied trip is at JETRO's cost (II.3: 専門家の国内外出張旅費) and can be
  planned (fixed) at once.
- The 2nd and later trips carry a part of the expert's travel cost for the company
  (II.4(2): 受益者負担として2回目以降の…一部, 事前確認を実施): they stay `proposed` until
  the company has confirmed its share in advance — on its own page, or staff record a
  confirmation received by e-mail or phone. `trip_plan` refuses before that.
- "First" counts the trips that were not cancelled: a trip cancelled before it took place
  was not an accompanied trip, so the next one is still the first at JETRO's cost.
  Sequence numbers are never reused (cancelled trips keep theirs).

Costs (II.4): company-caused costs on the trip (taxis, fair tickets) are recorded as the
company's. A cancellation:
- before the trip is fixed (`proposed`): no cancellation cost at all;
- after it is fixed (`planned`), by the company: the cancellation costs are the company's
  (II.4(3));
- by force majeure (II.4(5)): recorded as such (`is_force_majeure`); the company bears its
  own costs and damages, JETRO does not compensate them; the expert's travel costs stay
  JETRO's (II.4(6): 専門家の…出張旅費は、ジェトロが専門家に対し直接費用負担), so the rows
  recorded here are JETRO's;
- for JETRO's or the expert's reasons: JETRO's.
There are no rule IDs for costs in rules.md: the audit `note` names the guideline section.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus as S
from applications.models import Application
from experts.models import Expert
from handson.audit import audit_record
from handson.outbox import mail_queue
from support.enums import CancellationCause, CostBearer, TripStatus
from support.models import SupportCase, Trip, TripCost
from support.services.activities import (
    DuringError,
    current_expert_of,
    is_staff,
    locked_case,
    period_error,
    require_in_support,
    require_staff,
    support_side_expert,
)

NOTE_FIRST_TRIP = "II.3: 1回目の海外出張同行はジェトロの負担（企業の事前確認は不要）"
NOTE_SHARE = "II.4(2): 2回目以降の海外出張同行は費用の一部が企業負担（事前確認済み）"
NOTE_COMPANY_CAUSED = "II.4(2): 企業都合の費用（タクシー・展示会入場料等）は企業負担"
NOTE_CANCEL_UNFIXED = "II.4(3): 日程確定前の取り消しのためキャンセル費用は発生しない"
NOTE_CANCEL_COMPANY = "II.4(3): 日程確定後の企業都合のキャンセル。キャンセル費用は企業負担"
NOTE_CANCEL_FORCE = ("II.4(5): 不可抗力による取り消し。企業に生じた費用・損害は企業の負担"
                     "（ジェトロは補填しない）。専門家の旅費のキャンセル料はII.4(6)によりジェトロ負担")
NOTE_CANCEL_JETRO = "ジェトロ・専門家の都合による取り消し。キャンセル費用はジェトロ負担"
MAX_AMOUNT_YEN = 100_000_000
SEQUENCE_RETRIES = 3


@dataclass(frozen=True)
class CancellationCostInput:
    description: str
    amount_yen: int


def needs_company_share(trip: Trip) -> bool:
    """II.4(2): a trip after an earlier (not cancelled) trip of the same case."""
    return (Trip.objects.filter(case_id=trip.case_id, sequence__lt=trip.sequence)
            .exclude(status=TripStatus.CANCELLED).exists())


def share_confirmed(trip: Trip) -> bool:
    return trip.company_share_confirmed_at is not None


def _locked_trip(trip: Trip) -> Trip:
    Application.objects.select_for_update().get(pk=trip.case.application_id)
    return (Trip.objects.select_for_update(of=("self",))
            .select_related("case__application__company", "expert").get(pk=trip.pk))


def _trip_after(trip: Trip) -> dict:
    return {"case": trip.case_id, "sequence": trip.sequence, "destination": trip.destination,
            "country": trip.country, "start_on": trip.start_on.isoformat(),
            "end_on": trip.end_on.isoformat(), "status": trip.status,
            "expert": trip.expert_id, "company_share_note": trip.company_share_note}


def _yen(amount) -> str:
    return f"{amount:,}円"


def _confirm_url(trip: Trip) -> str:
    from django.conf import settings

    try:
        return settings.SITE_URL + reverse(
            "support:trip_confirm", args=[trip.case.application.public_id, trip.pk])
    except NoReverseMatch:
        return ""


def _dates_errors(case: SupportCase, start_on: date | None, end_on: date | None) -> dict:
    errors = {}
    start_error = period_error(case, start_on)
    if start_error:
        errors["start_on"] = start_error
    end_error = period_error(case, end_on)
    if end_error:
        errors["end_on"] = end_error
    if not errors and end_on < start_on:
        errors["end_on"] = _("帰国日は出発日以降の日付を入力してください。")
    return errors


def trip_propose(*, case: SupportCase, destination: str, start_on: date, end_on: date,
                 actor, country: str = "", purpose: str = "", company_share_note: str = "",
                 expert: Expert | None = None) -> Trip:
    """Propose an accompanied trip with the case's next sequence number.

    The number is taken under the case's row lock (two concurrent proposals wait for each
    other), and the unique constraint (case, sequence) backs it. A 2nd or later trip must say
    what the company's share is (`company_share_note`): the company confirms exactly that;
    the company is asked by mail.
    """
    destination = (destination or "").strip()
    country = (country or "").strip().upper()
    purpose = (purpose or "").strip()
    company_share_note = (company_share_note or "").strip()
    for attempt in range(SEQUENCE_RETRIES):
        try:
            with transaction.atomic():
                trip = _propose_locked(case=case, destination=destination, country=country,
                                       start_on=start_on, end_on=end_on, purpose=purpose,
                                       company_share_note=company_share_note, expert=expert,
                                       actor=actor)
        except IntegrityError:  # pragma: no cover - the lock makes this unreachable
            if attempt == SEQUENCE_RETRIES - 1:
                raise
            continue
        return trip
    raise AssertionError("unreachable")  # pragma: no cover


def _propose_locked(*, case, destination, country, start_on, end_on, purpose,
                    company_share_note, expert, actor) -> Trip:
    locked = locked_case(case)
    application = locked.application
    actor_expert = support_side_expert(actor, application)
    require_in_support(locked)
    errors = _dates_errors(locked, start_on, end_on)
    if not destination:
        errors["destination"] = _("行き先を入力してください。")
    if country and (len(country) != 2 or not country.isalpha()):
        errors["country"] = _("国・地域は2文字のISOコード（例：US）で入力してください。")
    earlier = locked.trips.exclude(status=TripStatus.CANCELLED).exists()
    if earlier and not company_share_note:
        errors["company_share_note"] = _(
            "2回目以降の海外出張同行では、企業にご負担いただく費用の一部（内容・金額の目安）を入力してください（II.4(2)）。")
    if errors:
        raise DuringError(errors)
    if actor_expert is not None:
        expert = actor_expert
    elif expert is None:
        expert = current_expert_of(application)
    sequence = (locked.trips.aggregate(top=Max("sequence"))["top"] or 0) + 1
    trip = Trip.objects.create(
        case=locked, expert=expert, sequence=sequence, destination=destination,
        country=country, start_on=start_on, end_on=end_on, purpose=purpose,
        company_share_note=company_share_note if earlier else "")
    audit_record(actor=actor, action="trip.proposed", obj=trip, after=_trip_after(trip),
                 note=NOTE_SHARE.replace("（事前確認済み）", "（事前確認を依頼）") if earlier
                 else NOTE_FIRST_TRIP)
    if earlier:
        mail_queue(to=application.contact_email, template="support_during_trip_share_request",
                   context={"company_name": application.company.name,
                            "contact_name": application.contact_name,
                            "sequence": trip.sequence, "destination": trip.destination,
                            "start_on": _ja(trip.start_on), "end_on": _ja(trip.end_on),
                            "company_share_note": trip.company_share_note,
                            "confirm_url": _confirm_url(trip)},
                   dedupe_key=f"trip:share_request:{trip.pk}", related=application)
    return trip


def _ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def trip_plan(*, trip: Trip, actor) -> Trip:
    """Fix the trip (`planned`). The 2nd and later trips need the company's confirmed share
    first (II.4(2)); the first is JETRO's cost and is fixed at once (II.3)."""
    with transaction.atomic():
        locked = _locked_trip(trip)
        support_side_expert(actor, locked.case.application)
        require_in_support(locked.case)
        if locked.status != TripStatus.PROPOSED:
            raise DuringError({"": _("調整中の出張だけを確定できます（現在：%(status)s）。")
                                   % {"status": locked.get_status_display()}})
        needs_share = needs_company_share(locked)
        if needs_share and not share_confirmed(locked):
            raise DuringError({"": _(
                "%(n)s回目の海外出張同行は、企業にご負担いただく費用の一部について企業の事前確認が必要です"
                "（募集要項 II.4(2)）。企業が確認するまで確定できません。") % {"n": locked.sequence}})
        if needs_share and not locked.company_share_note:
            raise DuringError({"": _("企業負担分の内容が記録されていないため確定できません。")})
        locked.status = TripStatus.PLANNED
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="trip.planned", obj=locked,
                     before={"status": TripStatus.PROPOSED},
                     after={"status": TripStatus.PLANNED, "company_share_required": needs_share,
                            "company_share_confirmed_at":
                                locked.company_share_confirmed_at.isoformat()
                                if locked.company_share_confirmed_at else None},
                     note=NOTE_SHARE if needs_share else NOTE_FIRST_TRIP)
    return locked


CONFIRM_CHANNELS = {"web": "企業のページで確認", "email": "メールで受領", "phone": "電話で受領"}


def trip_confirm_share(*, trip: Trip, confirmed_by_name: str, actor,
                       channel: str = "web") -> Trip:
    """The company's advance confirmation of its share of a 2nd or later trip (II.4(2)).

    The owner applicant confirms on the company's page (`channel` "web"); JETRO staff record
    a confirmation received by e-mail or phone (`channel` "email" / "phone"). Only while the
    trip is being arranged (`proposed`), once.
    """
    confirmed_by_name = " ".join((confirmed_by_name or "").split())
    with transaction.atomic():
        locked = _locked_trip(trip)
        application = locked.case.application
        if channel == "web":
            if not (getattr(actor, "is_authenticated", False)
                    and application.applicant_id == actor.pk):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied("the owner applicant confirms on the company's page")
        else:
            require_staff(actor)
            if channel not in CONFIRM_CHANNELS:
                raise DuringError({"channel": _("確認の方法を選んでください。")})
        if application.status != S.IN_SUPPORT:
            raise DuringError({"": _("支援中の案件ではないため確認できません。")})
        if locked.status != TripStatus.PROPOSED:
            raise DuringError({"": _("この出張は調整中ではないため確認できません（現在：%(status)s）。")
                                   % {"status": locked.get_status_display()}})
        if not needs_company_share(locked) or not locked.company_share_note:
            raise DuringError({"": _("この出張には企業負担分の事前確認は必要ありません。")})
        if share_confirmed(locked):
            raise DuringError({"": _("企業負担分はすでに確認済みです（%(name)s様）。")
                                   % {"name": locked.company_share_confirmed_by}})
        if not confirmed_by_name:
            raise DuringError({"confirmed_by_name": _("確認した方のお名前を入力してください。")})
        if len(confirmed_by_name) > 100:
            raise DuringError({"confirmed_by_name": _("お名前は100文字以内で入力してください。")})
        locked.company_share_confirmed_at = timezone.now()
        locked.company_share_confirmed_by = confirmed_by_name
        locked.save(update_fields=["company_share_confirmed_at", "company_share_confirmed_by"])
        audit_record(actor=actor, action="trip.share_confirmed", obj=locked,
                     after={"company_share_note": locked.company_share_note,
                            "confirmed_by": confirmed_by_name, "channel": channel,
                            "confirmed_at": locked.company_share_confirmed_at.isoformat()},
                     note=f"II.4(2): 企業負担分の事前確認（{CONFIRM_CHANNELS[channel]}）")
    return locked


def _amount_error(amount) -> str:
    if amount is None or isinstance(amount, bool) or not isinstance(amount, int):
        return _("金額を円単位の整数で入力してください。")
    if amount < 1 or amount > MAX_AMOUNT_YEN:
        return _("金額は1円以上%(max)s以下で入力してください。") % {"max": _yen(MAX_AMOUNT_YEN)}
    return ""


def trip_cost_add(*, trip: Trip, description: str, amount_yen: int, bearer: str,
                  actor) -> TripCost:
    """An ordinary cost of a fixed or finished trip (staff). Company-caused costs (taxis,
    fair tickets: II.4(2)) and the company's share of a 2nd+ trip are `company`; the rest of
    the expert's travel is `jetro` (II.3). Cancellation costs come with `trip_cancel`."""
    require_staff(actor)
    description = (description or "").strip()
    with transaction.atomic():
        locked = _locked_trip(trip)
        errors = {}
        if locked.status not in (TripStatus.PLANNED, TripStatus.DONE):
            errors[""] = _("確定済み又は実施済みの出張にだけ費用を記録できます。")
        if not description:
            errors["description"] = _("内容を入力してください。")
        amount_error = _amount_error(amount_yen)
        if amount_error:
            errors["amount_yen"] = amount_error
        if bearer not in CostBearer.values:
            errors["bearer"] = _("負担者を選んでください。")
        if errors:
            raise DuringError(errors)
        cost = TripCost.objects.create(trip=locked, description=description,
                                       amount_yen=amount_yen, bearer=bearer)
        audit_record(actor=actor, action="trip.cost_added", obj=locked,
                     after={"cost": cost.pk, "description": description,
                            "amount_yen": amount_yen, "bearer": bearer},
                     note=NOTE_COMPANY_CAUSED if bearer == CostBearer.COMPANY
                     else "II.3: 専門家の出張旅費はジェトロ負担")
    return cost


def cancellation_outcome(status: str, cause: str) -> tuple[str | None, bool, str]:
    """(bearer of the cancellation costs or None when none may arise, force majeure?, note)."""
    if status != TripStatus.PLANNED:
        return None, cause == CancellationCause.FORCE_MAJEURE, NOTE_CANCEL_UNFIXED
    if cause == CancellationCause.COMPANY:
        return CostBearer.COMPANY, False, NOTE_CANCEL_COMPANY
    if cause == CancellationCause.FORCE_MAJEURE:
        return CostBearer.JETRO, True, NOTE_CANCEL_FORCE
    return CostBearer.JETRO, False, NOTE_CANCEL_JETRO


def trip_cancel(*, trip: Trip, cause: str, actor,
                costs: list[CancellationCostInput] | list[dict] = ()) -> Trip:
    """Cancel a proposed or fixed trip (staff) and record its cancellation costs.

    Who bears them follows from the state and the cause (`cancellation_outcome`), never from
    the input: after the trip was fixed, the company's cancellation → the company's
    (II.4(3)); force majeure → recorded as such (II.4(5)); before it was fixed → no
    cancellation cost may be recorded.
    """
    require_staff(actor)
    items = [c if isinstance(c, CancellationCostInput) else CancellationCostInput(
        (c.get("description") or "").strip(), c.get("amount_yen")) for c in costs]
    with transaction.atomic():
        locked = _locked_trip(trip)
        if locked.status not in (TripStatus.PROPOSED, TripStatus.PLANNED):
            raise DuringError({"": _("この出張は取り消せません（現在：%(status)s）。")
                                   % {"status": locked.get_status_display()}})
        if cause not in CancellationCause.values:
            raise DuringError({"cause": _("取り消しの原因を選んでください。")})
        bearer, force_majeure, note = cancellation_outcome(locked.status, cause)
        if items and bearer is None:
            raise DuringError({"costs": _(
                "日程の確定前に取り消す出張にはキャンセル費用は発生しません（II.4(3)は確定後のキャンセルが対象です）。")})
        errors = {}
        for item in items:
            if not item.description:
                errors["costs"] = _("キャンセル費用の内容を入力してください。")
            elif _amount_error(item.amount_yen):
                errors["costs"] = _amount_error(item.amount_yen)
        if errors:
            raise DuringError(errors)
        before_status = locked.status
        locked.status = TripStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancellation_cause = cause
        locked.save(update_fields=["status", "cancelled_at", "cancellation_cause"])
        rows = [TripCost.objects.create(trip=locked, description=item.description,
                                        amount_yen=item.amount_yen, bearer=bearer,
                                        is_cancellation=True, is_force_majeure=force_majeure)
                for item in items]
        audit_record(actor=actor, action="trip.cancelled", obj=locked,
                     before={"status": before_status},
                     after={"status": TripStatus.CANCELLED, "cause": cause,
                            "force_majeure": force_majeure,
                            "costs": [{"description": r.description,
                                       "amount_yen": r.amount_yen, "bearer": r.bearer}
                                      for r in rows]},
                     note=note)
    return locked


def trip_mark_done(*, trip: Trip, actor) -> Trip:
    """A fixed trip took place (staff or the current expert), on or after its return day."""
    with transaction.atomic():
        locked = _locked_trip(trip)
        support_side_expert(actor, locked.case.application)
        if locked.status != TripStatus.PLANNED:
            raise DuringError({"": _("確定済みの出張だけを実施済みにできます（現在：%(status)s）。")
                                   % {"status": locked.get_status_display()}})
        if locked.end_on > timezone.localdate():
            raise DuringError({"": _("帰国日（%(day)s）の後に実施済みにしてください。")
                                   % {"day": _ja(locked.end_on)}})
        locked.status = TripStatus.DONE
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="trip.done", obj=locked,
                     before={"status": TripStatus.PLANNED}, after={"status": TripStatus.DONE})
    return locked


def may_plan(trip: Trip) -> bool:
    return trip.status == TripStatus.PROPOSED and (
        share_confirmed(trip) or not needs_company_share(trip))


__all__ = ["CancellationCostInput", "DuringError", "cancellation_outcome", "is_staff",
           "may_plan", "needs_company_share", "share_confirmed", "trip_cancel",
           "trip_confirm_share", "trip_cost_add", "trip_mark_done", "trip_plan",
           "trip_propose"]
