"""V.2 review: replace the current expert of an application (staff; anyone else: 404).

The candidates are ranked as in the matching (without the interview, which belongs to the
screening stage); the current expert is listed as excluded.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.models import Application
from experts import selectors, services
from experts.forms import ReplaceForm
from experts.models import Expert
from experts.views.registry import STAFF_BASE, require_staff


@require_http_methods(["GET", "POST"])
@login_required
def assignment_replace(request, public_id):
    require_staff(request, "experts.assign_expert")
    application = get_object_or_404(
        Application.objects.select_related("company", "call", "answers"), public_id=public_id)
    current = selectors.current_assignment(application)
    matching = selectors.matching_for(
        application, current_expert_id=current.expert_id if current else None)
    form = ReplaceForm(request.POST if request.method == "POST" else None, candidates=matching.ranked)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = matching.candidate(form.cleaned_data["expert"])
            try:
                services.assignment_replace(
                    application=application, new_expert=Expert.objects.get(pk=chosen.expert_id),
                    reason=form.cleaned_data["reason"], actor=request.user,
                    score=chosen.score, reasons=chosen.reasons)
            except services.AssignmentError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("担当の専門家を%(name)sさんに交替しました。")
                                 % {"name": chosen.name})
                return redirect("experts:assignment_replace", public_id=application.public_id)
    return render(request, "experts/assignment_replace.html", {
        "base_template": STAFF_BASE, "application": application, "current": current,
        "matching": matching, "form": form,
        "history": selectors.assignment_history(application),
        "can_replace": current is not None and application.status in services.REPLACEABLE,
    }, status=status)
