from django.urls import path  # noqa: F401 - the experts area adds the profile pages below

app_name = "expert_profile"

urlpatterns = [
    # -- expert's own profile --
]
