"""③ 専門家のマッチング page (staff; anyone else gets a 404).

The experts room ranks its registry (experts.selectors.matching_for); this room passes what
only it knows — the expert candidate of the interview (the latest one not cancelled) — and
the conflicts come from the registry. Staff confirm one expert (→ committee_review), or record
that no suitable expert exists (→ rejected, V.1(2)⑥): then a `no_match` notice is drafted for
the notice batch; the note stays internal and is never part of any notice.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications.enums import ApplicationStatus as S
from applications.services import workflow
from experts import selectors as expert_selectors
from experts.forms import ChooseExpertForm, NoExpertForm
from experts.models import Expert
from experts.services import AssignmentError, assignment_confirm
from handson.roles import get_permitted_object_or_404
from screening.models import NoticeKind
from screening.selectors_screening import applications_for_screening
from screening.services.interviews import current_interview
from screening.services.notices import notice_draft

NOT_IN_MATCHING = _("専門家マッチング中の申込だけに専門家を確定できます。")


def _application(request, public_id):
    return get_permitted_object_or_404(
        request.user, "experts.assign_expert",
        applications_for_screening().select_related("answers"), public_id=public_id)


def _page(request, application, *, choose_form=None, no_expert_form=None, status=200):
    interview = current_interview(application)
    candidate_id = interview.expert_candidate_id if interview else None
    matching = expert_selectors.matching_for(application, interview_candidate_id=candidate_id)
    return render(request, "screening/matching.html", {
        "application": application,
        "matching": matching,
        "interview": interview,
        "interview_candidate": interview.expert_candidate if candidate_id else None,
        "current": expert_selectors.current_assignment(application),
        "choose_form": choose_form or ChooseExpertForm(candidates=matching.ranked),
        "no_expert_form": no_expert_form or NoExpertForm(),
        "can_decide": application.status == S.MATCHING,
        "detail_url": reverse("screening:application_detail", args=[application.public_id]),
    }, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def matching(request, public_id):
    application = _application(request, public_id)
    if request.method == "GET":
        return _page(request, application)
    if application.status != S.MATCHING:
        messages.error(request, NOT_IN_MATCHING)
        return _page(request, application, status=409)
    interview = current_interview(application)
    result = expert_selectors.matching_for(
        application, interview_candidate_id=interview.expert_candidate_id if interview else None)
    form = ChooseExpertForm(request.POST, candidates=result.ranked)
    if not form.is_valid():
        return _page(request, application, choose_form=form, status=400)
    chosen = result.candidate(form.cleaned_data["expert"])
    try:
        assignment_confirm(application=application, expert=Expert.objects.get(pk=chosen.expert_id),
                           actor=request.user, score=chosen.score, reasons=chosen.reasons)
    except AssignmentError as exc:
        messages.error(request, exc.message)
        application.refresh_from_db()
        return _page(request, application, status=409)
    messages.success(request, _("担当の専門家を%(name)sさんに確定し、最終審査（採択企業選定審査委員会）"
                                "に進めました。") % {"name": chosen.name})
    return redirect("screening:application_detail", public_id=application.public_id)


@require_POST
@login_required
def matching_no_expert(request, public_id):
    application = _application(request, public_id)
    form = NoExpertForm(request.POST)
    if not form.is_valid():
        return _page(request, application, no_expert_form=form, status=400)
    actor = request.user
    try:
        workflow.matching_no_expert(
            application=application, actor=actor, note=form.cleaned_data["note"],
            notify=lambda app: notice_draft(application=app, kind=NoticeKind.NO_MATCH,
                                            actor=actor))
    except workflow.TransitionError:
        messages.error(request, _("専門家マッチング中の申込だけを記録できます。"))
        application.refresh_from_db()
        return _page(request, application, status=409)
    messages.success(request, _("適した専門家がいないため、不採択（マッチング不成立）としました。"
                                "申込者への通知の下書きを作成しました（通知の一覧から送信します）。"))
    return redirect("screening:application_detail", public_id=application.public_id)
