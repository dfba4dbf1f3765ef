"""Withdrawals that reach JETRO in writing outside the system (FORM-WITHDRAW: e-mail accepted)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from applications.models import Application
from applications.services import workflow
from handson.roles import is_staff_member

# Written into the audit log as data (Japanese, whatever the staff member's language).
CHANNELS = {"email": "メール", "post": "書面（郵送・持参）"}


class WithdrawalNotPossible(Exception):  # noqa: N818 - a domain outcome, not a crash
    def __init__(self, application: Application):
        self.message = _("この申込は採否の決定後または手続きの終了後のため、辞退として記録できません。"
                         "（現在の状態：%(status)s）") % {"status": application.get_status_display()}
        super().__init__(self.message)


def withdrawal_record(*, application: Application, channel: str, received_on: date,
                      reason: str, actor) -> Application:
    """Staff enter a written withdrawal received by e-mail or post; the applicant is told."""
    if not is_staff_member(actor):
        raise PermissionDenied
    note = f"{CHANNELS[channel]}で受領（{received_on:%Y-%m-%d}）"
    try:
        return workflow.application_withdraw(application=application, actor=actor,
                                             reason=reason, note=note)
    except workflow.TransitionError as exc:
        raise WithdrawalNotPossible(application) from exc
