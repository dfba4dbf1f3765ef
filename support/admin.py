from django.contrib import admin

from handson.admin import ReadOnlyAdmin
from support.models import Activity, Declination, Review, SupportCase, Survey, Trip


@admin.register(SupportCase)
class SupportCaseAdmin(ReadOnlyAdmin):
    list_display = ("application", "period_start", "period_end", "end_kind", "ended_on")
    list_select_related = ("application__company",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "date", "expert")
    list_select_related = ("case__application__company", "expert")


@admin.register(Trip)
class TripAdmin(ReadOnlyAdmin):
    list_display = ("case", "sequence", "destination", "start_on", "status")
    list_select_related = ("case__application__company",)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "held_on", "decision")
    list_select_related = ("case__application__company",)


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "due_on", "answered_at")
    list_select_related = ("case__application__company",)


@admin.register(Declination)
class DeclinationAdmin(ReadOnlyAdmin):
    list_display = ("application", "channel", "submitted_on")
    list_select_related = ("application__company",)
