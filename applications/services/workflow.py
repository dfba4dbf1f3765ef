"""The state machine: the only place where `Application.status` changes.

Every transition checks the current state, locks the row, saves with update_fields, writes
the audit log, and runs its side effects (mail) after commit. Callers use the named
functions; `transition` is the shared mechanism.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.eligibility import application_eligibility_refresh
from handson.audit import audit_record

ALLOWED: dict[str, set[str]] = {
    S.REGISTERING: {S.AWAITING_DOCUMENTS},
    S.AWAITING_DOCUMENTS: {S.RECEIVED, S.WITHDRAWN},
    S.RECEIVED: {S.DOCUMENT_SCREENING, S.REJECTED, S.WITHDRAWN, S.AWAITING_DOCUMENTS},
    S.DOCUMENT_SCREENING: {S.INTERVIEW_SCHEDULED, S.REJECTED, S.WITHDRAWN},
    S.INTERVIEW_SCHEDULED: {S.INTERVIEWED, S.REJECTED, S.WITHDRAWN},
    S.INTERVIEWED: {S.MATCHING, S.REJECTED, S.WITHDRAWN},
    S.MATCHING: {S.COMMITTEE_REVIEW, S.REJECTED, S.WITHDRAWN},
    S.COMMITTEE_REVIEW: {S.ADOPTED, S.REJECTED, S.WITHDRAWN},
    # → COMMITTEE_REVIEW only via decision_reverse (see "④ committee decisions" below).
    S.ADOPTED: {S.CONSENT_RECEIVED, S.DECLINED, S.COMMITTEE_REVIEW},
    S.CONSENT_RECEIVED: {S.IN_SUPPORT, S.DECLINED},
    S.IN_SUPPORT: {S.COMPLETED, S.TERMINATED},
    S.COMPLETED: set(),
    S.TERMINATED: set(),
    S.REJECTED: {S.COMMITTEE_REVIEW},  # only via decision_reverse (a committee rejection)
    S.WITHDRAWN: set(),
    S.DECLINED: set(),
}

DECIDED = {S.ADOPTED, S.CONSENT_RECEIVED, S.IN_SUPPORT, S.COMPLETED, S.TERMINATED,
           S.REJECTED, S.DECLINED}


class TransitionError(Exception):
    """A transition that the current state does not allow."""

    def __init__(self, application: Application, to: str):
        self.current = application.status
        self.to = to
        super().__init__(f"application {application.pk}: {application.status} → {to} not allowed")


def can_transition(current: str, to: str) -> bool:
    return to in ALLOWED.get(current, set())


def transition(
    application: Application,
    to: S,
    *,
    actor,
    action: str,
    rule_ids: Iterable[str] = (),
    note: str = "",
    extra_fields: dict | None = None,
    notify: Callable[[Application], None] | None = None,
) -> Application:
    """Move one application to `to` under a row lock; audit it; queue its notices."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not can_transition(locked.status, to):
            raise TransitionError(locked, to)
        before = locked.status
        locked.status = to
        locked.status_changed_at = timezone.now()
        fields = ["status", "status_changed_at", "updated_at"]
        for name, value in (extra_fields or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=fields)
        audit_record(actor=actor, action=action, obj=locked, before={"status": before},
                     after={"status": to, **_jsonable(extra_fields)}, rule_ids=rule_ids,
                     note=note)
        if notify is not None:
            notify(locked)  # queues outbox rows in this transaction; sent after commit
    return locked


def _jsonable(fields: dict | None) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in (fields or {}).items()}


# -- submission, receipt, withdrawal (DOCS-COMPLETE, INTAKE-CAP, FORM-WITHDRAW) ------------
#
# Lock order, to avoid deadlocks: the Call row first, then the Application row (transition).

WITHDRAWABLE = frozenset({
    S.AWAITING_DOCUMENTS, S.RECEIVED, S.DOCUMENT_SCREENING, S.INTERVIEW_SCHEDULED,
    S.INTERVIEWED, S.MATCHING, S.COMMITTEE_REVIEW,
})


class ApplicationIncomplete(Exception):  # noqa: N818 - a domain outcome, not a crash
    """DOCS-COMPLETE: items or documents are missing; `missing` lists them in Japanese."""

    def __init__(self, application: Application, missing: list[str]):
        self.application = application
        self.missing = list(missing)
        super().__init__(f"application {application.pk}: {len(self.missing)} item(s) missing")


