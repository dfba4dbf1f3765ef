from django.urls import include, path

from applications.views import documents, webform

app_name = "applications"

urlpatterns = [
    path("documents/<uuid:public_id>/download/", documents.document_download,
         name="document_download"),
    # -- eligibility self-check --
    path("", include("applications.urls_eligibility")),
    # -- apply page, online registration, access links --
    path("", include("applications.urls_registration")),
    # -- WEB form and documents --
    path("my/applications/<uuid:public_id>/form/", webform.webform, name="webform"),
    path("my/applications/<uuid:public_id>/documents/", webform.document_upload_view,
         name="document_upload"),
    path("my/applications/<uuid:public_id>/documents/<uuid:document_id>/delete/",
         webform.document_delete_view, name="document_delete"),
    path("my/applications/<uuid:public_id>/documents/fy2025/", webform.document_reuse_view,
         name="document_reuse_fy2025"),
    # -- submission, status, withdrawal --
    path("my/applications/", include("applications.urls_status")),
]
