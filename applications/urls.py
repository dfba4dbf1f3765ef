from django.urls import path

from applications.views import documents

app_name = "applications"

urlpatterns = [
    path("documents/<uuid:public_id>/download/", documents.document_download,
         name="document_download"),
]