class IntakeClosed(Exception):  # noqa: N818 - a domain outcome, not a crash
    """INTAKE-CAP: the call takes no more applications (cap reached, closed or out of dates)."""

    CAP_REACHED = "cap_reached"
    CLOSED = "closed"
    NOT_OPEN_YET = "not_yet"
    PERIOD_OVER = "ended"

    def __init__(self, call, reason: str):
        self.call = call
        self.reason = reason
        super().__init__(f"call {call.pk}: intake closed ({reason})")

    @property
    def message(self) -> str:
        from applications.intake import CLOSED_MESSAGES

        return str(CLOSED_MESSAGES[self.reason])


def _missing_items(application: Application) -> list[str]:
    """The WEB form room's completeness check (DOCS-COMPLETE)."""
    from applications.completeness import missing_items

    return list(missing_items(application))


def _intake_refusal(call, received_count: int, today) -> str | None:
    from applications.intake import intake_state

    return intake_state(call, today=today, received=received_count).reason or None


def _close_intake(call, *, actor, received_count: int) -> None:
    call.intake_closed = True
    call.save(update_fields=["intake_closed"])
    audit_record(actor=actor, action="call.intake_closed", obj=call,
                 before={"intake_closed": False},
                 after={"intake_closed": True, "received_count": received_count,
                        "planned_count": call.planned_count},
                 rule_ids=["INTAKE-CAP"])


def application_submit(*, application: Application, actor) -> Application:
    """The final submission: all items in (DOCS-COMPLETE) and a place left (INTAKE-CAP).

    Raises ApplicationIncomplete (with the missing items), IntakeClosed or TransitionError;
    in each case nothing is changed. Under concurrent submissions the Call row lock makes
    the count and the transition one step, so exactly `planned_count` are received.
    """
    from applications.models import Call

    if application.status != S.AWAITING_DOCUMENTS:
        raise TransitionError(application, S.RECEIVED)
    missing = _missing_items(application)
    if missing:
        raise ApplicationIncomplete(application, missing)
    # Stored with the application as it is when it counts as made (issue #3).
    application_eligibility_refresh(application=application, actor=actor)

    close_anyway = None
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        received = (Application.objects.filter(call=call, received_at__isnull=False)
                    .exclude(pk=application.pk).count())
        refusal = _intake_refusal(call, received, timezone.localdate())
        if refusal is None:
            locked = transition(
                application, S.RECEIVED, actor=actor, action="application.received",
                rule_ids=["DOCS-COMPLETE", "INTAKE-CAP"],
                extra_fields={"received_at": timezone.now()},
                notify=_notify_received,
            )
            if received + 1 >= call.planned_count:
                _close_intake(call, actor=actor, received_count=received + 1)
            return locked
        if refusal == IntakeClosed.CAP_REACHED:
            close_anyway = received  # e.g. staff lowered the cap: close the call for good
    if close_anyway is not None:
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=application.call_id)
            if not call.intake_closed:
                _close_intake(call, actor=actor, received_count=close_anyway)
    raise IntakeClosed(call, refusal)


def _notify_received(application: Application) -> None:
    queue_status_notice(application, S.RECEIVED, template="application_received",
                        dedupe_key=f"received:{application.pk}")


def application_withdraw(*, application: Application, actor, reason: str = "",
                         note: str = "") -> Application:
    """FORM-WITHDRAW: the applicant withdraws before the decision; documents are kept.

    `note` (audit only) records how a withdrawal staff entered was received (e-mail, post).
    """
    if application.status not in WITHDRAWABLE:
        raise TransitionError(application, S.WITHDRAWN)
    reason = (reason or "").strip()
    with transaction.atomic():
        # Re-checked under the row lock by `transition`: a decision that lands first wins.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in WITHDRAWABLE:
            raise TransitionError(locked, S.WITHDRAWN)
        return transition(
            locked, S.WITHDRAWN, actor=actor, action="application.withdrawn",
            rule_ids=["FORM-WITHDRAW"], extra_fields={"withdrawal_reason": reason},
            note=note, notify=lambda app: _notify_withdrawn(app, before=locked.status),
        )


