"""① 書類審査 and ② 面談審査 pages (staff only; everyone else gets a 404).

Each view: permission → form → one service call → response. The rules (who may decide,
DOCS-COMPLETE, one assessment per reviewer) live in screening/services/.
"""

from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.enums import ApplicationStatus as S
from applications.services import workflow
from handson.roles import get_permitted_object_or_404
from screening.enums import (
    BONUS_CRITERIA,
    CRITERIA_LABELS,
    SCORED_CRITERIA,
    InterviewStatus,
    NoticeChannel,
    Proposal,
    Stage,
)
from screening.forms_screening import (
    AssessmentForm,
    CommitteeMoveForm,
    DecisionForm,
    InterviewCancelForm,
    InterviewForm,
)
from screening.models import Assessment, Interview
from screening.selectors_screening import (
    applications_for_screening,
    assessments_of,
    interviews_of,
    work_queue,
)
from screening.services import interviews as interview_services
from screening.services.document_screening import (
    ASSESSABLE,
    ScreeningError,
    assessment_save,
    bonus_prefill,
    document_screening_decide,
    stage_decision,
)
from screening.services.interviews import SCHEDULABLE, current_interview, interview_decide

DECISION_RULE = _("決定の方法：この段階の審査評価が1件以上入力されていれば、ジェトロ職員が決定を記録できます。"
                  "評価が2件あるときは両方を確認してから決定してください。決定者と日時は監査ログに残ります。")


@cache
def _staff_base_exists() -> bool:
    try:
        get_template("screening/base_staff.html")
    except TemplateDoesNotExist:
        return False
    return True


def staff_base() -> str:
    """The dashboard's staff layout when it exists, else the site layout."""
    return "screening/base_staff.html" if _staff_base_exists() else "base.html"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _application(request, public_id, perm: str):
    return get_permitted_object_or_404(request.user, perm, applications_for_screening(),
                                       public_id=public_id)


def _missing(application) -> list[str]:
    try:
        return workflow._missing_items(application)
    except ImportError:  # the WEB form room is not installed
        return []


def _rows(assessments) -> list[dict]:
    """Assessments as table rows in criterion order (scores) and bonuses ticked."""
    return [{
        "assessment": a,
        "scores": [a.scores.get(c, "") for c in SCORED_CRITERIA],
        "bonuses": [c in a.bonuses for c in BONUS_CRITERIA],
        "total": a.total,
    } for a in assessments]


def _common(request, application, **extra) -> dict:
    return {
        "base_template": staff_base(),
        "application": application,
        "detail_url": _url("screening:application_detail", application.public_id),
        "queue_url": reverse("screening:work_queue"),
        "scored_criteria": [(c, CRITERIA_LABELS[c]) for c in SCORED_CRITERIA],
        "bonus_criteria": [(c, CRITERIA_LABELS[c]) for c in BONUS_CRITERIA],
        "decision_rule": DECISION_RULE,
        "table_columns": len(SCORED_CRITERIA) + len(BONUS_CRITERIA) + 4,
        **extra,
    }


# -- the work queue --------------------------------------------------------------------------

@require_GET
@login_required
def screening_work_queue(request):
    if not request.user.has_perm("screening.view_screening_queue"):
        raise Http404
    return render(request, "screening/review/work_queue.html",
                  {"base_template": staff_base(), **work_queue()})


# -- ① document screening -------------------------------------------------------------------

