from django.urls import path  # noqa: F401 - the support area adds its paths below

from support.views import company as lifecycle_company
from support.views import during_company, during_staff, portal
from support.views import staff as lifecycle_staff

app_name = "support"

urlpatterns = [
    # -- consent, kickoff, support cases (staff) --
    path("staff/support/", lifecycle_staff.case_list, name="case_list"),
    path("staff/support/<uuid:public_id>/", lifecycle_staff.case_detail, name="case_detail"),
    path("staff/support/<uuid:public_id>/consent/", lifecycle_staff.case_consent,
         name="case_consent"),
    path("staff/support/<uuid:public_id>/kickoff/", lifecycle_staff.case_kickoff,
         name="case_kickoff"),
    path("staff/support/<uuid:public_id>/period/", lifecycle_staff.case_period,
         name="case_period"),
    path("staff/support/<uuid:public_id>/complete/", lifecycle_staff.case_complete,
         name="case_complete"),
    path("staff/support/<uuid:public_id>/terminate/", lifecycle_staff.case_terminate,
         name="case_terminate"),
    path("staff/support/<uuid:public_id>/declination/", lifecycle_staff.case_declination,
         name="case_declination"),
    # -- during support (staff): activities, trips and costs, reviews, surveys --
    path("staff/support/cases/<uuid:public_id>/activities/", during_staff.activities,
         name="staff_activities"),
    path("staff/support/cases/<uuid:public_id>/trips/", during_staff.trips,
         name="staff_trips"),
    path("staff/support/cases/<uuid:public_id>/trips/<int:pk>/", during_staff.trip_detail,
         name="staff_trip"),
    path("staff/support/cases/<uuid:public_id>/trips/<int:pk>/plan/", during_staff.trip_plan,
         name="staff_trip_plan"),
    path("staff/support/cases/<uuid:public_id>/trips/<int:pk>/confirm/",
         during_staff.trip_confirm_record, name="staff_trip_confirm"),
    path("staff/support/cases/<uuid:public_id>/trips/<int:pk>/costs/", during_staff.trip_cost,
         name="staff_trip_cost"),
    path("staff/support/cases/<uuid:public_id>/trips/<int:pk>/cancel/",
         during_staff.trip_cancel, name="staff_trip_cancel"),
    path("staff/support/cases/<uuid:public_id>/trips/<int:pk>/done/", during_staff.trip_done,
         name="staff_trip_done"),
    path("staff/support/cases/<uuid:public_id>/reviews/", during_staff.reviews,
         name="staff_reviews"),
    path("staff/support/cases/<uuid:public_id>/surveys/", during_staff.surveys,
         name="staff_surveys"),
    path("staff/support/cases/<uuid:public_id>/surveys/<int:pk>/", during_staff.survey_detail,
         name="staff_survey"),
    path("staff/support/surveys/", during_staff.surveys_overdue, name="surveys_overdue"),
    # -- expert portal --
    path("expert/", portal.home, name="expert_home"),
    path("expert/companies/<uuid:public_id>/", portal.case, name="expert_case"),
    path("expert/companies/<uuid:public_id>/activities/new/", portal.activity_new,
         name="expert_activity_new"),
    path("expert/companies/<uuid:public_id>/trips/new/", portal.trip_new,
         name="expert_trip_new"),
    path("expert/companies/<uuid:public_id>/trips/<int:pk>/plan/", portal.trip_plan,
         name="expert_trip_plan"),
    path("expert/companies/<uuid:public_id>/trips/<int:pk>/done/", portal.trip_done,
         name="expert_trip_done"),
    # -- company pages --
    path("my/applications/<uuid:public_id>/trips/<int:pk>/confirm/", during_company.trip_confirm,
         name="trip_confirm"),
    path("my/applications/<uuid:public_id>/surveys/<int:pk>/", during_company.survey_answer,
         name="survey_answer"),
    path("my/applications/<uuid:public_id>/support/", lifecycle_company.company_case,
         name="company_case"),
    path("my/applications/<uuid:public_id>/support/decline/", lifecycle_company.decline,
         name="decline"),
    path("my/applications/<uuid:public_id>/support/declination.pdf",
         lifecycle_company.declination_pdf, name="declination_pdf"),
]
