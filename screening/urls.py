from django.urls import path  # noqa: F401 - each area adds its paths below its marker

app_name = "screening"

urlpatterns = [
    # -- dashboard, list, CSV, application page --
    # -- document screening and interviews --
    # -- committee --
    # -- decisions and notices --
]
