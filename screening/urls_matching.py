"""③ expert matching, included into the `screening` namespace (under /staff/)."""

from django.urls import path

from screening.views import matching

urlpatterns = [
    path("applications/<uuid:public_id>/matching/", matching.matching, name="matching"),
    path("applications/<uuid:public_id>/matching/no-expert/", matching.matching_no_expert,
         name="matching_no_expert"),
]
