"""⑤⑥ decisions and notices, included into the `screening` namespace (under /staff/)."""

from django.urls import path

from screening.views import notices

urlpatterns = [
    path("notices/", notices.notice_batch, name="notice_batch"),
    path("notices/draft-missing/", notices.notices_draft_missing, name="notices_draft_missing"),
    path("notices/<int:pk>/", notices.notice_edit, name="notice_edit"),
    # The applicant's 採択通知書 / 応募・利用条件兼同意書 (owner of an adopted application).
    path("notices/<uuid:public_id>/<slug:document>.pdf", notices.notice_pdf, name="notice_pdf"),
]
