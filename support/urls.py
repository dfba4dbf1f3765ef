from django.urls import path  # noqa: F401 - the support area adds its paths below

app_name = "support"

urlpatterns = [
    # -- consent, kickoff, support cases (staff) --
    # -- expert portal --
    # -- company pages --
]
