from django.urls import path

from experts.views import assignments, registry

app_name = "experts"

urlpatterns = [
    # -- registry, matching, assignments (staff) --
    path("", registry.expert_list, name="list"),
    path("new/", registry.expert_create, name="create"),
    path("<int:pk>/", registry.expert_detail, name="detail"),
    path("<int:pk>/edit/", registry.expert_edit, name="edit"),
    path("<int:pk>/deactivate/", registry.expert_deactivate, name="deactivate"),
    path("<int:pk>/conflicts/add/", registry.conflict_add, name="conflict_add"),
    path("<int:pk>/conflicts/<int:conflict_pk>/remove/", registry.conflict_remove,
         name="conflict_remove"),
    path("assignments/<uuid:public_id>/replace/", assignments.assignment_replace,
         name="assignment_replace"),
]
