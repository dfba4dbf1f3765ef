"""Permissions of the support room (django-rules autodiscovers this module).

Each area keeps its rules under its own marker below; append only.
"""

import rules

from applications.rules import owns_application
from handson.roles import is_staff_member

# -- support lifecycle: consent, kickoff, period, 辞退届, end (staff and company pages) --
# Staff (JETRO staff and admins) run the lifecycle. The list answers 403 to everyone else,
# the case pages 404. The company's support page: its owner (and staff, to see what the
# company sees); another applicant, a committee member or an expert gets a 404. The 辞退届
# online is the owner's own act while it is allowed (adopted, consent received); its PDF
# form goes to the owner from adoption on, and to staff.


@rules.predicate
def in_support_lifecycle(user, application) -> bool:
    from support.selectors_lifecycle import SUPPORT_STATUSES

    return application is not None and application.status in SUPPORT_STATUSES


@rules.predicate
def may_decline(user, application) -> bool:
    from applications.services.workflow import SUPPORT_DECLINABLE

    return application is not None and application.status in SUPPORT_DECLINABLE


@rules.predicate
def declination_form_available(user, application) -> bool:
    from applications.enums import ApplicationStatus as S
    from applications.services.workflow import SUPPORT_DECLINABLE

    return application is not None and (
        application.status in SUPPORT_DECLINABLE or application.status == S.DECLINED)


rules.add_perm("support.view_support_cases", is_staff_member)
rules.add_perm("support.manage_support_case", is_staff_member)
rules.add_perm("support.view_company_case",
               (owns_application & in_support_lifecycle) | is_staff_member)
rules.add_perm("support.decline_online", owns_application & may_decline)
rules.add_perm("support.download_declination_form",
               (owns_application & declination_form_available) | is_staff_member)


# -- during support: activities, trips and costs, reviews, surveys, expert portal --
# The support side is JETRO staff (and admins) and the expert CURRENTLY assigned to the
# application (experts.Assignment with ended_at null); both see every activity of the case,
# internal notes included. An expert whose assignment ended, or who was never assigned, gets
# a 404 like anyone else. The staff sub-pages are staff only (experts use the portal). The
# company's own acts (confirming its share of a 2nd+ trip, answering a survey) are the owner
# applicant's only: staff record a confirmation received by mail/phone on their own page.
# Views also check ownership / the expert profile explicitly: a superuser passes every
# has_perm, and neither of those acts is an admin's.

from handson.roles import is_expert  # noqa: E402 - this section's own import (append-only file)


@rules.predicate
def is_current_expert_of(user, application) -> bool:
    if application is None or not user.is_authenticated:
        return False
    from experts.models import Assignment

    return Assignment.objects.filter(application=application, expert__user=user,
                                     ended_at__isnull=True).exists()


@rules.predicate
def has_expert_profile(user) -> bool:
    from experts.models import Expert

    return user.is_authenticated and Expert.objects.filter(user=user).exists()


rules.add_perm("support.use_expert_portal", is_expert & has_expert_profile)
rules.add_perm("support.view_support_side",
               is_staff_member | (is_expert & is_current_expert_of))
rules.add_perm("support.record_activity",
               is_staff_member | (is_expert & is_current_expert_of))
rules.add_perm("support.manage_trips_costs_reviews", is_staff_member)
rules.add_perm("support.view_overdue_surveys", is_staff_member)
rules.add_perm("support.confirm_trip_share", owns_application)
rules.add_perm("support.answer_survey", owns_application)
