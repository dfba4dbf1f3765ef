"""Eligibility of one application: facts, stored result, staff overrides, display.

* `facts_from_application(application)` maps Company + Application + WebFormAnswers to the
  engine's facts. Unanswered yes/no questions (None, or no answers yet) take the favourable
  value, so the hint on the WEB form only shows what the answers given so far make a
  problem; `unanswered_questions(application)` lists them separately (Japanese labels), and
  the completeness list (applications/completeness.py) still refuses submission without them.
* `application_eligibility_refresh(*, application, actor=None)` evaluates, applies staff
  overrides and stores facts/result/outcome/rules version on the application; the audit log
  gets `application.eligibility_changed` only when the outcome changes. It reads the
  application's data fresh from the database under a row lock, so callers save first.
* `eligibility_finding_override(*, application, rule_id, new_outcome, reason, actor)`: staff
  replace the outcome of one finding, with a reason (audited), then refresh.
  Overrides are history: the newest per (application, rule_id) wins. An override records
  the engine's outcome when staff decided (`original_outcome`); when the applicant's
  answers later change the engine's outcome for that rule, the override is *stale* and no
  longer applied (staff judged another situation) — the staff page says so. Overriding
  back to the engine's own outcome undoes an earlier override.
* `eligibility_for_display(application)` evaluates live (same facts, same overrides) for
  the applicant's WEB form and the staff pages. The applicant's notice uses the engine's
  own findings only: staff overrides and their reasons are internal (V.1(2)⑥).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from applications.completeness import answers_of
from applications.eligibility import (
    FINDING_OUTCOME_LABELS,
    OUTCOME_LABELS,
    RULES_VERSION,
    SIZE_CATEGORY_LABELS,
    EligibilityFacts,
    EligibilityResult,
    Finding,
    evaluate,
)
from applications.models import Application, EligibilityOverride, WebFormAnswers
from applications.webform_questions import (
    COMMON_PROJECT_QUESTIONS,
    CONSULTING_QUESTIONS,
    DECLARATIONS,
    FOLLOW_UPS,
    project_questions,
)
from handson.audit import audit_record

OVERRIDE_PERMISSION = "applications.override_eligibility"
REASON_MAX_LENGTH = 2000

# The engine's question fields that WebFormAnswers holds under the same name.
_ANSWER_FIELDS = (
    "consulting_business", "project_is_consulting_base_or_license", "product_exists",
    "procures_domestically_for_export", "supplier_permission",
    "aims_export_or_agent_contract", "product_legal", "b2b", "management_approved",
    "aims_local_entity", "base_operation_started", "complies_local_law",
    "continuous_export_to_target", "local_base_in_target", "parallel_human_support",
    "parallel_support_is_approved_consortium_specialist", "declares_no_legal_violation",
    "declares_no_subsidy_violation", "declares_not_antisocial", "consents_to_reporting",
)
# The engine's defaults describe an eligible applicant, with one exception: its default
# supplier_permission=False only matters once the applicant procures in Japan, and then
# the favourable answer is "yes".
_FAVOURABLE = {f.name: f.default for f in fields(EligibilityFacts) if f.name in _ANSWER_FIELDS}
_FAVOURABLE["supplier_permission"] = True

# Staff judgements the engine never makes (shown as a reminder on the staff page).
STAFF_JUDGEMENTS = (
    ("PROJ-EXCL-NOPROSPECT", "プロジェクトの進展が見込めるか（III.3）"),
    ("COUNTRY-LIMITED", "対象国・地域を主要国・地域に限定するか（III.4(2)）"),
)


# --- Facts -------------------------------------------------------------------------------


def facts_from_application(application: Application) -> EligibilityFacts:
    company = application.company
    answers = answers_of(application)
    values = {}
    for name in _ANSWER_FIELDS:
        value = getattr(answers, name)
        values[name] = _FAVOURABLE[name] if value is None else bool(value)
    return EligibilityFacts(
        legal_form=company.legal_form,
        industry=company.industry,
        capital_yen=company.capital_yen,
        regular_employees=company.regular_employees,
        # Not a Company field yet (registration room); unknown → SIZE-SME review for groups.
        group_members_all_sme=getattr(company, "group_members_all_sme", None),
        special_industry=company.special_industry or None,
        project_type=application.project_type,
        target_countries=list(application.target_countries or []),
        us_tariff_response=application.us_tariff_response,
        **values,
    )


def _relevant_questions(application: Application, answers: WebFormAnswers) -> list[str]:
    """The yes/no questions the engine reads for this application, in the WEB form's order."""
    names = ["parallel_human_support", *CONSULTING_QUESTIONS,
             *project_questions(application.project_type), *COMMON_PROJECT_QUESTIONS,
             *DECLARATIONS]
    return [name for name in names
            if name not in FOLLOW_UPS or getattr(answers, FOLLOW_UPS[name]) is True]


def unanswered_question_names(application: Application) -> list[str]:
    answers = answers_of(application)
    return [name for name in _relevant_questions(application, answers)
            if getattr(answers, name) is None]


