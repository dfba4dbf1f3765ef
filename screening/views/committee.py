"""④ 採択企業選定審査委員会: the members' home, meetings, packets and votes, the close.

Each view: permission (anyone without it gets a 404: nothing leaks) → form → one service
call → response. The rules (quorum, majority, ties, one final vote) are in
screening/services/committee.py and are shown on the pages from there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Application
from handson.files import attachment_response
from handson.roles import get_permitted_object_or_404
from screening import selectors_committee as selectors
from screening.enums import Decision, MeetingStatus, VoteChoice
from screening.forms_committee import CloseForm, MeetingForm, ReverseForm, VoteForm
from screening.services import committee as services
from screening.services import notices as notice_services

LAYOUT_STAFF = "screening/committee/layout_staff.html"
LAYOUT_MEMBER = "screening/committee/layout_member.html"


def _layout(user) -> str:
    return LAYOUT_STAFF if user.is_jetro_staff else LAYOUT_MEMBER


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404


def _meeting(request, pk: int, perm: str = "screening.view_meeting"):
    return get_permitted_object_or_404(request.user, perm, selectors.meeting_for_pages(), pk=pk)


def _common(request, **extra) -> dict:
    return {"layout": _layout(request.user), "voting_rules": services.VOTING_RULES, **extra}


# -- home -------------------------------------------------------------------------------------

@require_GET
@login_required
def committee_home(request):
    _require(request, "screening.view_committee_home")
    rows = selectors.home_rows(request.user)
    return render(request, "screening/committee/home.html", _common(
        request, rows=rows, needs_vote=[r for r in rows if r["needs_vote"]],
        can_manage=request.user.has_perm("screening.manage_meetings")))


# -- set up a meeting (staff) ---------------------------------------------------------------

def _meeting_data(form) -> dict:
    data = form.cleaned_data
    return {key: data[key] for key in ("title", "scheduled_at", "place", "members", "chair",
                                       "quorum", "tie_rule", "disclose_individual_votes",
                                       "applications")}


@require_http_methods(["GET", "POST"])
@login_required
def meeting_new(request):
    _require(request, "screening.manage_meetings")
    from screening.selectors import call_for_dashboard

    form = MeetingForm(request.POST or None, initial={"call": call_for_dashboard()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, call=form.cleaned_data["call"],
                                              **_meeting_data(form))
        except services.CommitteeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("委員会を設定しました。"))
            return redirect("screening:meeting_detail", pk=meeting.pk)
    return render(request, "screening/committee/meeting_form.html",
                  _common(request, form=form, meeting=None),
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk, "screening.manage_meetings")
    if meeting.status != MeetingStatus.PLANNED:
        messages.info(request, _("開会した委員会の設定は変更できません。"))
        return redirect("screening:meeting_detail", pk=meeting.pk)
    form = MeetingForm(request.POST or None, meeting=meeting,
                       initial=MeetingForm.initial_from(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **_meeting_data(form))
        except services.CommitteeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("委員会の設定を変更しました。"))
            return redirect("screening:meeting_detail", pk=meeting.pk)
    return render(request, "screening/committee/meeting_form.html",
                  _common(request, form=form, meeting=meeting),
                  status=400 if form.errors else 200)


# -- the meeting page -----------------------------------------------------------------------

@require_GET
@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    counts = services.tallies(meeting) if meeting.status != MeetingStatus.CLOSED else {}
    return render(request, "screening/committee/meeting_detail.html", _common(
        request, meeting=meeting, agenda=selectors.agenda_of(meeting, user),
        members=list(meeting.members.order_by("display_name", "username")),
        is_member=user.has_perm("screening.vote_in_meeting", meeting),
        can_run=user.has_perm("screening.run_meeting", meeting),
        can_manage=user.has_perm("screening.manage_meetings"),
        can_minutes=user.has_perm("screening.view_minutes", meeting),
        tied=services.needs_casting(meeting, counts) if counts else [],
        tie_rule_text=services.tie_rule_text(meeting.tie_rule)))


@require_POST
@login_required
def meeting_open(request, pk):
    meeting = _meeting(request, pk, "screening.run_meeting")
    try:
        services.meeting_open(actor=request.user, meeting=meeting)
    except services.CommitteeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("委員会を開会しました。委員は投票できます。"))
    return redirect("screening:meeting_detail", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_close(request, pk):
    meeting = _meeting(request, pk, "screening.run_meeting")
    if meeting.status != MeetingStatus.OPEN:
        messages.info(request, _("審議中の委員会だけを閉会できます。"))
        return redirect("screening:meeting_detail", pk=meeting.pk)
    counts = services.tallies(meeting)
    items = list(selectors.agenda_item_for_pages().filter(meeting=meeting)
                 .order_by("position", "pk"))
    tied_ids = set(services.needs_casting(meeting, counts))
    is_chair = request.user.pk == meeting.chair_id
    tied = [item for item in items if item.pk in tied_ids]
    form = CloseForm(request.POST or None, tied_items=tied if is_chair else [])
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_close(actor=request.user, meeting=meeting, casting=form.casting())
        except services.CommitteeError as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("委員会を閉会し、決定を記録しました。議事録を作成しました。"))
            return redirect("screening:meeting_detail", pk=meeting.pk)
    elif form.errors:
        status = 400
    preview = []
    for item in items:
        tally = counts[item.pk]
        try:
            outcome = services.decide(tally, quorum=meeting.quorum, tie_rule=meeting.tie_rule)
            label = Decision(outcome.decision).label
        except services.CastingNeeded:
            label = _("可否同数（委員長の裁決）")
        preview.append({"item": item, "tally": tally, "label": label})
    return render(request, "screening/committee/close.html", _common(
        request, meeting=meeting, form=form, preview=preview, is_chair=is_chair,
        tied=tied, tie_rule_text=services.tie_rule_text(meeting.tie_rule)), status=status)


# -- packet and vote -------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def packet(request, pk, item_pk):
    meeting = _meeting(request, pk)
    item = get_object_or_404(selectors.agenda_item_for_pages(), pk=item_pk, meeting=meeting)
    user = request.user
    is_member = user.has_perm("screening.vote_in_meeting", meeting)
    from screening.models import Vote

    my_vote = Vote.objects.filter(agenda_item=item, member=user).first() if is_member else None
    form = VoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_member:
            raise Http404
        if my_vote is not None:
            messages.info(request, _("この案件にはすでに投票済みです。投票は変更できません。"))
            return redirect("screening:packet", pk=meeting.pk, item_pk=item.pk)
        if form.is_valid():
            try:
                result = services.vote_cast(actor=user, item=item,
                                            choice=form.cleaned_data["choice"],
                                            conflict_note=form.cleaned_data["conflict_note"])
            except services.CommitteeError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                if result.created:
                    messages.success(request, _("投票を記録しました：%(choice)s") % {
                        "choice": result.vote.get_choice_display()})
                else:
                    messages.info(request, _("この案件にはすでに投票済みです。投票は変更できません。"))
                return redirect("screening:packet", pk=meeting.pk, item_pk=item.pk)
        else:
            status = 400
    items = list(meeting.agenda.order_by("position", "pk").values_list("pk", flat=True))
    index = items.index(item.pk)
    return render(request, "screening/committee/packet.html", _common(
        request, meeting=meeting, item=item, form=form, my_vote=my_vote, is_member=is_member,
        can_vote=is_member and my_vote is None and meeting.status == MeetingStatus.OPEN,
        previous_pk=items[index - 1] if index > 0 else None,
        next_pk=items[index + 1] if index + 1 < len(items) else None,
        position=index + 1, total=len(items), recused=VoteChoice.RECUSED,
        **selectors.packet(item)), status=status)


# -- minutes ---------------------------------------------------------------------------------

@require_GET
@login_required
def minutes_download(request, pk):
    meeting = _meeting(request, pk, "screening.view_minutes")
    if not meeting.minutes_pdf:
        raise Http404
    name = f"{meeting.title}_{meeting.scheduled_at:%Y%m%d}_議事録.pdf"
    return attachment_response(meeting.minutes_pdf, name, "application/pdf")


@require_POST
@login_required
def minutes_regenerate(request, pk):
    meeting = _meeting(request, pk, "screening.manage_meetings")
    try:
        services.minutes_generate(meeting=meeting, actor=request.user)
    except services.CommitteeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("議事録を作成しました。"))
    return redirect("screening:meeting_detail", pk=meeting.pk)


# -- reversing a decision (staff) ------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def decision_reverse(request, public_id):
    _require(request, "screening.reverse_decision")
    application = get_object_or_404(Application.objects.select_related("company"),
                                    public_id=public_id)
    form = ReverseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.decision_reverse(application=application, actor=request.user,
                                             note=form.cleaned_data["note"])
        except notice_services.workflow.DecisionNotReversible:
            form.add_error(None, _("採択企業選定審査委員会の決定（採択・不採択）だけを取り消せます。"))
            status = 409
        else:
            messages.success(request, _("決定を取り消し、最終審査中に戻しました。未送信の通知は取り下げました。"))
            return redirect("screening:notice_batch")
    elif form.errors:
        status = 400
    return render(request, "screening/committee/reverse.html", _common(
        request, application=application, form=form), status=status)
