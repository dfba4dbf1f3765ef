"""A throwaway upload view for tests/handson/test_uploads.py (and the gunicorn it starts)."""

from django.http import JsonResponse
from django.urls import path

from handson.uploads import (
    limit_upload_size,
    upload_cut_off_field,
    upload_cut_off_message,
    upload_was_cut_off,
)


def _report(request):
    """What the view saw, as the WEB form view would use it."""
    body = {
        "cut_off": upload_was_cut_off(request),
        "field": upload_cut_off_field(request),
        "message": upload_cut_off_message(request) if upload_was_cut_off(request) else "",
        "post": {key: request.POST.getlist(key) for key in request.POST
                 if key != "csrfmiddlewaretoken"},
        "files": {key: [f.size for f in request.FILES.getlist(key)] for key in request.FILES},
    }
    return JsonResponse(body, status=413 if body["cut_off"] else 200)


@limit_upload_size
def upload(request):
    return _report(request)


@limit_upload_size(max_total_bytes=1_500_000)
def upload_small_total(request):
    return _report(request)


def unlimited(request):
    return _report(request)


urlpatterns = [
    path("upload/", upload, name="upload"),
    path("upload-small-total/", upload_small_total, name="upload_small_total"),
    path("unlimited/", unlimited, name="unlimited"),
]