def unanswered_questions(application: Application) -> list[str]:
    """Japanese labels of the questions whose favourable value the evaluation assumed."""
    return [str(WebFormAnswers._meta.get_field(name).verbose_name)
            for name in unanswered_question_names(application)]


def eligibility_hint(application: Application) -> EligibilityResult:
    """The engine's result for the answers so far (no overrides, nothing stored)."""
    return evaluate(facts_from_application(application))


# --- Overrides ---------------------------------------------------------------------------


def _overrides(application: Application) -> list[EligibilityOverride]:
    """All overrides of the application, newest first."""
    return list(EligibilityOverride.objects.filter(application=application)
                .select_related("created_by").order_by("-created_at", "-pk"))


def _latest_per_rule(overrides: list[EligibilityOverride]) -> dict[str, EligibilityOverride]:
    latest: dict[str, EligibilityOverride] = {}
    for override in overrides:  # newest first
        latest.setdefault(override.rule_id, override)
    return latest


def _size_category(findings: list[Finding]) -> str | None:
    """As the engine: SIZE-SME pass → sme, else SIZE-MID pass → midtier, else none."""
    outcomes = {finding.rule_id: finding.outcome for finding in findings}
    if outcomes.get("SIZE-SME") == "pass":
        return "sme"
    if outcomes.get("SIZE-MID") == "pass":
        return "midtier"
    return None


def apply_overrides(
    engine: EligibilityResult, overrides: list[EligibilityOverride]
) -> tuple[EligibilityResult, dict[str, EligibilityOverride]]:
    """The result with the newest, non-stale override of each rule applied."""
    latest = _latest_per_rule(overrides)
    applied: dict[str, EligibilityOverride] = {}
    findings = []
    for finding in engine.findings:
        override = latest.get(finding.rule_id)
        if override is not None and override.original_outcome == finding.outcome:
            applied[finding.rule_id] = override
            finding = Finding(finding.rule_id, override.new_outcome, finding.message)
        findings.append(finding)
    if not applied:
        return engine, applied
    result = EligibilityResult(findings=findings, size_category=_size_category(findings),
                               rules_version=engine.rules_version)
    return result, applied


def _override_info(override: EligibilityOverride) -> dict:
    # The reason stays in EligibilityOverride (staff only), not in the result JSON.
    return {
        "id": override.pk,
        "rule_id": override.rule_id,
        "original_outcome": override.original_outcome,
        "new_outcome": override.new_outcome,
        "created_by": override.created_by_id,
        "created_at": override.created_at.isoformat(),
    }


# --- Refresh -----------------------------------------------------------------------------

_STORED_FIELDS = ("eligibility_facts", "eligibility_result", "eligibility_outcome",
                  "eligibility_rules_version")


def _not_passing(result: EligibilityResult) -> list[str]:
    return [finding.rule_id for finding in result.findings if finding.outcome != "pass"]


def application_eligibility_refresh(*, application: Application,
                                    actor=None) -> EligibilityResult:
    """Evaluate, apply overrides, store; audit `application.eligibility_changed` on change."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        facts = facts_from_application(locked)
        engine = evaluate(facts)
        result, applied = apply_overrides(engine, _overrides(locked))
        before = locked.eligibility_outcome
        locked.eligibility_facts = facts.to_dict()
        locked.eligibility_result = {
            **result.to_dict(),
            "engine_outcome": engine.outcome,
            "overrides": [_override_info(override) for override in applied.values()],
        }
        locked.eligibility_outcome = result.outcome
        locked.eligibility_rules_version = RULES_VERSION
        locked.save(update_fields=[*_STORED_FIELDS, "updated_at"])
        if before != result.outcome:
            audit_record(
                actor=actor, action="application.eligibility_changed", obj=locked,
                before={"eligibility_outcome": before},
                after={"eligibility_outcome": result.outcome,
                       "engine_outcome": engine.outcome,
                       "rules_version": RULES_VERSION},
                rule_ids=_not_passing(result),
            )
    for name in (*_STORED_FIELDS, "updated_at"):  # keep the caller's instance current
        setattr(application, name, getattr(locked, name))
    return result


# --- Staff override ----------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "判定を変更する理由を入力してください。"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"理由は{REASON_MAX_LENGTH:,}文字以内で入力してください。"})
    return reason


def eligibility_finding_override(*, application: Application, rule_id: str, new_outcome: str,
                                 reason: str, actor) -> EligibilityOverride:
    """Staff replace one finding's outcome (pass/fail/review) with a reason, then refresh."""
    if not actor.has_perm(OVERRIDE_PERMISSION, application):
        raise PermissionDenied
    if new_outcome not in FINDING_OUTCOME_LABELS:
        raise ValidationError({"new_outcome": "変更後の判定を選んでください。"})
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        finding = evaluate(facts_from_application(locked)).finding_for(rule_id)
        if finding is None:
            raise ValidationError({"rule_id": f"この申込の判定に「{rule_id}」の項目はありません。"})
        override = EligibilityOverride.objects.create(
            application=locked, rule_id=rule_id, original_outcome=finding.outcome,
            new_outcome=new_outcome, reason=reason, created_by=actor,
        )
        audit_record(
            actor=actor, action="application.eligibility_overridden", obj=locked,
            before={"rule_id": rule_id, "outcome": finding.outcome},
            after={"rule_id": rule_id, "outcome": new_outcome, "override_id": override.pk},
            rule_ids=[rule_id], note=reason,
        )
        application_eligibility_refresh(application=application, actor=actor)
    return override


