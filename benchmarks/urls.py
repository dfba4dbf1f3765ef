"""The project's URLs plus the floor: a minimal Django view through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from handson.urls import urlpatterns as project_urlpatterns


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/minimal", minimal), *project_urlpatterns]
