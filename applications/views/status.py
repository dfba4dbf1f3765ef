"""The applicant's status page, the final submission, withdrawal and the 申込内容控え PDF.

Each view: permission (another company's application is a 404) → form → one service call
→ response. The decisions (DOCS-COMPLETE, INTAKE-CAP, FORM-WITHDRAW) are in
applications/services/workflow.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.enums import ApplicationStatus as S
from applications.forms_status import WithdrawalForm
from applications.selectors_status import (
    application_for_applicant_pages,
    document_screening_estimate,
    documents_of,
    published_status,
    target_country_names,
    timeline,
    webform_answer_sections,
)
from applications.services import workflow
from handson.files import safe_download_name
from handson.pdf import render_pdf
from handson.roles import get_permitted_object_or_404

# Statuses whose page says "before the decision" (the decision date of the call applies).
BEFORE_DECISION = workflow.WITHDRAWABLE


def _application(request, public_id, perm: str = "applications.view_application"):
    return get_permitted_object_or_404(request.user, perm, application_for_applicant_pages(),
                                       public_id=public_id)


def _webform_url(application) -> str:
    try:
        return reverse("applications:webform", args=[application.public_id])
    except NoReverseMatch:  # the WEB form room is not installed (yet)
        return ""


def _may(user, perm: str, application) -> bool:
    """The applicant's own acts (submit, withdraw): the owner only, never on their behalf
    (a superuser passes every `has_perm`, so ownership is checked here as well)."""
    return application.applicant_id == user.pk and user.has_perm(perm, application)


def _status_context(request, application, **extra) -> dict:
    user = request.user
    status = published_status(application)
    awaiting = status == S.AWAITING_DOCUMENTS
    return {
        "application": application,
        "shown_status": status,
        "call": application.call,
        "timeline": timeline(application, status),
        "estimate": document_screening_estimate(application),
        "before_decision": status in BEFORE_DECISION,
        "decision_date_ahead": application.call.decisions_not_before > timezone.localdate(),
        "missing": workflow.missing_items_of(application) if awaiting else [],
        "webform_url": _webform_url(application) if awaiting else "",
        "can_submit": _may(user, "applications.edit_application", application),
        "can_withdraw": _may(user, "applications.withdraw_application", application),
        "can_download_copy": user.has_perm("applications.view_application_copy", application),
        "S": {member.name: member.value for member in S},
        **extra,
    }


@require_GET
@login_required
def application_status(request, public_id):
    application = _application(request, public_id)
    return render(request, "applications/status/status.html",
                  _status_context(request, application))


@require_POST
@login_required
def application_submit(request, public_id):
    application = _application(request, public_id)
    if not _may(request.user, "applications.edit_application", application):
        if application.applicant_id == request.user.pk and application.received_at:
            messages.info(request, _("このお申し込みは受付済みです。"))
        return redirect("applications:status", public_id=application.public_id)
    try:
        workflow.application_submit(application=application, actor=request.user)
    except workflow.ApplicationIncomplete as exc:
        return render(request, "applications/status/status.html",
                      _status_context(request, application, submit_missing=exc.missing),
                      status=400)
    except workflow.IntakeClosed as exc:
        return render(request, "applications/status/intake_closed.html",
                      {"application": application, "call": application.call,
                       "reason": exc.reason, "message": exc.message}, status=409)
    except workflow.TransitionError:
        messages.info(request, _("このお申し込みはすでに手続きが進んでいるため、申し込みの操作は不要です。"))
        return redirect("applications:status", public_id=application.public_id)
    messages.success(request, _(
        "お申し込みを受け付けました。受付のお知らせをご担当者のメールアドレスにお送りしました。"))
    return redirect("applications:status", public_id=application.public_id)


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request, public_id):
    application = _application(request, public_id)
    if not _may(request.user, "applications.withdraw_application", application):
        if application.applicant_id != request.user.pk:
            # Staff may view the status page, but withdrawal is the applicant's own act.
            return redirect("applications:status", public_id=application.public_id)
        return render(request, "applications/status/withdraw_refused.html",
                      {"application": application,
                       "shown_status": published_status(application)}, status=409)
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.application_withdraw(application=application, actor=request.user,
                                          reason=form.cleaned_data["reason"])
        except workflow.TransitionError:
            application.refresh_from_db()
            return render(request, "applications/status/withdraw_refused.html",
                          {"application": application,
                           "shown_status": published_status(application)}, status=409)
        messages.success(request, _(
            "お申し込みの辞退を承りました。確認のメールをご担当者のメールアドレスにお送りしました。"))
        return redirect("applications:status", public_id=application.public_id)
    return render(request, "applications/status/withdraw.html",
                  {"application": application, "form": form},
                  status=400 if form.errors else 200)


def _full_address(company) -> str:
    prefecture = company.get_prefecture_display()
    address = company.address
    return address if address.startswith(prefecture) else f"{prefecture}{address}"


@require_GET
@login_required
def application_copy_pdf(request, public_id):
    application = _application(request, public_id, "applications.view_application_copy")
    context = {
        "application": application,
        "company": application.company,
        "call": application.call,
        "answer_sections": webform_answer_sections(application),
        "countries": target_country_names(application),
        "documents": list(documents_of(application)),
        "issued_at": timezone.now(),
        "capital_text": (f"{application.company.capital_yen:,}円"
                         if application.company.capital_yen is not None else ""),
        "address_text": _full_address(application.company),
        "employees_text": f"{application.company.regular_employees:,}人",
    }
    pdf = render_pdf("pdf/application_copy.html", context)
    filename = safe_download_name(f"{application.company.name}_申込内容控え.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
