"""The expert registry (staff): list, create, edit, deactivate, conflicts of interest.

Each view: permission (staff only; anyone else gets a 404) → form → one service call →
response.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts import selectors, services
from experts.forms import ConflictForm, ExpertFilterForm, ExpertForm
from experts.models import Expert, ExpertConflict

PAGE_SIZE = 50
STAFF_BASE = "screening/base_staff.html"


def require_staff(request, perm: str = "experts.manage_registry") -> None:
    if not request.user.has_perm(perm):
        raise Http404


def _expert(pk: int) -> Expert:
    try:
        return selectors.expert_detail(pk)
    except Expert.DoesNotExist:
        raise Http404 from None


@require_GET
@login_required
def expert_list(request):
    require_staff(request)
    form = ExpertFilterForm(request.GET)
    queryset = form.filter(selectors.experts_with_load()).order_by("name_kana", "name", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "experts/expert_list.html",
                  {"base_template": STAFF_BASE, "form": form, "page": page},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def expert_create(request):
    require_staff(request)
    form = ExpertForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        expert = services.expert_create(actor=request.user, data=form.data_for_service())
        messages.success(request, _("専門家「%(name)s」を登録しました。") % {"name": expert.name})
        return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html",
                  {"base_template": STAFF_BASE, "form": form, "expert": None},
                  status=400 if form.errors else 200)


def _detail(request, expert, conflict_form=None, status=200):
    return render(request, "experts/expert_detail.html", {
        "base_template": STAFF_BASE, "expert": expert,
        "conflict_form": conflict_form or ConflictForm(),
        "conflicts": list(expert.conflicts.all()),
        "current_assignments": expert.current_assignments,
    }, status=status)


@require_GET
@login_required
def expert_detail(request, pk):
    require_staff(request)
    return _detail(request, _expert(pk))


@require_http_methods(["GET", "POST"])
@login_required
def expert_edit(request, pk):
    require_staff(request)
    expert = _expert(pk)
    form = ExpertForm(request.POST if request.method == "POST" else None, expert=expert)
    if request.method == "POST" and form.is_valid():
        services.expert_update(expert=expert, actor=request.user, data=form.data_for_service())
        messages.success(request, _("専門家の登録内容を保存しました。"))
        return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html",
                  {"base_template": STAFF_BASE, "form": form, "expert": expert},
                  status=400 if form.errors else 200)


@require_POST
@login_required
def expert_deactivate(request, pk):
    require_staff(request)
    expert = _expert(pk)
    services.expert_deactivate(expert=expert, actor=request.user)
    messages.success(request, _("「%(name)s」を稼働していない状態にしました。マッチングの候補には"
                                "表示されません（現在の担当はそのままです）。") % {"name": expert.name})
    return redirect("experts:detail", pk=expert.pk)


@require_POST
@login_required
def conflict_add(request, pk):
    require_staff(request)
    expert = _expert(pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        company = form.cleaned_data["company"]
        try:
            services.conflict_add(expert=expert, company=company,
                                  note=form.cleaned_data["note"], actor=request.user)
        except services.ExpertError as exc:
            form.add_error("company", exc.message)
        else:
            messages.success(request, _("%(company)sとの利益相反を登録しました。")
                             % {"company": company.name})
            return redirect("experts:detail", pk=expert.pk)
    return _detail(request, expert, conflict_form=form, status=400)


@require_POST
@login_required
def conflict_remove(request, pk, conflict_pk):
    require_staff(request)
    conflict = get_object_or_404(ExpertConflict.objects.select_related("expert", "company"),
                                 pk=conflict_pk, expert_id=pk)
    services.conflict_remove(conflict=conflict, actor=request.user)
    messages.success(request, _("%(company)sとの利益相反の登録を削除しました。")
                     % {"company": conflict.company.name})
    return redirect("experts:detail", pk=pk)
