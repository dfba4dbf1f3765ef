"""The staff dashboard (issue #5): pipeline, application list with CSV, application page.

Each view: permission (staff only; an object page answers 404 to anyone else) → form →
at most one service call → response. Reads are in screening/selectors.py, the filters in
screening/filters.py.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from applications.selectors_status import target_country_names
from applications.services import workflow
from experts.selectors import current_assignment
from handson.roles import get_permitted_object_or_404
from screening import selectors
from screening.exports import CHUNK_SIZE, csv_lines
from screening.filters import ApplicationFilterForm
from screening.forms_dashboard import AssignStaffForm, WithdrawalRecordForm
from screening.services.assignment import AssignmentError, application_assign_staff
from screening.services.withdrawal import WithdrawalNotPossible, withdrawal_record

PAGE_SIZE = 50
WAITING_LIMIT = 50
ELIGIBILITY_PANEL = "applications/staff/_eligibility_panel.html"


def require_perm(request, perm: str) -> None:
    """For pages that are not about one object: anyone but staff gets a 403."""
    if not request.user.has_perm(perm):
        raise PermissionDenied


# -- the dashboard ----------------------------------------------------------------------------

@require_GET
@login_required
def dashboard(request):
    require_perm(request, "screening.view_dashboard")
    today = selectors.today_local()
    call = selectors.call_for_dashboard()
    context = {"call": call, "today": today}
    if call is not None:
        waiting = selectors.waiting_for_screening(call, today)
        context.update(
            pipeline=selectors.pipeline(call),
            intake=selectors.intake(call),
            waiting=selectors.attach_row_info(waiting[:WAITING_LIMIT], today),
            wait_counts=selectors.wait_level_counts(call, today),
            waiting_limit=WAITING_LIMIT,
            attention_days=selectors.ATTENTION_DAYS,
            overdue_days=selectors.OVERDUE_DAYS,
        )
    return render(request, "screening/dashboard.html", context)


# -- the list and its CSV -----------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    label: str
    asc: str = ""  # sort key for ascending order; "" = not sortable
    desc: str = ""
    desc_first: bool = False  # the first click sorts descending (e.g. longest wait first)

    def state(self, current: str) -> str:
        if current and current == self.asc:
            return "ascending"
        if current and current == self.desc:
            return "descending"
        return ""

    def next_sort(self, current: str) -> str:
        state = self.state(current)
        if state == "ascending":
            return self.desc
        if state == "descending":
            return self.asc
        return self.desc if self.desc_first else self.asc


COLUMNS = [
    Column(gettext_lazy("受付番号")),
    Column(gettext_lazy("企業名（フリガナ）"), "kana", "-kana"),
    Column(gettext_lazy("都道府県")),
    Column(gettext_lazy("状態"), "status", "-status"),
    Column(gettext_lazy("受付日"), "received", "-received", desc_first=True),
    Column(gettext_lazy("状態の日数"), "days", "-days", desc_first=True),
    Column(gettext_lazy("要件判定")),
    Column(gettext_lazy("担当職員")),
]


def _headers(sort: str) -> list[dict]:
    return [{"label": column.label, "sortable": bool(column.asc),
             "aria_sort": column.state(sort), "next": column.next_sort(sort)}
            for column in COLUMNS]


@require_GET
@login_required
def application_list(request):
    require_perm(request, "screening.view_dashboard")
    today = selectors.today_local()
    form = ApplicationFilterForm(request.GET)
    queryset = form.filter(selectors.applications_for_staff(today))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/application_list.html", {
        "form": form,
        "page": page,
        "rows": selectors.attach_row_info(page.object_list, today),
        "headers": _headers(form.sort_key),
        "sort": form.sort_key,
    }, status=400 if form.errors else 200)


@require_GET
@login_required
def application_csv(request):
    require_perm(request, "screening.export_applications")
    today = selectors.today_local()
    form = ApplicationFilterForm(request.GET)
    queryset = form.filter(selectors.applications_for_staff(today))
    response = StreamingHttpResponse(
        csv_lines(queryset.iterator(chunk_size=CHUNK_SIZE), today),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"申込一覧_{today:%Y%m%d}.csv")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- the application page -----------------------------------------------------------------------

def _eligibility(application):
    """The eligibility room's display object, if that room provides one (else None)."""
    try:
        from applications.services.eligibility import eligibility_for_display
    except ImportError:
        return None
    return eligibility_for_display(application)