def _notify_withdrawn(application: Application, *, before: str) -> None:
    from django.conf import settings

    from handson.outbox import mail_queue

    queue_status_notice(application, S.WITHDRAWN, template="application_withdrawn")
    context = {
        **_notice_context(application),
        "status_before": str(S(before).label),
        "withdrawal_reason": application.withdrawal_reason,
    }
    mail_queue(to=settings.STAFF_NOTIFICATION_EMAIL, template="staff_withdrawal_notice",
               context=context, dedupe_key=f"withdrawal-staff:{application.pk}",
               related=application)


# -- status notices: every status change reaches the applicant through the outbox ----------

def _notice_context(application: Application) -> dict:
    """What a status mail may say. Built from the application only: never a note or reason."""
    import datetime

    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import formats

    def url(name: str, *args) -> str:
        try:
            return settings.SITE_URL + reverse(name, args=args)
        except NoReverseMatch:
            return ""

    def day(value) -> str:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
        return formats.date_format(value, "Y年n月j日")

    call = application.call
    received_at = application.received_at
    return {
        "company_name": application.company.name,
        "contact_name": application.contact_name,
        "product_name": application.product_name,
        "call_title": call.title,
        "status": application.status,
        "status_label": str(S(application.status).label),
        "received_on": day(received_at) if received_at else "",
        "received_at": (formats.date_format(timezone.localtime(received_at), "Y年n月j日 H:i")
                        if received_at else ""),
        # Only while it is still ahead: "not before a past date" would only confuse.
        "decisions_not_before": (day(call.decisions_not_before)
                                 if call.decisions_not_before > timezone.localdate() else ""),
        "status_url": url("applications:status", application.public_id),
        "withdraw_url": url("applications:withdraw", application.public_id),
        "copy_url": url("applications:copy_pdf", application.public_id),
        "link_resend_url": url("applications:link_resend"),
    }


