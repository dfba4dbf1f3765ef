"""Staff pages of the support lifecycle: the list by state and the case page with its forms.

Each view: permission (the list answers 403 to anyone but staff, a case page 404) → form →
one service call → response. Every form posts to its own URL; on an error the case page
is shown again with that form bound and its messages next to the fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.enums import ApplicationStatus as S
from handson.roles import get_permitted_object_or_404
from support import selectors_lifecycle as selectors
from support.enums import DeclinationChannel
from support.forms_lifecycle import (
    CompleteForm,
    ConsentForm,
    DeclinationPaperForm,
    KickoffForm,
    PeriodForm,
    TerminateForm,
)
from support.services import lifecycle as services

LAYOUT = "screening/base_staff.html"


@require_GET
@login_required
def case_list(request):
    if not request.user.has_perm("support.view_support_cases"):
        raise PermissionDenied
    today = selectors.today_local()
    sections = selectors.support_sections(today)
    return render(request, "support/lifecycle/case_list.html", {
        "layout": LAYOUT, "today": today, "sections": sections,
        "ended_limit": selectors.ENDED_LIMIT,
    })


def _application(request, public_id):
    return get_permitted_object_or_404(request.user, "support.manage_support_case",
                                       selectors.support_applications(), public_id=public_id)


def _available(application) -> list[str]:
    """The forms the case's state allows, in page order."""
    status = application.status
    keys = []
    if status == S.ADOPTED:
        keys.append("consent")
    if status == S.CONSENT_RECEIVED:
        keys.append("kickoff")
    if status == S.IN_SUPPORT:
        keys += ["period", "complete", "terminate"]
    if status in services.DECLINABLE:
        keys.append("declination")
    return keys


def _form(key: str, application, data=None):
    case = getattr(application, "support_case", None)
    consent_on = case.consent_received_on if case else None
    kwargs = {"data": data, "prefix": key}
    if key == "consent":
        return ConsentForm(**kwargs)
    if key == "kickoff":
        return KickoffForm(call=application.call, consent_received_on=consent_on, **kwargs)
    if key == "period":
        return PeriodForm(call=application.call, consent_received_on=consent_on,
                          initial={"period_start": case.period_start,
                                   "period_end": case.period_end}, **kwargs)
    if key == "complete":
        today = selectors.today_local()
        end = case.period_end if case.period_end and case.period_end <= today else today
        return CompleteForm(initial={"ended_on": end}, **kwargs)
    if key == "terminate":
        return TerminateForm(initial={"ended_on": selectors.today_local()}, **kwargs)
    if key == "declination":
        return DeclinationPaperForm(initial={"submitted_on": selectors.today_local()},
                                    **kwargs)
    raise KeyError(key)


def _render_case(request, application, bound=None, status=200, error=""):
    case = getattr(application, "support_case", None)
    forms = {key: _form(key, application) for key in _available(application)}
    if bound is not None:
        forms[bound.prefix] = bound
    return render(request, "support/lifecycle/case_detail.html", {
        "layout": LAYOUT,
        "application": application,
        "company": application.company,
        "call": application.call,
        "case": case,
        "declination": getattr(application, "declination", None),
        "expert_name": selectors.company_expert_name(application),
        "activities": selectors.case_activities(case),
        "surveys": selectors.case_surveys(case),
        "audit": list(selectors.case_audit(application)),
        "forms": forms,
        "error": error,
        "today": selectors.today_local(),
        "S": {member.name: member.value for member in S},
    }, status=status)


@require_GET
@login_required
def case_detail(request, public_id):
    return _render_case(request, _application(request, public_id))


def _run(key: str, request, application, data: dict):
    actor = request.user
    if key == "consent":
        services.support_consent_receive(application=application, actor=actor,
                                         received_on=data["received_on"])
        return _("同意書（原本）の受領を記録しました。キックオフミーティングの内容を記録すると支援が始まります。")
    if key == "kickoff":
        services.support_start(application=application, actor=actor, **data)
        return _("キックオフミーティングと支援期間を記録し、支援を開始しました。")
    if key == "period":
        services.support_period_change(application=application, actor=actor, **data)
        return _("支援期間を変更しました。")
    if key == "complete":
        services.support_complete(application=application, actor=actor,
                                  ended_on=data["ended_on"])
        return _("支援の終了を記録しました。企業に成果報告のお願いを送ります。")
    if key == "terminate":
        services.support_terminate(application=application, actor=actor, **data)
        return _("支援の途中終了を記録しました。企業には理由を含まないお知らせを送ります。")
    if key == "declination":
        services.support_decline(application=application, actor=actor,
                                 channel=DeclinationChannel.PAPER, **data)
        return _("書面の採択後辞退届を記録しました。")
    raise KeyError(key)


def _action(key: str):
    @require_POST
    @login_required
    def view(request, public_id):
        application = _application(request, public_id)
        if key not in _available(application):
            return _render_case(request, application, status=409, error=_(
                "この案件の現在の状態（%(status)s）では、この操作はできません。ページを更新して確認してください。")
                % {"status": application.get_status_display()})
        form = _form(key, application, data=request.POST)
        status = 400
        if form.is_valid():
            try:
                message = _run(key, request, application, form.cleaned_data)
            except services.SupportError as exc:
                for field, text in exc.errors.items():
                    form.add_error(field if field in form.fields else None, text)
                status = 409 if "" in exc.errors else 400
            else:
                messages.success(request, message)
                return redirect("support:case_detail", public_id=application.public_id)
        return _render_case(request, application, bound=form, status=status)

    view.__name__ = f"case_{key}"
    return view


case_consent = _action("consent")
case_kickoff = _action("kickoff")
case_period = _action("period")
case_complete = _action("complete")
case_terminate = _action("terminate")
case_declination = _action("declination")
