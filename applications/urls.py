from django.urls import path

from applications.views import documents

app_name = "applications"

urlpatterns = [
    path("documents/<uuid:public_id>/download/", documents.document_download,
         name="document_download"),
    # -- eligibility self-check --
    # -- apply page, online registration, access links --
    # -- WEB form and documents --
    # -- submission, status, withdrawal --
]
