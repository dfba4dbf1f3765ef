"""The expert portal (/expert/): the companies currently assigned to the expert, each
company's case, and forms to record an activity and to propose / fix a trip.

Only a user in the expert group with a linked registry entry (`user.expert_profile`) gets
in; anyone else gets a 404 (as the expert's profile page). A company is shown only while the
expert's assignment to it is current: after a replacement or the end, its pages are a 404.
The expert sees every activity of the case, internal notes included (the support side, as
JETRO), and the trips with their cost-share state, but not the cost lines (JETRO's books).
The second factor is enforced for experts by handson's middleware.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.enums import ApplicationStatus as S
from applications.models import Application
from experts.models import Expert
from support import selectors
from support.enums import TripStatus
from support.forms_during import ActivityForm, TripProposeForm
from support.models import Trip
from support.services import activities as activity_services
from support.services import trips as trip_services
from support.services.activities import DuringError


def _expert(request) -> Expert:
    expert = Expert.objects.filter(user=request.user).first()
    # Ownership is checked here as well: a superuser passes every has_perm.
    if expert is None or not request.user.has_perm("support.use_expert_portal"):
        raise Http404
    return expert


def _application(request, public_id) -> tuple[Expert, Application]:
    expert = _expert(request)
    try:
        application = selectors.expert_application(expert, public_id)
    except Application.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("support.view_support_side", application):
        raise Http404
    return expert, application


def _case_or_404(application):
    case = selectors.case_of_application(application)
    if case is None:
        raise Http404
    return case


@require_GET
@login_required
def home(request):
    expert = _expert(request)
    return render(request, "support/during/portal_home.html", {
        "expert": expert, "applications": selectors.expert_current_applications(expert),
        "today": timezone.localdate()})


def _case_page(request, expert, application, status=200):
    case = selectors.case_of_application(application)
    return render(request, "support/during/portal_case.html", {
        "expert": expert, "application": application, "case": case,
        "in_support": application.status == S.IN_SUPPORT,
        "activities": selectors.activities_of(case) if case else [],
        "trips": selectors.trips_of(case) if case else []}, status=status)


@require_GET
@login_required
def case(request, public_id):
    expert, application = _application(request, public_id)
    return _case_page(request, expert, application)


def _form_page(request, template, application, case, form, status):
    return render(request, template, {"application": application, "case": case, "form": form},
                  status=status)


@require_http_methods(["GET", "POST"])
@login_required
def activity_new(request, public_id):
    expert, application = _application(request, public_id)
    case = _case_or_404(application)
    form = ActivityForm(request.POST or None, initial={"date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        _done, status = form.run(lambda data: activity_services.activity_record(
            case=case, kind=data["kind"], date=data["date"],
            participants=data["participants"], summary=data["summary"],
            internal_note=data["internal_note"], referral_service=data["referral_service"],
            expert=expert, actor=request.user))
        if status is None:
            messages.success(request, _("支援活動を記録しました。"))
            return redirect("support:expert_case", public_id=public_id)
    return _form_page(request, "support/during/portal_activity_form.html", application, case,
                      form, status)


@require_http_methods(["GET", "POST"])
@login_required
def trip_new(request, public_id):
    expert, application = _application(request, public_id)
    case = _case_or_404(application)
    form = TripProposeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        trip, status = form.run(lambda data: trip_services.trip_propose(
            case=case, actor=request.user, **data))
        if status is None:
            messages.success(request, _("%(n)s回目の海外出張同行を登録しました（調整中）。")
                             % {"n": trip.sequence})
            if trip.company_share_note:
                messages.info(request, _("企業に費用の一部負担の事前確認をお願いしました。確認されるまで確定できません。"))
            return redirect("support:expert_case", public_id=public_id)
    earlier = case.trips.exclude(status=TripStatus.CANCELLED).exists()
    return render(request, "support/during/portal_trip_form.html", {
        "application": application, "case": case, "form": form, "needs_share": earlier},
        status=status)


@require_POST
@login_required
def trip_plan(request, public_id, pk):
    expert, application = _application(request, public_id)
    case = _case_or_404(application)
    trip = case.trips.filter(pk=pk).first()
    if trip is None:
        raise Http404
    try:
        trip_services.trip_plan(trip=trip, actor=request.user)
    except DuringError as exc:
        messages.error(request, exc.message)
        return _case_page(request, expert, application, status=409)
    messages.success(request, _("%(n)s回目の海外出張同行を確定しました。") % {"n": trip.sequence})
    return redirect("support:expert_case", public_id=public_id)


@require_POST
@login_required
def trip_done(request, public_id, pk):
    expert, application = _application(request, public_id)
    case = _case_or_404(application)
    trip: Trip | None = case.trips.filter(pk=pk).first()
    if trip is None:
        raise Http404
    try:
        trip_services.trip_mark_done(trip=trip, actor=request.user)
    except DuringError as exc:
        messages.error(request, exc.message)
        return _case_page(request, expert, application, status=409)
    messages.success(request, _("出張を実施済みにしました。"))
    return redirect("support:expert_case", public_id=public_id)
