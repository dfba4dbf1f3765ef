"""Writes of the experts room: the registry, conflicts of interest, assignments.

Every function is `<entity>_<verb>(*, actor, …)`, runs in one transaction and writes the
audit log. Assignments lock the Application row first, then the Expert row (the same order
everywhere), so two staff confirming the same expert cannot both take its last place, and an
application never has two current assignments (also a DB constraint).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from experts.models import Assignment, Expert, ExpertConflict
from handson.audit import audit_record
from handson.roles import is_staff_member

RULE_MATCHING = "V.1(2)③"
RULE_REVIEW = "V.2"  # ジェトロが定期的に支援活動のレビューを実施し、必要に応じて専門家の交替

# What staff maintain, and the part of it an expert may change in their own profile.
REGISTRY_FIELDS = ("user", "name", "name_kana", "email", "phone", "regions", "countries",
                   "industries", "fields", "languages", "capacity", "profile", "is_active")
PROFILE_FIELDS = ("email", "phone", "regions", "countries", "fields", "languages", "profile")

# A current expert can be replaced from the committee's review until the support ends.
REPLACEABLE = frozenset({S.COMMITTEE_REVIEW, S.ADOPTED, S.CONSENT_RECEIVED, S.IN_SUPPORT})


class ExpertError(Exception):
    """An action on the registry or an assignment that is not possible; `message` is for
    staff (Japanese)."""

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


class AssignmentError(ExpertError):
    pass


def _require_staff(actor) -> None:
    if not is_staff_member(actor):
        raise PermissionDenied("only JETRO staff manage experts and assignments")


def _jsonable(value):
    return value.pk if hasattr(value, "pk") else value  # the linked user account: its ID


def _values(expert: Expert, names) -> dict:
    return {name: _jsonable(getattr(expert, name)) for name in names}


def _checked(data: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not allowed here: {sorted(unknown)}")
    return data


# -- the registry (staff) ------------------------------------------------------------------

def expert_create(*, actor, data: dict) -> Expert:
    _require_staff(actor)
    _checked(data, REGISTRY_FIELDS)
    with transaction.atomic():
        expert = Expert.objects.create(**data)
        audit_record(actor=actor, action="expert.created", obj=expert,
                     after=_values(expert, data))
    return expert


def _update(expert: Expert, *, actor, data: dict, action: str) -> Expert:
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        before = _values(locked, data)
        changed = {name: value for name, value in data.items()
                   if _jsonable(value) != before[name]}
        if not changed:
            return locked
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=action, obj=locked,
                     before={name: before[name] for name in changed},
                     after=_values(locked, changed))
    return locked


def expert_update(*, expert: Expert, actor, data: dict) -> Expert:
    """Staff change registry fields; the changed ones are audited (before/after)."""
    _require_staff(actor)
    return _update(expert, actor=actor, data=_checked(data, REGISTRY_FIELDS),
                   action="expert.updated")


def expert_deactivate(*, expert: Expert, actor) -> Expert:
    """No longer proposed by matching. Current assignments stay until replaced or ended."""
    _require_staff(actor)
    return _update(expert, actor=actor, data={"is_active": False}, action="expert.deactivated")


def expert_profile_update(*, expert: Expert, actor, data: dict) -> Expert:
    """The expert changes their own contact, coverage and profile text (not capacity or
    the active flag: those are staff decisions)."""
    if actor is None or not actor.is_authenticated or expert.user_id != actor.pk:
        raise PermissionDenied("an expert edits only their own profile")
    return _update(expert, actor=actor, data=_checked(data, PROFILE_FIELDS),
                   action="expert.profile_updated")


# -- conflicts of interest ------------------------------------------------------------------

def conflict_add(*, expert: Expert, company, note: str, actor) -> ExpertConflict:
    _require_staff(actor)
    note = (note or "").strip()
    try:
        with transaction.atomic():
            conflict = ExpertConflict.objects.create(expert=expert, company=company, note=note)
            audit_record(actor=actor, action="expert.conflict_added", obj=expert,
                         after={"company": company.pk, "company_name": company.name,
                                "note": note})
    except IntegrityError:
        raise ExpertError(f"{company.name}との利益相反はすでに登録されています。") from None
    return conflict


def conflict_remove(*, conflict: ExpertConflict, actor) -> None:
    _require_staff(actor)
    with transaction.atomic():
        audit_record(actor=actor, action="expert.conflict_removed", obj=conflict.expert,
                     before={"company": conflict.company_id,
                             "company_name": conflict.company.name, "note": conflict.note})
        conflict.delete()


# -- assignments (V.1(2)③, V.2) --------------------------------------------------------------

def _lock_application(application: Application) -> Application:
    return (Application.objects.select_for_update(of=("self",)).select_related("company")
            .get(pk=application.pk))


def _current(application: Application) -> Assignment | None:
    return (Assignment.objects.select_for_update().filter(application=application,
                                                          ended_at__isnull=True)
            .select_related("expert").first())


def _lock_suitable_expert(expert: Expert, company) -> Expert:
    """Lock the expert's row and check that it may take this company now."""
    locked = Expert.objects.select_for_update().get(pk=expert.pk)
    if ExpertConflict.objects.filter(expert=locked, company=company).exists():
        raise AssignmentError(
            f"{locked.name}さんには、この企業との利益相反の申告があるため担当にできません。")
    if not locked.is_active:
        raise AssignmentError(f"{locked.name}さんは稼働していないため担当にできません。")
    load = Assignment.objects.filter(expert=locked, ended_at__isnull=True).count()
    if load >= locked.capacity:
        raise AssignmentError(
            f"{locked.name}さんの担当数が上限に達しています（{load}/{locked.capacity}件）。")
    return locked


