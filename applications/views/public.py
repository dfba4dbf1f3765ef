from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from applications.selectors import call_current

HOME_LINKS = [
    ("applications:apply", _("お申し込みの前に（申込要領と準備）")),
    ("applications:eligibility", _("申込要件のセルフチェック")),
    ("applications:link_resend", _("WEBフォームのリンクを再送する")),
    ("screening:dashboard", _("審査ダッシュボード（職員）")),
]


def _links() -> list[dict]:
    links = []
    for name, label in HOME_LINKS:
        try:
            links.append({"url": reverse(name), "label": label})
        except NoReverseMatch:  # that room's pages are not installed (yet)
            continue
    return links


@require_GET
def home(request):
    return render(request, "applications/home.html", {"call": call_current(), "links": _links()})
