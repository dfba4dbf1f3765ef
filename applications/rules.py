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


# -- submission, status, withdrawal --------------------------------------------------------

@rules.predicate
def awaits_documents(user, application) -> bool:
    from applications.enums import ApplicationStatus

    return application is not None and application.status == ApplicationStatus.AWAITING_DOCUMENTS


@rules.predicate
def is_withdrawable(user, application) -> bool:
    from applications.services.workflow import WITHDRAWABLE

    return application is not None and application.status in WITHDRAWABLE


@rules.predicate
def was_received(user, application) -> bool:
    return application is not None and application.received_at is not None


# The final submission uses `applications.edit_application` (owner, awaiting documents),
# defined with the WEB form below.
rules.add_perm("applications.withdraw_application", owns_application & is_withdrawable)
# 申込内容控え: the applicant once the application is received; staff at any time.
rules.add_perm("applications.view_application_copy",
               (owns_application & was_received) | is_staff_member)
rules.add_perm("applications.record_postal_document", is_staff_member)


# -- WEB form and documents (IV.1, IV.2(1)②) --
# The applicant fills in the WEB form and sends documents while the application awaits
# documents; editing stops when it is received (submitted) — the page says so.


@rules.predicate
def document_is_own_submission(user, document) -> bool:
    """Documents taken over from FY2025 (DOCS-FS-FY2025) are matched by 法人番号 only, so
    they are not handed out to the new account; staff still download them."""
    from applications.enums import DocumentSource

    return document is not None and document.source != DocumentSource.FY2025_REUSE


rules.add_perm("applications.fill_webform", owns_application)
rules.add_perm("applications.edit_application", owns_application & awaits_documents)
rules.add_perm("applications.download_document",
               (owns_document & document_is_own_submission) | is_staff_member)


# -- eligibility: staff overrides (III.1, III.3, III.4) --
# Staff see every finding of an application and may override one with a reason.
rules.add_perm("applications.override_eligibility", is_staff_member)