def _has_template(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _optional_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _application(request, public_id):
    return get_permitted_object_or_404(request.user, "screening.view_application",
                                       selectors.application_for_staff_page(),
                                       public_id=public_id)


# The next piece of work on an application, by status: (URL name, label).
NEXT_ACTIONS = {
    "received": ("screening:document_screening", gettext_lazy("書類審査を始める")),
    "document_screening": ("screening:document_screening", gettext_lazy("書類審査")),
    "interview_scheduled": ("screening:interview_result", gettext_lazy("面談審査の結果を記録する")),
    "interviewed": ("screening:interview_result", gettext_lazy("面談審査の結果と決定")),
    "matching": ("screening:matching", gettext_lazy("専門家を選ぶ")),
}


def _next_action(application) -> dict | None:
    name_label = NEXT_ACTIONS.get(application.status)
    if name_label is None:
        return None
    return {"url": reverse(name_label[0], args=[application.public_id]), "label": name_label[1]}


def _detail_context(request, application, assign_form=None, withdrawal_form=None) -> dict:
    today = selectors.today_local()
    answers = selectors.webform_rows(application)  # before the eligibility room reads them
    eligibility = _eligibility(application) if _has_template(ELIGIBILITY_PANEL) else None
    return {
        "application": application,
        "company": application.company,
        "call": application.call,
        "wait": selectors.wait_of(application, today),
        "answers": answers,
        "documents": list(selectors.documents_for_staff(application)),
        "eligibility": eligibility,
        "eligibility_panel": ELIGIBILITY_PANEL,
        "eligibility_url": _optional_url("applications:staff_eligibility",
                                         application.public_id),
        "stored_findings": selectors.stored_findings(application),
        "target_countries": target_country_names(application),
        "size_category": selectors.size_category_label(application),
        "outcome_label": selectors.outcome_label(application.eligibility_outcome),
        "next_action": _next_action(application),
        "assignment": current_assignment(application),
        "assessments": list(selectors.assessments_of(application)),
        "decisions": list(selectors.stage_decisions_of(application)),
        "mails": list(selectors.mails_of(application)),
        "audit": list(selectors.audit_of(application)),
        "assign_form": assign_form or AssignStaffForm(
            initial={"staff_user": application.staff_in_charge_id}),
        "can_assign": request.user.has_perm("screening.assign_staff", application),
        "can_resend": request.user.has_perm("screening.resend_mail"),
        "can_record_withdrawal": (application.status in workflow.WITHDRAWABLE and
                                  request.user.has_perm("screening.record_withdrawal",
                                                        application)),
        "withdrawal_form": withdrawal_form or WithdrawalRecordForm(),
    }


@require_GET
@login_required
def application_detail(request, public_id):
    application = _application(request, public_id)
    return render(request, "screening/application_detail.html",
                  _detail_context(request, application))


@require_POST
@login_required
def application_assign(request, public_id):
    application = _application(request, public_id)
    if not request.user.has_perm("screening.assign_staff", application):
        raise PermissionDenied
    form = AssignStaffForm(request.POST)
    if form.is_valid():
        staff_user = form.cleaned_data["staff_user"]
        try:
            application_assign_staff(application=application, staff_user=staff_user,
                                     actor=request.user)
        except AssignmentError as exc:
            form.add_error("staff_user", exc.message)
        else:
            if staff_user is None:
                messages.success(request, _("担当職員の設定を解除しました。"))
            else:
                messages.success(request, _("担当職員を%(name)sに設定しました。")
                                 % {"name": staff_user})
            return redirect("screening:application_detail", public_id=application.public_id)
    return render(request, "screening/application_detail.html",
                  _detail_context(request, application, assign_form=form), status=400)


@require_POST
@login_required
def application_withdrawal_record(request, public_id):
    application = _application(request, public_id)
    if not request.user.has_perm("screening.record_withdrawal", application):
        raise PermissionDenied
    form = WithdrawalRecordForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            withdrawal_record(application=application, actor=request.user, **form.cleaned_data)
        except WithdrawalNotPossible as exc:
            messages.error(request, exc.message)  # the form is not shown after a decision
            status = 409
        else:
            messages.success(request, _("辞退を記録しました。申込者と担当へ確認のメールを送ります。"))
            return redirect("screening:application_detail", public_id=application.public_id)
    return render(request, "screening/application_detail.html",
                  _detail_context(request, application, withdrawal_form=form), status=status)