def status_notice_template(status: str) -> str | None:
    """`status_<status>` when the templates for it exist, else None (no mail for it)."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    name = f"status_{status}"
    try:
        get_template(f"emails/{name}.subject.txt")
        get_template(f"emails/{name}.txt")
    except TemplateDoesNotExist:
        return None
    return name


def queue_status_notice(application: Application, status: str, *, template: str | None = None,
                        dedupe_key: str | None = None):
    """Queue the applicant's mail for a status change (inside the caller's transaction).

    `template` defaults to `emails/status_<status>.*`; without such templates nothing is
    queued. The context holds no reasons, notes or scores: a rejection mail can never carry
    the reasons (V.1(2)⑥). Returns the OutboundMail row, or None.
    """
    from handson.outbox import mail_queue

    template = template or status_notice_template(status)
    if template is None:
        return None
    stamp = int(application.status_changed_at.timestamp() * 1_000_000)
    return mail_queue(
        to=application.contact_email, template=template,
        context=_notice_context(application),
        dedupe_key=dedupe_key or f"status:{application.pk}:{status}:{stamp}",
        related=application,
    )



# Public names for the other rooms (the screening room reads both).
missing_items_of = _missing_items
notice_context = _notice_context

# -- ① document screening, ② interview, manual move to the committee (V.1(2)①–③) ---------
#
# The screening room (screening/services/) records assessments, stage decisions and
# interviews and calls these functions for the status and its audit row. A passed document
# screening leaves the status at `document_screening` (the pass is audited) until the first
# interview is scheduled; a fail ends the application as `rejected`. Reasons stay internal:
# only `queue_status_notice` may write to the applicant, and it carries no note.

SCREENING_PASS = "pass"  # = screening.enums.Proposal.PASS (this room may not import screening)
SCREENING_FAIL = "fail"  # = screening.enums.Proposal.FAIL


def _outcome_checked(outcome: str) -> str:
    if outcome not in (SCREENING_PASS, SCREENING_FAIL):
        raise ValueError(f"unknown screening outcome {outcome!r}")
    return outcome


def _notify_rejected(application: Application) -> None:
    # Nothing is queued until the notices work adds `emails/status_rejected.*` (no reasons).
    queue_status_notice(application, S.REJECTED)


def screening_start(*, application: Application, actor) -> Application:
    """① begins: received → document_screening."""
    return transition(application, S.DOCUMENT_SCREENING, actor=actor,
                      action="application.document_screening_started",
                      rule_ids=["DOCS-COMPLETE"])


def document_screening_decide(*, application: Application, outcome: str, actor, note: str = "",
                              rule_ids: Iterable[str] = ()) -> Application:
    """① decided. Pass: DOCS-COMPLETE is checked again and the pass is audited, the status
    stays `document_screening` until the interview is scheduled. Fail: → rejected.

    Raises ApplicationIncomplete (pass with missing documents) or TransitionError.
    """
    if _outcome_checked(outcome) == SCREENING_FAIL:
        return transition(application, S.REJECTED, actor=actor,
                          action="application.document_screening_failed",
                          rule_ids=list(rule_ids) or ["DOCS-COMPLETE"], note=note,
                          notify=_notify_rejected)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != S.DOCUMENT_SCREENING:
            raise TransitionError(locked, S.INTERVIEW_SCHEDULED)
        missing = _missing_items(locked)
        if missing:
            raise ApplicationIncomplete(locked, missing)
        audit_record(actor=actor, action="application.document_screening_passed", obj=locked,
                     before={"status": locked.status},
                     after={"status": locked.status, "document_screening": SCREENING_PASS},
                     rule_ids=list(rule_ids) or ["DOCS-COMPLETE"], note=note)
    return locked


def interview_mark_scheduled(*, application: Application, actor) -> Application:
    """② the first interview date is set: document_screening → interview_scheduled."""
    return transition(application, S.INTERVIEW_SCHEDULED, actor=actor,
                      action="application.interview_scheduled")


def interview_mark_held(*, application: Application, actor) -> Application:
    """② the interview took place: interview_scheduled → interviewed."""
    return transition(application, S.INTERVIEWED, actor=actor, action="application.interviewed")


def interview_decide(*, application: Application, outcome: str, actor, note: str = "",
                     rule_ids: Iterable[str] = ()) -> Application:
    """② decided: pass → matching, fail → rejected."""
    if _outcome_checked(outcome) == SCREENING_PASS:
        return transition(application, S.MATCHING, actor=actor,
                          action="application.interview_passed", rule_ids=rule_ids, note=note)
    return transition(application, S.REJECTED, actor=actor, action="application.interview_failed",
                      rule_ids=rule_ids, note=note, notify=_notify_rejected)


def matching_skip_to_committee(*, application: Application, actor, note: str) -> Application:
    """MANUAL: matching → committee_review without the matching room (until it exists).

    The note (why, and which expert is proposed if any) is required and audited.
    """
    note = (note or "").strip()
    if not note:
        raise ValueError("a manual move to the committee needs a note")
    return transition(application, S.COMMITTEE_REVIEW, actor=actor,
                      action="application.matching_skipped_to_committee", note=note)


# -- ④ committee decisions, ⑤ コンソーシアムID, decision reversal (V.1(2)④⑤⑥) -------------
#
# The committee room (screening/services/committee.py) records meetings and votes and calls
# `committee_adopt` / `committee_reject` when the chair closes a meeting (all in one
# transaction). No mail is queued here: decision notices are drafted as `screening.Notice`
# rows and sent by staff from the notice batch, never before `Call.decisions_not_before`.
#
# ALLOWED has two moves for ONE purpose only — `decision_reverse` (staff, audited, with a
# note): adopted → committee_review and rejected → committee_review. Nothing else may use
# them; a rejection made before the committee (①, ②, matching) is not reversible this way.
# Callers go through screening.services.notices.decision_reverse, which withdraws the
# notices queued for the reversed decision (and cancels their pending mails).

COMMITTEE_ADOPTED = "application.committee_adopted"
COMMITTEE_REJECTED = "application.committee_rejected"
DECISION_REVERSED = "application.decision_reversed"


def consortium_id_format(fiscal_year: int, number: int) -> str:
    """`C2026-0001`: the call's fiscal year and a 4-digit number counted per call."""
    return f"C{fiscal_year}-{number:04d}"


def consortium_id_next(call) -> str:
    """The next free コンソーシアムID of `call`. The caller holds the Call row lock."""
    prefix = f"C{call.fiscal_year}-"
    used = (Application.objects.filter(consortium_id__startswith=prefix)
            .values_list("consortium_id", flat=True))
    numbers = [int(value[len(prefix):]) for value in used if value[len(prefix):].isdigit()]
    return consortium_id_format(call.fiscal_year, max(numbers, default=0) + 1)


