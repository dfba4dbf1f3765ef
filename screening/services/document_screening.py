"""① 書類審査 (document screening) and the assessments of both stages.

Who decides (the "lead" rule, shown on the page): any JETRO staff member may record a stage
decision once at least one assessment of that stage exists; the decider is recorded on the
StageDecision and in the audit log. One assessment per reviewer and stage: saving again
updates it (double submits never duplicate); only its author edits it, until the stage is
decided. A pass is refused while documents are missing (DOCS-COMPLETE).
"""

from django.db import IntegrityError, transaction

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services import workflow
from handson.audit import audit_record
from screening.enums import BONUS_CRITERIA, SCORED_CRITERIA, Proposal, Stage
from screening.models import Assessment, StageDecision

# While these statuses hold, an assessment of the stage may be written.
ASSESSABLE = {
    Stage.DOCUMENT: {S.RECEIVED, S.DOCUMENT_SCREENING},
    Stage.INTERVIEW: {S.INTERVIEWED},
}


class ScreeningError(Exception):
    """A screening action the current state does not allow; `message` is for staff."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class StageAlreadyDecided(ScreeningError):
    def __init__(self):
        super().__init__("この審査段階はすでに決定済みのため、評価の入力・変更や再度の決定はできません。")


class NoAssessment(ScreeningError):
    def __init__(self):
        super().__init__("決定の前に、少なくとも1件の審査評価を入力してください。")


def stage_decision(application: Application, stage: str) -> StageDecision | None:
    return StageDecision.objects.filter(application=application, stage=stage).first()


def bonus_prefill(application: Application) -> list[str]:
    """SEL-7…9 suggested from the WEB form (the reviewer confirms or changes them)."""
    from applications.completeness import answers_of

    answers = answers_of(application)
    ticked = []
    if (answers.trade_fair_plan or "").strip():
        ticked.append("SEL-7")
    if answers.designations or answers.regional_revitalization:
        ticked.append("SEL-8")
    if (answers.subsidies_received or "").strip():
        ticked.append("SEL-9")
    return ticked


def _clean_scores(scores: dict) -> dict[str, int]:
    cleaned = {}
    for key in SCORED_CRITERIA:
        value = int(scores[key])
        if not 1 <= value <= 5:
            raise ValueError(f"{key}: score {value} outside 1–5")
        cleaned[key] = value
    return cleaned


def assessment_save(*, application: Application, stage: str, actor, scores: dict,
                    bonuses, notes: str, proposal: str) -> Assessment:
    """Create or update `actor`'s assessment of `stage`.

    The first document assessment of a `received` application starts ① (→ document_screening).
    """
    stage = Stage(stage)
    proposal = Proposal(proposal)
    scores = _clean_scores(scores)
    bonuses = [b for b in BONUS_CRITERIA if b in set(bonuses or ())]
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if StageDecision.objects.filter(application=locked, stage=stage).exists():
            raise StageAlreadyDecided
        if locked.status not in ASSESSABLE[stage]:
            raise ScreeningError("この申込の現在の状態では、この段階の評価は入力できません。")
        if stage == Stage.DOCUMENT and locked.status == S.RECEIVED:
            locked = workflow.screening_start(application=locked, actor=actor)
        existing = Assessment.objects.filter(application=locked, stage=stage,
                                             reviewer=actor).first()
        values = {"scores": scores, "bonuses": bonuses, "notes": notes.strip(),
                  "proposal": proposal.value}
        if existing is None:
            try:
                with transaction.atomic():
                    assessment = Assessment.objects.create(application=locked, stage=stage,
                                                           reviewer=actor, **values)
            except IntegrityError:  # a concurrent double submit won: update that row
                existing = Assessment.objects.get(application=locked, stage=stage,
                                                  reviewer=actor)
        if existing is not None:
            before = {"scores": existing.scores, "bonuses": existing.bonuses,
                      "proposal": existing.proposal}
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save(update_fields=[*values, "updated_at"])
            assessment = existing
            action = "assessment.updated"
        else:
            before = {}
            action = "assessment.created"
        audit_record(actor=actor, action=action, obj=assessment, before=before,
                     after={"application": str(locked.public_id), "stage": stage.value,
                            "scores": scores, "bonuses": bonuses, "proposal": proposal.value},
                     rule_ids=[*SCORED_CRITERIA, *bonuses])
    return assessment


def _decision_rule_ids(application: Application, stage: Stage, outcome: Proposal) -> list[str]:
    """A ① pass rests on DOCS-COMPLETE; a fail on missing documents, else on the criteria."""
    if stage == Stage.DOCUMENT:
        if outcome == Proposal.PASS or workflow._missing_items(application):
            return ["DOCS-COMPLETE"]
    return list(SCORED_CRITERIA)


def _decide(*, application: Application, stage: Stage, outcome: str, actor, note: str,
            decide) -> StageDecision:
    outcome = Proposal(outcome)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if StageDecision.objects.filter(application=locked, stage=stage).exists():
            raise StageAlreadyDecided
        if not Assessment.objects.filter(application=locked, stage=stage).exists():
            raise NoAssessment
        decision = StageDecision.objects.create(application=locked, stage=stage,
                                                outcome=outcome.value, decided_by=actor,
                                                note=note.strip())
        rule_ids = _decision_rule_ids(locked, stage, outcome)
        decide(application=locked, outcome=outcome.value, actor=actor, note=note.strip(),
               rule_ids=rule_ids)
    return decision


def document_screening_decide(*, application: Application, outcome: str, actor,
                              note: str = "") -> StageDecision:
    """Record the ① decision. Pass needs DOCS-COMPLETE (raises workflow.ApplicationIncomplete
    with the missing items); fail → rejected. Nothing is stored when it raises."""
    return _decide(application=application, stage=Stage.DOCUMENT, outcome=outcome, actor=actor,
                   note=note, decide=workflow.document_screening_decide)
