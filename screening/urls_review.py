"""① document screening and ② interviews, included into the `screening` namespace."""

from django.urls import path

from screening.views import review

APP = "applications/<uuid:public_id>/screening/"

urlpatterns = [
    path("screening/", review.screening_work_queue, name="work_queue"),
    path(f"{APP}documents/", review.document_screening, name="document_screening"),
    path(f"{APP}documents/decision/", review.document_decision, name="document_decision"),
    path(f"{APP}interview/", review.interview_schedule, name="interview_schedule"),
    path(f"{APP}interview/<int:pk>/edit/", review.interview_edit, name="interview_edit"),
    path(f"{APP}interview/<int:pk>/cancel/", review.interview_cancel, name="interview_cancel"),
    path(f"{APP}interview/result/", review.interview_result, name="interview_result"),
    path(f"{APP}interview/decision/", review.interview_decision, name="interview_decision"),
    path(f"{APP}committee/", review.to_committee, name="to_committee"),
]