def _expert_audit(assignment: Assignment) -> dict:
    return {"expert": assignment.expert_id, "expert_name": assignment.expert.name,
            "assignment": assignment.pk}


def assignment_confirm(*, application: Application, expert: Expert, actor, score: int | None,
                       reasons: list[str]) -> Assignment:
    """③ Staff confirm the expert: the assignment is created (audited `expert.assigned`) and
    the application moves matching → committee_review, in one transaction.

    Raises AssignmentError (not in matching, already assigned, conflict, inactive, full) or
    PermissionDenied (not staff).
    """
    _require_staff(actor)
    with transaction.atomic():
        locked = _lock_application(application)
        if locked.status != S.MATCHING:
            raise AssignmentError("専門家マッチング中の申込だけに専門家を確定できます。")
        if _current(locked) is not None:
            raise AssignmentError("この申込にはすでに担当の専門家がいます。")
        chosen = _lock_suitable_expert(expert, locked.company)
        assignment = Assignment.objects.create(
            application=locked, expert=chosen, assigned_by=_user(actor), match_score=score,
            match_reasons=list(reasons))
        audit_record(actor=actor, action="expert.assigned", obj=locked,
                     after={**_expert_audit(assignment), "score": score,
                            "reasons": list(reasons)},
                     rule_ids=[RULE_MATCHING])
        workflow.matching_complete(application=locked, actor=actor)
    return assignment


def assignment_replace(*, application: Application, new_expert: Expert, reason: str, actor,
                       score: int | None = None, reasons: list[str] | None = None
                       ) -> Assignment:
    """V.2 review: the current assignment ends (with the reason) and the new expert takes
    over; the history stays. Audited `expert.replaced` with the expert before and after.

    Raises AssignmentError (no reason, wrong status, no current expert, the same expert,
    conflict, inactive, full) or PermissionDenied.
    """
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentError("交替の理由を入力してください。")
    with transaction.atomic():
        locked = _lock_application(application)
        if locked.status not in REPLACEABLE:
            raise AssignmentError(
                f"この申込の状態（{locked.get_status_display()}）では専門家を交替できません。")
        current = _current(locked)
        if current is None:
            raise AssignmentError("この申込には現在担当の専門家がいません。")
        if current.expert_id == new_expert.pk:
            raise AssignmentError("現在の担当と同じ専門家です。別の専門家を選んでください。")
        chosen = _lock_suitable_expert(new_expert, locked.company)
        current.ended_at = timezone.now()
        current.end_reason = reason
        current.save(update_fields=["ended_at", "end_reason"])
        assignment = Assignment.objects.create(
            application=locked, expert=chosen, assigned_by=_user(actor), match_score=score,
            match_reasons=list(reasons or []))
        audit_record(actor=actor, action="expert.replaced", obj=locked,
                     before=_expert_audit(current), after=_expert_audit(assignment),
                     rule_ids=[RULE_REVIEW], note=reason)
    return assignment


def assignment_end(*, application: Application, actor, reason: str) -> Assignment | None:
    """The support ended (completed, terminated, declined …): the current assignment ends.

    Returns the ended assignment, or None when there was none (nothing is written then), so
    the support room can call it on every end.
    """
    with transaction.atomic():
        locked = _lock_application(application)
        current = _current(locked)
        if current is None:
            return None
        current.ended_at = timezone.now()
        current.end_reason = (reason or "").strip()
        current.save(update_fields=["ended_at", "end_reason"])
        audit_record(actor=actor, action="expert.assignment_ended", obj=locked,
                     before=_expert_audit(current),
                     after={"ended_at": current.ended_at.isoformat()},
                     note=current.end_reason)
    return current


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
