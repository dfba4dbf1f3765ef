from django.urls import include, path  # noqa: F401 - each area adds its paths below its marker

from screening.views import dashboard as dashboard_views
from screening.views import mails as mail_views

app_name = "screening"

urlpatterns = [
    # -- dashboard, list, CSV, application page --
    path("", dashboard_views.dashboard, name="dashboard"),
    path("applications/", dashboard_views.application_list, name="application_list"),
    path("applications/export.csv", dashboard_views.application_csv, name="application_csv"),
    path("applications/<uuid:public_id>/", dashboard_views.application_detail,
         name="application_detail"),
    path("applications/<uuid:public_id>/assign/", dashboard_views.application_assign,
         name="application_assign"),
    path("applications/<uuid:public_id>/withdrawal/",
         dashboard_views.application_withdrawal_record, name="application_withdrawal"),
    path("mails/", mail_views.mail_list, name="mail_list"),
    path("mails/<int:pk>/resend/", mail_views.mail_resend_view, name="mail_resend"),
    # -- document screening and interviews --
    path("", include("screening.urls_review")),  # screening/urls_review.py
    # -- committee --
    path("", include("screening.urls_committee")),  # screening/urls_committee.py
    # -- decisions and notices --
    # -- matching --
    path("", include("screening.urls_matching")),  # screening/urls_matching.py
    path("", include("screening.urls_notices")),  # screening/urls_notices.py
]
