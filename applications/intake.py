"""Whether the online registration may start (INTAKE-CAP, IV.3: 予定件数に達し次第、終了).

Intake is closed when there is no call, when staff closed it (`Call.intake_closed`), when
today (Asia/Tokyo) is outside `opens_on … closes_on`, or when the applications counted as
made — those with `received_at` set, i.e. all documents received (IV.2(2)②) — have reached
`planned_count`. The submission step must re-check the cap under a lock; this module only
answers "may a new registration start / finish now?".
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Call


@dataclass(frozen=True)
class IntakeState:
    open: bool
    reason: str = ""  # "", "no_call", "closed", "not_yet", "ended", "cap_reached"

    @property
    def message(self) -> str:
        return str(CLOSED_MESSAGES.get(self.reason, ""))


CLOSED_MESSAGES = {
    "no_call": _("現在、お申し込みの受付は行っておりません。次回の募集については、"
                 "ジェトロのウェブサイトでお知らせします。"),
    "closed": _("お申し込みの受付は終了しました。たくさんのお申し込みをいただき、"
                "ありがとうございました。"),
    "not_yet": _("お申し込みの受付はまだ始まっていません。受付開始日以降にお越しください。"),
    "ended": _("受付期間が終了したため、お申し込みの受付は終了しました。"),
    "cap_reached": _("予定件数に達したため、お申し込みの受付は終了しました。"
                     "たくさんのお申し込みをいただき、ありがとうございました。"),
}


def received_count(call: Call) -> int:
    return Application.objects.filter(call=call, received_at__isnull=False).count()


def intake_state(call: Call | None, *, today: date | None = None,
                 received: int | None = None) -> IntakeState:
    """The one INTAKE-CAP rule. `received` lets a caller holding the Call lock pass its count."""
    if call is None:
        return IntakeState(False, "no_call")
    today = today or timezone.localdate()
    if call.intake_closed:
        return IntakeState(False, "closed")
    if today < call.opens_on:
        return IntakeState(False, "not_yet")
    if today > call.closes_on:
        return IntakeState(False, "ended")
    if (received_count(call) if received is None else received) >= call.planned_count:
        return IntakeState(False, "cap_reached")
    return IntakeState(True)
