"""The expert's own profile (/expert/profile/): contact, coverage and profile text.

Only a user in the expert group with a linked registry entry (`user.expert_profile`) reaches
it; anyone else gets a 404. Capacity and the active flag are staff decisions: the form does
not have them, so POSTing them changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from experts import services
from experts.forms import ExpertProfileForm
from experts.models import Expert


def _own_expert(request) -> Expert:
    expert = Expert.objects.filter(user=request.user).first()
    if expert is None or not request.user.has_perm("experts.edit_own_profile", expert):
        raise Http404
    return expert


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request):
    expert = _own_expert(request)
    form = ExpertProfileForm(request.POST if request.method == "POST" else None, expert=expert)
    if request.method == "POST" and form.is_valid():
        services.expert_profile_update(expert=expert, actor=request.user,
                                       data=form.data_for_service())
        messages.success(request, _("プロフィールを保存しました。"))
        return redirect("expert_profile:edit")
    return render(request, "experts/profile_form.html", {"form": form, "expert": expert},
                  status=400 if form.errors else 200)
