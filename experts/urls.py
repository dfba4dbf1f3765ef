from django.urls import path  # noqa: F401 - the experts area adds its paths below

app_name = "experts"

urlpatterns = [
    # -- registry, matching, assignments (staff) --
]
