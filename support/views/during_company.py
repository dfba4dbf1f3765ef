"""The company's own DURING-support acts: confirming its share of a 2nd or later accompanied
trip (II.4(2)) and answering a progress / outcome survey (REPORT-CONSENT).

The owner applicant only: anyone else — another applicant, staff, an admin, an expert —
gets a 404 (staff record a confirmation received by mail or phone on their own page). The
pages read explicit columns: no internal note, no cost line of JETRO's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.models import Application
from support.enums import SurveyKind
from support.forms_during import SurveyAnswerForm, TripConfirmForm
from support.models import Survey
from support.selectors import company_trips
from support.services import surveys as survey_services
from support.services import trips as trip_services


def _own_application(request, public_id, perm: str) -> Application:
    application = get_object_or_404(Application.objects.select_related("company"),
                                    public_id=public_id)
    # Ownership explicitly: a superuser passes every has_perm, and this act is the company's.
    if application.applicant_id != request.user.pk or not request.user.has_perm(
            perm, application):
        raise Http404
    return application


def _company_case_url(application) -> str:
    try:
        return reverse("support:company_case", args=[application.public_id])
    except NoReverseMatch:
        return ""


@require_http_methods(["GET", "POST"])
@login_required
def trip_confirm(request, public_id, pk):
    application = _own_application(request, public_id, "support.confirm_trip_share")
    trip = next((t for t in company_trips(application) if t.pk == pk), None)
    if trip is None or not trip.company_share_note:
        raise Http404  # a first trip has no share to confirm
    form = TripConfirmForm(request.POST or None,
                           initial={"confirmed_by_name": application.contact_name})
    status = 200
    if request.method == "POST":
        _done, status = form.run(lambda data: trip_services.trip_confirm_share(
            trip=application.support_case.trips.get(pk=pk),
            confirmed_by_name=data["confirmed_by_name"], actor=request.user))
        if status is None:
            messages.success(request, _("費用の一部負担を確認しました。ありがとうございました。"))
            return redirect("support:trip_confirm", public_id=public_id, pk=pk)
    return render(request, "support/during/company_trip_confirm.html", {
        "application": application, "trip": trip, "form": form,
        "company_case_url": _company_case_url(application)}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def survey_answer(request, public_id, pk):
    application = _own_application(request, public_id, "support.answer_survey")
    survey = Survey.objects.filter(pk=pk, case__application=application).only(
        "pk", "kind", "due_on", "answers", "answered_at").first()
    if survey is None:
        raise Http404
    questions = survey_services.questions_of(survey.kind)
    form = None if survey.answered_at else SurveyAnswerForm(request.POST or None,
                                                            kind=survey.kind)
    status = 200
    if request.method == "POST":
        if form is None:
            status = 409
            messages.error(request, _("このアンケートは回答済みです。回答後は変更できません。"))
        else:
            _done, status = form.run(lambda data: survey_services.survey_answer(
                survey=survey, answers=form.answers(), actor=request.user))
            if status is None:
                messages.success(request, _("ご回答ありがとうございました。"))
                return redirect("support:survey_answer", public_id=public_id, pk=pk)
    rows = [(q.label, survey.answers.get(q.key), q.kind) for q in questions]
    return render(request, "support/during/company_survey_answer.html", {
        "application": application, "survey": survey, "form": form, "rows": rows,
        "is_outcome": survey.kind == SurveyKind.OUTCOME,
        "company_case_url": _company_case_url(application)}, status=status)
