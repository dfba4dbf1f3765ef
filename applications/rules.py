import rules

from handson.roles import is_staff_member


@rules.predicate
def owns_application(user, application) -> bool:
    return application is not None and user.is_authenticated and (
        application.applicant_id == user.pk
    )


@rules.predicate
def owns_document(user, document) -> bool:
    return document is not None and owns_application(user, document.application)


rules.add_perm("applications.view_application", owns_application | is_staff_member)
rules.add_perm("applications.view_document", owns_document | is_staff_member)
