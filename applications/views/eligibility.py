"""The eligibility self-check (anyone, nothing stored) and the staff eligibility page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.eligibility import FINDING_OUTCOME_LABELS, evaluate
from applications.forms_eligibility import OverrideForm, SelfCheckForm
from applications.models import Application
from applications.services.eligibility import (
    OVERRIDE_PERMISSION,
    eligibility_finding_override,
    eligibility_for_display,
)
from handson.roles import get_permitted_object_or_404

# -- self-check ----------------------------------------------------------------------------

_RESULT_ORDER = ("fail", "review", "pass")


@require_http_methods(["GET", "POST"])
def self_check(request):
    """GET: the form. POST: the result (or the form with errors). Nothing is stored.

    "回答を修正する" posts the answers back with action=edit: the form comes back filled in.
    """
    if request.method == "GET":
        return _form_page(request, SelfCheckForm())
    if request.POST.get("action") == "edit":
        return _form_page(request, SelfCheckForm(initial=_answers(request.POST)))
    form = SelfCheckForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    result = evaluate(form.facts())
    groups = [
        {"outcome": outcome, "label": FINDING_OUTCOME_LABELS[outcome],
         "findings": [f for f in result.findings if f.outcome == outcome]}
        for outcome in _RESULT_ORDER
    ]
    return render(request, "applications/eligibility/result.html", {
        "result": result,
        "groups": [group for group in groups if group["findings"]],
        "answers": sorted(_answers(request.POST).items()),
    })


def _answers(post) -> dict[str, str]:
    """The posted answers (form fields only) to carry back into the form."""
    return {name: post[name] for name in SelfCheckForm.base_fields if post.get(name)}


def _form_page(request, form, status=200):
    return render(request, "applications/eligibility/self_check.html", {"form": form},
                  status=status)


# -- staff page ----------------------------------------------------------------------------


def _override_forms(display, bound_rule=None, bound_form=None) -> list[dict]:
    rows = []
    for row in display.findings:
        if row.rule_id == bound_rule:
            form = bound_form
        else:
            form = OverrideForm(prefix=f"ov-{row.rule_id}", current_outcome=row.outcome)
        rows.append({"row": row, "form": form})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def staff_eligibility(request, public_id):
    application = get_permitted_object_or_404(
        request.user, OVERRIDE_PERMISSION,
        Application.objects.select_related("company", "call"), public_id=public_id)
    display = eligibility_for_display(application)
    bound_rule = bound_form = None
    status = 200
    if request.method == "POST":
        bound_rule = request.POST.get("rule_id", "")
        row = next((r for r in display.findings if r.rule_id == bound_rule), None)
        if row is None:
            messages.error(request, _("変更する項目が見つかりませんでした。もう一度お試しください。"))
            return redirect(request.path)
        bound_form = OverrideForm(request.POST, prefix=f"ov-{bound_rule}",
                                  current_outcome=row.outcome)
        if bound_form.is_valid():
            try:
                eligibility_finding_override(
                    application=application, rule_id=bound_rule,
                    new_outcome=bound_form.cleaned_data["new_outcome"],
                    reason=bound_form.cleaned_data["reason"], actor=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    bound_form.add_error(field if field in bound_form.fields else None, errors)
            else:
                messages.success(request, _("%(rule)s の判定を変更しました。") % {"rule": bound_rule})
                return redirect(request.path)
        status = 400
    return render(request, "applications/staff/eligibility.html", {
        "application": application,
        "eligibility": display,
        "rows": _override_forms(display, bound_rule, bound_form),
        "bound_rule": bound_rule,
    }, status=status)
