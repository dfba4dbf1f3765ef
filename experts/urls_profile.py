from django.urls import path

from experts.views import profile

app_name = "expert_profile"

urlpatterns = [
    # -- expert's own profile --
    path("", profile.profile_edit, name="edit"),
]
