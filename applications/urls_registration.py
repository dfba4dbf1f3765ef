"""/apply/, the online registration (FORM-TIMEOUT) and the personal links (FORM-AUTOREPLY).

Included from applications/urls.py, inside the "applications" namespace.
"""

from django.urls import path

from applications.views import access, registration

urlpatterns = [
    path("apply/", registration.apply, name="apply"),
    path("apply/register/start/", registration.register_start, name="register_start"),
    path("apply/register/<int:step>/", registration.register, name="register"),
    path("apply/register/confirm/", registration.register_confirm, name="register_confirm"),
    path("apply/register/done/", registration.register_done, name="register_done"),
    path("apply/register/timeout/", registration.register_timeout, name="register_timeout"),
    # "resend" before the token pattern, which would otherwise match it.
    path("access/resend/", access.link_resend, name="link_resend"),
    path("access/<str:token>/", access.access, name="access"),
]
