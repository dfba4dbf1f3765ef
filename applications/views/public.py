from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from applications.selectors import applications_of, call_current
from handson.enums import Role

PUBLIC_LINKS = [
    ("applications:apply", _("お申し込みの前に（申込要領と準備）")),
    ("applications:eligibility", _("申込要件のセルフチェック")),
    ("applications:link_resend", _("WEBフォームのリンクを再送する")),
]
# Each signed-in role's own starting points (URL names of the higher rooms).
ROLE_LINKS = {
    Role.STAFF: [("screening:dashboard", _("審査ダッシュボード")),
                 ("support:case_list", _("支援案件"))],
    Role.COMMITTEE: [("screening:committee_home", _("審査委員会（審議と投票）"))],
    Role.EXPERT: [("support:expert_home", _("担当企業（専門家ポータル）")),
                  ("expert_profile:edit", _("プロフィールの編集"))],
}


def _reversed(pairs, *args) -> list[dict]:
    links = []
    for name, label in pairs:
        try:
            links.append({"url": reverse(name, args=args), "label": label})
        except NoReverseMatch:  # that room's pages are not installed (yet)
            continue
    return links


def _links_for(user) -> list[dict]:
    if not user.is_authenticated:
        return _reversed(PUBLIC_LINKS)
    links = []
    for role, pairs in ROLE_LINKS.items():
        if user.has_role(role) or (role == Role.STAFF and user.is_superuser):
            links += _reversed(pairs)
    for application in applications_of(user):
        links += [{"url": reverse("applications:status", args=[application.public_id]),
                   "label": _("%(company)s のお申し込み") % {"company": application.company}}]
    return links or _reversed(PUBLIC_LINKS)


@require_GET
def home(request):
    return render(request, "applications/home.html",
                  {"call": call_current(), "links": _links_for(request.user)})
