"""Saving the WEB form (IV.2(1)②) one section at a time, as the applicant goes."""

from django.db import transaction

from applications.enums import ApplicationStatus
from applications.models import Application, WebFormAnswers
from applications.services.eligibility import application_eligibility_refresh
from applications.webform_questions import SECTIONS
from handson.audit import audit_record


class ApplicationNotEditable(Exception):  # noqa: N818 - a domain outcome, not a crash
    """The WEB form and documents can change only while the application awaits documents."""

    def __init__(self, application: Application):
        self.application = application
        super().__init__(f"application {application.pk} is {application.status}: not editable")


def lock_editable(application: Application) -> Application:
    """Lock the application row (inside a transaction) and check it may still change."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.AWAITING_DOCUMENTS:
        raise ApplicationNotEditable(locked)
    return locked


def webform_section_save(*, actor, application: Application, section: str,
                         values: dict) -> list[str]:
    """Store one section's cleaned values; return the names of the fields that changed.

    Only the section's own fields (for the application's project type) can be written: any
    other key is a programming error, never a silent write.
    """
    spec = SECTIONS[section]
    allowed = set(spec.fields_for(application.project_type))
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"fields outside section {section!r}: {sorted(unknown)}")
    with transaction.atomic():
        locked = lock_editable(application)
        answers, _created = WebFormAnswers.objects.get_or_create(application=locked)
        changed = {"answers": [], "application": []}
        for name, value in values.items():
            key = "application" if name in spec.application_fields else "answers"
            target = locked if key == "application" else answers
            if getattr(target, name) != value:
                setattr(target, name, value)
                changed[key].append(name)
        if changed["answers"]:
            answers.save(update_fields=[*changed["answers"], "updated_at"])
        if changed["application"]:
            locked.save(update_fields=[*changed["application"], "updated_at"])
        names = changed["answers"] + changed["application"]
        if names:
            audit_record(actor=actor, action="webform.saved", obj=locked,
                         after={"section": section, "fields": names}, rule_ids=spec.rule_ids)
            # The facts may have changed: the stored eligibility follows them (issue #3).
            application_eligibility_refresh(application=locked, actor=actor)
    for name in changed["application"]:  # keep the caller's instance current
        setattr(application, name, getattr(locked, name))
    return names
