"""Permissions of the screening room (django-rules autodiscovers this module).

Each area keeps its rules under its own marker below.
"""

import rules

from handson.roles import is_staff_member

# -- dashboard, list, CSV, application page --
# Staff only (JETRO staff and admins). Committee members, experts and applicants never see
# the dashboard: the list pages answer 403, the object pages 404 (nothing leaks).
rules.add_perm("screening.view_dashboard", is_staff_member)
rules.add_perm("screening.view_application", is_staff_member)
rules.add_perm("screening.export_applications", is_staff_member)
rules.add_perm("screening.assign_staff", is_staff_member)
rules.add_perm("screening.record_withdrawal", is_staff_member)  # FORM-WITHDRAW by e-mail/post
rules.add_perm("screening.view_outbox", is_staff_member)
rules.add_perm("screening.resend_mail", is_staff_member)

# -- document screening and interviews --
# ① and ② are JETRO staff work (staff and admins); everyone else gets a 404 on these pages,
# the work queue included. Who may decide a stage: any staff member, once at least one
# assessment of that stage exists (checked by screening/services/document_screening.py); the
# decider is recorded and audited. An assessment is only ever its author's own (the service
# writes the row of the acting user), so no per-assessment predicate is needed.
rules.add_perm("screening.view_screening_queue", is_staff_member)
rules.add_perm("screening.assess_application", is_staff_member)
rules.add_perm("screening.decide_stage", is_staff_member)
rules.add_perm("screening.manage_interview", is_staff_member)
rules.add_perm("screening.move_to_committee", is_staff_member)

# -- committee --
# ④ 採択企業選定審査委員会. Staff set meetings up and see every meeting; a committee member
# sees only the meetings they sit on (another meeting's pages and packets: 404). Members
# vote; the chair or staff open and close; the minutes go to staff and the meeting's members.
# ⑤⑥ notices: staff only; the adoption notice PDFs go to the applicant who owns an adopted
# application once its adoption notice has been sent (and to staff, to preview).

from handson.roles import is_committee_member  # noqa: E402 - this section's own import


@rules.predicate
def sits_on_meeting(user, meeting) -> bool:
    from handson.enums import Role

    return (meeting is not None and user.is_authenticated and user.has_role(Role.COMMITTEE)
            and meeting.members.filter(pk=user.pk).exists())


@rules.predicate
def chairs_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.chair_id == user.pk and sits_on_meeting(user, meeting)


@rules.predicate
def owns_adopted_with_notice(user, application) -> bool:
    from applications.enums import ApplicationStatus as S
    from screening.services.notices import sent_adoption_notice

    return (application is not None and user.is_authenticated
            and application.applicant_id == user.pk
            and application.status in (S.ADOPTED, S.CONSENT_RECEIVED, S.IN_SUPPORT,
                                       S.COMPLETED)
            and sent_adoption_notice(application) is not None)


rules.add_perm("screening.view_committee_home", is_staff_member | is_committee_member)
rules.add_perm("screening.manage_meetings", is_staff_member)
rules.add_perm("screening.view_meeting", is_staff_member | sits_on_meeting)
rules.add_perm("screening.vote_in_meeting", sits_on_meeting)
rules.add_perm("screening.run_meeting", is_staff_member | chairs_meeting)
rules.add_perm("screening.view_minutes", is_staff_member | sits_on_meeting)

# -- decisions and notices --
rules.add_perm("screening.manage_notices", is_staff_member)
rules.add_perm("screening.reverse_decision", is_staff_member)
rules.add_perm("screening.view_notice_pdf", is_staff_member | owns_adopted_with_notice)
