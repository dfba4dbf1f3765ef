"""担当職員 (staff in charge) of an application: who at JETRO follows it."""

from django.db import transaction

from applications.models import Application
from handson.audit import audit_record
from handson.roles import is_staff_member


class AssignmentError(Exception):
    """The assignment cannot be made; `message` is for staff."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _label(user) -> str:
    return str(user) if user is not None else ""


def application_assign_staff(*, application: Application, staff_user, actor) -> Application:
    """Set (or, with `staff_user=None`, clear) the staff member in charge; audited.

    Only JETRO staff (or an admin) can be put in charge. Assigning the same person again
    changes nothing and writes no audit row.
    """
    if staff_user is not None and not is_staff_member(staff_user):
        raise AssignmentError("担当職員にはジェトロ職員のみ設定できます。")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        before = locked.staff_in_charge
        new_id = staff_user.pk if staff_user is not None else None
        if locked.staff_in_charge_id == new_id:
            return locked
        locked.staff_in_charge = staff_user
        locked.save(update_fields=["staff_in_charge", "updated_at"])
        audit_record(
            actor=actor, action="application.staff_assigned", obj=locked,
            before={"staff_in_charge": before.pk if before else None,
                    "staff_in_charge_name": _label(before)},
            after={"staff_in_charge": new_id, "staff_in_charge_name": _label(staff_user)},
        )
    application.staff_in_charge = staff_user
    return locked