# --- Display -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    rule_id: str
    outcome: str
    message: str
    engine_outcome: str
    override: EligibilityOverride | None = None  # the applied one

    @property
    def outcome_label(self) -> str:
        return FINDING_OUTCOME_LABELS[self.outcome]

    @property
    def engine_outcome_label(self) -> str:
        return FINDING_OUTCOME_LABELS[self.engine_outcome]

    @property
    def overridden(self) -> bool:
        return self.override is not None


OVERRIDE_STATE_LABELS = {
    "applied": "適用中",
    "superseded": "新しい変更に置き換え済み",
    "stale": "回答が変わったため適用していません",
    "not_applicable": "現在の判定にこの項目がないため適用していません",
}


@dataclass(frozen=True)
class OverrideRow:
    override: EligibilityOverride
    state: str

    @property
    def state_label(self) -> str:
        return OVERRIDE_STATE_LABELS[self.state]

    @property
    def original_outcome_label(self) -> str:
        return FINDING_OUTCOME_LABELS[self.override.original_outcome]

    @property
    def new_outcome_label(self) -> str:
        return FINDING_OUTCOME_LABELS[self.override.new_outcome]


@dataclass(frozen=True)
class EligibilityDisplay:
    outcome: str
    engine_outcome: str
    size_category: str | None
    rules_version: str
    findings: list[FindingRow]
    overrides: list[OverrideRow]
    unanswered: list[str]
    stored_outcome: str = ""
    engine_findings: list[Finding] = field(default_factory=list)
    staff_judgements: tuple = STAFF_JUDGEMENTS

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def engine_outcome_label(self) -> str:
        return OUTCOME_LABELS[self.engine_outcome]

    @property
    def stored_outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.stored_outcome, "未判定")

    @property
    def size_category_label(self) -> str:
        return SIZE_CATEGORY_LABELS.get(self.size_category or "", "判定できません")

    @property
    def blocking(self) -> list[FindingRow]:
        return [row for row in self.findings if row.outcome == "fail"]

    @property
    def review(self) -> list[FindingRow]:
        return [row for row in self.findings if row.outcome == "review"]

    @property
    def passes(self) -> list[FindingRow]:
        return [row for row in self.findings if row.outcome == "pass"]

    @property
    def applicant_notice_findings(self) -> list[Finding]:
        """What the applicant may see: the engine's fail, then review findings (no overrides)."""
        return ([f for f in self.engine_findings if f.outcome == "fail"]
                + [f for f in self.engine_findings if f.outcome == "review"])

    @property
    def has_applicant_notice(self) -> bool:
        return bool(self.applicant_notice_findings)

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "engine_outcome": self.engine_outcome,
            "size_category": self.size_category,
            "rules_version": self.rules_version,
            "blocking": [_row_dict(row) for row in self.blocking],
            "review": [_row_dict(row) for row in self.review],
            "passes": [_row_dict(row) for row in self.passes],
            "overrides": [{"rule_id": row.override.rule_id, "state": row.state,
                           "original_outcome": row.override.original_outcome,
                           "new_outcome": row.override.new_outcome,
                           "reason": row.override.reason} for row in self.overrides],
            "unanswered": list(self.unanswered),
        }


def _row_dict(row: FindingRow) -> dict:
    return {"rule_id": row.rule_id, "outcome": row.outcome, "message": row.message,
            "engine_outcome": row.engine_outcome, "overridden": row.overridden}


def _override_state(override, latest, applied, engine: EligibilityResult) -> str:
    if latest.get(override.rule_id) is not override:
        return "superseded"
    if applied.get(override.rule_id) is override:
        return "applied"
    if engine.finding_for(override.rule_id) is None:
        return "not_applicable"
    return "stale"


def eligibility_for_display(application: Application) -> EligibilityDisplay:
    """Live evaluation with overrides, for the WEB form notice and the staff pages."""
    engine = evaluate(facts_from_application(application))
    overrides = _overrides(application)
    result, applied = apply_overrides(engine, overrides)
    latest = _latest_per_rule(overrides)
    rows = [
        FindingRow(rule_id=finding.rule_id, outcome=finding.outcome, message=finding.message,
                   engine_outcome=engine_finding.outcome,
                   override=applied.get(finding.rule_id))
        for finding, engine_finding in zip(result.findings, engine.findings, strict=True)
    ]
    return EligibilityDisplay(
        outcome=result.outcome,
        engine_outcome=engine.outcome,
        size_category=result.size_category,
        rules_version=result.rules_version,
        findings=rows,
        overrides=[OverrideRow(o, _override_state(o, latest, applied, engine))
                   for o in overrides],
        unanswered=unanswered_questions(application),
        stored_outcome=application.eligibility_outcome,
        engine_findings=list(engine.findings),
    )
