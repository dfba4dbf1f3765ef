"""Staff sub-pages of a support case: activities, trips and costs, reviews, surveys; and the
list of overdue surveys.

JETRO staff and admins only: the case pages answer 404 to everyone else (experts use their
portal), the overdue list 403 (it is a list, as the staff lists elsewhere). Each view:
permission → form → one service call → response (400 invalid input, 409 refused state).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.models import Expert
from experts.selectors import assignment_history, current_assignment
from support import selectors
from support.enums import ReviewDecision, TripStatus
from support.forms_during import (
    ActivityForm,
    ReviewForm,
    StaffTripConfirmForm,
    SurveyCreateForm,
    TripCancelForm,
    TripCostForm,
    TripProposeForm,
)
from support.models import SupportCase, Trip
from support.services import activities as activity_services
from support.services import reviews as review_services
from support.services import surveys as survey_services
from support.services import trips as trip_services
from support.services.activities import DuringError

STAFF_BASE = "screening/base_staff.html"
PERM = "support.manage_trips_costs_reviews"
OVERDUE_PAGE_SIZE = 100


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _case(request, public_id) -> SupportCase:
    if not request.user.has_perm(PERM):
        raise Http404
    try:
        return selectors.staff_case(public_id)
    except SupportCase.DoesNotExist:
        raise Http404 from None


def _context(case: SupportCase, section: str, **extra) -> dict:
    application = case.application
    return {"base_template": STAFF_BASE, "case": case, "application": application,
            "section": section,
            "case_url": (_url("support:staff_case", application.public_id)
                         or _url("support:case_detail", application.public_id)),
            "in_support": application.status == "in_support",
            "current": current_assignment(application), **extra}


def _assigned_experts(case: SupportCase):
    return Expert.objects.filter(assignments__application=case.application_id).distinct()


# -- activities --------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def activities(request, public_id):
    case = _case(request, public_id)
    current = current_assignment(case.application)
    form = ActivityForm(request.POST or None, experts=_assigned_experts(case),
                        initial={"date": timezone.localdate(),
                                 "expert": current.expert_id if current else None})
    status = 200
    if request.method == "POST":
        _done, status = form.run(lambda data: activity_services.activity_record(
            case=case, kind=data["kind"], date=data["date"],
            participants=data["participants"], summary=data["summary"],
            internal_note=data["internal_note"],
            referral_service=data["referral_service"], expert=data.get("expert"),
            actor=request.user))
        if status is None:
            messages.success(request, _("支援活動を記録しました。"))
            return redirect("support:staff_activities", public_id=public_id)
    return render(request, "support/during/staff_activities.html", _context(
        case, "activities", form=form, activities=selectors.activities_of(case)), status=status)


# -- trips and costs ---------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def trips(request, public_id):
    case = _case(request, public_id)
    form = TripProposeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        trip, status = form.run(lambda data: trip_services.trip_propose(
            case=case, actor=request.user, **data))
        if status is None:
            messages.success(request, _("%(n)s回目の海外出張同行を登録しました（調整中）。")
                             % {"n": trip.sequence})
            return redirect("support:staff_trip", public_id=public_id, pk=trip.pk)
    trip_list = selectors.trips_of(case)
    return render(request, "support/during/staff_trips.html", _context(
        case, "trips", form=form, trips=trip_list,
        next_needs_share=any(t.status != TripStatus.CANCELLED for t in trip_list)),
        status=status)


def _trip_page(request, case, pk, *, status=200, **forms):
    try:
        trip = selectors.trip_of(case, pk)
    except Trip.DoesNotExist:
        raise Http404 from None
    forms.setdefault("confirm_form", StaffTripConfirmForm())
    forms.setdefault("cost_form", TripCostForm())
    forms.setdefault("cancel_form",
                     TripCancelForm(with_costs=trip.status == TripStatus.PLANNED))
    return render(request, "support/during/staff_trip.html", _context(
        case, "trips", trip=trip, today=timezone.localdate(), **forms), status=status)


@require_GET
@login_required
def trip_detail(request, public_id, pk):
    case = _case(request, public_id)
    return _trip_page(request, case, pk)


def _trip(case, pk) -> Trip:
    try:
        return case.trips.get(pk=pk)
    except Trip.DoesNotExist:
        raise Http404 from None


def _trip_done(request, public_id, pk, message):
    messages.success(request, message)
    return redirect("support:staff_trip", public_id=public_id, pk=pk)


@require_POST
@login_required
def trip_plan(request, public_id, pk):
    case = _case(request, public_id)
    trip = _trip(case, pk)
    try:
        trip_services.trip_plan(trip=trip, actor=request.user)
    except DuringError as exc:
        messages.error(request, exc.message)
        return _trip_page(request, case, pk, status=409)
    return _trip_done(request, public_id, pk, _("出張を確定しました。"))


@require_POST
@login_required
def trip_confirm_record(request, public_id, pk):
    case = _case(request, public_id)
    trip = _trip(case, pk)
    form = StaffTripConfirmForm(request.POST)
    _done, status = form.run(lambda data: trip_services.trip_confirm_share(
        trip=trip, confirmed_by_name=data["confirmed_by_name"], channel=data["channel"],
        actor=request.user))
    if status is None:
        return _trip_done(request, public_id, pk, _("企業負担分の事前確認を記録しました。"))
    return _trip_page(request, case, pk, status=status, confirm_form=form)


@require_POST
@login_required
def trip_cost(request, public_id, pk):
    case = _case(request, public_id)
    trip = _trip(case, pk)
    form = TripCostForm(request.POST)
    _done, status = form.run(lambda data: trip_services.trip_cost_add(
        trip=trip, actor=request.user, **data))
    if status is None:
        return _trip_done(request, public_id, pk, _("費用を記録しました。"))
    return _trip_page(request, case, pk, status=status, cost_form=form)


@require_POST
@login_required
def trip_cancel(request, public_id, pk):
    case = _case(request, public_id)
    trip = _trip(case, pk)
    form = TripCancelForm(request.POST, with_costs=trip.status == TripStatus.PLANNED)
    _done, status = form.run(lambda data: trip_services.trip_cancel(
        trip=trip, cause=data["cause"], costs=form.costs(), actor=request.user))
    if status is None:
        return _trip_done(request, public_id, pk, _("出張を取り消しました。"))
    return _trip_page(request, case, pk, status=status, cancel_form=form)


@require_POST
@login_required
def trip_done(request, public_id, pk):
    case = _case(request, public_id)
    trip = _trip(case, pk)
    try:
        trip_services.trip_mark_done(trip=trip, actor=request.user)
    except DuringError as exc:
        messages.error(request, exc.message)
        return _trip_page(request, case, pk, status=409)
    return _trip_done(request, public_id, pk, _("出張を実施済みにしました。"))


# -- reviews -----------------------------------------------------------------------------

def _replacement_experts(case: SupportCase):
    current = current_assignment(case.application)
    experts = Expert.objects.filter(is_active=True).order_by("name_kana", "name", "pk")
    return experts.exclude(pk=current.expert_id) if current else experts


@require_http_methods(["GET", "POST"])
@login_required
def reviews(request, public_id):
    case = _case(request, public_id)
    form = ReviewForm(request.POST or None, experts=_replacement_experts(case),
                      initial={"held_on": timezone.localdate(),
                               "decision": ReviewDecision.CONTINUE})
    status = 200
    if request.method == "POST":
        review, status = form.run(lambda data: review_services.review_record(
            case=case, held_on=data["held_on"], findings=data["findings"],
            decision=data["decision"], new_expert=data.get("new_expert")
            if data["decision"] == ReviewDecision.CHANGE_EXPERT else None,
            actor=request.user))
        if status is None:
            messages.success(request, {
                ReviewDecision.CONTINUE: _("レビューを記録しました（支援を継続）。"),
                ReviewDecision.CHANGE_EXPERT: _("レビューを記録し、担当の専門家を交替しました。"),
                ReviewDecision.END: _("レビューを記録しました。支援の終了は案件ページの終了手続きで行ってください。"),
            }[review.decision])
            return redirect("support:staff_reviews", public_id=public_id)
    return render(request, "support/during/staff_reviews.html", _context(
        case, "reviews", form=form, reviews=selectors.reviews_of(case),
        next_due=selectors.review_next_due(case),
        history=assignment_history(case.application),
        last_decision_end=bool(case.reviews.filter(decision=ReviewDecision.END)
                               .order_by("-held_on", "-pk")[:1])),
        status=status)


# -- surveys -----------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def surveys(request, public_id):
    case = _case(request, public_id)
    form = SurveyCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _done, status = form.run(lambda data: survey_services.survey_create(
            case=case, due_on=data["due_on"], actor=request.user))
        if status is None:
            messages.success(request, _("進捗報告を依頼しました（企業にメールでお知らせしました）。"))
            return redirect("support:staff_surveys", public_id=public_id)
    return render(request, "support/during/staff_surveys.html", _context(
        case, "surveys", form=form, surveys=selectors.surveys_of(case),
        today=timezone.localdate()), status=status)


@require_GET
@login_required
def survey_detail(request, public_id, pk):
    case = _case(request, public_id)
    survey = case.surveys.filter(pk=pk).first()
    if survey is None:
        raise Http404
    rows = [(q.label, survey.answers.get(q.key), q.kind)
            for q in survey_services.questions_of(survey.kind)]
    return render(request, "support/during/staff_survey.html", _context(
        case, "surveys", survey=survey, rows=rows))


@require_GET
@login_required
def surveys_overdue(request):
    if not request.user.has_perm("support.view_overdue_surveys"):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(selectors.overdue_surveys(today), OVERDUE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = [(s, (today - s.due_on).days) for s in page.object_list]
    return render(request, "support/during/surveys_overdue.html",
                  {"base_template": STAFF_BASE, "page": page, "rows": rows, "today": today})
