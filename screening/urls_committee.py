"""④ 採択企業選定審査委員会, included into the `screening` namespace (under /staff/)."""

from django.urls import path

from screening.views import committee

M = "committee/meetings/<int:pk>/"

urlpatterns = [
    path("committee/", committee.committee_home, name="committee_home"),
    path("committee/meetings/new/", committee.meeting_new, name="meeting_new"),
    path(M, committee.meeting_detail, name="meeting_detail"),
    path(f"{M}edit/", committee.meeting_edit, name="meeting_edit"),
    path(f"{M}open/", committee.meeting_open, name="meeting_open"),
    path(f"{M}close/", committee.meeting_close, name="meeting_close"),
    path(f"{M}items/<int:item_pk>/", committee.packet, name="packet"),
    path(f"{M}minutes.pdf", committee.minutes_download, name="minutes_download"),
    path(f"{M}minutes/regenerate/", committee.minutes_regenerate, name="minutes_regenerate"),
    path("committee/applications/<uuid:public_id>/reverse/", committee.decision_reverse,
         name="decision_reverse"),
]
