"""Overseas trips and their costs (II.3, II.4): the cost-share rule, cancellations, sequence
numbers under concurrency."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection

from applications.enums import ApplicationStatus as S
from handson.models import AuditLog, OutboundMail
from support.enums import CancellationCause, CostBearer, TripStatus
from support.models import Trip, TripCost
from support.services.activities import DuringError
from support.services.trips import (
    trip_cancel,
    trip_confirm_share,
    trip_cost_add,
    trip_mark_done,
    trip_plan,
    trip_propose,
)
from tests import services as test_services
from tests.factories import UserFactory
from tests.support.factories_during import TODAY, DuringExpertFactory, in_support_case, staff_user

pytestmark = [pytest.mark.django_db]

SHARE = "航空券代の2分の1（約15万円）"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def setup():
    return in_support_case()


@pytest.fixture
def staff():
    return staff_user()


def _propose(setup, actor, *, start=date(2026, 8, 3), end=date(2026, 8, 8), note=""):
    return trip_propose(case=setup.case, destination="ロサンゼルス", country="us",
                        start_on=start, end_on=end, purpose="展示会と現地バイヤー訪問",
                        company_share_note=note, actor=actor)


def test_first_trip_is_jetros_and_plans_without_confirmation(setup):
    trip = _propose(setup, setup.expert.user)
    assert (trip.sequence, trip.status, trip.country, trip.expert) == (
        1, TripStatus.PROPOSED, "US", setup.expert)
    assert trip.company_share_note == ""
    assert not OutboundMail.objects.exists()  # nothing to confirm for a first trip

    planned = trip_plan(trip=trip, actor=setup.expert.user)

    assert planned.status == TripStatus.PLANNED
    log = AuditLog.objects.get(action="trip.planned")
    assert log.note.startswith("II.3:")
    assert log.after["company_share_required"] is False


def test_second_trip_needs_the_companys_confirmed_share_before_it_is_planned(setup, staff):
    first = _propose(setup, staff)
    trip_plan(trip=first, actor=staff)

    with pytest.raises(DuringError) as refused_note:
        _propose(setup, staff, start=date(2026, 10, 5), end=date(2026, 10, 9))
    assert "company_share_note" in refused_note.value.errors

    second = _propose(setup, staff, start=date(2026, 10, 5), end=date(2026, 10, 9), note=SHARE)
    assert (second.sequence, second.company_share_note) == (2, SHARE)
    mail = OutboundMail.objects.get(dedupe_key=f"trip:share_request:{second.pk}")
    assert mail.to == setup.application.contact_email
    assert SHARE in mail.body_text
    assert (f"/my/applications/{setup.application.public_id}/trips/{second.pk}/confirm/"
            in mail.body_text)

    with pytest.raises(DuringError) as refused:
        trip_plan(trip=second, actor=setup.expert.user)
    assert refused.value.errors == {"": (
        "2回目の海外出張同行は、企業にご負担いただく費用の一部について企業の事前確認が必要です"
        "（募集要項 II.4(2)）。企業が確認するまで確定できません。")}
    second.refresh_from_db()
    assert second.status == TripStatus.PROPOSED

    confirmed = trip_confirm_share(trip=second, confirmed_by_name="  佐藤　花子 ",
                                   actor=setup.owner)
    assert confirmed.company_share_confirmed_by == "佐藤 花子"
    assert confirmed.company_share_confirmed_at is not None

    planned = trip_plan(trip=second, actor=setup.expert.user)
    assert planned.status == TripStatus.PLANNED
    log = AuditLog.objects.filter(action="trip.planned").latest("pk")
    assert log.note.startswith("II.4(2):")
    assert log.after["company_share_required"] is True
    confirm_log = AuditLog.objects.get(action="trip.share_confirmed")
    assert confirm_log.actor == setup.owner
    assert confirm_log.after["company_share_note"] == SHARE
    assert confirm_log.after["channel"] == "web"


def test_staff_record_a_confirmation_received_by_phone(setup, staff):
    trip_plan(trip=_propose(setup, staff), actor=staff)
    second = _propose(setup, staff, note=SHARE)
    trip_confirm_share(trip=second, confirmed_by_name="佐藤 花子", channel="phone", actor=staff)
    assert AuditLog.objects.get(action="trip.share_confirmed").note == (
        "II.4(2): 企業負担分の事前確認（電話で受領）")
    assert trip_plan(trip=second, actor=staff).status == TripStatus.PLANNED


def test_only_the_owner_confirms_on_the_web_and_only_once(setup, staff):
    trip_plan(trip=_propose(setup, staff), actor=staff)
    second = _propose(setup, staff, note=SHARE)
    for outsider in (UserFactory(), setup.expert.user, staff):
        with pytest.raises(PermissionDenied):
            trip_confirm_share(trip=second, confirmed_by_name="他人", actor=outsider)
    with pytest.raises(PermissionDenied):  # the expert cannot record it for the company
        trip_confirm_share(trip=second, confirmed_by_name="佐藤", channel="email",
                           actor=setup.expert.user)
    with pytest.raises(DuringError) as no_name:
        trip_confirm_share(trip=second, confirmed_by_name="　", actor=setup.owner)
    assert no_name.value.errors == {"confirmed_by_name": "確認した方のお名前を入力してください。"}

    trip_confirm_share(trip=second, confirmed_by_name="佐藤 花子", actor=setup.owner)
    with pytest.raises(DuringError) as twice:
        trip_confirm_share(trip=second, confirmed_by_name="山田 太郎", actor=setup.owner)
    assert twice.value.errors == {"": "企業負担分はすでに確認済みです（佐藤 花子様）。"}


def test_a_first_trip_has_nothing_to_confirm(setup):
    first = _propose(setup, setup.expert.user)
    with pytest.raises(DuringError) as refused:
        trip_confirm_share(trip=first, confirmed_by_name="佐藤", actor=setup.owner)
    assert refused.value.errors == {"": "この出張には企業負担分の事前確認は必要ありません。"}


def test_a_cancelled_first_trip_does_not_count(setup, staff):
    first = _propose(setup, staff)
    trip_cancel(trip=first, cause=CancellationCause.JETRO, actor=staff)
    again = _propose(setup, staff)
    assert again.sequence == 2  # numbers are never reused
    assert again.company_share_note == ""
    assert trip_plan(trip=again, actor=staff).status == TripStatus.PLANNED


def test_dates_must_lie_within_the_period_and_in_order(setup, staff):
    with pytest.raises(DuringError) as refused:
        _propose(setup, staff, start=date(2026, 5, 1), end=date(2027, 3, 2))
    assert refused.value.errors == {
        "start_on": "支援期間（2026年5月10日〜2027年2月28日）内の日付を入力してください。",
        "end_on": "支援期間（2026年5月10日〜2027年2月28日）内の日付を入力してください。"}
    with pytest.raises(DuringError) as reversed_dates:
        _propose(setup, staff, start=date(2026, 8, 8), end=date(2026, 8, 3))
    assert reversed_dates.value.errors == {"end_on": "帰国日は出発日以降の日付を入力してください。"}
    assert not Trip.objects.exists()


def test_not_in_support_or_not_the_current_expert_is_refused(staff):
    adopted = in_support_case(status=S.ADOPTED)
    with pytest.raises(DuringError):
        _propose(adopted, staff)
    setup = in_support_case()
    with pytest.raises(PermissionDenied):
        _propose(setup, DuringExpertFactory().user)
    with pytest.raises(PermissionDenied):
        _propose(setup, setup.owner)


# -- costs and cancellations (II.4) -------------------------------------------------------

def test_company_caused_costs_are_recorded_as_the_companys(setup, staff):
    trip = trip_plan(trip=_propose(setup, staff), actor=staff)
    taxi = trip_cost_add(trip=trip, description="企業都合のタクシー代", amount_yen=8_400,
                         bearer=CostBearer.COMPANY, actor=staff)
    assert (taxi.bearer, taxi.is_cancellation, taxi.is_force_majeure) == (
        CostBearer.COMPANY, False, False)
    assert AuditLog.objects.get(action="trip.cost_added").note.startswith("II.4(2):")
    with pytest.raises(PermissionDenied):
        trip_cost_add(trip=trip, description="x", amount_yen=1, bearer=CostBearer.JETRO,
                      actor=setup.expert.user)
    with pytest.raises(DuringError) as bad:
        trip_cost_add(trip=trip, description="", amount_yen=0, bearer="someone", actor=staff)
    assert set(bad.value.errors) == {"description", "amount_yen", "bearer"}


def test_company_cancellation_after_the_trip_is_fixed_costs_are_the_companys(setup, staff):
    trip = trip_plan(trip=_propose(setup, staff), actor=staff)
    cancelled = trip_cancel(trip=trip, cause=CancellationCause.COMPANY, actor=staff, costs=[
        {"description": "航空券のキャンセル料", "amount_yen": 45_000},
        {"description": "ホテルのキャンセル料", "amount_yen": 12_000}])
    assert (cancelled.status, cancelled.cancellation_cause) == (
        TripStatus.CANCELLED, CancellationCause.COMPANY)
    assert cancelled.cancelled_at is not None
    assert list(TripCost.objects.order_by("pk").values_list(
        "description", "amount_yen", "bearer", "is_cancellation", "is_force_majeure")) == [
        ("航空券のキャンセル料", 45_000, CostBearer.COMPANY, True, False),
        ("ホテルのキャンセル料", 12_000, CostBearer.COMPANY, True, False)]
    log = AuditLog.objects.get(action="trip.cancelled")
    assert log.note == "II.4(3): 日程確定後の企業都合のキャンセル。キャンセル費用は企業負担"
    assert log.before == {"status": TripStatus.PLANNED}


def test_cancellation_before_the_trip_is_fixed_has_no_cost(setup, staff):
    trip = _propose(setup, staff)
    with pytest.raises(DuringError) as refused:
        trip_cancel(trip=trip, cause=CancellationCause.COMPANY, actor=staff,
                    costs=[{"description": "航空券", "amount_yen": 45_000}])
    assert list(refused.value.errors) == ["costs"]
    trip.refresh_from_db()
    assert trip.status == TripStatus.PROPOSED

    cancelled = trip_cancel(trip=trip, cause=CancellationCause.COMPANY, actor=staff)
    assert cancelled.status == TripStatus.CANCELLED
    assert not TripCost.objects.exists()
    assert AuditLog.objects.get(action="trip.cancelled").note == (
        "II.4(3): 日程確定前の取り消しのためキャンセル費用は発生しない")


def test_force_majeure_cancellation_is_recorded_as_such(setup, staff):
    trip = trip_plan(trip=_propose(setup, staff), actor=staff)
    trip_cancel(trip=trip, cause=CancellationCause.FORCE_MAJEURE, actor=staff,
                costs=[{"description": "入国制限による航空券の払い戻し不可分", "amount_yen": 30_000}])
    cost = TripCost.objects.get()
    assert (cost.is_cancellation, cost.is_force_majeure, cost.bearer) == (
        True, True, CostBearer.JETRO)
    log = AuditLog.objects.get(action="trip.cancelled")
    assert log.after["force_majeure"] is True
    assert log.note.startswith("II.4(5): 不可抗力による取り消し。企業に生じた費用・損害は企業の負担")


def test_a_cancelled_or_done_trip_cannot_be_cancelled(setup, staff):
    trip = trip_plan(trip=_propose(setup, staff, start=date(2026, 6, 1),
                                   end=date(2026, 6, 5)), actor=staff)
    trip_mark_done(trip=trip, actor=setup.expert.user)
    with pytest.raises(DuringError):
        trip_cancel(trip=trip, cause=CancellationCause.COMPANY, actor=staff)


def test_a_trip_is_done_only_after_its_return(setup, staff):
    trip = trip_plan(trip=_propose(setup, staff), actor=staff)
    with pytest.raises(DuringError) as early:
        trip_mark_done(trip=trip, actor=staff)
    assert early.value.errors == {"": "帰国日（2026年8月8日）の後に実施済みにしてください。"}
    with time_machine.travel(date(2026, 8, 9), tick=False):
        assert trip_mark_done(trip=trip, actor=staff).status == TripStatus.DONE


def test_the_expert_who_was_replaced_can_no_longer_plan(setup, staff):
    from django.utils import timezone

    trip = _propose(setup, setup.expert.user)
    setup.application.expert_assignments.update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        trip_plan(trip=trip, actor=setup.expert.user)


# -- concurrency ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_proposals_get_distinct_sequence_numbers():
    test_services.require_postgres()
    setup = in_support_case()
    staff = staff_user()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def propose(n):
        try:
            barrier.wait()
            trip = trip_propose(case=setup.case, destination=f"都市{n}",
                                start_on=date(2026, 8, 3), end_on=date(2026, 8, 8),
                                company_share_note=SHARE, actor=staff)
            results.append(trip.sequence)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=propose, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
    assert sorted(Trip.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    # exactly one of them is the first trip (JETRO's): the others carry the company's share
    assert Trip.objects.filter(company_share_note="").count() == 1
    assert OutboundMail.objects.count() == 5
