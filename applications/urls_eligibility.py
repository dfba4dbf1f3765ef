"""The eligibility self-check (anyone) and the staff eligibility page (mounted at the root)."""

from django.urls import path

from applications.views import eligibility

urlpatterns = [
    path("eligibility/", eligibility.self_check, name="eligibility"),
    path("staff/applications/<uuid:public_id>/eligibility/", eligibility.staff_eligibility,
         name="staff_eligibility"),
]
