from django.contrib import admin

from applications.models import Application, Call, Company, Document, EligibilityOverride
from handson.admin import ReadOnlyAdmin


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "fiscal_year", "opens_on", "closes_on", "planned_count",
                    "intake_closed")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "name_kana", "corporate_number", "prefecture", "industry")
    search_fields = ("name", "name_kana", "corporate_number")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("company", "call", "status", "project_type", "eligibility_outcome",
                    "received_at")
    list_filter = ("status", "project_type", "eligibility_outcome", "call")
    search_fields = ("company__name", "company__name_kana", "company__corporate_number")
    list_select_related = ("company", "call")
    readonly_fields = ("status", "status_changed_at", "received_at", "consortium_id")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("application", "kind", "fiscal_year", "size_bytes", "page_count", "source")
    list_select_related = ("application__company",)
    exclude = ("file",)


@admin.register(EligibilityOverride)
class EligibilityOverrideAdmin(ReadOnlyAdmin):
    list_display = ("application", "rule_id", "original_outcome", "new_outcome", "created_by",
                    "created_at")
    list_select_related = ("application__company", "created_by")