def _document_page(request, application, *, form=None, decision_form=None, status=200,
                   incomplete: list[str] | None = None):
    decision = stage_decision(application, Stage.DOCUMENT)
    mine = Assessment.objects.filter(application=application, stage=Stage.DOCUMENT,
                                     reviewer=request.user).first()
    if form is None:
        form = AssessmentForm(initial=AssessmentForm.initial_from(mine,
                                                                  bonus_prefill(application)))
    assessments = assessments_of(application, Stage.DOCUMENT)
    context = _common(
        request, application,
        form=form, mine=mine, decision=decision,
        decision_form=decision_form or DecisionForm(),
        rows=_rows(assessments), has_assessments=bool(assessments),
        can_assess=decision is None and application.status in ASSESSABLE[Stage.DOCUMENT],
        can_decide=decision is None and application.status == S.DOCUMENT_SCREENING,
        missing=incomplete if incomplete is not None else _missing(application),
        prefill=bonus_prefill(application),
    )
    return render(request, "screening/review/document_screening.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def document_screening(request, public_id):
    application = _application(request, public_id, "screening.assess_application")
    if request.method == "GET":
        return _document_page(request, application)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _document_page(request, application, form=form, status=400)
    try:
        assessment_save(application=application, stage=Stage.DOCUMENT, actor=request.user,
                        **form.service_kwargs())
    except ScreeningError as exc:
        messages.error(request, exc.message)
        return _document_page(request, application, form=form, status=409)
    messages.success(request, _("書類審査の評価を保存しました。"))
    return redirect("screening:document_screening", public_id=application.public_id)


@require_http_methods(["GET", "POST"])
@login_required
def document_decision(request, public_id):
    application = _application(request, public_id, "screening.decide_stage")
    if request.method == "GET":
        return redirect(reverse("screening:document_screening", args=[public_id]) + "#decision")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _document_page(request, application, decision_form=form, status=400)
    try:
        document_screening_decide(application=application, outcome=form.cleaned_data["outcome"],
                                  actor=request.user, note=form.cleaned_data["note"])
    except workflow.ApplicationIncomplete as exc:
        form.add_error("outcome", _("書類に不足・不備があるため「通過」は決定できません（DOCS-COMPLETE）。"))
        return _document_page(request, application, decision_form=form, status=409,
                              incomplete=exc.missing)
    except (ScreeningError, workflow.TransitionError) as exc:
        messages.error(request, getattr(exc, "message", _("この申込の現在の状態では決定できません。")))
        application.refresh_from_db()
        return _document_page(request, application, decision_form=form, status=409)
    if form.cleaned_data["outcome"] == Proposal.PASS:
        messages.success(request, _("書類審査の通過を決定しました。面談の日程を設定してください。"))
        return redirect("screening:interview_schedule", public_id=application.public_id)
    messages.success(request, _("書類審査の不通過を決定しました。申込は「不採択」になりました。"))
    return redirect("screening:document_screening", public_id=application.public_id)


# -- ② interviews ---------------------------------------------------------------------------

def _interview(application, pk) -> Interview:
    return get_object_or_404(Interview, pk=pk, application=application)


def _schedule_page(request, application, *, form=None, status=200):
    interviews = interviews_of(application)
    decision = stage_decision(application, Stage.DOCUMENT)
    passed = decision is not None and decision.outcome == Proposal.PASS
    has_scheduled = any(i.status == InterviewStatus.SCHEDULED for i in interviews)
    can_schedule = passed and application.status in SCHEDULABLE and not has_scheduled
    context = _common(request, application, interviews=interviews, can_schedule=can_schedule,
                      passed=passed,
                      form=form or (InterviewForm() if can_schedule else None))
    return render(request, "screening/review/interview_schedule.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def interview_schedule(request, public_id):
    application = _application(request, public_id, "screening.manage_interview")
    if request.method == "GET":
        return _schedule_page(request, application)
    form = InterviewForm(request.POST)
    if not form.is_valid():
        return _schedule_page(request, application, form=form, status=400)
    try:
        interview = interview_services.interview_schedule(
            application=application, actor=request.user, **form.service_kwargs())
    except ScreeningError as exc:
        messages.error(request, exc.message)
        return _schedule_page(request, application, status=409)
    messages.success(request, _("面談の日程を設定しました。") + (
        _("案内メールを申込担当者に送ります。") if interview.notice_channel == NoticeChannel.EMAIL
        else _("電話連絡の記録を残しました（メールは送りません）。")))
    return redirect("screening:interview_schedule", public_id=application.public_id)


@require_http_methods(["GET", "POST"])
@login_required
def interview_edit(request, public_id, pk):
    application = _application(request, public_id, "screening.manage_interview")
    interview = _interview(application, pk)
    form = InterviewForm(request.POST or None, initial=InterviewForm.initial_from(interview))
    status = 200
    if interview.status != InterviewStatus.SCHEDULED:
        messages.error(request, _("予定中の面談だけ変更できます。"))
        return redirect("screening:interview_schedule", public_id=application.public_id)
    if request.method == "POST":
        if form.is_valid():
            try:
                interview_services.interview_reschedule(interview=interview, actor=request.user,
                                                        **form.service_kwargs())
            except ScreeningError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                messages.success(request, _("面談の内容を変更しました。"))
                return redirect("screening:interview_schedule", public_id=application.public_id)
        else:
            status = 400
    return render(request, "screening/review/interview_edit.html",
                  _common(request, application, interview=interview, form=form), status=status)


@require_http_methods(["GET", "POST"])
@login_required
def interview_cancel(request, public_id, pk):
    application = _application(request, public_id, "screening.manage_interview")
    interview = _interview(application, pk)
    if interview.status != InterviewStatus.SCHEDULED:
        messages.error(request, _("予定中の面談だけ取り消せます。"))
        return redirect("screening:interview_schedule", public_id=application.public_id)
    form = InterviewCancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                interview_services.interview_cancel(interview=interview, actor=request.user,
                                                    **form.cleaned_data)
            except ScreeningError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                messages.success(request, _("面談を取り消しました。"))
                return redirect("screening:interview_schedule", public_id=application.public_id)
        else:
            status = 400
    return render(request, "screening/review/interview_cancel.html",
                  _common(request, application, interview=interview, form=form,
                          interview_at=interview_services.jp_datetime(interview.scheduled_at)),
                  status=status)


def _result_page(request, application, *, form=None, decision_form=None, status=200):
    interview = current_interview(application)
    decision = stage_decision(application, Stage.INTERVIEW)
    mine = Assessment.objects.filter(application=application, stage=Stage.INTERVIEW,
                                     reviewer=request.user).first()
    if form is None:
        form = AssessmentForm(initial=AssessmentForm.initial_from(mine,
                                                                  bonus_prefill(application)))
    assessments = assessments_of(application, Stage.INTERVIEW)
    allowed = application.status in (S.INTERVIEW_SCHEDULED, S.INTERVIEWED)
    context = _common(
        request, application, interview=interview, form=form, mine=mine, decision=decision,
        decision_form=decision_form or DecisionForm(), rows=_rows(assessments),
        has_assessments=bool(assessments),
        can_assess=interview is not None and decision is None and allowed,
        can_decide=decision is None and application.status == S.INTERVIEWED,
        interview_at=(interview_services.jp_datetime(interview.scheduled_at)
                      if interview else ""),
    )
    return render(request, "screening/review/interview_result.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def interview_result(request, public_id):
    application = _application(request, public_id, "screening.assess_application")
    if request.method == "GET":
        return _result_page(request, application)
    form = AssessmentForm(request.POST)
    interview = current_interview(application)
    if interview is None:
        messages.error(request, _("結果を入力できる面談がありません。"))
        return _result_page(request, application, form=form, status=409)
    if not form.is_valid():
        return _result_page(request, application, form=form, status=400)
    try:
        interview_services.interview_result_save(interview=interview, actor=request.user,
                                                 **form.service_kwargs())
    except (ScreeningError, workflow.TransitionError) as exc:
        messages.error(request, getattr(exc, "message", _("この申込の現在の状態では入力できません。")))
        application.refresh_from_db()
        return _result_page(request, application, form=form, status=409)
    messages.success(request, _("面談審査の評価を保存しました。"))
    return redirect("screening:interview_result", public_id=application.public_id)


@require_http_methods(["GET", "POST"])
@login_required
def interview_decision(request, public_id):
    application = _application(request, public_id, "screening.decide_stage")
    if request.method == "GET":
        return redirect(reverse("screening:interview_result", args=[public_id]) + "#decision")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _result_page(request, application, decision_form=form, status=400)
    try:
        interview_decide(application=application, outcome=form.cleaned_data["outcome"],
                         actor=request.user, note=form.cleaned_data["note"])
    except (ScreeningError, workflow.TransitionError) as exc:
        messages.error(request, getattr(exc, "message", _("この申込の現在の状態では決定できません。")))
        application.refresh_from_db()
        return _result_page(request, application, decision_form=form, status=409)
    if form.cleaned_data["outcome"] == Proposal.PASS:
        messages.success(request, _("面談審査の通過を決定しました。申込は「専門家マッチング中」になりました。"))
    else:
        messages.success(request, _("面談審査の不通過を決定しました。申込は「不採択」になりました。"))
    return redirect("screening:interview_result", public_id=application.public_id)


# -- manual: matching → committee_review ------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def to_committee(request, public_id):
    application = _application(request, public_id, "screening.move_to_committee")
    form = CommitteeMoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if application.status != S.MATCHING:
            messages.error(request, _("専門家マッチング中の申込だけを最終審査に進められます。"))
            status = 409
        elif form.is_valid():
            try:
                workflow.matching_skip_to_committee(application=application, actor=request.user,
                                                    note=form.cleaned_data["note"])
            except workflow.TransitionError:
                messages.error(request, _("専門家マッチング中の申込だけを最終審査に進められます。"))
                application.refresh_from_db()
                status = 409
            else:
                messages.success(request, _("手動で「最終審査中」に進めました。"))
                return redirect("screening:work_queue")
        else:
            status = 400
    return render(request, "screening/review/to_committee.html",
                  _common(request, application, form=form,
                          can_move=application.status == S.MATCHING), status=status)
