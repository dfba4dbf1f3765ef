"""JETRO's periodic review of a support case (V.2: ジェトロが定期的に支援活動のレビューを実施し、
必要に応じて専門家の交替その他支援の見直しを行います).

The decision:
- `continue`: recorded;
- `change_expert`: the experts room replaces the expert (`assignment_replace`, reason = the
  findings; the old assignment ends, history kept) in the same transaction — if the
  replacement is refused, no review is recorded either;
- `end`: recorded only; ending the support (complete / terminate) is the lifecycle's form,
  which the review page links to.
The next review is due `review_interval_days` after this one (`support.selectors.review_next_due`).
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from experts.models import Expert
from handson.audit import audit_record
from support.enums import ReviewDecision
from support.models import Review, SupportCase
from support.services.activities import (
    DuringError,
    locked_case,
    require_in_support,
    require_staff,
    today,
)

RULE_REVIEW = "V.2"


def review_record(*, case: SupportCase, held_on: date, findings: str, decision: str, actor,
                  new_expert: Expert | None = None) -> Review:
    require_staff(actor)
    findings = (findings or "").strip()
    with transaction.atomic():
        locked = locked_case(case)
        require_in_support(locked)
        errors: dict[str, str] = {}
        if held_on is None:
            errors["held_on"] = _("実施日を入力してください。")
        elif held_on > today():
            errors["held_on"] = _("実施日は今日以前の日付を入力してください。")
        elif locked.period_start is not None and held_on < locked.period_start:
            errors["held_on"] = _("実施日は支援開始日以降の日付を入力してください。")
        if not findings:
            errors["findings"] = _("所見を入力してください。")
        if decision not in ReviewDecision.values:
            errors["decision"] = _("結論を選んでください。")
        if decision == ReviewDecision.CHANGE_EXPERT and new_expert is None:
            errors["new_expert"] = _("交替後の専門家を選んでください。")
        if errors:
            raise DuringError(errors)
        review = Review.objects.create(case=locked, held_on=held_on, findings=findings,
                                       decision=decision, reviewer=actor)
        after = {"case": locked.pk, "held_on": held_on.isoformat(), "decision": decision,
                 "findings": findings}
        if decision == ReviewDecision.CHANGE_EXPERT:
            from experts.services import AssignmentError, assignment_replace

            try:
                assignment = assignment_replace(application=locked.application,
                                                new_expert=new_expert, reason=findings,
                                                actor=actor)
            except AssignmentError as exc:
                raise DuringError({"new_expert": exc.message}) from exc
            after["new_expert"] = assignment.expert_id
        audit_record(actor=actor, action="review.recorded", obj=review, after=after,
                     rule_ids=[RULE_REVIEW])
    return review
