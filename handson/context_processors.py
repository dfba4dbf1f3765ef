from django.conf import settings
from django.utils.translation import gettext_lazy as _


def site(request):
    user = getattr(request, "user", None)
    strong = bool(user and user.is_authenticated and user.needs_strong_session)
    return {
        "SITE_NAME": _("専門家による海外展開支援"),
        "session_idle_seconds": (
            int(settings.SESSION_IDLE_TIMEOUT.total_seconds()) if strong else None
        ),
    }