def committee_adopt(*, application: Application, actor, note: str = "") -> Application:
    """④ → ⑤ committee_review → adopted; assigns the コンソーシアムID (kept if one exists,
    e.g. after a reversed decision, so a number once given never changes or repeats).

    Lock order as in the submission: the Call row first, then the Application row.
    """
    from applications.models import Call

    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != S.COMMITTEE_REVIEW:
            raise TransitionError(locked, S.ADOPTED)
        extra = {} if locked.consortium_id else {"consortium_id": consortium_id_next(call)}
        return transition(locked, S.ADOPTED, actor=actor, action=COMMITTEE_ADOPTED,
                          rule_ids=["SEL-1", "SEL-2", "SEL-3", "SEL-4", "SEL-5", "SEL-6"],
                          note=note, extra_fields=extra)


def committee_reject(*, application: Application, actor, note: str = "") -> Application:
    """④ → ⑥ committee_review → rejected (no mail here: the notice batch sends it)."""
    if application.status != S.COMMITTEE_REVIEW:
        raise TransitionError(application, S.REJECTED)
    return transition(application, S.REJECTED, actor=actor, action=COMMITTEE_REJECTED,
                      note=note)


class DecisionNotReversible(Exception):  # noqa: N818 - a domain outcome, not a crash
    """Only a committee decision (adopted, or rejected by the committee) can be reversed."""


def _decided_by_committee(application: Application) -> bool:
    from handson.models import AuditLog

    last = (AuditLog.objects.filter(object_type=application._meta.label_lower,
                                    object_id=str(application.pk),
                                    after__status=application.status)
            .order_by("-created_at", "-id").values_list("action", flat=True).first())
    return last in (COMMITTEE_ADOPTED, COMMITTEE_REJECTED)


def decision_reverse(*, application: Application, actor, note: str,
                     notify: Callable[[Application], None] | None = None) -> Application:
    """Staff reverse the committee's decision: adopted/rejected → committee_review.

    The note is required and audited. `notify` runs in the same transaction with the
    reversed application (screening withdraws the stale notices there). Raises
    PermissionDenied (not staff), ValueError (no note), DecisionNotReversible.
    """
    from django.core.exceptions import PermissionDenied

    if not getattr(actor, "is_jetro_staff", False):
        raise PermissionDenied("only JETRO staff may reverse a decision")
    note = (note or "").strip()
    if not note:
        raise ValueError("a reversal needs a note")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in (S.ADOPTED, S.REJECTED) or not _decided_by_committee(locked):
            raise DecisionNotReversible(f"application {locked.pk}: {locked.status}")
        return transition(locked, S.COMMITTEE_REVIEW, actor=actor, action=DECISION_REVERSED,
                          note=note, notify=notify)


# -- consent, start, end of support (V.1(2)⑤⑦, V.2, III.6) -------------------------------
#
# The support room (support/services/lifecycle.py) records the consent, the kickoff and the
# period, the 辞退届 and the end, and calls these functions for the status and its audit
# row. `then(locked_application)` runs inside the same transaction under the Application
# row lock, after the status is saved and audited: the support room writes its own rows
# (SupportCase, Declination, Survey) and queues its mails there, so the status and the
# support records commit or fail together. This room never imports the support room: call
# the support room's functions of the same names (support.services.lifecycle), which create
# the SupportCase row; these here change only the status.

SUPPORT_DECLINABLE = frozenset({S.ADOPTED, S.CONSENT_RECEIVED})
SUPPORT_CONSENT_RECEIVED = "application.consent_received"
SUPPORT_STARTED = "application.support_started"
SUPPORT_DECLINED = "application.declined"
SUPPORT_COMPLETED = "application.support_completed"
SUPPORT_TERMINATED = "application.support_terminated"


def _support_move(application: Application, to: S, *, allowed_from: Iterable[str], actor,
                  action: str, rule_ids: Iterable[str], note: str = "",
                  then: Callable[[Application], None] | None = None) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in set(allowed_from):
            raise TransitionError(locked, to)
        return transition(locked, to, actor=actor, action=action, rule_ids=rule_ids,
                          note=note, notify=then)


