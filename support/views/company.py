"""The company's support pages: the support summary, the 辞退届 online and its PDF form.

Another company's application is a 404. What the company sees is read by the `company_*`
selectors, which never load an internal note or the termination reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.files import safe_download_name
from handson.pdf import render_pdf
from handson.roles import get_permitted_object_or_404
from support import selectors_lifecycle as selectors
from support.enums import DeclinationChannel
from support.forms_lifecycle import DeclinationOnlineForm
from support.models import Declination
from support.services import lifecycle as services

# What the company reads as its state: an early end is "支援終了" too (III.6 stays internal).
COMPANY_STATUS_LABELS = {
    S.ADOPTED: _lazy("採択"),
    S.CONSENT_RECEIVED: _lazy("同意書受領"),
    S.IN_SUPPORT: _lazy("支援中"),
    S.COMPLETED: _lazy("支援終了"),
    S.TERMINATED: _lazy("支援終了"),
    S.DECLINED: _lazy("採択後辞退"),
}


def _application(request, public_id, perm: str = "support.view_company_case"):
    return get_permitted_object_or_404(
        request.user, perm,
        Application.objects.filter(status__in=selectors.SUPPORT_STATUSES)
        .select_related("company", "call"),
        public_id=public_id)


def _is_owner(request, application) -> bool:
    return application.applicant_id == request.user.pk


def _may_decline(request, application) -> bool:
    """The 辞退届 online is the owner's own act (a superuser passes every has_perm)."""
    return _is_owner(request, application) and request.user.has_perm(
        "support.decline_online", application)


@require_GET
@login_required
def company_case(request, public_id):
    application = _application(request, public_id)
    today = timezone.localdate()
    case = selectors.company_case(application)
    return render(request, "support/lifecycle/company_case.html", {
        "application": application,
        "company": application.company,
        "call": application.call,
        "case": case,
        "status_label": COMPANY_STATUS_LABELS.get(application.status,
                                                  application.get_status_display()),
        "expert_name": selectors.company_expert_name(application),
        "activities": selectors.company_activities(application),
        "surveys": selectors.company_surveys(application, today),
        "days_left": ((case.period_end - today).days
                      if case and case.period_end and application.status == S.IN_SUPPORT
                      else None),
        "can_decline": _may_decline(request, application),
        "can_download_form": request.user.has_perm("support.download_declination_form",
                                                   application),
        "S": {member.name: member.value for member in S},
    })


@require_http_methods(["GET", "POST"])
@login_required
def decline(request, public_id):
    application = _application(request, public_id)
    if not _is_owner(request, application):
        # Staff may look at the company's page, but the 辞退届 online is the company's own
        # act; staff record a paper one on the case page.
        return redirect("support:company_case", public_id=application.public_id)
    if not _may_decline(request, application):
        return render(request, "support/lifecycle/decline_refused.html",
                      {"application": application}, status=409)
    form = DeclinationOnlineForm(request.POST or None)
    context = {"application": application, "company": application.company, "form": form}
    if request.method == "POST" and form.is_valid():
        if "edit" in request.POST:
            return render(request, "support/lifecycle/decline.html", context)
        if request.POST.get("confirmed") != "1":
            return render(request, "support/lifecycle/decline_confirm.html", context)
        try:
            services.support_decline(
                application=application, channel=DeclinationChannel.ONLINE,
                signer_name=form.cleaned_data["signer_name"],
                reason=form.cleaned_data["reason"], submitted_on=timezone.localdate(),
                actor=request.user)
        except services.SupportError as exc:
            if "" in exc.errors:
                application.refresh_from_db()
                return render(request, "support/lifecycle/decline_refused.html",
                              {"application": application}, status=409)
            for field, text in exc.errors.items():
                form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, _(
                "採択後辞退届を受け付けました。確認のメールをご担当者のメールアドレスにお送りしました。"))
            return redirect("support:company_case", public_id=application.public_id)
    return render(request, "support/lifecycle/decline.html", context,
                  status=400 if form.errors else 200)


def _full_address(company) -> str:
    prefecture = company.get_prefecture_display()
    address = company.address
    return address if address.startswith(prefecture) else f"{prefecture}{address}"


@require_GET
@login_required
def declination_pdf(request, public_id):
    """採択後辞退届 (V.1(2)⑦): the fixed form, filled in with the 辞退届 once submitted."""
    application = _application(request, public_id, "support.download_declination_form")
    declination = Declination.objects.filter(application=application).first()
    pdf = render_pdf("pdf/declination_form.html", {
        "application": application,
        "company": application.company,
        "call": application.call,
        "fiscal_year": application.call.fiscal_year,
        "address": _full_address(application.company),
        "declination": declination,
    })
    name = safe_download_name(f"{application.company.name}_採択後辞退届.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
