"""The composition root: every room's URLs are mounted here."""

from django.contrib import admin
from django.urls import include, path

from applications.views.public import home
from handson.views import auth, otp, public

handson_patterns = [
    path("healthz", public.healthz, name="healthz"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("login/verify/", otp.otp_verify, name="otp_verify"),
    path("login/setup/", otp.otp_setup, name="otp_setup"),
    path("session/keepalive", auth.keepalive, name="keepalive"),
]

urlpatterns = [
    path("", home, name="home"),
    path("", include((handson_patterns, "handson"))),
    path("", include("applications.urls")),
    path("staff/", include("screening.urls")),
    path("staff/experts/", include("experts.urls")),
    path("expert/profile/", include("experts.urls_profile")),
    path("", include("support.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One login for everyone (throttled, second factor): the admin's own form is not used.
    path("admin/login/", auth.admin_login_redirect),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "ハンズオン支援 管理"
admin.site.site_title = "ハンズオン支援 管理"
