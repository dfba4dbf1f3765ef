import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_STARTED = "_handson_started"
SESSION_SEEN = "_handson_seen"


class SessionLifetimeMiddleware:
    """Staff, committee and expert sessions end after 30 min idle and 12 h in all (ASVS L2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.needs_strong_session:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str:
        now = time.time()
        started = request.session.setdefault(SESSION_STARTED, now)
        seen = request.session.get(SESSION_SEEN, now)
        if now - seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            return _("30分間操作がなかったため、安全のためログアウトしました。もう一度ログインしてください。")
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
            return _("ログインから12時間が経過したため、ログアウトしました。もう一度ログインしてください。")
        request.session[SESSION_SEEN] = now
        return ""


class RequireSecondFactorMiddleware:
    """Staff, committee and expert accounts must pass TOTP before any other page."""

    OPEN_PREFIXES = ("/login/", "/logout/", "/static/", "/i18n/", "/healthz",
                     "/session/keepalive")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from handson.otp import confirmed_device, needs_second_factor

        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user) and not request.path.startswith(
            self.OPEN_PREFIXES
        ):
            name = "handson:otp_verify" if confirmed_device(user) else "handson:otp_setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