def support_consent_receive(*, application: Application, received_on, actor,
                            then: Callable[[Application], None] | None = None) -> Application:
    """⑤ the signed original 応募・利用条件兼同意書 arrived: adopted → consent_received."""
    return _support_move(application, S.CONSENT_RECEIVED, allowed_from={S.ADOPTED},
                         actor=actor, action=SUPPORT_CONSENT_RECEIVED, rule_ids=["V.1(2)⑤"],
                         note=f"received_on={received_on.isoformat()}", then=then)


def support_mark_started(*, application: Application, actor,
                         then: Callable[[Application], None] | None = None) -> Application:
    """V.2 the kickoff took place and the period is agreed: consent_received → in_support."""
    return _support_move(application, S.IN_SUPPORT, allowed_from={S.CONSENT_RECEIVED},
                         actor=actor, action=SUPPORT_STARTED, rule_ids=["V.2", "PERIOD-END"],
                         then=then)


def support_mark_declined(*, application: Application, actor, note: str = "",
                          then: Callable[[Application], None] | None = None) -> Application:
    """⑦ 辞退届 after adoption: adopted / consent_received → declined."""
    return _support_move(application, S.DECLINED, allowed_from=SUPPORT_DECLINABLE,
                         actor=actor, action=SUPPORT_DECLINED, rule_ids=["V.1(2)⑦"], note=note,
                         then=then)


def support_mark_completed(*, application: Application, actor, rule_ids: Iterable[str],
                           then: Callable[[Application], None] | None = None) -> Application:
    """III.6 the period is over or the goal reached (TERM-2): in_support → completed."""
    return _support_move(application, S.COMPLETED, allowed_from={S.IN_SUPPORT}, actor=actor,
                         action=SUPPORT_COMPLETED, rule_ids=rule_ids, then=then)


def support_mark_terminated(*, application: Application, actor, reason_code: str,
                            note: str = "",
                            then: Callable[[Application], None] | None = None) -> Application:
    """III.6 (1)–(8) early end: in_support → terminated. The code and the note are audited
    (staff only); no status notice is queued here (the support room writes a courteous one
    without the reason)."""
    return _support_move(application, S.TERMINATED, allowed_from={S.IN_SUPPORT}, actor=actor,
                         action=SUPPORT_TERMINATED, rule_ids=[reason_code], note=note,
                         then=then)


# -- ③ expert matching (V.1(2)③⑥) --------------------------------------------------------
#
# The experts room (experts/services.py: assignment_confirm) creates the assignment and calls
# `matching_complete` in the same transaction. When no suitable expert exists, staff record
# that with an internal note and the application ends as rejected (V.1(2)⑥: 専門家とのマッチン
# グができなかった場合 … その他のサービスをご案内). The audit row carries "V.1(2)⑥", the clause
# that covers this exit (the notices room uses the same mark): not PROJ-GOAL, because the
# company did not fail a requirement; no expert was available. The note stays in the audit
# log; `notify` (e.g. the screening room drafting the courteous `no_match` notice) gets the
# application only, never the note.

MATCHING_COMPLETED = "application.matching_completed"
MATCHING_NO_EXPERT = "application.matching_no_expert"


def matching_complete(*, application: Application, actor) -> Application:
    """③ an expert is assigned: matching → committee_review."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != S.MATCHING:
            raise TransitionError(locked, S.COMMITTEE_REVIEW)
        return transition(locked, S.COMMITTEE_REVIEW, actor=actor, action=MATCHING_COMPLETED,
                          rule_ids=["V.1(2)③"])


def matching_no_expert(*, application: Application, actor, note: str,
                       notify: Callable[[Application], None] | None = None) -> Application:
    """③ → ⑥ no suitable expert: matching → rejected. The note (why) is required, internal
    and audited. `notify` defaults to the plain status notice (no reasons)."""
    note = (note or "").strip()
    if not note:
        raise ValueError("recording that no expert was found needs a note")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != S.MATCHING:
            raise TransitionError(locked, S.REJECTED)
        return transition(locked, S.REJECTED, actor=actor, action=MATCHING_NO_EXPERT,
                          rule_ids=["V.1(2)⑥"], note=note,
                          notify=notify if notify is not None else _notify_rejected)
