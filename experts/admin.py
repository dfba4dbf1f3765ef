from django.contrib import admin

from experts.models import Assignment, Expert, ExpertConflict
from handson.admin import ReadOnlyAdmin


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "capacity", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "name_kana", "email")


@admin.register(ExpertConflict)
class ExpertConflictAdmin(ReadOnlyAdmin):
    list_display = ("expert", "company", "declared_at")
    list_select_related = ("expert", "company")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "expert", "assigned_at", "ended_at")
    list_select_related = ("application__company", "expert")
