from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST


class LoginForm(AuthenticationForm):
    error_messages = {
        # One answer whether or not the account exists.
        "invalid_login": _("ユーザー名（またはメールアドレス）かパスワードが正しくありません。"),
        "inactive": _("ユーザー名（またはメールアドレス）かパスワードが正しくありません。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ユーザー名またはメールアドレス")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].label = _("パスワード")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_POST
def keepalive(request):
    """Touching the session is enough: SessionLifetimeMiddleware records the activity."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


def admin_login_redirect(request):
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("handson:login") + (f"?{query}" if query else ""))
