"""The personal link from the automatic reply (FORM-AUTOREPLY), and "mail me my link again"."""

import logging

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from applications.forms_registration import LinkResendForm
from applications.services.access_links import (
    AccessLinkError,
    access_links_resend,
    resolve_access_token,
)

logger = logging.getLogger(__name__)

# The backend recorded in the session must be one of AUTHENTICATION_BACKENDS, or the next
# request is anonymous again; EmailOrUsernameBackend is a ModelBackend (active users only).
LINK_LOGIN_BACKEND = "handson.auth.EmailOrUsernameBackend"


def _landing_url(application) -> str:
    """The WEB form; the status page or home while those rooms are not installed."""
    for name in ("applications:webform", "applications:status"):
        try:
            return reverse(name, kwargs={"public_id": application.public_id})
        except NoReverseMatch:
            continue
    return reverse("home")


@never_cache
@require_GET
def access(request, token: str):
    try:
        application = resolve_access_token(token)
    except AccessLinkError as exc:
        return render(request, "applications/access/invalid.html", {"reason": exc.reason},
                      status=410 if exc.reason == "expired" else 400)
    # login() flushes another user's session, or cycles the key of this one (fixation).
    login(request, application.applicant, backend=LINK_LOGIN_BACKEND)
    logger.info("applicant %s signed in with the link of application %s",
                application.applicant_id, application.pk)
    return redirect(_landing_url(application))


@never_cache
@require_http_methods(["GET", "POST"])
def link_resend(request):
    """The same answer whether or not the address is known (nothing leaks)."""
    form = LinkResendForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        access_links_resend(email=form.cleaned_data["email"])
        return render(request, "applications/access/resend_sent.html",
                      {"email": form.cleaned_data["email"]})
    return render(request, "applications/access/resend.html", {"form": form})
