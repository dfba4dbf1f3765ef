"""Submission, status, withdrawal and the 申込内容控え (mounted under /my/applications/)."""

from django.urls import path

from applications.views import status

urlpatterns = [
    path("<uuid:public_id>/", status.application_status, name="status"),
    path("<uuid:public_id>/submit/", status.application_submit, name="submit"),
    path("<uuid:public_id>/withdraw/", status.application_withdraw, name="withdraw"),
    path("<uuid:public_id>/copy.pdf", status.application_copy_pdf, name="copy_pdf"),
]
